"""Channels (where an area's notifications go: an e-mail list or a group robot) and notifications (one
row per delivery target, with its delivery state).

A notification is pending until a worker claims it, sends it and marks it sent, or gives up after
`MAX_ATTEMPTS` and marks it failed. Pending rows are due at `next_attempt_at`, an indexed column that
the sweep (`manage.py deliver_notifications`) reads; a claim is a conditional UPDATE on the attempt
count, so two workers never send the same attempt twice.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zoneos.areas.models import AreaBoundQuerySet


class Event(models.TextChoices):
    ASSIGNED = "assigned", _("Assigned")
    DEADLINE_NEAR = "deadline_near", _("Deadline near")
    OVERDUE = "overdue", _("Overdue")
    REPLIED = "replied", _("Replied")
    PAUSED = "paused", _("Waiting on the enterprise")


class ChannelKind(models.TextChoices):
    EMAIL = "email", _("E-mail")
    WECOM = "wecom", _("WeCom group robot")
    DINGTALK = "dingtalk", _("DingTalk group robot")
    FEISHU = "feishu", _("Feishu group robot")
    WEBHOOK = "webhook", _("Webhook (JSON)")


# Kinds whose address is a URL that a message is POSTed to, and those whose robots sign with a secret.
WEBHOOK_KINDS = frozenset({ChannelKind.WECOM, ChannelKind.DINGTALK, ChannelKind.FEISHU, ChannelKind.WEBHOOK})
SIGNED_KINDS = frozenset({ChannelKind.DINGTALK, ChannelKind.FEISHU})


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("notification", "Pending")
    SENT = "sent", pgettext_lazy("notification", "Sent")
    FAILED = "failed", _("Failed")


STATUS_COLOR = {
    DeliveryStatus.PENDING: "secondary",
    DeliveryStatus.SENT: "success",
    DeliveryStatus.FAILED: "danger",
}

# After the n-th failed attempt the next one waits BACKOFF[n - 1]; the MAX_ATTEMPTS-th failure is final.
BACKOFF = (
    datetime.timedelta(minutes=1),
    datetime.timedelta(minutes=5),
    datetime.timedelta(minutes=30),
    datetime.timedelta(hours=2),
)
MAX_ATTEMPTS = len(BACKOFF) + 1


class Channel(models.Model):
    area = models.ForeignKey(
        "areas.Area", verbose_name=_("area"), on_delete=models.CASCADE, related_name="notification_channels"
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=ChannelKind.choices)
    address = models.CharField(
        _("address"),
        max_length=1000,
        help_text=_("E-mail addresses separated by commas, or the robot's webhook URL."),
    )
    # The signing secret of a DingTalk or Feishu robot. Never shown back, never kept in the history;
    # `secret_changed_at` records in the history that it changed.
    secret = models.CharField(_("signing secret"), max_length=200, blank=True)
    secret_changed_at = models.DateTimeField(_("secret changed"), null=True, blank=True, editable=False)
    events = models.JSONField(_("events"), default=list)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    area_path = "area__path"
    objects = AreaBoundQuerySet.as_manager()

    class Meta:
        ordering = ["area__path", "name", "pk"]
        verbose_name = _("notification channel")
        verbose_name_plural = _("notification channels")

    def __str__(self) -> str:
        return self.name

    @property
    def email_addresses(self) -> list[str]:
        return [a for a in (part.strip() for part in self.address.replace(";", ",").split(",")) if a]


class Notification(models.Model):
    area = models.ForeignKey(
        "areas.Area", verbose_name=_("area"), on_delete=models.CASCADE, related_name="notifications"
    )
    event = models.CharField(_("event"), max_length=32, choices=Event.choices)
    subject = models.CharField(pgettext_lazy("notification", "subject"), max_length=200)
    text = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=ChannelKind.choices)
    # A channel's row is sent with the channel's address and secret as they are at delivery, so that a
    # failed delivery can be retried once an admin has corrected the channel. A direct e-mail keeps its
    # address here (and the user it was meant for, when there was one).
    channel = models.ForeignKey(
        Channel,
        verbose_name=_("channel"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notifications",
    )
    recipient = models.CharField(_("recipient"), max_length=254, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=8, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    area_path = "area__path"
    objects = AreaBoundQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="notification_due")]

    def __str__(self) -> str:
        return f"{self.get_event_display()} · {self.target}"

    @property
    def target(self) -> str:
        """Where it goes, as people name it: the e-mail address, or the channel's name."""
        if self.recipient:
            return self.recipient
        return self.channel.name if self.channel_id else ""

    @property
    def status_color(self) -> str:
        return STATUS_COLOR.get(self.status, "secondary")


class InboxItem(models.Model):
    """One notification in one user's inbox: every notification a user is meant to hear of (by e-mail,
    or through a robot of their area) is also kept here, read or not, with a link to its record."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="inbox"
    )
    area = models.ForeignKey("areas.Area", verbose_name=_("area"), on_delete=models.CASCADE, related_name="+")
    event = models.CharField(_("event"), max_length=32, choices=Event.choices)
    subject = models.CharField(pgettext_lazy("notification", "subject"), max_length=200)
    text = models.TextField(_("text"), blank=True)
    # A path on this site ("/appeals/7/"), so the link works whatever address the user came in by.
    url = models.CharField(_("link"), max_length=500, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("inbox notification")
        verbose_name_plural = _("inbox notifications")
        indexes = [models.Index(fields=["user", "read_at"], name="inbox_user_unread")]

    def __str__(self) -> str:
        return self.subject


class Preference(models.Model):
    """How a user hears of an event: always in the inbox, and by e-mail unless turned off here. A user
    without a row for an event gets its e-mails."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    event = models.CharField(_("event"), max_length=32, choices=Event.choices)
    email = models.BooleanField(_("by e-mail"), default=True)

    class Meta:
        ordering = ["user", "event"]
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [models.UniqueConstraint(fields=["user", "event"], name="notification_preference_once")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_event_display()}"
