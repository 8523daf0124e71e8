"""What a park's monthly sheet writes, read for the monthly report import (`imports`): its columns and
the headers that name a month ("本月完成", "1-10月累计完成"), its months ("2026年1-10月" is October), and
its money with the precision it was written to (784.22 万元 is 7,842,200 yuan, give or take 50).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zoneos.core.money import UNITS, unit_name
from zoneos.tabular import cells
from zoneos.tabular.cells import CENT
from zoneos.tabular.engine import Column, Row
from zoneos.tabular.readers import normal, text

SEPARATORS = ("-", "~", "～", "—", "–", "至", "到")


@dataclass(eq=False)
class SheetColumn(Column):
    """A column also known by headers that name a month ("1-10月累计完成"): matched, never listed in the
    template's notes."""

    generated: tuple[str, ...] = ()

    def headers(self) -> set[str]:
        return super().headers() | {normal(h) for h in self.generated}


def _this_month_headers() -> tuple[str, ...]:
    return tuple(
        f"{n}月{word}" for n in range(1, 13) for word in ("完成投资", "份完成投资", "完成", "完成投资额")
    )


def _year_to_date_headers() -> tuple[str, ...]:
    words = ("累计完成", "累计完成投资", "累计完成投资额", "完成投资", "完成投资额", "累计")
    found = [f"1{sep}{n}月{word}" for sep in SEPARATORS for n in range(2, 13) for word in words]
    found += [f"1月{sep}{n}月{word}" for sep in SEPARATORS for n in range(2, 13) for word in words]
    # "1-2月完成投资" reads as "12月完成投资" once normalised: a month's column (right for January and
    # February together as well).
    this_month = {normal(h) for h in _this_month_headers()}
    return tuple(h for h in found if normal(h) not in this_month)


REPORT_COLUMNS = [
    Column(
        "name",
        "项目名称",
        "Key project",
        True,
        ("项目", "重点项目", "重点项目名称", "key project name"),
    ),
    Column(
        "area",
        "所在园区",
        "Area",
        False,
        ("园区", "所属园区", "落户园区", "责任园区", "园区名称", "园区代码", "area code"),
    ),
    Column("month", "月份", "Month", False, ("报送月份", "统计月份", "填报月份", "period"), period="month"),
    SheetColumn(
        "completed",
        "本月完成投资",
        "Completed this month",
        False,
        ("本月完成", "本月完成投资额", "当月完成投资", "当月完成", "本期完成投资", "completed"),
        money=True,
        generated=_this_month_headers(),
    ),
    Column("funds_in_place", "本月到位资金", "Funds in place this month", False, ("到位资金",), money=True),
    Column("progress_note", "形象进度", "Progress", False, ("工程进度", "进展情况", "项目进展", "progress")),
    Column(
        "problems", "存在问题", "Problems", False, ("问题及建议", "存在问题及建议", "困难问题", "problems")
    ),
    SheetColumn(
        "cumulative",
        "累计完成投资",
        "Completed since January",
        False,
        (
            "累计完成",
            "累计完成投资额",
            "本年累计完成投资",
            "本年累计完成",
            "年度累计完成投资",
            "自年初累计完成投资",
            "1-本月累计完成投资",
            "cumulative",
        ),
        money=True,
        generated=_year_to_date_headers(),
    ),
    Column(
        "annual_plan",
        "年度计划投资",
        "Annual planned investment",
        False,
        ("年计划投资", "本年计划投资", "年度计划", "annual plan"),
        money=True,
    ),
]
PERIOD = re.compile(
    r"^\s*(\d{4})\s*(?:年|-|/|\.)\s*(\d{1,2})(?:\s*(?:-|~|～|–|—|至|到)\s*(\d{1,2}))?\s*月?份?\s*$"
)


def parse_period(value) -> tuple[int, int, bool]:
    """(year, month, covers January-February) from the ways sheets write a month: "2026-03", "2026年3月",
    "2026年1-2月" (January and February together), "2026年1-10月" (the year to October: October); a
    date cell. ValueError else."""
    if hasattr(value, "year") and hasattr(value, "month"):
        return value.year, value.month, False
    match = PERIOD.match(text(value))
    if not match:
        raise ValueError(_("Give the month as 2026-03, 2026年3月 or 2026年1-10月."))
    year, first, last = int(match.group(1)), int(match.group(2)), match.group(3)
    if last is None:
        if not 1 <= first <= 12:
            raise ValueError(_("Give the month as 2026-03, 2026年3月 or 2026年1-10月."))
        return year, first, False
    last = int(last)
    if first != 1 or not 2 <= last <= 12:
        raise ValueError(_("A span of months starts in January (1-2月, 1-10月)."))
    return year, last, last == 2


# Money as the sheet wrote it ----------------------------------------------------------------------
@dataclass(frozen=True)
class Money:
    """An amount in yuan, with the sheet's precision: one unit of the last decimal written, in yuan."""

    yuan: Decimal
    scale: Decimal
    unit: Decimal


def _decimals(cell) -> int:
    if isinstance(cell, float):
        cell = repr(round(cell, 6))  # a formula's 784.2200000000001 was written 784.22
    try:
        exponent = Decimal(str(cell).strip().replace(",", "").replace("，", "")).as_tuple().exponent
    except InvalidOperation:
        return 0
    return max(-exponent, 0) if isinstance(exponent, int) else 0


def money(row: Row, name: str) -> Money | None:
    cell, scale = row.values.get(name), Decimal(1)
    if isinstance(cell, tuple):
        cell, given = cell
        scale = Decimal(given) if given else scale
    if cells.is_blank(cell):
        return None
    try:
        value = cells.amount(cell, scale)
    except ValueError as exc:
        row.error(name, exc)
        return None
    unit = max(Decimal(1).scaleb(-_decimals(cell)) * scale, CENT)
    return Money(value, scale, unit)


# 万元 and 亿元 under money.py's names; 千元 is no screen's unit.
UNIT_NAMES = {size: lazy(unit_name, str)(key) for key, (size, _zh, _en) in UNITS.items() if size > 1}
UNIT_NAMES[Decimal(1000)] = gettext_lazy("thousand yuan")


def show(yuan: Decimal, scale: Decimal = Decimal(1)) -> str:
    """An amount in yuan, and in the sheet's unit when the sheet wrote another: "78,422,000.00 yuan
    (7,842.2 10k yuan)"."""
    shown = _("%(amount)s yuan") % {"amount": f"{yuan:,.2f}"}
    if scale != 1:
        in_unit = (yuan / scale).normalize()
        unit = UNIT_NAMES.get(scale) or _("× %(scale)s yuan") % {"scale": f"{scale:,f}"}
        shown += f" ({in_unit:,f} {unit})"
    return shown


# Figures read in the wrong unit --------------------------------------------------------------------
UNIT_FACTORS = tuple(Decimal(10) ** p for p in (3, 4, 5, 7, 8))  # between 元, 千元, 万元 and 亿元
CLOSE = Decimal("0.02")


def unit_slip(sheet: Decimal, stored: Decimal) -> bool:
    """Whether the sheet's figure is the stored one in another unit (万元 read as yuan, or the reverse)."""
    if not sheet or not stored:
        return False
    ratio = stored / sheet
    return any(abs(ratio / f - 1) < CLOSE or abs(ratio * f - 1) < CLOSE for f in UNIT_FACTORS)


def implausible(figure: Decimal, plan: Decimal) -> bool:
    """A completed investment no key project reports against its annual plan: above nothing yet below
    a hundred-thousandth of it (784.22 yuan on a plan of 120 million: 万元 read as yuan), or over ten
    times it (yuan read as 万元)."""
    return bool(plan) and figure > 0 and (figure * 100_000 < plan or figure > plan * 10)
