"""Enterprise appeals (企业诉求): what an enterprise asks of the zone, routed to a department that signs
for it within working hours and replies within working days, then confirmed and rated by the enterprise.

An appeal's steps follow one table (`services.APPEAL_WORKFLOW`); each writes an `AppealEvent`. Its two
deadlines (`sign_for_due`, `reply_due`) come from the versioned `SlaPolicy` of its area and are stored,
so lists, the sweep and the Open311 face read them without arithmetic. `alarm_at` is the next moment the
sweep has something to do for the appeal (a warning, an overdue mark, an escalation): the sweep reads
one index instead of every open appeal.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zoneos.areas.models import AreaBoundQuerySet


class Category(models.TextChoices):
    CONSULTATION = "consultation", _("Consultation")
    HELP = "help", _("Help")
    COMPLAINT = "complaint", _("Complaint")
    SUGGESTION = "suggestion", _("Suggestion")
    POLICY = "policy", _("Policy fulfilment")
    LAND = "land", _("Land and premises")
    FINANCE = "finance", _("Finance")
    TALENT = "talent", _("Talent")
    APPROVAL = "approval", _("Approvals")
    UTILITIES = "utilities", _("Utilities")
    OTHER = "other", pgettext_lazy("appeal category", "Other")


class Channel(models.TextChoices):
    """How the appeal reached the zone."""

    ONLINE = "online", _("Online")
    HOTLINE = "hotline", _("Hotline")
    VISIT = "visit", _("Visit")
    SYMPOSIUM = "symposium", _("Symposium")
    PROJECT_REPORT = "project_report", _("Project report")


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ASSIGNED = "assigned", _("Assigned")
    SIGNED_FOR = "signed_for", _("Signed for")
    RETURNED = "returned", _("Returned")
    IN_PROGRESS = "in_progress", _("In progress")
    EXTENSION_REQUESTED = "extension_requested", _("Extension requested")
    REPLIED = "replied", _("Replied")
    EVALUATED = "evaluated", _("Evaluated")
    CLOSED = "closed", pgettext_lazy("appeal", "Closed")
    REOPENED = "reopened", _("Reopened")


# The states in which the department still owes a reply (the reply clock runs).
OWING = frozenset(
    {
        Status.SUBMITTED,
        Status.ASSIGNED,
        Status.SIGNED_FOR,
        Status.RETURNED,
        Status.IN_PROGRESS,
        Status.EXTENSION_REQUESTED,
        Status.REOPENED,
    }
)
# Answered but not yet settled, and settled.
ANSWERED = frozenset({Status.REPLIED, Status.EVALUATED})
STATUS_COLOR = {
    Status.SUBMITTED: "secondary",
    Status.ASSIGNED: "info",
    Status.SIGNED_FOR: "info",
    Status.RETURNED: "warning",
    Status.IN_PROGRESS: "primary",
    Status.EXTENSION_REQUESTED: "warning",
    Status.REPLIED: "success",
    Status.EVALUATED: "success",
    Status.CLOSED: "dark",
    Status.REOPENED: "danger",
}


class Rating(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASICALLY_SATISFIED = "basically_satisfied", _("Basically satisfied")
    DISSATISFIED = "dissatisfied", _("Dissatisfied")


class Escalation(models.IntegerChoices):
    NONE = 0, _("None")
    HANDLER = 1, _("Handler reminded")
    HEADS = 2, _("Department heads")
    SUPERVISORS = 3, _("Zone supervisors")


# SLA policies ------------------------------------------------------------------------------------
class SlaPolicy(models.Model):
    """The deadlines of an area (and the areas below it) from `valid_from` on; the platform's default
    has no area. An appeal takes the newest policy in force on the day it is received, from the
    nearest area above it that has one."""

    area = models.ForeignKey(
        "areas.Area",
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sla_policies",
    )
    name = models.CharField(_("name"), max_length=200)
    valid_from = models.DateField(_("valid from"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    area_path = "area__path"
    objects = AreaBoundQuerySet.as_manager()

    class Meta:
        ordering = ["area__path", "-valid_from"]
        verbose_name = _("SLA policy")
        verbose_name_plural = _("SLA policies")
        constraints = [
            models.UniqueConstraint(fields=["area", "valid_from"], name="sla_policy_one_per_day"),
            models.UniqueConstraint(
                fields=["valid_from"], condition=Q(area__isnull=True), name="sla_default_one_per_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.valid_from.isoformat()})"


class SlaRule(models.Model):
    policy = models.ForeignKey(SlaPolicy, on_delete=models.CASCADE, related_name="rules")
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    sign_for_hours = models.DecimalField(
        _("sign for within (working hours)"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(0.5)],
    )
    reply_days = models.PositiveSmallIntegerField(
        _("reply within (working days)"), validators=[MinValueValidator(1)]
    )

    class Meta:
        ordering = ["policy", "category"]
        verbose_name = _("SLA rule")
        verbose_name_plural = _("SLA rules")
        constraints = [
            models.UniqueConstraint(fields=["policy", "category"], name="sla_rule_one_per_category"),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.sign_for_hours} h / {self.reply_days} d"


# Routing ------------------------------------------------------------------------------------------
class RoutingRule(models.Model):
    """Appeals of `category` (any category when blank) from `area` and below go to `department`. The
    nearest area with a rule wins; within an area, a rule for the category beats the catch-all."""

    area = models.ForeignKey(
        "areas.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="routing_rules"
    )
    category = models.CharField(
        _("category"), max_length=16, choices=Category.choices, blank=True, help_text=_("Blank: any.")
    )
    department = models.ForeignKey(
        "areas.Department", verbose_name=_("department"), on_delete=models.PROTECT, related_name="+"
    )

    area_path = "area__path"
    objects = AreaBoundQuerySet.as_manager()

    class Meta:
        ordering = ["area__path", "category"]
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        constraints = [
            models.UniqueConstraint(fields=["area", "category"], name="routing_one_rule_per_category"),
        ]

    def __str__(self) -> str:
        return f"{self.area} · {self.get_category_display() or _('any')} → {self.department}"


# Where appeals are raised -----------------------------------------------------------------------
class Symposium(models.Model):
    """政企座谈会: a meeting of the zone with enterprises, and the appeals raised there."""

    area = models.ForeignKey(
        "areas.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="symposia"
    )
    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("held on"))
    attendees = models.TextField(_("attendees"), blank=True, help_text=_("Who came, one per line."))
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    area_path = "area__path"
    objects = AreaBoundQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("symposium")
        verbose_name_plural = _("symposia")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("appeals:symposium", args=[self.pk])


class Visit(models.Model):
    """A chief service officer's visit to an enterprise (走访); it may raise appeals."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="visits",
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("officer"), on_delete=models.PROTECT, related_name="visits"
    )
    visited_on = models.DateField(_("visited on"))
    summary = models.TextField(_("summary"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    area_path = "enterprise__area__path"
    objects = AreaBoundQuerySet.as_manager()

    class Meta:
        ordering = ["-visited_on", "-id"]
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        indexes = [models.Index(fields=["officer", "visited_on"], name="visit_officer_day")]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.visited_on.isoformat()}"


# Appeals ------------------------------------------------------------------------------------------
class Appeal(models.Model):
    # `enterprise`, `area` and `department` lead an index of their own in Meta.indexes, which serves
    # their lookups as well: no single-column index besides (each would cost every sweep's write).
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="appeals",
        db_index=False,
    )
    # The enterprise's area when the appeal was received: scoping and statistics read it directly.
    area = models.ForeignKey(
        "areas.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="appeals", db_index=False
    )
    submitter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="submitted_appeals",
    )
    contact_name = models.CharField(_("contact person"), max_length=100, blank=True)
    # Where the matter is (a road, a site), when the caller gives it: WGS-84 degrees, as Open311
    # GeoReport v2 has them; the zone map converts them to its datum. Both or neither.
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=10, decimal_places=6, null=True, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices, default=Channel.ONLINE)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(pgettext_lazy("appeal", "description"))
    received_at = models.DateTimeField(_("received at"))
    symposium = models.ForeignKey(
        Symposium,
        verbose_name=_("symposium"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appeals",
    )
    visit = models.ForeignKey(
        Visit,
        verbose_name=_("visit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appeals",
    )

    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    department = models.ForeignKey(
        "areas.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appeals",
        db_index=False,
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handler"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="handled_appeals",
    )
    assigned_at = models.DateTimeField(_("assigned at"), null=True, blank=True)
    signed_at = models.DateTimeField(_("signed for at"), null=True, blank=True)

    # Deadlines, from the SLA rule in force when the appeal was received.
    sign_for_hours = models.DecimalField(_("sign for within (working hours)"), max_digits=5, decimal_places=1)
    reply_days = models.PositiveSmallIntegerField(_("reply within (working days)"))
    sign_for_due = models.DateTimeField(_("sign for by"))
    reply_due = models.DateTimeField(_("reply by"))
    deadline_provisional = models.BooleanField(
        _("provisional deadline"),
        default=False,
        help_text=_("A deadline runs into a year without official calendar data: counted on weekdays."),
    )
    extension_days = models.PositiveSmallIntegerField(_("extension requested (working days)"), default=0)
    extension_reason = models.TextField(_("extension reason"), blank=True)
    paused_at = models.DateTimeField(_("waiting on the enterprise since"), null=True, blank=True)

    reply = models.TextField(_("reply"), blank=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    replied_on_time = models.BooleanField(_("replied on time"), null=True, blank=True)
    rating = models.CharField(_("rating"), max_length=20, choices=Rating.choices, blank=True)
    rating_comment = models.TextField(_("rating comment"), blank=True)
    evaluated_at = models.DateTimeField(_("evaluated at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)

    # Flags: `overdue` once the running deadline has passed (set by the sweep, cleared by a new deadline),
    # `urged` by the urge step (催办), `supervised` once escalated to the zone's supervisors (督办).
    overdue = models.BooleanField(_("overdue"), default=False)
    urged = models.BooleanField(_("urged"), default=False)
    urge_count = models.PositiveSmallIntegerField(_("times urged"), default=0)
    supervised = models.BooleanField(_("supervised"), default=False)
    escalation = models.PositiveSmallIntegerField(
        _("escalation"), choices=Escalation.choices, default=Escalation.NONE
    )
    warned = models.BooleanField(_("deadline warning sent"), default=False)
    # The sweep's alarm clock (see the module docstring); not business data.
    alarm_at = models.DateTimeField(null=True, blank=True, editable=False)

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    area_path = "area__path"
    objects = AreaBoundQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        indexes = [
            models.Index(fields=["alarm_at"], name="appeal_alarm", condition=Q(alarm_at__isnull=False)),
            models.Index(fields=["department", "status", "reply_due"], name="appeal_queue"),
            models.Index(fields=["area", "status"], name="appeal_area_status"),
            models.Index(fields=["enterprise", "received_at"], name="appeal_enterprise"),
            # Newest first in an area's subtree (the zone staff's queue, the API list): read backwards
            # until a page is found, instead of sorting every appeal of the zone on each page view.
            models.Index(fields=["received_at", "id"], name="appeal_received"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("appeals:detail", args=[self.pk])

    @property
    def status_color(self) -> str:
        return STATUS_COLOR.get(self.status, "secondary")

    @property
    def is_open(self) -> bool:
        return self.status != Status.CLOSED

    @property
    def owing(self) -> bool:
        return self.status in OWING

    @property
    def solved(self) -> bool:
        """Answered and not reopened: replied, evaluated or closed."""
        return self.status in ANSWERED or self.status == Status.CLOSED


def attachment_path(instance, filename: str) -> str:
    return f"appeals/{instance.appeal_id}/{filename}"


class Attachment(models.Model):
    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=300)
    name = models.CharField(_("name"), max_length=200)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        """The download, through the view that finds the appeal in the caller's scope first."""
        return reverse("appeals:attachment", args=[self.appeal_id, self.pk])


class EventKind(models.TextChoices):
    SUBMITTED = "submit", _("Submitted")
    ASSIGN = "assign", _("Assigned")
    SIGN_FOR = "sign_for", _("Signed for")
    RETURN = "return", _("Returned")
    START = "start", _("Started")
    REQUEST_EXTENSION = "request_extension", _("Extension requested")
    APPROVE_EXTENSION = "approve_extension", _("Extension approved")
    REJECT_EXTENSION = "reject_extension", _("Extension refused")
    PAUSE = "pause", _("Waiting on the enterprise")
    RESUME = "resume", _("Resumed")
    REPLY = "reply", _("Replied")
    EVALUATE = "evaluate", _("Evaluated")
    CLOSE = "close", pgettext_lazy("appeal step", "Closed")
    REOPEN = "reopen", _("Reopened")
    URGE = "urge", _("Urged")
    WARN = "warn", _("Deadline near")
    ESCALATE = "escalate", _("Escalated")


class AppealEvent(models.Model):
    """One step in an appeal's timeline, with its author (none: the platform's sweep)."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("step"), max_length=20, choices=EventKind.choices)
    from_status = models.CharField(_("from"), max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=Status.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("at"))

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("appeal step")
        verbose_name_plural = _("appeal steps")
        indexes = [models.Index(fields=["appeal", "at"], name="appeal_event_at")]

    def __str__(self) -> str:
        return f"{self.appeal}: {self.get_kind_display()}"
