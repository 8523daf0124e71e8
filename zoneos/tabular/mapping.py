"""Which source column feeds which field, in which unit: the mapping step of an import.

The engine detects a field for each header (the spec's names and aliases) and the unit of each money
column (the header's, else the unit the user set in the mapping, else the sheet's "单位：万元" line).
The user may map or unmap a column, set its unit, mark it "blank clears" and pick another sheet; that
mapping is kept on the job (`ImportJob.mapping`) and, once confirmed, remembered per area, kind and
header set (`ImportMapping`), so the next sheet with the same headers from the same park maps itself.

Every source column is accounted for in the report: used (as which field, in which unit, from where)
or not used, with a warning when an unused column looks like money, dates or a stage.

The job's mapping is `{"columns": {"<index>": {"field": name or "", "unit": "10000", "clears": bool}},
"confirmed": bool}`; a column absent from "columns" keeps what was detected.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from .cells import excel_error, is_blank
from .readers import normal, split_header

# The units a user may set: the scale to yuan, and the name people write.
UNITS = {
    "1": gettext_lazy("yuan (元)"),
    "1000": gettext_lazy("thousand yuan (千元)"),
    "10000": gettext_lazy("ten thousand yuan (万元)"),
    "100000000": gettext_lazy("hundred million yuan (亿元)"),
}
UNIT_SHORT = {"1": "元", "1000": "千元", "10000": "万元", "100000000": "亿元"}
# Where a money column's unit came from.
SOURCES = {
    "header": gettext_lazy("the header"),
    "mapping": gettext_lazy("the mapping"),
    "sheet": gettext_lazy("the sheet's unit line"),
}
SHOWN_SKIPPED = 200  # skipped rows listed on the report (all are counted)
SAMPLE_ROWS = 500  # rows looked at to tell what an unused column holds
# Columns nobody maps: sequence numbers and notes look like numbers or text but are neither.
IGNORABLE = frozenset(
    normal(h) for h in ("序号", "序", "编号", "行号", "no", "no.", "#", "备注", "说明", "notes")
)
HINTS = {
    "money": (
        "元",
        "金额",
        "投资",
        "收入",
        "产值",
        "增加值",
        "税",
        "资金",
        "yuan",
        "amount",
        "revenue",
        "investment",
    ),
    "date": ("日期", "时间", "年月", "date", "time"),
    "stage": ("状态", "阶段", "进度", "进展", "stage", "status"),
}


def unit_key(scale) -> str:
    """The key of UNITS for a scale (Decimal 10000 → "10000")."""
    return format(Decimal(scale).normalize(), "f") if scale is not None else ""


def parse_unit(value) -> Decimal | None:
    """A unit as the user set it: a key of UNITS or its short name (万元); ValueError otherwise."""
    text = str(value or "").strip()
    if not text:
        return None
    for key, short in UNIT_SHORT.items():
        if text in (key, short):
            return Decimal(key)
    try:
        scale = Decimal(text)
    except InvalidOperation as exc:
        raise ValueError(text) from exc
    if unit_key(scale) not in UNITS:
        raise ValueError(text)
    return scale


def headers_key(headers: list) -> str:
    """The header set, as a key: the same headers (ignoring spaces, case, units and numbers, so that
    next month's "1-11月累计完成" is this month's "1-10月累计完成") give the same key."""
    labels = [re.sub(r"\d+", "#", normal(split_header(h)[0])) for h in headers]
    return hashlib.sha256("\x1f".join(labels).encode()).hexdigest()


@dataclass
class Source:
    """One column of the sheet and what the import makes of it."""

    index: int
    header: str
    detected: str = ""  # the field its header names ("" none)
    field: str = ""  # the field it feeds ("" not used)
    unit: Decimal | None = None
    unit_source: str = ""  # "header", "mapping" or "sheet"
    header_unit: Decimal | None = None
    clears: bool = False
    # What the first rows hold, for columns not used: cells seen, numbers, dates.
    seen: int = 0
    numbers: int = 0
    dates: int = 0
    looks: str = ""  # "money", "date" or "stage": an unused column that seems to hold a field


@dataclass
class Plan:
    sources: list[Source]
    problems: list[tuple[str, str]] = field(default_factory=list)  # (header, message): file unusable
    needs_unit: list[Source] = field(default_factory=list)  # money columns without a unit
    filled: dict[str, tuple[object, str]] = field(default_factory=dict)  # field -> (value, from where)

    def used(self) -> list[Source]:
        return [s for s in self.sources if s.field]


def build(table, spec, mapping: dict) -> Plan:
    """Detect each column's field and unit, apply the user's mapping, and fill period columns from the
    title. `table.units` gets the unit of each used money column."""
    columns = {c.name: c for c in spec.columns}
    known = {}
    for column in spec.columns:
        for header in column.headers():
            known.setdefault(header, column)
    chosen = {str(k): v for k, v in (mapping.get("columns") or {}).items()}
    plan = Plan([])
    taken: dict[str, Source] = {}
    for index, raw in enumerate(table.headers):
        label, unit = split_header(raw)
        header_unit = table.units.get(index, unit)
        source = Source(index, str(raw or "").strip(), header_unit=header_unit)
        plan.sources.append(source)
        detected = known.get(normal(label)) if label else None
        source.detected = detected.name if detected else ""
        choice = chosen.get(str(index), {})
        name = choice.get("field", source.detected) if "field" in choice else source.detected
        if name and name not in columns:
            name = ""
        source.clears = bool(choice.get("clears"))
        if name:
            if name in taken:
                if "field" in choice:
                    message = _("Two columns are mapped to “%(field)s”.") % {"field": label_of(columns[name])}
                    plan.problems.append((source.header, message))
                else:
                    plan.problems.append(
                        (
                            source.header,
                            _("The column “%(header)s” appears twice.") % {"header": source.header},
                        )
                    )
                continue
            taken[name] = source
            source.field = name
        if not source.field:
            continue
        if columns[name].money:
            if header_unit is not None:
                source.unit, source.unit_source = header_unit, "header"
            elif choice.get("unit"):
                try:
                    source.unit, source.unit_source = parse_unit(choice["unit"]), "mapping"
                except ValueError:
                    source.unit = None
            if source.unit is None and table.sheet_unit is not None:
                source.unit, source.unit_source = table.sheet_unit, "sheet"
            if source.unit is None:
                plan.needs_unit.append(source)
            else:
                table.units[index] = source.unit
    for column in spec.columns:
        if column.name in taken or not column.period:
            continue
        value = period_value(table.period, column.period)
        if value is not None:
            plan.filled[column.name] = (value, table.title)
    for column in spec.columns:
        if column.required and column.name not in taken and column.name not in plan.filled:
            message = _("The required column “%(zh)s” (%(en)s) is missing.")
            plan.problems.append((column.label_zh, message % {"zh": column.label_zh, "en": column.label_en}))
    return plan


def period_value(period, kind: str):
    """The year or month a title states for a whole sheet: the year when it names one year, the last
    month ("YYYY-MM") of a span within one year."""
    if period is None or period.year_from != period.year_to:
        return None
    if kind == "year":
        return period.year_to
    if kind == "month" and period.month_to:
        return f"{period.year_to}-{period.month_to:02d}"
    return None


def label_of(column) -> str:
    english = (get_language() or "").startswith("en")
    return column.label_en if english else column.label_zh


def watch(plan: Plan):
    """A function fed the first rows' cells, counting what each unused column holds."""
    unused = [s for s in plan.sources if not s.field and normal(split_header(s.header)[0]) not in IGNORABLE]
    count = 0

    def see(cells: list) -> None:
        nonlocal count
        count += 1
        if count > SAMPLE_ROWS:
            return
        for source in unused:
            cell = cells[source.index] if source.index < len(cells) else None
            if is_blank(cell) or excel_error(cell):
                continue
            source.seen += 1
            if isinstance(cell, datetime.date):
                source.dates += 1
            elif isinstance(cell, int | float | Decimal) and not isinstance(cell, bool):
                source.numbers += 1
            elif isinstance(cell, str):
                try:
                    Decimal(cell.strip().replace(",", ""))
                except InvalidOperation:
                    continue
                source.numbers += 1

    return see if unused else None


def judge(plan: Plan) -> list[Source]:
    """The unused columns that look like a field (money, dates, a stage): each gets a warning, and a
    sheet with any needs its mapping confirmed."""
    doubtful = []
    for source in plan.sources:
        if source.field:
            continue
        label, unit = split_header(source.header)
        key = normal(label)
        if not key or key in IGNORABLE:
            continue
        words = label.lower()
        if any(h in words for h in HINTS["stage"]):
            source.looks = "stage"
        elif any(h in words for h in HINTS["date"]) or (source.seen and source.dates * 2 > source.seen):
            source.looks = "date"
        elif unit is not None or any(h in words for h in HINTS["money"]) or _mostly_numbers(source):
            source.looks = "money"
        if source.looks:
            doubtful.append(source)
    return doubtful


def _mostly_numbers(source: Source) -> bool:
    return bool(source.seen) and source.numbers * 5 >= source.seen * 4


LOOKS = {
    "money": gettext_lazy("Not used, but it looks like money: map it to a field, or leave it out knowingly."),
    "date": gettext_lazy("Not used, but it looks like dates: map it to a field, or leave it out knowingly."),
    "stage": gettext_lazy(
        "Not used, but it looks like a stage or status: map it, or leave it out knowingly."
    ),
}


def describe(table, plan: Plan, spec) -> dict:
    """The report's account of the table, stored on the job as JSON (shown by the page and the API)."""
    columns = {c.name: c for c in spec.columns}
    rows = []
    for source in plan.sources:
        column = columns.get(source.field)
        rows.append(
            {
                "index": source.index,
                "header": source.header,
                "field": source.field,
                "detected": source.detected,
                "money": bool(column and column.money),
                "unit": unit_key(source.unit) if source.field else "",
                "unit_source": source.unit_source,
                "clears": source.clears,
                "needs_unit": source in plan.needs_unit,
                "looks": source.looks,
            }
        )
    period = table.period
    return {
        "sheet": table.sheet,
        "sheets": list(table.sheets),
        "title": table.title,
        "header_row": table.header_row,
        "sheet_unit": unit_key(table.sheet_unit) if table.sheet_unit is not None else "",
        "sheet_unit_text": table.sheet_unit_text,
        "period": (
            {
                "year_from": period.year_from,
                "year_to": period.year_to,
                "month_from": period.month_from,
                "month_to": period.month_to,
            }
            if period
            else None
        ),
        "columns": rows,
        "filled": [
            {"field": name, "value": str(value), "from": src} for name, (value, src) in plan.filled.items()
        ],
        "skipped": [{"row": number, "text": str(why)} for number, why in table.skipped[:SHOWN_SKIPPED]],
        "skipped_count": len(table.skipped),
        "headers_key": headers_key(table.headers),
    }
