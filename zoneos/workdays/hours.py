"""The office hours of a working day (工作时间), from `settings.ZONEOS_WORKING_HOURS`: the periods in local
time in which deadlines counted in working hours run, and whose last end closes a working day.

The setting is checked when the app starts (`WorkdaysConfig.ready`), so a typo in the environment stops
the process with a clear message instead of moving deadlines.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

DEFAULT = (("09:00", "12:00"), ("13:30", "17:30"))  # government office hours
MIDNIGHT = datetime.timedelta(days=1)
_TIME = re.compile(r"([0-9]{1,2}):([0-9]{2})")


@dataclass(frozen=True)
class WorkingHours:
    """Periods as offsets from local midnight, in order and apart; `24:00` may end the last one."""

    periods: tuple[tuple[datetime.timedelta, datetime.timedelta], ...]

    @property
    def length(self) -> datetime.timedelta:
        """The working time of a whole working day."""
        return sum((end - start for start, end in self.periods), datetime.timedelta())

    @property
    def closing(self) -> datetime.timedelta:
        """When a working day ends: the end of its last period."""
        return self.periods[-1][1]


def parse(value) -> WorkingHours:
    """Read ("HH:MM", "HH:MM") pairs; raise ValueError saying what is wrong."""
    if isinstance(value, str) or not hasattr(value, "__iter__"):
        raise ValueError("give a list of (start, end) pairs")
    periods: list[tuple[datetime.timedelta, datetime.timedelta]] = []
    for pair in value:
        if isinstance(pair, str) or not hasattr(pair, "__iter__"):
            raise ValueError(f"{pair!r} is not a (start, end) pair")
        times = list(pair)
        if len(times) != 2:
            raise ValueError(f"{'-'.join(map(str, times))!r} is not one period START-END")
        start, end = (_offset(time) for time in times)
        if start >= end:
            raise ValueError(f"the period {times[0]}-{times[1]} does not end after it starts")
        if end > MIDNIGHT:
            raise ValueError(f"the period {times[0]}-{times[1]} goes past midnight")
        if periods and start < periods[-1][1]:
            raise ValueError(f"the period {times[0]}-{times[1]} overlaps or comes before the one before it")
        periods.append((start, end))
    if not periods:
        raise ValueError("give at least one period")
    return WorkingHours(tuple(periods))


def _offset(text) -> datetime.timedelta:
    match = _TIME.fullmatch(text.strip()) if isinstance(text, str) else None
    if match:
        hours, minutes = int(match[1]), int(match[2])
        if minutes < 60 and (hours, minutes) <= (24, 0):
            return datetime.timedelta(hours=hours, minutes=minutes)
    raise ValueError(f"{text!r} is not a time HH:MM")


_parsed: tuple[object, WorkingHours] | None = None


def working_hours() -> WorkingHours:
    """The configured hours, parsed again only when the setting changes (as tests do)."""
    global _parsed
    raw = _frozen(getattr(settings, "ZONEOS_WORKING_HOURS", DEFAULT))
    held = _parsed
    if held is not None and held[0] == raw:
        return held[1]
    try:
        hours = parse(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"ZONEOS_WORKING_HOURS: {exc}. Give the office hours of a working day in local time, in the "
            'environment as ZONEOS_WORKING_HOURS="09:00-12:00,13:30-17:30" or in the settings as '
            '[("09:00", "12:00"), ("13:30", "17:30")].'
        ) from exc
    _parsed = (raw, hours)
    return hours


def _frozen(raw):
    """The setting as nested tuples, to compare with the one parsed last (lists compare unequal to
    tuples, and a list changed in place must not be mistaken for the old one)."""
    if isinstance(raw, str) or not hasattr(raw, "__iter__"):
        return raw
    return tuple(
        pair if isinstance(pair, str) or not hasattr(pair, "__iter__") else tuple(pair) for pair in raw
    )
