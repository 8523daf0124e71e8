"""The calendar's reference data: the statutory holidays and adjusted working weekends (调休) kept in
`data/holidays.json`, committed with the code, so every database migrated from the same commit gets the
same calendar whatever `chinesecalendar` release happens to be installed.

The file is written from the package by `manage.py update_holidays_file` when a release brings a new
year's State Council notice; the diff of the file is then reviewed and committed like code. The seeding
migration reads the file on its own (a migration does not import code that may change), so the format
below is a contract: keep it, or give the migration its own reader.

    {
      "source": "chinesecalendar 1.11.0",        written into each row's `source`
      "years": [2004, 2026],                      first and last year covered: each is complete
      "days": [                                   every exception of those years, by date
        {"date": "2004-01-01", "kind": "holiday", "name": "元旦"},
        ...
      ]
    }
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from pathlib import Path

PATH = Path(__file__).resolve().parent / "data" / "holidays.json"


@dataclass(frozen=True)
class Reference:
    source: str
    first_year: int
    last_year: int
    days: dict[datetime.date, tuple[str, str]]  # {date: (kind, name)}

    @property
    def years(self) -> range:
        return range(self.first_year, self.last_year + 1)


def read(path: Path | None = None) -> Reference:
    """The file at `path` (default: the committed one, `PATH`)."""
    data = json.loads((path or PATH).read_text(encoding="utf-8"))
    first, last = data["years"]
    days = {datetime.date.fromisoformat(d["date"]): (d["kind"], d["name"]) for d in data["days"]}
    return Reference(source=data["source"], first_year=first, last_year=last, days=days)


def from_package() -> Reference:
    """The reference data as the installed `chinesecalendar` package has it."""
    from . import seed

    years = seed.package_years()
    return Reference(
        source=seed.package_source(),
        first_year=years.start,
        last_year=years.stop - 1,
        days=seed.package_days(years),
    )


def dumps(reference: Reference) -> str:
    """The file's text: one day a line in date order, so a new year or a corrected day is a small,
    readable diff."""

    def line(value) -> str:
        return json.dumps(value, ensure_ascii=False)

    days = ",\n".join(
        f'    {{"date": "{day.isoformat()}", "kind": {line(kind)}, "name": {line(name)}}}'
        for day, (kind, name) in sorted(reference.days.items())
    )
    return (
        "{\n"
        f'  "source": {line(reference.source)},\n'
        f'  "years": [{reference.first_year}, {reference.last_year}],\n'
        f'  "days": [\n{days}\n  ]\n'
        "}\n"
    )


def write(reference: Reference, path: Path | None = None) -> None:
    path = path or PATH
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dumps(reference), encoding="utf-8")


def changes(old: Reference | None, new: Reference) -> list[str]:
    """What replacing `old` by `new` changes, one line each (empty when nothing does)."""
    if old is None:
        return [f"New file: {new.source}, {new.first_year}-{new.last_year}, {len(new.days)} days."]
    lines = []
    if old.source != new.source:
        lines.append(f"Source: {old.source} -> {new.source}")
    if (old.first_year, old.last_year) != (new.first_year, new.last_year):
        lines.append(f"Years: {old.first_year}-{old.last_year} -> {new.first_year}-{new.last_year}")
    for day in sorted(old.days.keys() | new.days.keys()):
        before, after = old.days.get(day), new.days.get(day)
        if before == after:
            continue
        if before is None:
            lines.append(f"+ {day.isoformat()} {after[0]} {after[1]}")
        elif after is None:
            lines.append(f"- {day.isoformat()} {before[0]} {before[1]}")
        else:
            lines.append(f"~ {day.isoformat()} {before[0]} {before[1]} -> {after[0]} {after[1]}")
    return lines
