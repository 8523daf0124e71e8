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


def rule_for(year: int, month: int) -> StatusRule:
    rule = (
        StatusRule.objects.filter(effective_from__lte=month_end(year, month))
        .order_by("-effective_from")
        .first()
    )
    return rule or DEFAULT_RULE
