"""Deadline arithmetic in working days, over the calendar table (statutory holidays and adjusted working
weekends). Other modules import `is_working_day`, `add_working_days`, `working_days_between` and
`CalendarMissing` from here; nothing else in this module is public.

A day is a working day when the table says so (an adjusted working weekend), or when it is Monday to
Friday and the table does not make it a holiday. Arithmetic that looks at a day of a year that is not
marked complete raises `CalendarMissing`: a deadline is never computed from a guessed calendar.

The whole table (some thirty rows a year) is read in one query and kept in the process. Saving or
deleting a calendar row through the ORM drops that copy at once and bumps a version in the shared
cache, so other processes (web workers, the task worker) reload within `RECHECK_SECONDS`. A copy read
while the current transaction holds uncommitted calendar changes is used for that call only, so a
rolled-back edit never lingers. Writes that bypass signals (`bulk_create`, `update()`) call
`invalidate()` themselves.
"""

from __future__ import annotations

import datetime
import threading
import time
import uuid
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from django.core.cache import cache
from django.db import models, transaction
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

__all__ = ["CalendarMissing", "add_working_days", "is_working_day", "working_days_between"]

ONE_DAY = datetime.timedelta(days=1)
VERSION_KEY = "zoneos:workdays:version"
# How long a process trusts its copy before asking the shared cache whether another process changed
# the calendar (changes made in this process are seen at once).
RECHECK_SECONDS = 2.0


class CalendarMissing(Exception):
    """The calendar has no official data for `year`, so a count of working days through it is refused."""

    def __init__(self, year: int):
        self.year = year
        super().__init__(year)

    @property
    def message(self) -> str:
        # Translated when shown, in the language of the request that shows it.
        return _(
            "The working-day calendar has no data for %(year)s yet; an administrator adds it when the "
            "State Council notice appears."
        ) % {"year": self.year}

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class _Calendar:
    """The table as read at one moment: the exceptions, and the years whose data is complete."""

    working: dict[datetime.date, bool]  # exception day -> whether people work that day
    changed: tuple[datetime.date, ...]  # sorted: the exceptions that differ from their weekday's rule
    years: frozenset[int]

    def require(self, year: int) -> None:
        if year not in self.years:
            raise CalendarMissing(year)

    def is_working(self, day: datetime.date) -> bool:
        self.require(day.year)
        exception = self.working.get(day)
        return exception if exception is not None else day.weekday() < 5


def _read() -> _Calendar:
    """One query: every exception day, and (as rows without a date) every complete year."""
    from .models import CalendarDay, CalendarYear, DayKind

    days = CalendarDay.objects.order_by().values_list("date", "kind")
    years = (
        CalendarYear.objects.filter(complete=True)
        .order_by()
        .annotate(no_date=models.Value(None, output_field=models.DateField()))
        .annotate(year_text=Cast("year", output_field=models.CharField(max_length=8)))
        .values_list("no_date", "year_text")
    )
    working: dict[datetime.date, bool] = {}
    complete: set[int] = set()
    for day, value in days.union(years, all=True):
        if day is None:
            complete.add(int(value))
        else:
            working[day] = value == DayKind.WORKDAY
    changed = tuple(sorted(d for d, works in working.items() if works != (d.weekday() < 5)))
    return _Calendar(working=working, changed=changed, years=frozenset(complete))


@dataclass
class _Held:
    calendar: _Calendar | None = None
    version: str | None = None
    checked_at: float = 0.0


_held = _Held()
_lock = threading.Lock()


def _shared_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        # Another process may have set it meanwhile: keep theirs.
        if not cache.add(VERSION_KEY, version, timeout=None):
            version = cache.get(VERSION_KEY) or version
    return version


def invalidate() -> None:
    """Forget this process's copy and tell the other processes to forget theirs."""
    with _lock:
        _held.calendar = None
        _held.version = None
        _held.checked_at = 0.0
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def _committed() -> None:
    invalidate()


def _uncommitted_changes() -> bool:
    """Whether the current transaction has changed calendar rows that are not committed yet."""
    connection = transaction.get_connection()
    return connection.in_atomic_block and any(entry[1] is _committed for entry in connection.run_on_commit)


def calendar_changed(**kwargs) -> None:
    """Signal receiver for saves and deletes of calendar rows."""
    invalidate()
    # Once committed, other processes may have reloaded the old rows in between: tell them again.
    transaction.on_commit(_committed, using=kwargs.get("using"))


def _calendar() -> _Calendar:
    if _uncommitted_changes():
        return _read()
    now = time.monotonic()
    with _lock:
        held = _held.calendar
        fresh = held is not None and now - _held.checked_at < RECHECK_SECONDS
        version = _held.version
    if fresh:
        return held
    shared = _shared_version()
    if held is not None and shared == version:
        with _lock:
            _held.checked_at = now
        return held
    loaded = _read()
    with _lock:
        _held.calendar, _held.version, _held.checked_at = loaded, shared, now
    return loaded


# The public interface ---------------------------------------------------------------------------
def is_working_day(day: datetime.date) -> bool:
    """Whether people work on `day`. Raises CalendarMissing when its year has no official data."""
    return _calendar().is_working(_as_date(day))


def add_working_days(start: datetime.date, days: int, *, from_next_day: bool = True) -> datetime.date:
    """The day on which the `days`-th working day is reached, counting from the day after `start` (次日起)
    or, with `from_next_day=False`, from `start` itself (when `start` is a working day it is day 1).

    `days=0` answers `start` when it is a working day, else the first working day after it. Raises
    ValueError for a negative count, CalendarMissing when a day it has to look at lies in a year
    without official data.
    """
    start = _as_date(start)
    if isinstance(days, bool) or not isinstance(days, int):
        raise TypeError("days must be an int")
    if days < 0:
        raise ValueError("days must be zero or more")
    calendar = _calendar()
    day = start
    if days == 0:
        while not calendar.is_working(day):
            day += ONE_DAY
        return day
    if from_next_day:
        day += ONE_DAY
    counted = 0
    while True:
        if calendar.is_working(day):
            counted += 1
            if counted == days:
                return day
        day += ONE_DAY


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """The number of working days after `start` up to and including `end`: how many working days have
    passed since `start` on `end`, so `working_days_between(start, add_working_days(start, n)) == n`.

    When `end` comes before `start` the answer is the same count with a minus sign
    (`working_days_between(a, b) == -working_days_between(b, a)`); it is 0 when they are the same day.
    Raises CalendarMissing when a year between the day after the earlier date and the later date
    (inclusive) has no official data.
    """
    start, end = _as_date(start), _as_date(end)
    if end < start:
        return -working_days_between(end, start)
    if end == start:
        return 0
    calendar = _calendar()
    first = start + ONE_DAY
    for year in range(first.year, end.year + 1):
        calendar.require(year)
    count = _weekdays_through(end) - _weekdays_through(start)
    # Exceptions that change the plain count: holidays on weekdays (-1), working weekends (+1).
    for day in calendar.changed[bisect_left(calendar.changed, first) : bisect_right(calendar.changed, end)]:
        count += 1 if calendar.working[day] else -1
    return count


def _weekdays_through(day: datetime.date) -> int:
    """Mondays to Fridays from a fixed Monday up to and including `day` (any origin works for a
    difference)."""
    ordinal = day.toordinal()  # 0001-01-01 (ordinal 1) was a Monday
    weeks, rest = divmod(ordinal - 1, 7)
    return weeks * 5 + min(rest + 1, 5)


def _as_date(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        raise TypeError("give a date, not a date and time: which day it is depends on the time zone")
    if not isinstance(value, datetime.date):
        raise TypeError("give a datetime.date")
    return value
