"""The industry classification in use (GB/T 4754-2017): lookups and validation of industry codes.

Enterprises and projects store the plain digits of a division, group or class ("3841"); the section
letter is derived, as the standard's numbering allows. The table is small (about 2,000 rows), so it
is read once per process and kept in memory.
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.choices import BaseChoiceIterator
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .models import Industry

CURRENT_EDITION = "GB/T 4754-2017"
DATA_FILE = "gbt4754-2017.csv"
# Sections whose enterprises are "industrial" for the above-designated-size rule and the size classes.
INDUSTRIAL_SECTIONS = frozenset({"B", "C", "D"})


_tables: dict[str, dict] = {}


def table(edition: str = CURRENT_EDITION) -> dict:
    """The edition's codes from the database, read once per process (an empty read is not kept)."""
    if edition not in _tables:
        rows = {i.code: i for i in Industry.objects.filter(edition=edition)}
        if not rows:
            return rows
        _tables[edition] = rows
    return _tables[edition]


def clear() -> None:
    _tables.clear()


@cache
def _section_rows() -> list[tuple[str, str, str]]:
    path = Path(__file__).resolve().parent / "data" / DATA_FILE
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["level"] == "section"]
    return [(r["code"], r["name_zh"], r["name_en"]) for r in rows]


def section_choices() -> list[tuple[str, str]]:
    """The twenty sections as choices, from the shipped data file (no database needed)."""
    english = (get_language() or "").startswith("en")
    return [
        (code, f"{code} {name_en if english and name_en else name}")
        for code, name, name_en in _section_rows()
    ]


class SectionChoices(BaseChoiceIterator):
    """`section_choices()` read each time a form lists them, so the language is the request's, however
    long ago the form field was built (django-filter builds a filter's field once and copies it)."""

    def __iter__(self):
        return iter(section_choices())

    def __len__(self) -> int:
        return len(_section_rows())


def get(code: str, edition: str = CURRENT_EDITION):
    return table(edition).get(code)


def section_of(code: str) -> str:
    industry = get(code) if code else None
    return industry.section if industry else ""


def clean_industry_code(value: str | None) -> str:
    """A known division, group or class code ("C3841" and "3841" both give "3841"); blank stays blank."""
    code = (value or "").strip().upper()
    if not code:
        return ""
    if code[0].isalpha() and code[1:].isdigit():
        code = code[1:]
    industry = get(code)
    if industry is None or industry.level == "section":
        raise ValidationError(
            _("%(code)s is not a division, group or class of %(edition)s.")
            % {"code": value, "edition": CURRENT_EDITION}
        )
    return code


def sections() -> list:
    return [i for i in table().values() if i.level == "section"]


def divisions() -> list:
    return [i for i in table().values() if i.level == "division"]
