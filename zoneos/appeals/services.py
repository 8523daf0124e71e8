"""Every change to an appeal: submission, routing, the steps of its one state table, flags, the
deadline sweep, symposia and visits. Each operation is one transaction and writes an `AppealEvent`.

Deadlines come from `zoneos.workdays.calendar` (working days and working hours, lenient: a year
without official calendar data is counted on weekdays and the appeal is marked provisional).
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from zoneos.accounts.scoping import memberships
from zoneos.audit import bulk
from zoneos.audit.context import acting
from zoneos.core.bulkinsert import insert
from zoneos.core.errors import Conflict
from zoneos.core.roles import Role
from zoneos.workdays.calendar import due_in_working_days, due_in_working_hours, shift_by_working_time

from .models import (
    OWING,
    Appeal,
    AppealEvent,
    Attachment,
    Category,
    Channel,
    Escalation,
    EventKind,
    Rating,
    RoutingRule,
    SlaPolicy,
    SlaRule,
    Status,
    Symposium,
    Visit,
)

S = Status
# The one table of an appeal's steps: action -> (the states it may start from, the state it leads to).
# Flags (urge, pause, resume) change no state and are listed in FLAG_STATES.
MOVES: dict[str, tuple[frozenset[str], str]] = {
    "assign": (frozenset({S.SUBMITTED, S.RETURNED, S.REOPENED, S.ASSIGNED}), S.ASSIGNED),
    "sign_for": (frozenset({S.ASSIGNED}), S.SIGNED_FOR),
    "return": (frozenset({S.ASSIGNED, S.SIGNED_FOR}), S.RETURNED),
    "start": (frozenset({S.SIGNED_FOR}), S.IN_PROGRESS),
    "request_extension": (frozenset({S.SIGNED_FOR, S.IN_PROGRESS}), S.EXTENSION_REQUESTED),
    "approve_extension": (frozenset({S.EXTENSION_REQUESTED}), S.IN_PROGRESS),
    "reject_extension": (frozenset({S.EXTENSION_REQUESTED}), S.IN_PROGRESS),
    "reply": (frozenset({S.SIGNED_FOR, S.IN_PROGRESS}), S.REPLIED),
    "evaluate": (frozenset({S.REPLIED}), S.EVALUATED),
    "close": (frozenset({S.REPLIED, S.EVALUATED}), S.CLOSED),
    "reopen": (frozenset({S.REPLIED, S.EVALUATED}), S.REOPENED),
}
FLAG_STATES: dict[str, frozenset[str]] = {
    "urge": OWING,
    "pause": frozenset({S.SIGNED_FOR, S.IN_PROGRESS}),
    "resume": frozenset({S.SIGNED_FOR, S.IN_PROGRESS}),
}

# Staff who route, close and speak for the zone (on the appeal's area or above it).
DISPATCH_ROLES = frozenset({Role.ADMIN, Role.SUPERVISOR, Role.SERVICE_OFFICER})
# Staff who may record an appeal received by hotline, visit or symposium.
RECORDING_ROLES = DISPATCH_ROLES | {Role.PARK_STAFF}
SUBMITTING_ROLES = RECORDING_ROLES | {Role.ENTERPRISE}
# An enterprise has this many working days after a reply to confirm and rate it; after that the zone
# may close the appeal without a rating.
CONFIRM_DAYS = 5
# Escalation: the handler when the deadline passes, the department's heads one working day later,
# the zone's supervisors three working days later (DOMAIN.md 5.2: 催办 the day after, then 通报).
ESCALATION_DAYS = {Escalation.HANDLER: 0, Escalation.HEADS: 1, Escalation.SUPERVISORS: 3}
MAX_EXTENSION_DAYS = 30
CLOCK_SKEW = datetime.timedelta(minutes=10)
EARLIEST = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)


# Who may do what -----------------------------------------------------------------------------------
def _area_roles(user, appeal: Appeal, roles) -> bool:
    return any(
        m.role in roles and m.area_id and appeal.area.path.startswith(m.area.path) for m in memberships(user)
    )


def is_dispatcher(user, appeal: Appeal) -> bool:
    return user.is_superuser or _area_roles(user, appeal, DISPATCH_ROLES)


def is_handler(user, appeal: Appeal) -> bool:
    return user.is_superuser or (
        appeal.department_id is not None
        and any(m.role == Role.HANDLER and m.department_id == appeal.department_id for m in memberships(user))
    )


def is_head(user, appeal: Appeal) -> bool:
    return user.is_superuser or (
        appeal.department_id is not None
        and any(
            m.role == Role.HANDLER and m.department_id == appeal.department_id and m.is_head
            for m in memberships(user)
        )
    )


def is_enterprise(user, appeal: Appeal) -> bool:
    return any(
        m.role == Role.ENTERPRISE and m.enterprise_id == appeal.enterprise_id for m in memberships(user)
    )


# The step each party takes; `allowed_actions` answers which of them a user may take now.
WHO: dict[str, tuple] = {
    "assign": (is_dispatcher,),
    "sign_for": (is_handler,),
    "return": (is_handler,),
    "start": (is_handler,),
    "request_extension": (is_handler,),
    "approve_extension": (is_head, is_dispatcher),
    "reject_extension": (is_head, is_dispatcher),
    "pause": (is_handler,),
    "resume": (is_handler, is_dispatcher),
    "reply": (is_handler,),
    "evaluate": (is_enterprise, is_dispatcher),
    "close": (is_dispatcher,),
    "reopen": (is_enterprise, is_dispatcher),
    "urge": (is_enterprise, is_dispatcher),
}


def may(user, appeal: Appeal, action: str) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return any(check(user, appeal) for check in WHO[action])


def step_possible(appeal: Appeal, action: str) -> bool:
    if action in MOVES:
        sources, _to = MOVES[action]
        if appeal.status not in sources:
            return False
    elif appeal.status not in FLAG_STATES[action]:
        return False
    if action == "pause":
        return appeal.paused_at is None
    if action == "resume":
        return appeal.paused_at is not None
    if action == "reopen" and appeal.status == S.EVALUATED:
        return appeal.rating == Rating.DISSATISFIED
    if action in ("sign_for", "start", "reply", "request_extension", "return"):
        return appeal.paused_at is None or action == "reply"
    return True


def allowed_actions(user, appeal: Appeal) -> list[str]:
    """The steps `user` may take on `appeal` now, in the order pages show them."""
    return [a for a in WHO if step_possible(appeal, a) and may(user, appeal, a)]


# Deadlines -------------------------------------------------------------------------------------------
def sla_rule(area, category: str, day: datetime.date) -> SlaRule:
    """The rule for `category` of the newest policy in force on `day`, from the nearest area above
    `area` (itself included) that has one, else the platform's default."""
    ids = [*area.ancestor_ids(), area.pk]
    rules = (
        SlaRule.objects.filter(category=category, policy__valid_from__lte=day)
        .filter(Q(policy__area_id__in=ids) | Q(policy__area__isnull=True))
        .select_related("policy")
        .order_by("-policy__valid_from")
    )
    by_area: dict = {}
    for rule in rules:
        by_area.setdefault(rule.policy.area_id, rule)
    for area_id in [*reversed(ids), None]:
        if area_id in by_area:
            return by_area[area_id]
    raise ValidationError({"category": [_("No deadline policy covers this category; ask an administrator.")]})


def _deadline(appeal: Appeal) -> datetime.datetime | None:
    """The deadline whose clock runs now: signing for while the appeal waits at a department, the
    reply otherwise; none once replied or while waiting on the enterprise."""
    if appeal.status not in OWING or appeal.paused_at is not None:
        return None
    if appeal.status == S.ASSIGNED and appeal.sign_for_due < appeal.reply_due:
        return appeal.sign_for_due
    return appeal.reply_due


@dataclass(frozen=True)
class Alarm:
    at: datetime.datetime
    kind: str  # "warn" or "escalate"
    level: int = 0


def _alarms(appeal: Appeal, due_in=due_in_working_days) -> list[Alarm]:
    """What is still to happen for the running deadline, in time order. `due_in` stands for
    `due_in_working_days` (the sweep passes a memo of it: deadlines fall on a few moments of a day)."""
    deadline = _deadline(appeal)
    if deadline is None:
        return []
    found: list[Alarm] = []
    if not appeal.warned and appeal.escalation == Escalation.NONE and deadline == appeal.reply_due:
        local = timezone.localtime(deadline)
        found.append(Alarm(local.replace(hour=0, minute=0, second=0, microsecond=0), "warn"))
    for level, days in ESCALATION_DAYS.items():
        if level > appeal.escalation:
            at = deadline if days == 0 else due_in(deadline, days).due
            found.append(Alarm(at, "escalate", int(level)))
    return found


def _next_alarm(appeal: Appeal) -> datetime.datetime | None:
    alarms = _alarms(appeal)
    return min(a.at for a in alarms) if alarms else None


def _rearm(appeal: Appeal, now: datetime.datetime, *, new_clock: bool = False) -> None:
    """After a step: a deadline that lies ahead again clears the overdue mark and the escalation."""
    deadline = _deadline(appeal)
    if new_clock or (deadline is not None and deadline > now):
        if deadline is not None and deadline > now:
            appeal.overdue = False
            appeal.escalation = Escalation.NONE
        if new_clock:
            appeal.warned = False
    appeal.alarm_at = _next_alarm(appeal)


# Notifications -----------------------------------------------------------------------------------------
def _users(q: Q):
    from zoneos.accounts.models import User

    return list(User.objects.filter(q, is_active=True).distinct())


def department_handlers(department_id: int, *, heads_only: bool = False) -> list:
    q = Q(memberships__role=Role.HANDLER, memberships__department_id=department_id)
    if heads_only:
        q &= Q(memberships__is_head=True)
    return _users(q)


def zone_supervisors(area) -> list:
    return _users(
        Q(memberships__role=Role.SUPERVISOR, memberships__area_id__in=[*area.ancestor_ids(), area.pk])
    )


def enterprise_users(appeal: Appeal) -> list:
    found = _users(Q(memberships__role=Role.ENTERPRISE, memberships__enterprise_id=appeal.enterprise_id))
    if appeal.submitter_id and all(u.pk != appeal.submitter_id for u in found):
        found.append(appeal.submitter)
    return found


def _notify(event: str, appeal: Appeal, users, text: str) -> None:
    from zoneos.notifications.services import notify

    notify(
        event,
        area=appeal.area,
        subject=f"[{appeal.get_category_display()}] {appeal.title}",
        text=text,
        url=appeal.get_absolute_url(),
        users=users,
    )


def _assignees(appeal: Appeal) -> list:
    if appeal.handler_id:
        return [appeal.handler]
    return department_handlers(appeal.department_id) if appeal.department_id else []


# Steps -------------------------------------------------------------------------------------------------
def _locked(appeal: Appeal) -> Appeal:
    return (
        Appeal.objects.select_for_update(of=("self",))
        .select_related("area", "enterprise", "department", "handler", "submitter")
        .get(pk=appeal.pk)
    )


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


def _check(appeal: Appeal, action: str, by) -> None:
    if not may(by, appeal, action):
        raise PermissionDenied(_("You may not take this step on this appeal."))
    if not step_possible(appeal, action):
        raise Conflict(
            _("An appeal that is %(status)s cannot be %(step)s.")
            % {"status": appeal.get_status_display(), "step": EventKind(action).label.lower()}
            if action in EventKind.values
            else _("This step is not possible now.")
        )


def _save(appeal: Appeal, by) -> None:
    with acting(by):
        appeal.save()


def _move(
    appeal: Appeal, action: str, *, by, before: str = "", note: str = "", data=None, now=None
) -> Appeal:
    """Take the step: the new state, saved with its author, and its event. `before` is given when the
    caller set the new state already (to recompute the alarm for it)."""
    now = now or timezone.now()
    before = before or appeal.status
    appeal.status = MOVES[action][1]
    _save(appeal, by)
    _event(appeal, action, by=by, before=before, note=note, data=data, at=now)
    return appeal


def _required(text: str | None, field: str, message: str) -> str:
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
    if routed is not None:
        appeal.status = S.ASSIGNED
        appeal.department = routed.department
        appeal.assigned_at = now
    _rearm(appeal, now)
    _save(appeal, by)
    _event(appeal, EventKind.SUBMITTED, by=by, note=appeal.description, at=received_at)
    if routed is not None:
        _event(
            appeal,
            EventKind.ASSIGN,
            by=None,
            before=S.SUBMITTED,
            data={"department": routed.department.label, "rule": routed.pk},
            at=now,
        )
        _notify("assigned", appeal, _assignees(appeal), _("A new appeal is assigned to your department."))
    return appeal


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
    appeal = _locked(appeal)
    _check(appeal, "assign", by)
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
    appeal.status = S.ASSIGNED
    _extend_deadlines(appeal, now=now)
    _rearm(appeal, now, new_clock=True)
    data = {"department": department.label, "handler": handler.username if handler else None}
    _move(appeal, "assign", by=by, before=before, note=note, data=data, now=now)
    _notify("assigned", appeal, _assignees(appeal), _("An appeal is assigned to your department."))
    return appeal


@transaction.atomic
def sign_for(appeal: Appeal, *, by) -> Appeal:
    """签收: the department takes the appeal on. Two handlers at once: the row lock makes the second
    one wait and then find the appeal signed for already (409)."""
    appeal = _locked(appeal)
    _check(appeal, "sign_for", by)
    now = timezone.now()
    appeal.signed_at = now
    if appeal.handler_id is None:
        appeal.handler = by
    late = appeal.sign_for_due < now
    before, appeal.status = appeal.status, S.SIGNED_FOR
    _rearm(appeal, now, new_clock=True)
    return _move(appeal, "sign_for", by=by, before=before, data={"late": late}, now=now)


@transaction.atomic
def return_appeal(appeal: Appeal, *, by, reason: str) -> Appeal:
    """退单: not this department's business; back to routing with the reason."""
    appeal = _locked(appeal)
    _check(appeal, "return", by)
    reason = _required(reason, "reason", _("Say why the appeal is not your department's."))
    now = timezone.now()
    data = {"department": appeal.department.label if appeal.department else None}
    appeal.department = None
    appeal.handler = None
    appeal.signed_at = None
    before, appeal.status = appeal.status, S.RETURNED
    _rearm(appeal, now)
    return _move(appeal, "return", by=by, before=before, note=reason, data=data, now=now)


@transaction.atomic
def start(appeal: Appeal, *, by) -> Appeal:
    appeal = _locked(appeal)
    _check(appeal, "start", by)
    return _move(appeal, "start", by=by)


@transaction.atomic
def request_extension(appeal: Appeal, *, by, days: int, reason: str) -> Appeal:
    """延期: asked before the reply deadline; a head of the department or the zone approves it."""
    appeal = _locked(appeal)
    _check(appeal, "request_extension", by)
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
    return _move(appeal, "request_extension", by=by, note=appeal.extension_reason, data={"days": days})


@transaction.atomic
def decide_extension(appeal: Appeal, *, by, approve: bool, note: str = "") -> Appeal:
    action = "approve_extension" if approve else "reject_extension"
    appeal = _locked(appeal)
    _check(appeal, action, by)
    now = timezone.now()
    data = {"days": appeal.extension_days}
    if approve:
        extended = due_in_working_days(appeal.reply_due, appeal.extension_days)
        data["reply_due"] = [appeal.reply_due.isoformat(), extended.due.isoformat()]
        appeal.reply_due = extended.due
        appeal.deadline_provisional = appeal.deadline_provisional or extended.provisional
    before, appeal.status = appeal.status, S.IN_PROGRESS
    _rearm(appeal, now, new_clock=approve)
    return _move(appeal, action, by=by, before=before, note=(note or "").strip(), data=data, now=now)


@transaction.atomic
def pause(appeal: Appeal, *, by, reason: str) -> Appeal:
    """Waiting on the enterprise (materials, a decision): the clocks stop until `resume`."""
    appeal = _locked(appeal)
    _check(appeal, "pause", by)
    reason = _required(reason, "reason", _("Say what the enterprise is to provide."))
    now = timezone.now()
    appeal.paused_at = now
    appeal.alarm_at = None
    _save(appeal, by)
    _event(appeal, EventKind.PAUSE, by=by, note=reason, at=now)
    _notify("replied", appeal, enterprise_users(appeal), reason)
    return appeal


@transaction.atomic
def resume(appeal: Appeal, *, by, note: str = "") -> Appeal:
    appeal = _locked(appeal)
    _check(appeal, "resume", by)
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
    _event(appeal, EventKind.RESUME, by=by, note=(note or "").strip(), data=data, at=now)
    return appeal


@transaction.atomic
def reply(appeal: Appeal, *, by, reply: str) -> Appeal:
    appeal = _locked(appeal)
    _check(appeal, "reply", by)
    text = _required(reply, "reply", _("Write the reply to the enterprise."))
    now = timezone.now()
    if appeal.paused_at is not None:
        resumed = shift_by_working_time(appeal.reply_due, appeal.paused_at, now)
        appeal.reply_due = resumed.due
        appeal.paused_at = None
    appeal.reply = text
    appeal.replied_at = now
    appeal.replied_on_time = now <= appeal.reply_due
    appeal.alarm_at = None
    _move(appeal, "reply", by=by, note=text, data={"on_time": appeal.replied_on_time}, now=now)
    _notify("replied", appeal, enterprise_users(appeal), text)
    return appeal


@transaction.atomic
def evaluate(appeal: Appeal, *, by, rating: str, comment: str = "") -> Appeal:
    """The enterprise confirms the reply and rates it (or staff record its rating from a 回访 call)."""
    appeal = _locked(appeal)
    _check(appeal, "evaluate", by)
    if rating not in Rating.values:
        raise ValidationError({"rating": [_("Choose satisfied, basically satisfied or dissatisfied.")]})
    comment = (comment or "").strip()
    if rating == Rating.DISSATISFIED and not comment:
        raise ValidationError({"comment": [_("Say what is still wrong.")]})
    appeal.rating = rating
    appeal.rating_comment = comment
    appeal.evaluated_at = timezone.now()
    return _move(appeal, "evaluate", by=by, note=comment, data={"rating": rating})


@transaction.atomic
def close(appeal: Appeal, *, by, note: str = "") -> Appeal:
    """办结: after the enterprise's rating; without one only once its time to confirm has passed; a
    dissatisfied rating is closed only with the zone's reason (otherwise the enterprise reopens)."""
    appeal = _locked(appeal)
    _check(appeal, "close", by)
    now = timezone.now()
    note = (note or "").strip()
    if appeal.status == S.REPLIED:
        window = due_in_working_days(appeal.replied_at, CONFIRM_DAYS).due
        if now <= window:
            raise Conflict(
                _("The enterprise has until %(until)s to confirm and rate the reply.")
                % {"until": timezone.localtime(window).strftime("%Y-%m-%d %H:%M")}
            )
    if appeal.rating == Rating.DISSATISFIED and not note:
        raise ValidationError({"note": [_("Say why an appeal rated dissatisfied is closed.")]})
    appeal.closed_at = now
    return _move(appeal, "close", by=by, note=note, now=now)


@transaction.atomic
def reopen(appeal: Appeal, *, by, reason: str) -> Appeal:
    """重办: the enterprise is not satisfied; the appeal goes back to routing with a new reply clock."""
    appeal = _locked(appeal)
    _check(appeal, "reopen", by)
    reason = _required(reason, "reason", _("Say what the reply did not settle."))
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
    before, appeal.status = appeal.status, S.REOPENED
    _rearm(appeal, now, new_clock=True)
    return _move(appeal, "reopen", by=by, before=before, note=reason, now=now)


@transaction.atomic
def urge(appeal: Appeal, *, by, note: str = "") -> Appeal:
    """催办: a flag and a reminder to whoever holds the appeal."""
    appeal = _locked(appeal)
    _check(appeal, "urge", by)
    appeal.urged = True
    appeal.urge_count += 1
    _save(appeal, by)
    _event(appeal, EventKind.URGE, by=by, note=(note or "").strip(), data={"count": appeal.urge_count})
    _notify(
        "overdue",
        appeal,
        _assignees(appeal),
        _("The appeal has been urged: %(n)s time(s).") % {"n": appeal.urge_count},
    )
    return appeal


# The sweep ----------------------------------------------------------------------------------------------
SWEPT_FIELDS = ("overdue", "warned", "escalation", "supervised", "alarm_at")


@dataclass(slots=True)
class Swept:
    """What the sweep reads of a due appeal (its clock, its flags and what its digests name): a row,
    not a model instance, since a backlog brings tens of thousands of them."""

    pk: int
    title: str
    status: str
    paused_at: datetime.datetime | None
    sign_for_due: datetime.datetime
    reply_due: datetime.datetime
    overdue: bool
    warned: bool
    escalation: int
    supervised: bool
    alarm_at: datetime.datetime | None
    area_id: int
    department_id: int | None
    handler_id: int | None
    enterprise_name: str

    get_absolute_url = Appeal.get_absolute_url  # the appeal's page: it reads only `pk`


SWEEP_READS = [f.name for f in dataclasses.fields(Swept)][:-1] + ["enterprise__name"]


def sweep(now: datetime.datetime | None = None, *, batch: int = 5000) -> Counter:
    """Warn of deadlines due today, mark overdue appeals and escalate them one rung per threshold
    passed: the handler, the department's heads, the zone's supervisors. Returns counts of what was done.

    Works through the appeals whose alarm is due in batches, each in a transaction of its own. A
    batch's rows are claimed by the conditional UPDATE that writes them: it only matches a row whose
    alarm and escalation are still what the sweep read, so of two workers that read the same appeal
    (or a worker and a handler's step) one writes it, and only the appeals written get their event,
    history and notices. On PostgreSQL a batch is also read `FOR UPDATE SKIP LOCKED`, so a second
    worker takes the next rows instead of waiting on the first one's."""
    now = now or timezone.now()
    done: Counter = Counter()
    recipients: dict = {}  # who hears of a department's or an area's appeals, looked up once a sweep
    while True:
        with transaction.atomic():
            # The batch is chosen (and locked) in the order of the alarm index, which stops after
            # `batch` rows however many are due; deadlines share a few moments (17:30), and within
            # one the department orders the rows, so that a department's news falls in one digest.
            chosen = (
                Appeal.objects.select_for_update(skip_locked=True)
                .filter(alarm_at__lte=now)
                .order_by("alarm_at", "department_id")
                .values("pk")[:batch]
            )
            appeals = [
                Swept(*row)
                for row in Appeal.objects.filter(pk__in=chosen)
                .order_by("department_id", "pk")
                .values_list(*SWEEP_READS)
            ]
            if not appeals:
                return done
            done.update(_sweep_batch(appeals, now, recipients))


def _sweep_batch(appeals: list[Swept], now: datetime.datetime, recipients: dict) -> Counter:
    done: Counter = Counter()
    read: dict[int, tuple] = {}
    events: dict[int, dict] = {}
    notices: dict[int, tuple[str, int]] = {}
    changed: dict[int, dict] = {}
    due_in = functools.cache(due_in_working_days)
    for appeal in appeals:
        read[appeal.pk] = (appeal.alarm_at, appeal.escalation)
        before = {f: getattr(appeal, f) for f in ("overdue", "warned", "escalation", "supervised")}
        alarms = _alarms(appeal, due_in)
        reached = [a for a in alarms if a.at <= now]
        levels = [a.level for a in reached if a.kind == "escalate"]
        if levels:
            level = max(levels)
            appeal.escalation = level
            appeal.overdue = True
            appeal.warned = True
            if level >= Escalation.SUPERVISORS:
                appeal.supervised = True
            data = {"level": level, "deadline": _deadline(appeal).isoformat()}
            events[appeal.pk] = {"appeal_id": appeal.pk, "kind": EventKind.ESCALATE, "data": data}
            notices[appeal.pk] = ("overdue", level)
        elif reached:  # the warning of the day the reply is due
            appeal.warned = True
            data = {"due": appeal.reply_due.isoformat()}
            events[appeal.pk] = {"appeal_id": appeal.pk, "kind": EventKind.WARN, "data": data}
            notices[appeal.pk] = ("deadline_near", 0)
        # What was reached is done, and the rungs above the one reached lie later still (see `_alarms`).
        appeal.alarm_at = min((a.at for a in alarms if a.at > now), default=None)
        changed[appeal.pk] = {
            f: (v, getattr(appeal, f)) for f, v in before.items() if v != getattr(appeal, f)
        }
    won = _write_swept(appeals, read)
    mine = [a for a in appeals if a.pk in won]
    for appeal in mine:
        if appeal.pk in notices:
            event, level = notices[appeal.pk]
            done["warned" if event == "deadline_near" else f"escalated_to_{level}"] += 1
    # Written with COPY on PostgreSQL: a backlog's sweep writes tens of thousands of events.
    insert(AppealEvent, (events[a.pk] for a in mine if a.pk in events), same={"at": now, "by_id": None})
    bulk.log(Appeal, [(a.pk, a.title, bulk.UPDATE, changed[a.pk]) for a in mine if changed[a.pk]], by=None)
    _send_sweep_notices([(*notices[a.pk], a) for a in mine if a.pk in notices], recipients)
    return done


def _write_swept(appeals: list[Swept], read: dict[int, tuple]) -> set[int]:
    """Write the swept values of `appeals` where the row's alarm and escalation are still those `read`;
    the ids of the rows written. One statement on PostgreSQL, a row at a time elsewhere."""
    from django.db import connection

    if not appeals:
        return set()
    if connection.vendor == "postgresql":
        table = Appeal._meta.db_table
        columns = [Appeal._meta.get_field(f).column for f in SWEPT_FIELDS]
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} AS a SET "  # noqa: S608 (names from the model, values as parameters)
                + ", ".join(f"{c} = v.{c}" for c in columns)
                + " FROM unnest(%s::bigint[], %s::timestamptz[], %s::smallint[], %s::boolean[], "
                "%s::boolean[], %s::smallint[], %s::boolean[], %s::timestamptz[]) "
                f"AS v(id, was_at, was_level, {', '.join(columns)}) "
                "WHERE a.id = v.id AND a.alarm_at IS NOT DISTINCT FROM v.was_at "
                "AND a.escalation = v.was_level RETURNING a.id",
                [
                    _array(a.pk for a in appeals),
                    _array(read[a.pk][0] for a in appeals),
                    _array(read[a.pk][1] for a in appeals),
                    *(_array(getattr(a, f) for a in appeals) for f in SWEPT_FIELDS),
                ],
            )
            return {row[0] for row in cursor.fetchall()}
    won = set()
    for appeal in appeals:
        was_at, was_level = read[appeal.pk]
        if Appeal.objects.filter(pk=appeal.pk, alarm_at=was_at, escalation=was_level).update(
            **{f: getattr(appeal, f) for f in SWEPT_FIELDS}
        ):
            won.add(appeal.pk)
    return won


def _array(values) -> str:
    """A PostgreSQL array literal of integers, booleans and aware datetimes ('{1,t,NULL}'), cast in the
    statement: the driver would adapt a Python list element by element, which costs more than the
    UPDATE itself at thousands of rows."""

    def literal(value) -> str:
        if value is None:
            return "NULL"
        if value is True or value is False:
            return "t" if value else "f"
        if isinstance(value, datetime.datetime):
            return f'"{value.isoformat()}"'
        return str(int(value))

    return "{" + ",".join(map(literal, values)) + "}"


DIGEST_LINES = 10


def _send_sweep_notices(notices, recipients: dict | None = None) -> None:
    """One message per group of people and area for each kind of news (a digest: "12 appeals are
    overdue", with the first few listed), not one per appeal: a department with a backlog gets one
    mail, and a sweep over a large region stays quick. `notices`: (event, level, appeal) triples;
    `recipients`: a memo of whom each department's and area's news reaches, kept across batches."""
    from zoneos.accounts.models import User
    from zoneos.areas.models import Area
    from zoneos.notifications.services import Notice, notify_many

    if not notices:
        return
    memo = {} if recipients is None else recipients
    areas = Area.objects.in_bulk({appeal.area_id for _event, _level, appeal in notices})
    handlers = User.objects.in_bulk({appeal.handler_id for _event, _level, appeal in notices} - {None})

    def people_for(event: str, level: int, appeal: Swept) -> list:
        if (event == "deadline_near" or level == Escalation.HANDLER) and appeal.handler_id:
            return [handlers[appeal.handler_id]]
        if event == "deadline_near" or level in (Escalation.HANDLER, Escalation.HEADS):
            key = ("department", appeal.department_id, level == Escalation.HEADS)
            if key not in memo:
                memo[key] = (
                    department_handlers(appeal.department_id, heads_only=key[2])
                    if appeal.department_id
                    else []
                )
        else:
            key = ("area", appeal.area_id)
            if key not in memo:
                memo[key] = zone_supervisors(areas[appeal.area_id])
        return memo[key]

    digests: dict[tuple, list[Swept]] = defaultdict(list)
    people_of: dict[tuple, list] = {}
    for event, level, appeal in notices:
        people = people_for(event, level, appeal)
        key = (event, level, appeal.area_id, tuple(sorted(u.pk for u in people)))
        digests[key].append(appeal)
        people_of[key] = people
    queue = reverse("appeals:queue")
    messages = []
    for key, appeals in digests.items():
        event, level, area_id, _people = key
        n = len(appeals)
        if event == "deadline_near":
            subject = ngettext("%(n)d reply is due today", "%(n)d replies are due today", n) % {"n": n}
        elif level == Escalation.HANDLER:
            subject = ngettext("%(n)d appeal is overdue", "%(n)d appeals are overdue", n) % {"n": n}
        elif level == Escalation.HEADS:
            subject = ngettext(
                "%(n)d overdue appeal escalated to the department's heads",
                "%(n)d overdue appeals escalated to the department's heads",
                n,
            ) % {"n": n}
        else:
            subject = ngettext(
                "%(n)d overdue appeal escalated to the zone's supervisors",
                "%(n)d overdue appeals escalated to the zone's supervisors",
                n,
            ) % {"n": n}
        lines = [
            f"- {a.title} ({a.enterprise_name}), {timezone.localtime(a.reply_due):%Y-%m-%d %H:%M}"
            for a in appeals[:DIGEST_LINES]
        ]
        if n > DIGEST_LINES:
            lines.append(_("… and %(n)d more.") % {"n": n - DIGEST_LINES})
        url = (
            appeals[0].get_absolute_url() if n == 1 else f"{queue}?{'overdue=true' if level else 'open=true'}"
        )
        messages.append(Notice(event, areas[area_id], subject, "\n".join(lines), url, tuple(people_of[key])))
    notify_many(messages)


# Attachments, symposia, visits ---------------------------------------------------------------------
MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024


@transaction.atomic
def attach(appeal: Appeal, *, by, upload) -> Attachment:
    if not (is_enterprise(by, appeal) or is_dispatcher(by, appeal) or is_handler(by, appeal)):
        raise PermissionDenied(_("You may not add files to this appeal."))
    if upload is None:
        raise ValidationError({"file": [_("Choose a file.")]})
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError({"file": [_("A file may be at most 20 MB.")]})
    if appeal.status == S.CLOSED:
        raise Conflict(_("The appeal is closed."))
    with acting(by):
        return Attachment.objects.create(
            appeal=appeal, file=upload, name=upload.name[:200], size=upload.size, uploaded_by=by
        )


@transaction.atomic
def save_symposium(
    *,
    by,
    area,
    title: str,
    held_on: datetime.date,
    attendees: str = "",
    notes: str = "",
    instance: Symposium | None = None,
) -> Symposium:
    from zoneos.accounts.scoping import require_placement

    require_placement(Symposium, area, by)
    title = _required(title, "title", _("Give the symposium a title."))
    symposium = instance or Symposium(created_by=by)
    symposium.area, symposium.title, symposium.held_on = area, title, held_on
    symposium.attendees, symposium.notes = attendees.strip(), notes.strip()
    with acting(by):
        symposium.save()
    return symposium


@transaction.atomic
def delete_symposium(symposium: Symposium, *, by) -> None:
    from zoneos.accounts.scoping import require

    require(symposium, by)
    if symposium.appeals.exists():
        raise Conflict(_("Appeals were raised at this symposium; it stays on record."))
    with acting(by):
        symposium.delete()


@transaction.atomic
def record_visit(
    *, by, enterprise, visited_on: datetime.date, summary: str, instance: Visit | None = None
) -> Visit:
    from zoneos.accounts.scoping import require_placement

    require_placement(Visit, enterprise.area, by)
    summary = _required(summary, "summary", _("Say what was discussed."))
    if visited_on > timezone.localdate():
        raise ValidationError({"visited_on": [_("A visit is recorded once it has taken place.")]})
    visit = instance or Visit(officer=by)
    visit.enterprise, visit.visited_on, visit.summary = enterprise, visited_on, summary
    with acting(by):
        visit.save()
    return visit


@transaction.atomic
def delete_visit(visit: Visit, *, by) -> None:
    from zoneos.accounts.scoping import require

    require(visit, by)
    if visit.appeals.exists():
        raise Conflict(_("Appeals were raised on this visit; it stays on record."))
    with acting(by):
        visit.delete()


# Deadline policies and routing rules ---------------------------------------------------------------
@transaction.atomic
def save_policy(
    *, by, area, name: str, valid_from: datetime.date, rules: list[dict], instance: SlaPolicy | None = None
) -> SlaPolicy:
    """A policy lists every category's deadlines; an area without a policy uses the one above it."""
    from zoneos.accounts.scoping import require_placement

    if area is None and not by.is_superuser:
        raise ValidationError({"area": [_("Only a platform administrator changes the default policy.")]})
    if area is not None:
        require_placement(SlaPolicy, area, by)
    name = _required(name, "name", _("Name the policy."))
    seen = [r["category"] for r in rules]
    missing = [c for c in Category.values if c not in seen]
    if missing or len(seen) != len(set(seen)):
        raise ValidationError(
            {
                "rules": [
                    _("Give one rule for each category; missing: %(c)s.") % {"c": ", ".join(missing) or "-"}
                ]
            }
        )
    policy = instance or SlaPolicy()
    policy.area, policy.name, policy.valid_from = area, name, valid_from
    if SlaPolicy.objects.filter(area=area, valid_from=valid_from).exclude(pk=policy.pk).exists():
        raise ValidationError({"valid_from": [_("This area has a policy from that day already.")]})
    with acting(by):
        policy.save()
        policy.rules.all().delete()
        SlaRule.objects.bulk_create(
            SlaRule(
                policy=policy,
                category=r["category"],
                sign_for_hours=Decimal(r["sign_for_hours"]),
                reply_days=r["reply_days"],
            )
            for r in rules
        )
    return policy


@transaction.atomic
def delete_policy(policy: SlaPolicy, *, by) -> None:
    from zoneos.accounts.scoping import require

    if policy.area_id is None and not by.is_superuser:
        raise PermissionDenied(_("Only a platform administrator changes the default policy."))
    if policy.area_id is not None:
        require(policy, by)
    with acting(by):
        policy.delete()


@transaction.atomic
def save_routing_rule(
    *, by, area, category: str, department, instance: RoutingRule | None = None
) -> RoutingRule:
    from zoneos.accounts.scoping import require_placement

    require_placement(RoutingRule, area, by)
    if not (area.path.startswith(department.area.path) or department.area.path.startswith(area.path)):
        raise ValidationError({"department": [_("The department does not serve that area.")]})
    clash = RoutingRule.objects.filter(area=area, category=category or "")
    if instance is not None:
        clash = clash.exclude(pk=instance.pk)
    if clash.exists():
        raise ValidationError({"category": [_("The area has a rule for this category already.")]})
    rule = instance or RoutingRule()
    rule.area, rule.category, rule.department = area, category or "", department
    with acting(by):
        rule.save()
    return rule


@transaction.atomic
def delete_routing_rule(rule: RoutingRule, *, by) -> None:
    from zoneos.accounts.scoping import require

    require(rule, by)
    with acting(by):
        rule.delete()
