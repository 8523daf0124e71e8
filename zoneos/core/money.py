"""Money and ratios as people read them (kernel: imports nothing of ZoneOS).

Amounts are `Decimal` yuan end to end; units are a display concern decided here once: 亿元 / 万元 in
Chinese, billion / million yuan in English, rounded half up as bulletins round. The template filters
in `core/templatetags/zoneos.py` and any module that writes amounts into text call these.
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


def english() -> bool:
    return (get_language() or "").startswith("en")


def _fixed(value: Decimal) -> str:
    # number_format truncates; bulletins round half up.
    return number_format(value.quantize(CENT, rounding=ROUND_HALF_UP), 2, force_grouping=True)


def format_money(value, unit: str = "auto") -> str:
    """Yuan in the largest unit it reaches ("auto"), or in the named unit ("亿元", "million yuan"), or
    in the large unit of the language ("large": 亿元 / billion yuan, so that every amount of a screen,
    zero included, reads in one unit)."""
    if value in (None, ""):
        return "—"
    amount = Decimal(value)
    if english():
        steps, base = [(BILLION, "billion yuan"), (MILLION, "million yuan")], "yuan"
    else:
        steps, base = [(YI, "亿元"), (WAN, "万元")], "元"
    if unit == "large":
        unit = steps[0][1]
    for size, label in steps:
        if unit == label or (unit == "auto" and abs(amount) >= size):
            return f"{_fixed(amount / size)} {label}"
    return f"{_fixed(amount)} {base}"


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
