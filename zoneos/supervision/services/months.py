"""Months of the supervision year: a month as people write it ("YYYY-MM"), its last day, and the
status rule in force then."""

from __future__ import annotations

import calendar
import datetime
import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ..models import StatusRule

MONTH = re.compile(r"^(\d{4})-(\d{2})$")
DEFAULT_RULE = StatusRule(yellow_at=Decimal(-10), red_below=Decimal(-30))


def parse_month(value, field: str = "month") -> tuple[int, int]:
    """ "YYYY-MM" as (year, month); a 400 naming `field` otherwise."""
    match = MONTH.match(str(value or "").strip())
    if not match or not 1 <= int(match.group(2)) <= 12 or not 1949 <= int(match.group(1)) <= 2100:
        raise ValidationError({field: [_("Give a month as YYYY-MM.")]})
    return int(match.group(1)), int(match.group(2))


def month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def rules_for_year(year: int) -> dict[int, StatusRule]:
    """`rule_for` of each month of `year` (1..12), from one query: the rules are few, the months many
    (each report rewrites its project's twelve month rows)."""
    rules = list(
        StatusRule.objects.filter(effective_from__lte=month_end(year, 12)).order_by("effective_from")
    )
    out = {}
    for month in range(1, 13):
        end = month_end(year, month)
        in_force = [rule for rule in rules if rule.effective_from <= end]
        out[month] = in_force[-1] if in_force else DEFAULT_RULE
    return out


def rule_for(year: int, month: int) -> StatusRule:
    """The status rule in force at the end of the month (the newest from before then), else the default."""
    return rules_for_year(year)[month]
