"""The steps of an appeal: submission (with routing and its deadlines), then each verb of the table in
`workflow.py`. Every verb is one transaction: it locks the appeal's row, asks the table whether the
user takes the step and the state allows it, writes the state the table leads to, the step's event
(`AppealEvent`) and the history with its author, and queues its notices for after the commit."""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zoneos.accounts.scoping import memberships
from zoneos.audit.context import acting
from zoneos.core.errors import Conflict
from zoneos.core.roles import Role
from zoneos.core.workflow import Step, Workflow
from zoneos.workdays.calendar import due_in_working_days, due_in_working_hours, shift_by_working_time

from ..models import (
    Appeal,
    AppealEvent,
    Category,
    Channel,
    EventKind,
    Rating,
    RoutingRule,
    Status,
    Symposium,
    Visit,
)
from .deadlines import CONFIRM_DAYS, _rearm, sla_rule
from .notices import assignees, enterprise_users, tell
from .parties import RECORDING_ROLES

MAX_EXTENSION_DAYS = 30
CLOCK_SKEW = datetime.timedelta(minutes=10)
EARLIEST = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)


def _table() -> Workflow:
    # The table names this module's verbs as its steps' `run`: it imports them, so it is read here
    # when a step runs rather than imported when this module loads.
    from .workflow import APPEAL_WORKFLOW

    return APPEAL_WORKFLOW


def _locked(appeal: Appeal) -> Appeal:
    return (
        Appeal.objects.select_for_update(of=("self",))
        .select_related("area", "enterprise", "department", "handler", "submitter")
        .get(pk=appeal.pk)
    )


def _begin(appeal: Appeal, name: str, by) -> tuple[Appeal, Step]:
    """The appeal locked, and the step the table lets `by` take on it now (else 403 or 409); the lock
    holds the answer until the step is written."""
    appeal = _locked(appeal)
    return appeal, _table().check(appeal, name, by)


def _event(appeal, kind, *, by, before="", note="", data=None, at=None) -> AppealEvent:
    return AppealEvent.objects.create(
        appeal=appeal,
        kind=kind,
        from_status=before,
        to_status=appeal.status if before else "",
        note=note,
        data=data or {},
        by=by,
        at=at or timezone.now(),
    )


def _save(appeal: Appeal, by) -> None:
    with acting(by):
        appeal.save()


def _move(appeal: Appeal, step: Step, *, by, before: str = "", note: str = "", data=None, now=None) -> Appeal:
    """Take the step: the state the table leads to, saved with its author, and the step's event.
    `before` is given when the caller set the new state already (to recompute the alarm for it)."""
    now = now or timezone.now()
    before = before or appeal.status
    appeal.status = step.target
    _save(appeal, by)
    _event(appeal, step.event_kind, by=by, before=before, note=note, data=data, at=now)
    return appeal


def required_text(text: str | None, field: str, message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({field: [message]})
    return text


def route(area, category: str) -> RoutingRule | None:
    ids = [*area.ancestor_ids(), area.pk]
    rules = {
        (r.area_id, r.category): r
        for r in RoutingRule.objects.filter(area_id__in=ids).select_related("department")
    }
    for area_id in reversed(ids):
        for cat in (category, ""):
            if (area_id, cat) in rules:
                return rules[(area_id, cat)]
    return None


@transaction.atomic
def submit(
    *,
    by,
    enterprise,
    category: str,
    title: str,
    description: str,
    channel: str = Channel.ONLINE,
    received_at: datetime.datetime | None = None,
    contact_name: str = "",
    contact_phone: str = "",
    symposium: Symposium | None = None,
    visit: Visit | None = None,
    latitude=None,
    longitude=None,
    address: str = "",
) -> Appeal:
    """Record an appeal of `enterprise`, route it by the rules and compute its deadlines.

    An enterprise's own users submit online, received now; zone staff record appeals received
    earlier by hotline, visit or symposium and give `received_at`."""
    now = timezone.now()
    own = any(m.role == Role.ENTERPRISE and m.enterprise_id == enterprise.pk for m in memberships(by))
    staff = by.is_superuser or any(
        m.role in RECORDING_ROLES and m.area_id and enterprise.area.path.startswith(m.area.path)
        for m in memberships(by)
    )
    if not (own or staff):
        raise PermissionDenied(_("You may not submit appeals for this enterprise."))
    errors: dict = {}
    if category not in Category.values:
        errors["category"] = [_("Choose a category.")]
    if not (title or "").strip():
        errors["title"] = [_("Give the appeal a title.")]
    if not (description or "").strip():
        errors["description"] = [_("Describe what the enterprise needs.")]
    latitude, longitude = _location(latitude, longitude, errors)
    if len(address or "") > Appeal._meta.get_field("address").max_length:
        errors["address"] = [
            _("At most %(n)d characters.") % {"n": Appeal._meta.get_field("address").max_length}
        ]
    if symposium is not None:
        channel = Channel.SYMPOSIUM
        if not enterprise.area.path.startswith(symposium.area.path):
            errors["symposium"] = [_("The symposium was held for another area.")]
    if visit is not None:
        channel = Channel.VISIT
        if visit.enterprise_id != enterprise.pk:
            errors["visit"] = [_("The visit was to another enterprise.")]
    if own and not staff:
        if channel != Channel.ONLINE:
            errors["channel"] = [_("An enterprise submits its appeals online; staff record the others.")]
        if received_at is not None and abs(received_at - now) > CLOCK_SKEW:
            errors["received_at"] = [_("An appeal submitted online is received when it is submitted.")]
        received_at = now
    received_at = received_at or now
    if received_at > now + CLOCK_SKEW:
        errors["received_at"] = [_("An appeal cannot be received in the future.")]
    elif received_at < EARLIEST:
        errors["received_at"] = [_("Give a time after 1 January 2000.")]
    if errors:
        raise ValidationError(errors)
    rule = sla_rule(enterprise.area, category, timezone.localdate(received_at))
    sign_for = due_in_working_hours(received_at, rule.sign_for_hours)
    reply = due_in_working_days(received_at, rule.reply_days)
    appeal = Appeal(
        enterprise=enterprise,
        area=enterprise.area,
        submitter=by,
        contact_name=contact_name.strip(),
        contact_phone=contact_phone.strip(),
        latitude=latitude,
        longitude=longitude,
        address=(address or "").strip(),
        channel=channel,
        category=category,
        title=title.strip(),
        description=description.strip(),
        received_at=received_at,
        symposium=symposium,
        visit=visit,
        sign_for_hours=rule.sign_for_hours,
        reply_days=rule.reply_days,
        sign_for_due=sign_for.due,
        reply_due=reply.due,
        deadline_provisional=sign_for.provisional or reply.provisional,
    )
    routed = route(enterprise.area, category)
    assigning = _table()["assign"]
    if routed is not None:
        appeal.status = assigning.target
        appeal.department = routed.department
        appeal.assigned_at = now
    _rearm(appeal, now)
    _save(appeal, by)
    _event(appeal, EventKind.SUBMITTED, by=by, note=appeal.description, at=received_at)
    if routed is not None:
        _event(
            appeal,
            assigning.event_kind,
            by=None,
            before=Status.SUBMITTED,
            data={"department": routed.department.label, "rule": routed.pk},
            at=now,
        )
        tell("assigned", appeal, assignees(appeal), _("A new appeal is assigned to your department."))
    return appeal


LOCATION_LIMITS = {"latitude": Decimal(90), "longitude": Decimal(180)}


def _location(latitude, longitude, errors: dict) -> tuple[Decimal | None, Decimal | None]:
    """An appeal's point (degrees, WGS-84): both or neither, each a number within its range, kept to
    six decimals (about 0.1 m). Faults go into `errors` under the coordinate's name."""
    given = {"latitude": latitude, "longitude": longitude}
    blank = {name for name, value in given.items() if value in (None, "")}
    if len(blank) == 1:
        (missing,) = blank
        errors[missing] = [_("Give both latitude and longitude, or neither.")]
        return None, None
    if blank:
        return None, None
    values = {}
    for name, value in given.items():
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            errors[name] = [_("Give a number of degrees.")]
        elif abs(number) > LOCATION_LIMITS[name]:
            errors[name] = [_("Must be between -%(n)s and %(n)s degrees.") % {"n": LOCATION_LIMITS[name]}]
        else:
            values[name] = number.quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)
    return values.get("latitude"), values.get("longitude")


def _extend_deadlines(appeal: Appeal, *, now) -> None:
    """The sign-for clock starts when a department gets the appeal, if that is after receipt."""
    start = max(now, appeal.received_at)
    sign_for = due_in_working_hours(start, appeal.sign_for_hours)
    appeal.sign_for_due = (
        max(appeal.sign_for_due, sign_for.due) if start == appeal.received_at else sign_for.due
    )
    appeal.deadline_provisional = appeal.deadline_provisional or sign_for.provisional


@transaction.atomic
def assign(appeal: Appeal, *, by, department, handler=None, note: str = "") -> Appeal:
    appeal, step = _begin(appeal, "assign", by)
    errors = {}
    if department is None:
        errors["department"] = [_("Choose the department that handles the appeal.")]
    elif not appeal.area.path.startswith(department.area.path) and not department.area.path.startswith(
        appeal.area.path
    ):
        errors["department"] = [_("The department does not serve the appeal's area.")]
    if handler is not None and department is not None:
        handles = any(
            m.role == Role.HANDLER and m.department_id == department.pk for m in memberships(handler)
        )
        if not handles:
            errors["handler"] = [_("The handler does not work in that department.")]
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    before = appeal.status
    appeal.department = department
    appeal.handler = handler
    appeal.assigned_at = now
    appeal.signed_at = None
    appeal.status = step.target
    _extend_deadlines(appeal, now=now)
    _rearm(appeal, now, new_clock=True)
    data = {"department": department.label, "handler": handler.username if handler else None}
    _move(appeal, step, by=by, before=before, note=note, data=data, now=now)
    tell("assigned", appeal, assignees(appeal), _("An appeal is assigned to your department."))
    return appeal


@transaction.atomic
def sign_for(appeal: Appeal, *, by) -> Appeal:
    """签收: the department takes the appeal on. Two handlers at once: the row lock makes the second
    one wait and then find the appeal signed for already (409)."""
    appeal, step = _begin(appeal, "sign_for", by)
    now = timezone.now()
    appeal.signed_at = now
    if appeal.handler_id is None:
        appeal.handler = by
    late = appeal.sign_for_due < now
    before, appeal.status = appeal.status, step.target
    _rearm(appeal, now, new_clock=True)
    return _move(appeal, step, by=by, before=before, data={"late": late}, now=now)


@transaction.atomic
def return_appeal(appeal: Appeal, *, by, reason: str) -> Appeal:
    """退单: not this department's business; back to routing with the reason."""
    appeal, step = _begin(appeal, "return", by)
    reason = required_text(reason, "reason", _("Say why the appeal is not your department's."))
    now = timezone.now()
    data = {"department": appeal.department.label if appeal.department else None}
    appeal.department = None
    appeal.handler = None
    appeal.signed_at = None
    before, appeal.status = appeal.status, step.target
    _rearm(appeal, now)
    return _move(appeal, step, by=by, before=before, note=reason, data=data, now=now)


@transaction.atomic
def start(appeal: Appeal, *, by) -> Appeal:
    appeal, step = _begin(appeal, "start", by)
    return _move(appeal, step, by=by)


@transaction.atomic
def request_extension(appeal: Appeal, *, by, days: int, reason: str) -> Appeal:
    """延期: asked before the reply deadline; a head of the department or the zone approves it."""
    appeal, step = _begin(appeal, "request_extension", by)
    errors = {}
    if days is None or not 1 <= days <= MAX_EXTENSION_DAYS:
        errors["days"] = [_("Ask for 1 to %(max)s working days.") % {"max": MAX_EXTENSION_DAYS}]
    if not (reason or "").strip():
        errors["reason"] = [_("Say why more time is needed.")]
    if errors:
        raise ValidationError(errors)
    if appeal.reply_due < timezone.now():
        raise Conflict(_("The reply deadline has passed; an extension is asked for before it."))
    appeal.extension_days = days
    appeal.extension_reason = reason.strip()
    return _move(appeal, step, by=by, note=appeal.extension_reason, data={"days": days})


@transaction.atomic
def decide_extension(appeal: Appeal, *, by, approve: bool, note: str = "") -> Appeal:
    appeal, step = _begin(appeal, "approve_extension" if approve else "reject_extension", by)
    now = timezone.now()
    data = {"days": appeal.extension_days}
    if approve:
        extended = due_in_working_days(appeal.reply_due, appeal.extension_days)
        data["reply_due"] = [appeal.reply_due.isoformat(), extended.due.isoformat()]
        appeal.reply_due = extended.due
        appeal.deadline_provisional = appeal.deadline_provisional or extended.provisional
    before, appeal.status = appeal.status, step.target
    _rearm(appeal, now, new_clock=approve)
    return _move(appeal, step, by=by, before=before, note=(note or "").strip(), data=data, now=now)


@transaction.atomic
def pause(appeal: Appeal, *, by, reason: str) -> Appeal:
    """Waiting on the enterprise (materials, a decision): the clocks stop until `resume`."""
    appeal, step = _begin(appeal, "pause", by)
    reason = required_text(reason, "reason", _("Say what the enterprise is to provide."))
    now = timezone.now()
    appeal.paused_at = now
    appeal.alarm_at = None
    _save(appeal, by)
    _event(appeal, step.event_kind, by=by, note=reason, at=now)
    tell("paused", appeal, enterprise_users(appeal), reason)
    return appeal


@transaction.atomic
def resume(appeal: Appeal, *, by, note: str = "") -> Appeal:
    appeal, step = _begin(appeal, "resume", by)
    now = timezone.now()
    paused_from = appeal.paused_at
    reply = shift_by_working_time(appeal.reply_due, paused_from, now)
    sign_for = shift_by_working_time(appeal.sign_for_due, paused_from, now)
    data = {"reply_due": [appeal.reply_due.isoformat(), reply.due.isoformat()]}
    appeal.reply_due, appeal.sign_for_due = reply.due, sign_for.due
    appeal.deadline_provisional = appeal.deadline_provisional or reply.provisional or sign_for.provisional
    appeal.paused_at = None
    _rearm(appeal, now)
    _save(appeal, by)
    _event(appeal, step.event_kind, by=by, note=(note or "").strip(), data=data, at=now)
    return appeal


@transaction.atomic
def reply(appeal: Appeal, *, by, reply: str) -> Appeal:
    appeal, step = _begin(appeal, "reply", by)
    text = required_text(reply, "reply", _("Write the reply to the enterprise."))
    now = timezone.now()
    if appeal.paused_at is not None:
        resumed = shift_by_working_time(appeal.reply_due, appeal.paused_at, now)
        appeal.reply_due = resumed.due
        appeal.paused_at = None
    appeal.reply = text
    appeal.replied_at = now
    appeal.replied_on_time = now <= appeal.reply_due
    appeal.alarm_at = None
    _move(appeal, step, by=by, note=text, data={"on_time": appeal.replied_on_time}, now=now)
    tell("replied", appeal, enterprise_users(appeal), text)
    return appeal


@transaction.atomic
def evaluate(appeal: Appeal, *, by, rating: str, comment: str = "") -> Appeal:
    """The enterprise confirms the reply and rates it (or staff record its rating from a 回访 call)."""
    appeal, step = _begin(appeal, "evaluate", by)
    if rating not in Rating.values:
        raise ValidationError({"rating": [_("Choose satisfied, basically satisfied or dissatisfied.")]})
    comment = (comment or "").strip()
    if rating == Rating.DISSATISFIED and not comment:
        raise ValidationError({"comment": [_("Say what is still wrong.")]})
    appeal.rating = rating
    appeal.rating_comment = comment
    appeal.evaluated_at = timezone.now()
    return _move(appeal, step, by=by, note=comment, data={"rating": rating})


@transaction.atomic
def close(appeal: Appeal, *, by, note: str = "") -> Appeal:
    """办结: after the enterprise's rating; without one only once its time to confirm has passed; a
    dissatisfied rating is closed only with the zone's reason (otherwise the enterprise reopens)."""
    appeal, step = _begin(appeal, "close", by)
    now = timezone.now()
    note = (note or "").strip()
    if appeal.status == Status.REPLIED:
        window = due_in_working_days(appeal.replied_at, CONFIRM_DAYS).due
        if now <= window:
            raise Conflict(
                _("The enterprise has until %(until)s to confirm and rate the reply.")
                % {"until": timezone.localtime(window).strftime("%Y-%m-%d %H:%M")}
            )
    if appeal.rating == Rating.DISSATISFIED and not note:
        raise ValidationError({"note": [_("Say why an appeal rated dissatisfied is closed.")]})
    appeal.closed_at = now
    return _move(appeal, step, by=by, note=note, now=now)


@transaction.atomic
def reopen(appeal: Appeal, *, by, reason: str) -> Appeal:
    """重办: the enterprise is not satisfied; the appeal goes back to routing with a new reply clock."""
    appeal, step = _begin(appeal, "reopen", by)
    reason = required_text(reason, "reason", _("Say what the reply did not settle."))
    now = timezone.now()
    reply = due_in_working_days(now, appeal.reply_days)
    appeal.reply_due = reply.due
    appeal.sign_for_due = due_in_working_hours(now, appeal.sign_for_hours).due
    appeal.deadline_provisional = appeal.deadline_provisional or reply.provisional
    appeal.reopen_count += 1
    appeal.replied_at = None
    appeal.replied_on_time = None
    appeal.rating = ""
    appeal.rating_comment = ""
    appeal.evaluated_at = None
    before, appeal.status = appeal.status, step.target
    _rearm(appeal, now, new_clock=True)
    return _move(appeal, step, by=by, before=before, note=reason, now=now)


@transaction.atomic
def urge(appeal: Appeal, *, by, note: str = "") -> Appeal:
    """催办: a flag and a reminder to whoever holds the appeal."""
    appeal, step = _begin(appeal, "urge", by)
    appeal.urged = True
    appeal.urge_count += 1
    _save(appeal, by)
    _event(appeal, step.event_kind, by=by, note=(note or "").strip(), data={"count": appeal.urge_count})
    tell(
        "overdue",
        appeal,
        assignees(appeal),
        _("The appeal has been urged: %(n)s time(s).") % {"n": appeal.urge_count},
    )
    return appeal
