"""Money and ratios as people read them (kernel: imports nothing of ZoneOS but the workflow's `Input`).

Amounts are `Decimal` yuan end to end; units are a display concern decided here once. A screen shows
its amounts in one unit (DESIGN.md: one unit per screen, named in the header): 亿元 on the screens of
investment (projects, key projects, the dashboard), 万元 everywhere else, and the same numbers in
English under the unit's English name ("12.35 hundred million yuan", "ten thousand yuan"), so that a
Chinese and an English screen read alike, and an amount typed in a screen's unit means the same in
both languages. Rounded half up as bulletins round.
The template filters in `core/templatetags/zoneos.py` and any module that writes amounts into text
call these; every field where a user types an amount is an `AmountField` (or an `AmountInput` of a
workflow step): labelled with the screen's unit, read in it unless 元/万元/亿元 follows, stored in yuan.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.formats import number_format
from django.utils.functional import lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from zoneos.core.workflow import Input

WAN = Decimal(10**4)  # 万
YI = Decimal(10**8)  # 亿
MILLION = Decimal(10**6)
BILLION = Decimal(10**9)
CENT = Decimal("0.01")
LARGEST = Decimal("9999999999999999.99")  # the money columns' 18 digits, two of them decimals

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


def unit_names(unit: str = DEFAULT) -> tuple[str, str]:
    """The unit's Chinese and English names, for text written in both languages at once."""
    _size, chinese, english_name = UNITS[LARGE if unit == "large" else unit]
    return chinese, english_name


def in_words(value, unit: str = DEFAULT, *, language: str | None = None, places: int = 2) -> str:
    """An amount inside a sentence, in the unit and the language's style: "110.04亿元" (bulletins write
    no space and no grouping) or "1,100.40 hundred million yuan"; `language` defaults to the request's."""
    size, chinese, english_name = UNITS[LARGE if unit == "large" else unit]
    in_english = english() if language is None else language.startswith("en")
    number = (Decimal(value or 0) / size).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return f"{number:,} {english_name}" if in_english else f"{number}{chinese}"


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


def _labelled(label, unit: str) -> str:
    name = unit_name(unit)
    return f"{label} ({name})" if english() else f"{label}（{name}）"


labelled = lazy(_labelled, str)
labelled.__doc__ = """A field's label with the screen's unit, read when shown: "核准金额（万元）" /
"Approved amount (ten thousand yuan)"."""


class AmountField(forms.CharField):
    """An amount a user types, in the screen's unit unless a unit follows it ("300万", "1.2亿", "2500元"):
    labelled with the unit, shown in it, cleaned to yuan (a `Decimal`)."""

    def __init__(self, *, unit: str = DEFAULT, label=None, **kwargs):
        self.unit = unit
        kwargs.setdefault("help_text", _("Or write 元, 万元 or 亿元 after the number (e.g. 300万, 1.2亿)."))
        super().__init__(label=labelled(label, unit) if label is not None else None, **kwargs)
        self.widget.attrs.setdefault("inputmode", "decimal")
        self.validators.append(MaxValueValidator(LARGEST))  # what a money column holds

    def prepare_value(self, value):
        # A stored amount (yuan) is shown in the screen's unit; what the user typed, as typed.
        if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
            return format((Decimal(value) / _unit(self.unit)[0]).normalize(), "f")
        return value

    def to_python(self, value):
        if isinstance(value, Decimal):  # already yuan (a disabled field's initial value)
            return value
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            return parse_amount(value, _unit(self.unit)[0])
        except ValueError:
            raise forms.ValidationError(
                _("Give the amount in %(unit)s, or write 元, 万元 or 亿元 after it."),
                params={"unit": unit_name(self.unit)},
            ) from None


@dataclass(frozen=True)
class AmountInput(Input):
    """A workflow step's amount: the page's field is an `AmountField` in the screen's unit; the API's
    stays a decimal in yuan."""

    unit: str = DEFAULT

    def form_field(self) -> forms.Field:
        extra = {"help_text": self.help} if self.help else {}
        return AmountField(
            unit=self.unit, label=self.label, required=False, validators=[MinValueValidator(0)], **extra
        )


# Shares: ratios stored as fractions (0.35), typed and shown in per cent ("35 %") -------------------------
HUNDRED = Decimal(100)
FOUR_PLACES = Decimal("0.0001")  # as a fraction column stores it: 35 typed is 0.3500


def share(value) -> str:
    """A fraction (0.35, "0.3500") as the pages show a share: "35 %", "2.8 %", up to two decimals and
    no trailing zeros; "—" for none."""
    if value is None or value == "":
        return "—"
    number = (Decimal(value) * HUNDRED).quantize(CENT, rounding=ROUND_HALF_UP).normalize()
    return f"{number:f} %"


class PercentField(forms.DecimalField):
    """A share typed in per cent ("35", "2.8"), shown in per cent, cleaned to the fraction it is stored
    as (0.35). The form field of every `FractionField`; the services validate the fraction."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        for name in ("max_digits", "decimal_places", "max_value", "min_value"):
            kwargs.pop(name, None)
        super().__init__(max_digits=None, decimal_places=2, **kwargs)
        self.widget.attrs.update({"step": "0.01", "inputmode": "decimal"})
        self.widget.attrs.pop("max", None)

    def prepare_value(self, value):
        # A stored fraction is shown in per cent; what the user typed, as typed.
        if isinstance(value, Decimal):
            return format((value * HUNDRED).normalize(), "f")
        return value

    def clean(self, value):
        value = super().clean(value)
        return None if value is None else (value / HUNDRED).quantize(FOUR_PLACES)
