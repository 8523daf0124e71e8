"""Every change to the working-day calendar: set a day (a holiday, an adjusted working day, or plain
again) and mark a year complete.

Each function is atomic, allowed to administrators (the `admin` role) and superusers only, validates
with the field named, and writes its history attributed to `by`. Deadline arithmetic sees the change
as soon as it is committed (the calendar's cache listens to saves and deletes).
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from zoneos.accounts.scoping import may_write
from zoneos.audit.context import acting

from .models import FIRST_YEAR, LAST_YEAR, CalendarDay, CalendarYear, DayKind

PLAIN = "plain"  # not an exception: the day is what its weekday says
DAY_KINDS = (DayKind.HOLIDAY.value, DayKind.WORKDAY.value, PLAIN)


def require_keeper(by) -> None:
    """Raise PermissionDenied unless `by` may change the calendar (an admin of any area, a superuser)."""
    if by is None or not may_write(by, CalendarDay):
        raise PermissionDenied(_("Only administrators change the working-day calendar."))


def _text(value: str | None, current: str) -> str:
    return current if value is None else str(value).strip()


@transaction.atomic
def set_day(
    day: datetime.date, kind: str, *, by, name: str | None = None, source: str | None = None
) -> CalendarDay | None:
    """Make `day` a holiday, an adjusted working day (a weekend on which people work), or plain again
    (`kind="plain"`, which removes the exception). `name` and `source` left as None keep what the day
    had. Returns the day's row, or None for a plain day."""
    require_keeper(by)
    errors: dict = {}
    if not isinstance(day, datetime.date) or isinstance(day, datetime.datetime):
        errors["date"] = [_("Give a date as YYYY-MM-DD.")]
    if kind not in DAY_KINDS:
        errors["kind"] = [
            _("Choose one of: %(kinds)s.") % {"kinds": ", ".join(DAY_KINDS)},
        ]
    if errors:
        raise ValidationError(errors)
    row = CalendarDay.objects.select_for_update().filter(date=day).first()
    if kind == PLAIN:
        if row is not None:
            with acting(by):
                row.delete()
        return None
    if row is None:
        row = CalendarDay(date=day)
    row.kind = kind
    row.name = _text(name, row.name)
    row.source = _text(source, row.source)
    row.full_clean()
    with acting(by):
        row.save()
    return row


@transaction.atomic
def mark_year(
    year: int, *, by, complete: bool = True, source: str | None = None, notes: str | None = None
) -> CalendarYear:
    """Record whether the calendar of `year` is complete (all its holidays and adjusted working days
    entered from the State Council notice). Deadlines are counted only through complete years."""
    require_keeper(by)
    if isinstance(year, bool) or not isinstance(year, int) or not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValidationError(
            {
                "year": [
                    _("Give a year between %(first)s and %(last)s.")
                    % {"first": FIRST_YEAR, "last": LAST_YEAR}
                ]
            }
        )
    record = CalendarYear.objects.select_for_update().filter(year=year).first() or CalendarYear(year=year)
    record.complete = bool(complete)
    record.source = _text(source, record.source)
    record.notes = _text(notes, record.notes)
    record.full_clean()
    with acting(by):
        record.save()
    return record
