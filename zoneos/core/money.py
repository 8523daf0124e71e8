"""Money and ratios as people read them (kernel: imports nothing of ZoneOS).

Amounts are `Decimal` yuan end to end; units are a display concern decided here once. A screen shows
its amounts in one unit (DESIGN.md: one unit per screen, named in the header): 亿元 on the screens of
investment (projects, key projects, the dashboard), 万元 everywhere else, and the same numbers in
English under the unit's English name ("12.35 hundred million yuan", "ten thousand yuan"), so that a
Chinese and an English screen read alike, and an amount typed in a screen's unit means the same in
both languages. Rounded half up as bulletins round.
The template filters in `core/templatetags/zoneos.py` and any module that writes amounts into text
call these.
"""

from __future__ import annotations

import calendar
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format
from django.utils.translation import get_language

WAN = Decimal(10**4)  # 万
YI = Decimal(10**8)  # 亿
MILLION = Decimal(10**6)
BILLION = Decimal(10**9)
CENT = Decimal("0.01")

# The units a screen may choose: its size in yuan, its Chinese and its English name.
UNITS = {
    "yi": (YI, "亿元", "hundred million yuan"),
    "wan": (WAN, "万元", "ten thousand yuan"),
    "yuan": (Decimal(1), "元", "yuan"),
}
LARGE = "yi"  # the unit of the screens of investment
DEFAULT = "wan"  # every other screen's


def english() -> bool:
    return (get_language() or "").startswith("en")


def _fixed(value: Decimal) -> str:
    # number_format truncates; bulletins round half up.
    return number_format(value.quantize(CENT, rounding=ROUND_HALF_UP), 2, force_grouping=True)


def _unit(unit: str) -> tuple[Decimal, str]:
    size, chinese, english_name = UNITS[LARGE if unit == "large" else unit]
    return size, english_name if english() else chinese


def unit_name(unit: str = DEFAULT) -> str:
    """The unit's name in the request's language, for a header or an axis: "万元" / "ten thousand
    yuan"."""
    return _unit(unit)[1]


def in_unit(value, unit: str = DEFAULT) -> Decimal | None:
    """Yuan as a number of the unit (a chart's value), rounded to the fen of that unit."""
    if value in (None, ""):
        return None
    return (Decimal(value) / _unit(unit)[0]).quantize(CENT, rounding=ROUND_HALF_UP)


def number_in(value, unit: str = DEFAULT) -> str:
    """Yuan as a number of the unit, for a cell under a header that names the unit: "1,234.50"."""
    if value in (None, ""):
        return "—"
    return _fixed(Decimal(value) / _unit(unit)[0])


def format_money(value, unit: str = DEFAULT) -> str:
    """Yuan in the screen's unit with its name: "1,234.50 万元", "12.35 亿元" ("large": 亿元), "—" for
    none. Every amount of a screen, zero included, goes through the same unit."""
    if value in (None, ""):
        return "—"
    size, name = _unit(unit)
    return f"{_fixed(Decimal(value) / size)} {name}"


def yi(value) -> str:
    """Yuan in 亿元 (hundreds of millions) with two decimals, the unit of investment tables."""
    if value in (None, ""):
        return "—"
    return f"{(Decimal(value) / YI).quantize(CENT, rounding=ROUND_HALF_UP):,}"


def percent(value, places: int = 1) -> str:
    """A fraction (Decimal or None) as a percentage."""
    if value is None:
        return "—"
    return f"{Decimal(value) * 100:.{int(places)}f}%"


def signed_percent(value, places: int = 1) -> str:
    if value is None:
        return "—"
    number = Decimal(value) * 100
    return f"{'+' if number >= 0 else ''}{number:.{int(places)}f}%"


# What a user may write after an amount they type: the unit it is in (the longest suffix wins).
UNIT_SUFFIXES = (
    ("亿元", YI),
    ("万元", WAN),
    ("亿", YI),
    ("万", WAN),
    ("元", Decimal(1)),
    ("yuan", Decimal(1)),
)


def parse_amount(raw, default_scale: Decimal = Decimal(1)) -> Decimal:
    """An amount as a user types it, in yuan to the fen: "1,200" (in the screen's unit, `default_scale`
    yuan each), "1.5亿", "300万元", "2500元". Raises ValueError for anything else."""
    text = "".join(str(raw or "").split()).replace(",", "").replace("，", "")
    scale = default_scale
    for suffix, size in UNIT_SUFFIXES:
        if text.lower().endswith(suffix):
            text, scale = text[: -len(suffix)], size
            break
    try:
        value = Decimal(text)
    except ArithmeticError as exc:
        raise ValueError(raw) from exc
    if not value.is_finite():
        raise ValueError(raw)
    return (value * scale).quantize(CENT, rounding=ROUND_HALF_UP)


def cumulative_label(month: int) -> str:
    """The header of a year's figures to the end of `month`: "1–3月" / "Jan–Mar" ("1月" / "Jan" alone)."""
    if english():
        first = calendar.month_abbr[1]
        return first if month == 1 else f"{first}–{calendar.month_abbr[month]}"
    return "1月" if month == 1 else f"1–{month}月"
