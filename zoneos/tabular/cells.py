"""What a cell of a zone's spreadsheet means, as its staff write it: blanks that are not empty ("—",
"无", "未报"), Excel's error values, and dates in every shape a sheet holds them (a date cell, an Excel
serial number, "2025-03-01", "2025年3月", "2025.3", "2025年"). Dates keep their precision: a sheet that
says "2025年3月" said a month, not the first of March.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

# Cells that say "nothing here" in the ways sheets say it; read as blank.
BLANK_TOKENS = frozenset({"—", "——", "-", "--", "/", "／", "无", "暂无", "未报", "未填", "n/a", "na", "null"})
# Excel's error values: a formula that failed. Never a blank and never a number: an error of the row.
EXCEL_ERRORS = frozenset(
    {"#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!", "#GETTING_DATA"}
)


def is_blank(value) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        stripped = value.strip()
        return not stripped or stripped.lower() in BLANK_TOKENS
    return False


def excel_error(value) -> str | None:
    """The Excel error a cell holds ("#N/A"), or None."""
    if isinstance(value, str):
        stripped = value.strip().upper()
        if stripped in EXCEL_ERRORS:
            return stripped
    return None


class Precision:
    DAY = "day"
    MONTH = "month"
    YEAR = "year"


@dataclass(frozen=True)
class SheetDate:
    """A date as the sheet gave it: `on` is its first day when only a month or a year was given."""

    on: datetime.date
    precision: str = Precision.DAY

    def __str__(self) -> str:
        if self.precision == Precision.YEAR:
            return f"{self.on.year}"
        if self.precision == Precision.MONTH:
            return f"{self.on.year}-{self.on.month:02d}"
        return self.on.isoformat()


EXCEL_EPOCH = datetime.date(1899, 12, 30)  # serial 1 is 1900-01-01 (Excel's 1900 leap-year bug included)
SERIALS = range(1, 2_958_466)  # up to 9999-12-31
DAY_PATTERN = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
COMPACT_DAY = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
MONTH_PATTERN = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?(?:份)?$")
YEAR_PATTERN = re.compile(r"^(\d{4})\s*年?(?:度)?$")


def _invalid(value):
    return ValueError(_("“%(value)s” is not a date (use YYYY-MM-DD).") % {"value": value})


def parse_sheet_date(value) -> SheetDate | None:
    """The date in a cell, with its precision; None for a blank; ValueError for anything else.

    A bare number is an Excel serial (a date column that lost its format) unless it has four digits
    and reads as a year (1949–2100), or eight digits as YYYYMMDD.
    """
    if is_blank(value):
        return None
    if isinstance(value, datetime.datetime):
        return SheetDate(value.date())
    if isinstance(value, datetime.date):
        return SheetDate(value)
    if isinstance(value, bool):
        raise _invalid(value)
    if isinstance(value, int | float):
        if float(value).is_integer():
            number = int(value)
            if 1949 <= number <= 2100:
                return SheetDate(datetime.date(number, 1, 1), Precision.YEAR)
            if 19490101 <= number <= 21001231:
                return parse_sheet_date(str(number))
            if number in SERIALS:
                return SheetDate(EXCEL_EPOCH + datetime.timedelta(days=number))
        raise _invalid(value)
    text = str(value).strip()
    if text.isdigit() and len(text) == 5:
        return parse_sheet_date(int(text))  # a serial that came through csv as text
    try:
        for pattern, precision in (
            (DAY_PATTERN, Precision.DAY),
            (COMPACT_DAY, Precision.DAY),
            (MONTH_PATTERN, Precision.MONTH),
            (YEAR_PATTERN, Precision.YEAR),
        ):
            match = pattern.match(text)
            if match:
                parts = [int(g) for g in match.groups()] + [1, 1]
                on = datetime.date(*parts[:3])
                if not 1949 <= on.year <= 2100:
                    raise _invalid(value)
                return SheetDate(on, precision)
    except ValueError as exc:
        raise _invalid(value) from exc
    raise _invalid(value)


def parse_date(value) -> datetime.date | None:
    """The day a cell names (the first day of a month or year given alone); None for a blank."""
    found = parse_sheet_date(value)
    return found.on if found else None


MAX_AMOUNT = Decimal(10) ** 16  # yuan: the money columns hold 18 digits, 2 after the point
CENT = Decimal("0.01")


def amount(cell, scale: Decimal | None = None, limit: Decimal = MAX_AMOUNT) -> Decimal:
    """The non-negative number a filled cell holds, times its unit's `scale`, to 2 places: what every
    importer reads from a money (or other amount) column. ValueError says what is wrong with it: an
    Excel error, not a number, negative, or at or over `limit` (a bank-card number in an amount column)."""
    from .readers import decimal  # the reader's number parsing (the reader imports nothing from here)

    error = excel_error(cell)
    if error:
        raise ValueError(_("The cell holds the Excel error %(error)s.") % {"error": error})
    value = decimal(cell, scale)
    if value < 0:
        raise ValueError(_("Cannot be negative."))
    if value >= limit:  # before rounding: rounding 10^26 to the fen fails
        raise ValueError(_("The amount is too large."))
    return value.quantize(CENT)
