"""Loading the calendar from the committed holiday file (`reference`, `data/holidays.json`), the same
data the seeding migration loads, so a database that is already migrated takes a new year (or a
corrected day) from the reviewed file rather than from whatever package release the server has. Used
by `manage.py seed_workdays`.

The file is written from the installed `chinesecalendar` package (module `chinese_calendar`), which
keeps each State Council notice as data: `package_days` and its neighbours below read it, for
`manage.py update_holidays_file`.

Loading a year makes its rows match the package exactly and marks the year complete. Years already
complete in the table are left alone unless `replace` is given, so an administrator's corrections are
not overwritten by accident. Every change is in the history, attributed to `by` (or to no one).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from zoneos.audit import bulk
from zoneos.audit.context import acting

from . import calendar, reference
from .models import CalendarDay, CalendarYear, DayKind

# The package names holidays in English; the table keeps the names of the State Council notices.
HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


def chinese_name(english: str) -> str:
    """The Chinese name of a holiday as the package spells it in English (its own short name, else the
    English, for a holiday added by a later release)."""
    if english in HOLIDAY_NAMES:
        return HOLIDAY_NAMES[english]
    from chinese_calendar.constants import Holiday

    try:
        return Holiday(english).chinese
    except ValueError:
        return english


def package_source() -> str:
    import chinese_calendar

    return f"chinesecalendar {chinese_calendar.__version__}"


def package_years() -> range:
    """The years the installed package has data for."""
    from chinese_calendar.constants import holidays

    return range(min(holidays).year, max(holidays).year + 1)


def package_days(years: Iterable[int]) -> dict[datetime.date, tuple[str, str]]:
    """{date: (kind, Chinese name)} of the package's exceptions in `years`."""
    from chinese_calendar.constants import holidays, workdays

    wanted = set(years)
    days = {d: (DayKind.HOLIDAY.value, chinese_name(n)) for d, n in holidays.items() if d.year in wanted}
    days.update(
        {d: (DayKind.WORKDAY.value, chinese_name(n)) for d, n in workdays.items() if d.year in wanted}
    )
    return days


@dataclass
class Outcome:
    loaded: list[int] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    deleted: int = 0


@transaction.atomic
def seed(years: Iterable[int] | None = None, *, replace: bool = False, by=None) -> Outcome:
    """Load `years` (default: every year the file covers) from the file; see the module's text."""
    data = reference.read()
    covered = data.years
    wanted = sorted(set(years)) if years is not None else list(covered)
    missing = [y for y in wanted if y not in covered]
    if missing:
        raise ValidationError(
            {
                "year": [
                    _("%(source)s has data for %(first)s to %(last)s only, not for %(years)s.")
                    % {
                        "source": f"{reference.PATH.name} ({data.source})",
                        "first": covered.start,
                        "last": covered.stop - 1,
                        "years": ", ".join(map(str, missing)),
                    }
                ]
            }
        )
    outcome = Outcome()
    known = {y.year: y for y in CalendarYear.objects.select_for_update().filter(year__in=wanted)}
    load = []
    for year in wanted:
        if year in known and known[year].complete and not replace:
            outcome.skipped.append(year)
        else:
            load.append(year)
    if not load:
        return outcome
    source = data.source
    target = {day: value for day, value in data.days.items() if day.year in load}
    existing = {
        d.date: d
        for d in CalendarDay.objects.filter(
            date__gte=datetime.date(min(load), 1, 1), date__lte=datetime.date(max(load), 12, 31)
        )
        if d.date.year in load
    }
    with acting(by):
        for day, row in existing.items():
            if day not in target:
                row.delete()
                outcome.deleted += 1
            elif (row.kind, row.name) != target[day]:
                row.kind, row.name = target[day]
                row.source = source
                row.save()
                outcome.updated += 1
        new = [
            CalendarDay(date=day, kind=kind, name=name, source=source)
            for day, (kind, name) in sorted(target.items())
            if day not in existing
        ]
        CalendarDay.objects.bulk_create(new, batch_size=1000)
        _log_created(new, by)
        outcome.created = len(new)
        for year in load:
            record = known.get(year)
            if record is not None and (not record.complete or record.source != source):
                record.complete, record.source = True, source
                record.save()
        years = [CalendarYear(year=y, complete=True, source=source) for y in load if y not in known]
        CalendarYear.objects.bulk_create(years)
        _log_years(years, by)
    outcome.loaded = load
    # bulk_create sends no signals.
    transaction.on_commit(calendar.invalidate)
    calendar.invalidate()
    return outcome


def _log_created(new: list[CalendarDay], by) -> None:
    if not new:
        return
    first, last = min(d.date for d in new), max(d.date for d in new)
    ids = dict(CalendarDay.objects.filter(date__gte=first, date__lte=last).values_list("date", "pk"))
    bulk.log(
        CalendarDay,
        (
            (
                ids[d.date],
                str(d),
                bulk.CREATE,
                {
                    "date": (None, d.date.isoformat()),
                    "kind": (None, d.kind),
                    "name": (None, d.name),
                    "source": (None, d.source),
                },
            )
            for d in new
        ),
        by,
    )


def _log_years(new: list[CalendarYear], by) -> None:
    if not new:
        return
    ids = dict(CalendarYear.objects.filter(year__in=[y.year for y in new]).values_list("year", "pk"))
    bulk.log(
        CalendarYear,
        (
            (
                ids[y.year],
                str(y),
                bulk.CREATE,
                {
                    "year": (None, y.year),
                    "complete": (None, True),
                    "source": (None, y.source),
                    "notes": (None, ""),
                },
            )
            for y in new
        ),
        by,
    )
