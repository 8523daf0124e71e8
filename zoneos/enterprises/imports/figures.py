"""Yearly figures from a sheet: the figures import (upsert on USCC and year), and the figures an
enterprises import carries beside the registry columns. Both clean and write them here, with the same
checks as the services (locked years, R&D staff within the employees) and the same derived columns.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zoneos.accounts.scoping import scope
from zoneos.audit import bulk
from zoneos.core.bulkinsert import insert
from zoneos.core.roles import CHANGE
from zoneos.tabular.engine import Column, ImportSpec, Row
from zoneos.tabular.readers import text

from .. import rules
from ..models import Enterprise, Indicator, IndicatorSource, YearLock
from ..services import figures_changed, refresh_size_class
from .common import SOURCES, _count, _money, _uscc, given, has_error, unwrap, yes_no

USCC_COLUMN = Column(
    "uscc", "统一社会信用代码", "USCC", True, ("unified social credit code", "社会信用代码", "信用代码")
)
YEAR_ALIASES = ("年度", "统计年度", "填报年度")
# The figures' columns, shared by both imports (an enterprises sheet names them the same way).
VALUE_COLUMNS = [
    Column("output_value", "产值", "Output value", False, ("工业总产值", "总产值", "工业产值"), money=True),
    Column("revenue", "营业收入", "Revenue", False, ("营收", "营业总收入"), money=True),
    Column("main_business_revenue", "主营业务收入", "Main business revenue", False, (), money=True),
    Column("tax_paid", "纳税总额", "Tax paid", False, ("税收", "实缴税金", "纳税", "税收总额"), money=True),
    Column("rd_expense", "研发费用", "R&D expense", False, ("研发投入", "rd expense"), money=True),
    Column("exports", "出口额", "Exports", False, ("出口交货值", "出口"), money=True),
    Column("employees", "从业人员", "Employees", False, ("员工人数", "从业人员数", "从业人数", "职工人数")),
    Column("rd_staff", "研发人员", "R&D staff", False, ("研发人员数", "rd staff")),
    Column("invention_patents", "发明专利", "Invention patents", False, ("有效发明专利", "发明专利数")),
    Column("above_designated_size_set", "是否规上", "Above designated size", False, ("规上", "规上企业")),
]
MONEY_FIELDS = ("output_value", "revenue", "main_business_revenue", "tax_paid", "rd_expense", "exports")
COUNT_FIELDS = ("employees", "rd_staff", "invention_patents")
VALUE_FIELDS = (*MONEY_FIELDS, *COUNT_FIELDS, "above_designated_size_set")
FIGURE_FIELDS = (*VALUE_FIELDS, "source")
FIGURE_COLUMNS = [
    USCC_COLUMN,
    Column("year", "年份", "Year", True, YEAR_ALIASES, period="year"),
    *VALUE_COLUMNS,
    Column("source", "数据来源", "Source", False, ("来源",)),
]


def clean_values(row: Row, into: dict) -> None:
    """The figures the row gives (absent ones stay out of `into`: they keep the stored value)."""
    for name in MONEY_FIELDS:
        if given(row, name):
            into[name] = _money(row, name)
    for name in COUNT_FIELDS:
        if given(row, name):
            into[name] = _count(row, name)
    if given(row, "above_designated_size_set"):
        into["above_designated_size_set"] = yes_no(row, "above_designated_size_set")


def clean_year(row: Row, context=None) -> int | None:
    """The row's year: its 年份 cell, else the single year the sheet's title states; None when neither."""
    if given(row, "year") and unwrap(row.values["year"]) is not None:
        year = _count(row, "year")
        if year is not None and not 1949 <= year <= 2100:
            row.error("year", _("Give a year between 1949 and 2100."))
            return None
        return year
    period = getattr(context, "period", None)
    if period is not None and period.year_from == period.year_to:
        return period.year_to
    return None


def locked(enterprise: Enterprise, year: int, locks) -> bool:
    return any(y == year and enterprise.area.path.startswith(path) for path, y in locks)


def year_locks() -> list[tuple[str, int]]:
    return list(YearLock.objects.values_list("area__path", "year"))


def existing_figures(pairs) -> dict[tuple[int, int], Indicator]:
    """The stored figures of these (enterprise id, year) pairs, in one query."""
    pairs = set(pairs)
    if not pairs:
        return {}
    query = Indicator.objects.filter(enterprise_id__in={p[0] for p in pairs}, year__in={p[1] for p in pairs})
    return {(i.enterprise_id, i.year): i for i in query if (i.enterprise_id, i.year) in pairs}


def check_staff(row: Row, clean: dict, current: Indicator | None) -> None:
    """R&D staff within the employees, as they will be stored (a sheet may give one of the two)."""

    def after(name):
        return clean[name] if name in clean else getattr(current, name, None)

    staff, employees = after("rd_staff"), after("employees")
    if staff is not None and employees is not None and staff > employees:
        row.error("rd_staff", _("R&D staff cannot outnumber the employees."))


def figure_changes(current: Indicator | None, clean: dict) -> dict:
    """{field: (old, new)} of every figure the row changes (old None for a year not stored yet)."""
    return {
        name: (getattr(current, name, None), clean[name])
        for name in FIGURE_FIELDS
        if name in clean and getattr(current, name, None) != clean[name]
    }


class FigureWriter:
    """Writes yearly figures chunk by chunk; remembers the areas and years the statistics must redo."""

    def __init__(self):
        self.touched_areas: set[int] = set()
        self.years: set[int] = set()

    def write(self, items, by) -> tuple[int, int, int]:
        """`items`: (enterprise, year, figures given, stored Indicator or None). Returns (created,
        updated, unchanged)."""
        new, changed, history, fields, unchanged = [], [], [], set(), 0
        for enterprise, year, figures, current in items:
            if current is None:
                if not any(figures.get(n) is not None for n in VALUE_FIELDS):
                    unchanged += 1  # nothing to store: no empty year is created
                    continue
                record = {"enterprise_id": enterprise.pk, "year": year, **figures}
                record.setdefault("source", IndicatorSource.IMPORT)
                record["above_designated_size"] = rules.above_designated_size(
                    enterprise.industry_section,
                    record.get("main_business_revenue"),
                    record.get("above_designated_size_set"),
                    year,
                )
                record["size_class"] = rules.size_class(record.get("employees"), record.get("revenue"))
                new.append((enterprise, record))
            else:
                changes = figure_changes(current, figures)
                if not changes:
                    unchanged += 1
                    continue
                for name, (_before, after) in changes.items():
                    setattr(current, name, after)
                current.above_designated_size = rules.above_designated_size(
                    enterprise.industry_section,
                    current.main_business_revenue,
                    current.above_designated_size_set,
                    current.year,
                )
                current.size_class = rules.size_class(current.employees, current.revenue)
                fields.update(changes)
                changed.append(current)
                history.append((current.pk, str(current), bulk.UPDATE, changes))
            self.touched_areas.add(enterprise.area_id)
            self.years.update({year, year + 1})  # next year's comparable growth reads this year
        if changed:
            Indicator.objects.bulk_update(
                changed, sorted(fields | {"above_designated_size", "size_class"}), batch_size=1000
            )
        if new:
            history.extend(self._create(new))
        if history:
            bulk.log(Indicator, history, by)
        if new or changed:
            refresh_size_class({e.pk for e, _r in new} | {i.enterprise_id for i in changed})
        return len(new), len(changed), unchanged

    @staticmethod
    def _create(new: list[tuple[Enterprise, dict]]):
        """Insert the new yearly figures; yields their history entries."""
        insert(Indicator, [record for _e, record in new])
        query = Indicator.objects.filter(
            enterprise_id__in={e.pk for e, _r in new}, year__in={r["year"] for _e, r in new}
        )
        ids = {(e, y): pk for e, y, pk in query.values_list("enterprise_id", "year", "pk")}
        for enterprise, record in new:
            created = {
                n: (None, record[n])
                for n in ("year", *FIGURE_FIELDS)
                if n in record and record[n] is not None
            }
            created = {"enterprise": (None, enterprise.pk), **created}
            yield ids[(enterprise.pk, record["year"])], f"{enterprise} {record['year']}", bulk.CREATE, created

    def finish(self, sender) -> None:
        if self.touched_areas:
            figures_changed.send(sender, area_ids=self.touched_areas, years=self.years)


class IndicatorSpec(ImportSpec):
    kind = "indicators"
    model = Indicator
    match_note = gettext_lazy(
        "Rows are matched on the unified social credit code and the year: existing figures are updated, "
        "new ones created."
    )
    columns = FIGURE_COLUMNS

    def start(self, by, *, commit, context=None):
        return {"seen": {}, "locks": year_locks(), "writer": FigureWriter(), "context": context}

    def check_chunk(self, rows, state, by):
        for row in rows:
            self._clean(row, state)
        codes = {r.clean["uscc"] for r in rows if r.clean.get("uscc")}
        enterprises = {
            e.uscc: e
            for e in scope(Enterprise.objects.filter(uscc__in=codes), by, CHANGE).select_related("area")
        }
        pairs = []
        for row in rows:
            enterprise = enterprises.get(row.clean.get("uscc"))
            row.clean["_enterprise"] = enterprise
            if enterprise is None and row.clean.get("uscc") and not has_error(row, "uscc"):
                row.error("uscc", _("No enterprise with this code among the enterprises you keep."))
            year = row.clean.get("year")
            if enterprise is not None and year:
                pairs += [(enterprise.pk, year), (enterprise.pk, year - 1)]
                if locked(enterprise, year, state["locks"]):
                    row.error(
                        "year",
                        _("%(year)s is locked; revise its figures one by one with a reason.")
                        % {"year": year},
                    )
        stored = existing_figures(pairs)
        for row in rows:
            enterprise, year = row.clean["_enterprise"], row.clean.get("year")
            key = (enterprise.pk, year) if enterprise and year else None
            row.clean["_existing"] = stored.get(key) if key else None
            row.clean["_previous"] = stored.get((key[0], key[1] - 1)) if key else None
            check_staff(row, row.clean, row.clean["_existing"])

    def _clean(self, row: Row, state) -> None:
        clean = row.clean
        clean["uscc"] = _uscc(row)
        year = clean_year(row, state["context"])
        if year is None and not has_error(row, "year"):
            row.error("year", _("The year is required."))
        clean["year"] = year
        if clean["uscc"] and year:
            first = state["seen"].setdefault((clean["uscc"], year), row.number)
            if first != row.number:
                row.error(
                    "year", _("The same enterprise and year are already on row %(row)d.") % {"row": first}
                )
        clean_values(row, clean)
        if given(row, "source"):
            raw = text(unwrap(row.values["source"])).lower()
            clean["source"] = SOURCES.get(raw, IndicatorSource.IMPORT if not raw else None)
            if clean["source"] is None:
                row.error("source", _("“%(value)s” is not a source of figures.") % {"value": raw})

    def count_chunk(self, rows, state, outcome):
        for row in rows:
            current = row.clean["_existing"]
            if current is None:
                if any(row.clean.get(n) is not None for n in VALUE_FIELDS):
                    outcome.created += 1
                else:
                    outcome.unchanged += 1
            elif self.changes(current, row.clean):
                outcome.updated += 1
            else:
                outcome.unchanged += 1

    @staticmethod
    def changes(current: Indicator, clean: dict) -> dict:
        """{field: (old, new)} for every field the row changes on the stored figures."""
        return figure_changes(current, clean)

    @staticmethod
    def compare_to(row: Row) -> dict | None:
        """The enterprise's stored figures of the year before the row's, {field: value}, or None: the
        engine warns when a figure jumps five times up or down against them."""
        previous = row.clean.get("_previous")
        if previous is None:
            return None
        return {
            "year": previous.year,
            **{name: getattr(previous, name) for name in (*MONEY_FIELDS, *COUNT_FIELDS)},
        }

    def write_chunk(self, rows, state, by, outcome):
        items = [
            (
                row.clean["_enterprise"],
                row.clean["year"],
                {n: row.clean[n] for n in FIGURE_FIELDS if n in row.clean},
                row.clean["_existing"],
            )
            for row in rows
        ]
        created, updated, unchanged = state["writer"].write(items, by)
        outcome.created += created
        outcome.updated += updated
        outcome.unchanged += unchanged

    def finish(self, state, by):
        state["writer"].finish(Indicator)
