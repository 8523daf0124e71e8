"""Deadline arithmetic in working days and working hours, over the calendar table (statutory holidays
and adjusted working weekends) and the office hours of `settings.ZONEOS_WORKING_HOURS`. Other modules
import what `__all__` names; nothing else in this module is public.

A day is a working day when the table says so (an adjusted working weekend), or when it is Monday to
Friday and the table does not make it a holiday. Two kinds of arithmetic use that rule:

- strict, on dates (`is_working_day`, `add_working_days`, `working_days_between`): looking at a day of a
  year that is not marked complete raises `CalendarMissing`, so a deadline is never computed from a
  guessed calendar (supervision orders rely on this);
- lenient, on aware date-times in local time (`due_in_working_days`, `due_in_working_hours`,
  `shift_by_working_time`, `working_days_elapsed`), for appeals that must get a deadline whatever the
  calendar holds: a day of a year without complete data is judged by the weekday rule and the rows that
  exist for it, and the answer (`Due`) says it is provisional.

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
from bisect import bisect_right
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal

from django.core.cache import cache
from django.db import models, transaction
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from .hours import MIDNIGHT, WorkingHours, working_hours

__all__ = [
    "CalendarMissing",
    "Due",
    "add_working_days",
    "due_in_working_days",
    "due_in_working_hours",
    "is_working_day",
    "shift_by_working_time",
    "working_days_between",
    "working_days_elapsed",
]

ONE_DAY = datetime.timedelta(days=1)
NO_TIME = datetime.timedelta()
MICROSECONDS_PER_HOUR = 3_600_000_000
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
        return self.works(day)

    def works(self, day: datetime.date) -> bool:
        """The rule without asking whether the year is complete: the table's row, else the weekday."""
        exception = self.working.get(day)
        return exception if exception is not None else day.weekday() < 5

    def count(self, after: datetime.date, through: datetime.date) -> int:
        """The working days after `after` up to and including `through` (not before `after`), by `works`."""
        count = _weekdays_through(through) - _weekdays_through(after)
        # Exceptions that change the plain count: holidays on weekdays (-1), working weekends (+1).
        for day in self.changed[bisect_right(self.changed, after) : bisect_right(self.changed, through)]:
            count += 1 if self.working[day] else -1
        return count

    def guessed(self, first: datetime.date, last: datetime.date) -> bool:
        """Whether a day from `first` to `last` (inclusive) lies in a year without complete data."""
        return any(year not in self.years for year in range(first.year, last.year + 1))


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
    _check_days(days)
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
    for year in range((start + ONE_DAY).year, end.year + 1):
        calendar.require(year)
    return calendar.count(start, end)


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


def _check_days(days) -> None:
    if isinstance(days, bool) or not isinstance(days, int):
        raise TypeError("days must be an int")
    if days < 0:
        raise ValueError("days must be zero or more")


# Lenient deadlines in local time -----------------------------------------------------------------
@dataclass(frozen=True)
class Due:
    """A deadline (aware, in local time), and whether it rests on a day of a year without complete
    official data, judged by the weekday rule: such a deadline may move once the year's notice is
    entered, so it is shown as provisional."""

    due: datetime.datetime
    provisional: bool


def due_in_working_days(start: datetime.datetime, days: int) -> Due:
    """The end of the `days`-th working day after the local day of `start` (次日起: the first working day
    after the day of receipt is day 1, whatever the time of receipt), i.e. the end of that day's last
    working period (17:30 with the default hours).

    `days=0` answers the end of the day of `start` when it is a working day, else the end of the next
    working day. Raises ValueError for a negative count or a naive `start`; never CalendarMissing.
    """
    day, _offset = _local(start)
    _check_days(days)
    calendar = _calendar()
    first = day
    if days == 0:
        while not calendar.works(day):
            day += ONE_DAY
    else:
        first = day + ONE_DAY
        counted = 0
        while counted < days:
            day += ONE_DAY
            if calendar.works(day):
                counted += 1
    return Due(_at(day, working_hours().closing), calendar.guessed(first, day))


def due_in_working_hours(start: datetime.datetime, hours: int | Decimal) -> Due:
    """The moment `hours` of working time (the office hours of working days) after `start`. Counting
    starts at once when `start` falls inside a working period, else at the start of the next working
    period of a working day; a deadline that uses up a period exactly is that period's end (17:30, not
    09:00 the next working day). `hours=0` answers the moment counting starts.

    `hours` is an int or a Decimal (a float is taken at its exact value), rounded to the microsecond.
    Raises ValueError for a negative or non-finite count or a naive `start`; never CalendarMissing.
    """
    return _advance(_calendar(), working_hours(), start, _duration(hours))


def shift_by_working_time(
    due: datetime.datetime, paused_from: datetime.datetime, resumed_at: datetime.datetime
) -> Due:
    """`due` moved later by the working time that passed between `paused_from` and `resumed_at` (an
    appeal waiting on the enterprise), added in working time: a deadline at the end of a working day
    moves into the next working day's first period. No working time in the pause leaves `due` as it is.

    `provisional` says whether this shift looked at a day of a year without complete data; a caller
    keeping a provisional flag for `due` itself combines the two. Raises ValueError when the pause ends
    before it starts or a date-time is naive; never CalendarMissing.
    """
    _local(due)  # a naive deadline is refused before any work
    first, from_offset = _local(paused_from)
    last, to_offset = _local(resumed_at)
    if resumed_at < paused_from:
        raise ValueError("the pause ends before it starts")
    calendar, hours = _calendar(), working_hours()
    if first == last:
        paused = _worked(calendar, hours, first, from_offset, to_offset)
    else:
        paused = (
            _worked(calendar, hours, first, from_offset, MIDNIGHT)
            + hours.length * calendar.count(first, last - ONE_DAY)
            + _worked(calendar, hours, last, NO_TIME, to_offset)
        )
    guessed = calendar.guessed(first, last)
    if not paused:
        return Due(timezone.localtime(due, timezone.get_default_timezone()), guessed)
    shifted = _advance(calendar, hours, due, paused)
    return Due(shifted.due, guessed or shifted.provisional)


def working_days_elapsed(
    start: datetime.datetime | datetime.date, end: datetime.datetime | datetime.date
) -> int:
    """The working days after the local day of `start` up to and including the local day of `end`
    (negative when `end` comes first): `working_days_between` on local dates, for statistics such as
    the working days taken to reply. Days of years without complete data count by the weekday rule;
    never raises CalendarMissing."""
    first, last = _local_day(start), _local_day(end)
    calendar = _calendar()
    return calendar.count(first, last) if first <= last else -calendar.count(last, first)


def _advance(calendar: _Calendar, hours: WorkingHours, start: datetime.datetime, amount) -> Due:
    """The moment `amount` of working time after `start`, walking the working periods day by day."""
    day, offset = _local(start)
    first = day
    while True:
        if calendar.works(day):
            for begin, end in hours.periods:
                if offset >= end:
                    continue
                begin = max(begin, offset)
                if amount <= end - begin:
                    return Due(_at(day, begin + amount), calendar.guessed(first, day))
                amount -= end - begin
        day += ONE_DAY
        offset = NO_TIME


def _worked(calendar: _Calendar, hours: WorkingHours, day: datetime.date, since, until) -> datetime.timedelta:
    """The working time of `day` between two offsets from its local midnight."""
    if not calendar.works(day):
        return NO_TIME
    return sum((max(NO_TIME, min(end, until) - max(begin, since)) for begin, end in hours.periods), NO_TIME)


def _duration(hours) -> datetime.timedelta:
    if isinstance(hours, bool) or not isinstance(hours, int | float | Decimal):
        raise TypeError("hours must be an int or a Decimal")
    value = Decimal(hours)
    if not value.is_finite() or value < 0:
        raise ValueError("hours must be a finite number, zero or more")
    microseconds = (value * MICROSECONDS_PER_HOUR).to_integral_value(ROUND_HALF_EVEN)
    return datetime.timedelta(microseconds=int(microseconds))


def _local(moment: datetime.datetime) -> tuple[datetime.date, datetime.timedelta]:
    """The local day of an aware moment, and how far into that day it is on the local clock."""
    if not isinstance(moment, datetime.datetime):
        raise TypeError("give a datetime.datetime")
    if timezone.is_naive(moment):
        raise ValueError("give a timezone-aware datetime: a naive one names no moment")
    local = timezone.localtime(moment, timezone.get_default_timezone()).replace(tzinfo=None)
    return local.date(), local - datetime.datetime.combine(local.date(), datetime.time())


def _local_day(value: datetime.datetime | datetime.date) -> datetime.date:
    return _local(value)[0] if isinstance(value, datetime.datetime) else _as_date(value)


def _at(day: datetime.date, offset: datetime.timedelta) -> datetime.datetime:
    """The aware moment `offset` after the local midnight of `day`, on the local clock."""
    midnight = datetime.datetime.combine(day, datetime.time(), tzinfo=timezone.get_default_timezone())
    return midnight + offset
