"""An appeal's deadlines in working days and hours: the rule that sets them, the clock that runs now,
and the alarms the sweep acts on (a warning on the day the reply is due, then one escalation rung per
threshold passed). Dates come from `zoneos.workdays.calendar` (lenient: a year without official
calendar data is counted on weekdays and the appeal is marked provisional)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from zoneos.workdays.calendar import due_in_working_days

from ..models import OWING, Appeal, Escalation, SlaRule, Status

# An enterprise has this many working days after a reply to confirm and rate it; after that the zone
# may close the appeal without a rating.
CONFIRM_DAYS = 5
# Escalation: the handler is reminded when the deadline passes, the department's heads are urged one
# working day later, and the zone's supervisors are told (a circulated notice) three working days later.
ESCALATION_DAYS = {Escalation.HANDLER: 0, Escalation.HEADS: 1, Escalation.SUPERVISORS: 3}


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
    if appeal.status == Status.ASSIGNED and appeal.sign_for_due < appeal.reply_due:
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
