"""Every change to notifications and their channels.

`notify()` is what other apps call: it records one notification per delivery target and queues their
delivery once the surrounding transaction has committed, so a change that is rolled back sends nothing.
Delivery (`deliver_now`, run by the `deliver` task and by `manage.py deliver_notifications`) claims a
row with a conditional UPDATE on its attempt count, sends it outside any transaction, and records the
outcome: sent, another attempt after a backoff, or failed for good. A failure never reaches the request
that caused the notification: it runs after commit, in the worker.

Channels are kept by the admins of their area (or above it); each write is atomic and in the history.
"""

from __future__ import annotations

import datetime
import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zoneos.accounts.scoping import may_place, require
from zoneos.areas.models import Area
from zoneos.audit.context import acting
from zoneos.core.errors import Conflict
from zoneos.core.roles import CHANGE

from . import inbox, senders
from .models import (
    BACKOFF,
    MAX_ATTEMPTS,
    SIGNED_KINDS,
    Channel,
    ChannelKind,
    DeliveryStatus,
    Event,
    InboxItem,
    Notification,
)

log = logging.getLogger(__name__)

CHANNEL_FIELDS = ("area", "name", "kind", "address", "secret", "events", "active")
# A task queued to run at a retry's time may start a moment early by another machine's clock.
CLOCK_SKEW = datetime.timedelta(seconds=10)
SWEEP_BATCH = 200
# Notifications sent by one delivery task, one after the other.
DELIVERY_BATCH = 50


# Notifying -----------------------------------------------------------------------------------------
def _one_line(value: str, limit: int) -> str:
    # A subject becomes an e-mail header and a robot's title: one line.
    return " ".join(str(value).split())[:limit]


def absolute(url: str) -> str:
    """A link that a mail reader or a chat group can follow: a path on this site ("/appeals/7/") is
    prefixed with settings.ZONEOS_SITE_URL ("https://zoneos.example.cn") when that is set."""
    base = (getattr(settings, "ZONEOS_SITE_URL", "") or "").rstrip("/")
    if base and url.startswith("/") and not url.startswith("//"):
        return base + url
    return url


def _addresses(users: Iterable, emails: Iterable[str]) -> list[tuple[str, object]]:
    """(address, user or None) of each distinct e-mail address, users' first; users without an e-mail
    (or deactivated) and malformed addresses are left out."""
    found: dict[str, tuple[str, object]] = {}
    candidates = [(getattr(u, "email", "") or "", u) for u in users if getattr(u, "is_active", True)]
    candidates += [(e or "", None) for e in emails]
    for raw, user in candidates:
        address = raw.strip()
        if not address:
            continue
        try:
            validate_email(address)
        except ValidationError:
            log.warning("Not notifying the malformed e-mail address %r", address)
            continue
        found.setdefault(address.lower(), (address, user))
    return list(found.values())


def channels_for(event: str, area: Area) -> list[Channel]:
    """The active channels of `area` and of every area above it that subscribe to `event`."""
    candidates = Channel.objects.filter(active=True, area_id__in=[*area.ancestor_ids(), area.pk])
    # Subscriptions are filtered here: SQLite cannot search a JSON list.
    return [c for c in candidates.select_related("area") if event in (c.events or [])]


@dataclass(frozen=True)
class Notice:
    """One piece of news for `notify_many`: what `notify` takes, as a value."""

    event: str
    area: Area
    subject: str
    text: str
    url: str = ""
    users: tuple = ()
    emails: tuple[str, ...] = ()


def notify(
    event: str,
    *,
    area: Area,
    subject: str,
    text: str,
    url: str = "",
    users: Iterable = (),
    emails: Iterable[str] = (),
) -> list[Notification]:
    """Notify of `event` in `area`: by e-mail to `users` (those with an e-mail address) and `emails`,
    and through every active channel of `area` or an area above it that subscribes to `event`.

    Records one notification per target and queues their delivery for after the surrounding
    transaction commits; each of `users` also finds it in their inbox, and those who turned e-mail off
    for `event` get no e-mail. A link that is a path on this site is made absolute (`absolute`). Raises
    ValueError for an unknown event or a link longer than 500 characters.
    """
    return notify_many([Notice(event, area, subject, text, url, tuple(users), tuple(emails))])


def notify_many(notices: Iterable[Notice]) -> list[Notification]:
    """`notify` for many pieces of news at once (the deadline sweep's digests): each area's channels
    are looked up once per event, the rows are written in one INSERT, and their deliveries are queued
    as tasks of up to `DELIVERY_BATCH` notifications each."""
    now = timezone.now()
    subject_length = Notification._meta.get_field("subject").max_length
    url_length = Notification._meta.get_field("url").max_length
    channels: dict[tuple[str, int], list[Channel]] = {}
    rows: list[Notification] = []
    notices = list(notices)
    no_email = inbox.email_refusals(notices)
    items: list[InboxItem] = []
    for notice in notices:
        event = Event(notice.event).value
        url = absolute(notice.url or "")
        if len(url) > url_length:
            raise ValueError("the link is longer than 500 characters")
        common = {
            "area": notice.area,
            "event": event,
            "subject": _one_line(notice.subject, subject_length),
            "text": notice.text,
            "url": url,
            "status": DeliveryStatus.PENDING,
            "next_attempt_at": now,
        }
        wanting_email = [u for u in notice.users if (getattr(u, "pk", None), event) not in no_email]
        rows += [
            Notification(kind=ChannelKind.EMAIL, recipient=address, user=user, **common)
            for address, user in _addresses(wanting_email, notice.emails)
        ]
        items += inbox.items_for(notice, event, subject=common["subject"], url=notice.url or "")
        key = (event, notice.area.pk)
        if key not in channels:
            channels[key] = channels_for(event, notice.area)
        rows += [Notification(kind=channel.kind, channel=channel, **common) for channel in channels[key]]
    with transaction.atomic():
        made = Notification.objects.bulk_create(rows, batch_size=1000)
        InboxItem.objects.bulk_create(items, batch_size=1000)
        _queue([n.pk for n in made])
    return made


def _queue(ids: list[int]) -> None:
    """Queue the delivery of `ids` once the transaction commits, `DELIVERY_BATCH` to a task. Queueing
    that fails is logged, not raised: the rows stay pending and due, and the sweep sends them."""
    if not ids:
        return

    def enqueue() -> None:
        from . import tasks

        for start in range(0, len(ids), DELIVERY_BATCH):
            chunk = ids[start : start + DELIVERY_BATCH]
            try:
                tasks.deliver.enqueue(*chunk)
            except Exception:
                log.exception("Could not queue notifications %s; the sweep will send them", chunk)

    transaction.on_commit(enqueue, robust=True)


def _queue_retry(pk: int, when: datetime.datetime) -> None:
    """Queue the next attempt for `when` where the task backend can defer a task; elsewhere the sweep
    (`manage.py deliver_notifications`) sends it when it is due."""
    from . import tasks

    try:
        if tasks.deliver.get_backend().supports_defer:
            tasks.deliver.using(run_after=when).enqueue(pk)
    except Exception:
        log.exception("Could not queue the next attempt of notification %s; the sweep will send it", pk)


# Delivering ----------------------------------------------------------------------------------------
def claim(notification: Notification, now: datetime.datetime) -> bool:
    """Take the next attempt of a pending notification. The UPDATE only matches while nobody else has
    taken this attempt, so of two workers exactly one wins. The claim moves the row's due time on by
    the usual wait, so an attempt interrupted by a dying worker is made again later."""
    attempts = notification.attempts
    lease = now + BACKOFF[min(attempts, len(BACKOFF) - 1)]
    won = Notification.objects.filter(
        pk=notification.pk, status=DeliveryStatus.PENDING, attempts=attempts
    ).update(attempts=attempts + 1, next_attempt_at=lease)
    if won:
        notification.attempts, notification.next_attempt_at = attempts + 1, lease
    return bool(won)


def _send(notification: Notification) -> None:
    message = senders.Message(
        event=notification.event,
        subject=notification.subject,
        text=notification.text,
        url=notification.url,
        area=notification.area_id,
    )
    channel = notification.channel
    if channel is None:
        if notification.recipient:
            senders.send_email([notification.recipient], message)
            return
        raise senders.DeliveryError("the channel was removed", final=True)
    if not channel.active:
        raise senders.DeliveryError("the channel is switched off", final=True)
    if channel.kind == ChannelKind.EMAIL:
        senders.send_email(channel.email_addresses, message)
    else:
        senders.send_webhook(channel.kind, channel.address, channel.secret, message, int(time.time() * 1000))


def _record(notification: Notification, **values) -> Notification:
    # Only the worker holding this attempt writes its outcome.
    Notification.objects.filter(
        pk=notification.pk, status=DeliveryStatus.PENDING, attempts=notification.attempts
    ).update(**values)
    for name, value in values.items():
        setattr(notification, name, value)
    return notification


def _failed(notification: Notification, error: str, *, final: bool) -> Notification:
    now = timezone.now()
    error = error[:2000]
    if final or notification.attempts >= MAX_ATTEMPTS:
        return _record(notification, status=DeliveryStatus.FAILED, next_attempt_at=None, last_error=error)
    when = now + BACKOFF[notification.attempts - 1]
    _record(notification, next_attempt_at=when, last_error=error)
    _queue_retry(notification.pk, when)
    return notification


def deliver_now(notification_id: int) -> Notification | None:
    """Make the next attempt at a pending notification that is due (the task worker's and the sweep's
    job). Returns the notification as left, or None when it is gone or another worker took it."""
    notification = Notification.objects.select_related("channel").filter(pk=notification_id).first()
    if notification is None or notification.status != DeliveryStatus.PENDING:
        return notification
    now = timezone.now()
    if notification.next_attempt_at and notification.next_attempt_at > now + CLOCK_SKEW:
        return notification  # not due: the task queued for its next attempt (or the sweep) sends it
    if notification.attempts >= MAX_ATTEMPTS:
        # The worker making the last attempt died before recording it.
        done = Notification.objects.filter(
            pk=notification.pk, status=DeliveryStatus.PENDING, attempts=notification.attempts
        ).update(status=DeliveryStatus.FAILED, next_attempt_at=None)
        if not done:
            return None
        notification.status, notification.next_attempt_at = DeliveryStatus.FAILED, None
        return notification
    if not claim(notification, now):
        return None
    try:
        _send(notification)
    except senders.DeliveryError as exc:
        log.warning("Notification %s, attempt %s: %s", notification.pk, notification.attempts, exc)
        return _failed(notification, str(exc), final=exc.final)
    except Exception as exc:  # a bug or an unforeseen library error: recorded, retried, never raised
        log.exception("Notification %s, attempt %s failed", notification.pk, notification.attempts)
        return _failed(notification, f"{type(exc).__name__}: {exc}", final=False)
    return _record(
        notification,
        status=DeliveryStatus.SENT,
        sent_at=timezone.now(),
        next_attempt_at=None,
        last_error="",
    )


def due(now: datetime.datetime | None = None):
    now = now or timezone.now()
    return Notification.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)


def deliver_due(now: datetime.datetime | None = None) -> list[Notification]:
    """Make an attempt at every pending notification that is due (the sweep). Safe to run on several
    machines at once and beside the task worker: each attempt is claimed by one of them only."""
    handled: list[Notification] = []
    seen: set[int] = set()
    while True:
        batch = [
            pk
            for pk in due(now).order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:SWEEP_BATCH]
            if pk not in seen
        ]
        if not batch:
            return handled
        for pk in batch:
            seen.add(pk)
            result = deliver_now(pk)
            if result is not None:
                handled.append(result)


@transaction.atomic
def retry_notification(notification: Notification, *, by) -> Notification:
    """Send a failed notification again, with a fresh round of attempts (after an admin has corrected
    its channel, say). Anything but a failed one answers 409."""
    require(notification, by, CHANGE)
    notification = Notification.objects.select_for_update().get(pk=notification.pk)
    if notification.status != DeliveryStatus.FAILED:
        raise Conflict(_("Only a failed notification can be sent again."))
    notification.status = DeliveryStatus.PENDING
    notification.attempts = 0
    notification.next_attempt_at = timezone.now()
    notification.save(update_fields=["status", "attempts", "next_attempt_at"])
    _queue([notification.pk])
    return notification


# Channels ------------------------------------------------------------------------------------------
def clean_events(value) -> list[str]:
    """A list of event names, in the order of `Event`; a 400 naming `events` otherwise."""
    if not isinstance(value, list | tuple) or not value or any(v not in Event.values for v in value):
        raise ValidationError(
            {"events": [_("Choose one or more of: %(events)s.") % {"events": ", ".join(Event.values)}]}
        )
    return [e for e in Event.values if e in value]


def clean_address(kind: str, value) -> str:
    """E-mail addresses (separated by commas or semicolons) for an e-mail channel, an http(s) URL for
    the others; a 400 naming `address` otherwise."""
    value = value.strip() if isinstance(value, str) else ""
    if kind == ChannelKind.EMAIL:
        addresses = [a.strip() for a in value.replace(";", ",").split(",") if a.strip()]
        if not addresses:
            raise ValidationError({"address": [_("Enter one or more e-mail addresses separated by commas.")]})
        for address in addresses:
            try:
                validate_email(address)
            except ValidationError:
                raise ValidationError(
                    {"address": [_("“%(value)s” is not an e-mail address.") % {"value": address}]}
                ) from None
        return ", ".join(addresses)
    try:
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError:
        raise ValidationError(
            {"address": [_("Enter the webhook's URL, starting with https:// or http://.")]}
        ) from None
    return value


def _validate_channel(channel: Channel, by) -> None:
    errors: dict = {}
    if channel.area_id is None:
        errors["area"] = [_("Choose an area.")]
    elif not may_place(Channel, channel.area, by):
        errors["area"] = [_("You may not keep notification channels in %(area)s.") % {"area": channel.area}]
    channel.name = (channel.name or "").strip()
    if not channel.name:
        errors["name"] = [_("Give the channel a name.")]
    elif len(channel.name) > Channel._meta.get_field("name").max_length:
        errors["name"] = [_("Keep the name within 100 characters.")]
    if channel.kind not in ChannelKind.values:
        errors["kind"] = [_("Choose e-mail, WeCom, DingTalk, Feishu or webhook.")]
    else:
        try:
            channel.address = clean_address(channel.kind, channel.address)
            if len(channel.address) > Channel._meta.get_field("address").max_length:
                errors["address"] = [_("Keep the address within 1000 characters.")]
        except ValidationError as exc:
            errors.update(exc.message_dict)
        if channel.secret and channel.kind not in SIGNED_KINDS:
            errors["secret"] = [_("Only DingTalk and Feishu robots take a signing secret.")]
    if len(channel.secret or "") > Channel._meta.get_field("secret").max_length:
        errors["secret"] = [_("Keep the secret within 200 characters.")]
    try:
        channel.events = clean_events(channel.events)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_channel(
    *,
    by,
    area: Area,
    name: str,
    kind: str,
    address: str,
    secret: str = "",
    events=None,
    active: bool = True,
) -> Channel:
    """A channel of `area`; `events` defaults to every event."""
    channel = Channel(
        area=area,
        name=name,
        kind=kind,
        address=address,
        secret=(secret or "").strip(),
        events=list(Event.values) if events is None else events,
        active=active,
    )
    _validate_channel(channel, by)
    if channel.secret:
        channel.secret_changed_at = timezone.now()
    with acting(by):
        channel.save()
    return channel


@transaction.atomic
def update_channel(channel: Channel, *, by, **changes) -> Channel:
    """Change a channel. A secret left out stays as it is; an empty one removes it. Switching to a kind
    that does not sign drops the secret."""
    require(channel, by, CHANGE)
    channel = Channel.objects.select_for_update().select_related("area").get(pk=channel.pk)
    refused = set(changes) - set(CHANNEL_FIELDS)
    if refused:
        raise ValidationError({f: [_("This field cannot be set here.")] for f in sorted(refused)})
    old_secret = channel.secret
    if "secret" in changes:
        changes["secret"] = (changes["secret"] or "").strip()
    for name, value in changes.items():
        setattr(channel, name, value)
    if "secret" not in changes and channel.kind not in SIGNED_KINDS:
        channel.secret = ""
    _validate_channel(channel, by)
    if channel.secret != old_secret:
        channel.secret_changed_at = timezone.now()
    with acting(by):
        channel.save()
    return channel


@transaction.atomic
def delete_channel(channel: Channel, *, by) -> None:
    """Remove a channel. Its notifications stay as a record; any still pending fail."""
    require(channel, by, CHANGE)
    with acting(by):
        channel.delete()
