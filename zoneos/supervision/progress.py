"""Time progress, completion rate, the gap between them and the status it gives.

The completion rate is the cumulative investment completed from January to the month divided by the
year's planned investment. Time progress (时序进度) is the elapsed share of the year: months elapsed / 12
in every local report checked, so that is the default; a day-based variant (days elapsed / days in the
year, to the month's end) is a setting, `ZONEOS_TIME_PROGRESS = "day"`. The gap is the completion rate
minus time progress in percentage points, computed from the unrounded rates: ahead at zero or above,
behind below it, a yellow warning from `yellow_at` points behind and red below `red_below`. The
thresholds are versioned data (`StatusRule`).
"""

from __future__ import annotations

import calendar
import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

FOUR = Decimal("0.0001")
TWO = Decimal("0.01")


class Status(models.TextChoices):
    AHEAD = "ahead", _("Ahead of time progress")
    BEHIND = "behind", _("Behind time progress")
    YELLOW = "yellow", _("Yellow warning")
    RED = "red", _("Red warning")


STATUS_COLOR = {
    Status.AHEAD: "success",
    Status.BEHIND: "info",
    Status.YELLOW: "warning",
    Status.RED: "danger",
}


def time_progress(year: int, month: int, mode: str | None = None) -> Decimal:
    """The share of `year` elapsed at the end of `month`."""
    mode = mode or getattr(settings, "ZONEOS_TIME_PROGRESS", "month")
    if mode == "day":
        end = datetime.date(year, month, calendar.monthrange(year, month)[1])
        days = 366 if calendar.isleap(year) else 365
        return Decimal(end.timetuple().tm_yday) / Decimal(days)
    return Decimal(month) / Decimal(12)


def rate(part, whole) -> Decimal | None:
    if not whole:
        return None
    return Decimal(part or 0) / Decimal(whole)


def gap_pp(completion: Decimal | None, progress: Decimal) -> Decimal | None:
    """Completion rate minus time progress, in percentage points, from the unrounded rates."""
    if completion is None:
        return None
    return (completion - progress) * 100


def status_of(gap: Decimal | None, rule) -> str:
    """`ahead` (gap >= 0), `behind`, `yellow` (yellow_from >= gap >= red_from), `red` (below red_from)."""
    if gap is None:
        return ""
    if gap >= 0:
        return Status.AHEAD
    if gap < rule.red_below:
        return Status.RED
    if gap <= rule.yellow_at:
        return Status.YELLOW
    return Status.BEHIND


def four(value: Decimal | None) -> str | None:
    return None if value is None else str(value.quantize(FOUR, rounding=ROUND_HALF_UP))


def two(value: Decimal | None) -> str | None:
    return None if value is None else str(value.quantize(TWO, rounding=ROUND_HALF_UP))
