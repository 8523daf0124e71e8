"""Spreadsheet imports of the registry: enterprises (upsert on USCC) and yearly figures (upsert on
USCC and year). The checks are those of the services (same messages, same rules); the writes are
batched per chunk, with a history row per record attributed to the importing user.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override
from django_countries import countries

from zoneos.accounts.scoping import placeable_areas, scope
from zoneos.areas.models import Area, AreaKind
from zoneos.audit import bulk
from zoneos.core import industries
from zoneos.core.bulkinsert import insert
from zoneos.core.codes import check_uscc
from zoneos.core.roles import CHANGE
from zoneos.tabular.engine import Column, ImportSpec, Row, register
from zoneos.tabular.readers import decimal, text

from . import pinyin, rules
from .models import CapitalOrigin, Enterprise, Indicator, IndicatorSource, Status, YearLock
from .services import figures_changed, refresh_size_class


def _choice_lookup(choices) -> dict[str, str]:
    """Accept a choice by its code, its Chinese label or its English label."""
    lookup = {}
    for value, label in choices:
        lookup[value.lower()] = value
        for language in ("zh-hans", "en"):
            with override(language):
                lookup[str(label).strip().lower()] = value
    return lookup


ORIGINS = _choice_lookup(CapitalOrigin.choices)
ORIGINS.update(
    {"内资": "domestic", "港资": "hong_kong", "澳资": "macao", "台资": "taiwan", "外资": "foreign"}
)
STATUSES = _choice_lookup(Status.choices)
SOURCES = _choice_lookup(IndicatorSource.choices)
YES = {"是", "yes", "y", "true", "1", "√", "规上"}
NO = {"否", "no", "n", "false", "0", "规下"}
DATE_PATTERN = re.compile(r"^(\d{4})\D{1,2}(\d{1,2})\D{1,2}(\d{1,2})\D?$")


def _country_lookup() -> dict[str, str]:
    lookup = {}
    for language in ("zh-hans", "en"):
        with override(language):
            for code, name in countries:
                lookup[code.lower()] = code
                lookup[str(name).lower()] = code
    return lookup


def parse_date(value) -> datetime.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    match = DATE_PATTERN.match(text(value))
    if not match:
        raise ValueError(_("“%(value)s” is not a date (use YYYY-MM-DD).") % {"value": value})
    try:
        return datetime.date(*(int(g) for g in match.groups()))
    except ValueError as exc:
        raise ValueError(_("“%(value)s” is not a date (use YYYY-MM-DD).") % {"value": value}) from exc


def _money(row: Row, name: str):
    cell = row.values.get(name)
    scale = None
    if isinstance(cell, tuple):
        cell, scale = cell
    try:
        value = decimal(cell, scale)
    except ValueError as exc:
        row.error(name, exc)
        return None
    if value is not None:
        if value < 0:
            row.error(name, _("Cannot be negative."))
        value = value.quantize(Decimal("0.01"))
        if abs(value) >= Decimal(10) ** 16:
            row.error(name, _("The amount is too large."))
    return value


def _count(row: Row, name: str) -> int | None:
    cell = row.values.get(name)
    try:
        value = decimal(cell)
    except ValueError as exc:
        row.error(name, exc)
        return None
    if value is None:
        return None
    if value != value.to_integral_value() or value < 0 or value > 2**31 - 1:
        row.error(name, _("Give a whole number of zero or more."))
        return None
    return int(value)


def _limited(row: Row, name: str, limit: int) -> str:
    value = text(row.values.get(name))
    if len(value) > limit:
        row.error(name, _("At most %(n)d characters.") % {"n": limit})
    return value


def _uscc(row: Row) -> str:
    result = check_uscc(text(row.values.get("uscc")))
    if not result.code:
        row.error("uscc", _("The unified social credit code is required."))
    elif not result.ok:
        row.error("uscc", " ".join(result.errors))
    return result.code


# Enterprises ---------------------------------------------------------------------------------------
ENTERPRISE_COLUMNS = [
    Column(
        "uscc", "统一社会信用代码", "USCC", True, ("unified social credit code", "社会信用代码", "信用代码")
    ),
    Column("name", "企业名称", "Name", False, ("名称", "enterprise name", "enterprise")),
    Column("name_en", "英文名称", "English name"),
    Column("short_name", "简称", "Short name", False, ("企业简称",)),
    Column("area", "所在园区", "Area", False, ("园区", "园区代码", "area code", "所属园区")),
    Column("address", "地址", "Address", False, ("注册地址", "经营地址")),
    Column("industry_code", "行业代码", "Industry code", False, ("国民经济行业代码", "industry")),
    Column("registered_on", "成立日期", "Registration date", False, ("注册日期", "registered on")),
    Column("registered_capital", "注册资本", "Registered capital", False, (), money=True),
    Column("capital_origin", "资本来源", "Capital origin", False, ("资金来源", "origin")),
    Column("capital_country", "外资国别", "Country", False, ("国别", "capital country")),
    Column("parent_group", "所属集团", "Parent group", False, ("集团",)),
    Column("status", "状态", "Status", False, ("企业状态",)),
]
ENTERPRISE_TRACKED = [c.name for c in ENTERPRISE_COLUMNS]


class EnterpriseSpec(ImportSpec):
    kind = "enterprises"
    model = Enterprise
    match_note = gettext_lazy(
        "Rows are matched on the unified social credit code: existing enterprises are updated, "
        "new ones created."
    )
    columns = ENTERPRISE_COLUMNS

    def start(self, by, *, commit):
        by_key: dict[str, Area] = {}
        for area in placeable_areas(Enterprise, by).exclude(kind=AreaKind.REGION).order_by("-path"):
            by_key.setdefault(area.name, area)
            by_key[area.code] = area
        return {"areas": by_key, "seen": {}, "countries": _country_lookup(), "touched_areas": set()}

    def check_chunk(self, rows, state, by):
        for row in rows:
            self._clean(row, state)
        codes = [r.clean["uscc"] for r in rows if r.clean.get("uscc")]
        existing = {e.uscc: e for e in Enterprise.objects.filter(uscc__in=codes).select_related("area")}
        writable = set(
            scope(Enterprise.objects.filter(uscc__in=list(existing)), by, CHANGE).values_list(
                "uscc", flat=True
            )
        )
        for row in rows:
            code = row.clean.get("uscc")
            current = existing.get(code)
            row.clean["_existing"] = current
            if current is not None and code not in writable:
                row.error("uscc", _("This code is registered to an enterprise outside your areas."))
            if current is None and code:
                if not row.clean.get("name"):
                    row.error("name", _("A new enterprise needs a name."))
                if row.clean.get("area") is None and "area" not in {c for c, _m in row.errors}:
                    row.error("area", _("A new enterprise needs its area (code or name)."))

    def _clean(self, row: Row, state) -> None:
        clean = row.clean
        code = _uscc(row)
        if code:
            first = state["seen"].setdefault(code, row.number)
            if first != row.number:
                row.error("uscc", _("The same code is already on row %(row)d.") % {"row": first})
        clean["uscc"] = code
        for name, limit in (
            ("name", 200),
            ("name_en", 200),
            ("short_name", 100),
            ("address", 300),
            ("parent_group", 200),
        ):
            if name in row.values:
                clean[name] = _limited(row, name, limit)
        if "area" in row.values:
            key = text(row.values["area"])
            clean["area"] = state["areas"].get(key) if key else None
            if key and clean["area"] is None:
                row.error("area", _("No zone or park “%(area)s” among the areas you keep.") % {"area": key})
        if "industry_code" in row.values:
            try:
                clean["industry_code"] = industries.clean_industry_code(text(row.values["industry_code"]))
            except ValidationError as exc:
                row.error("industry_code", " ".join(exc.messages))
        if "registered_on" in row.values:
            try:
                clean["registered_on"] = parse_date(row.values["registered_on"])
            except ValueError as exc:
                row.error("registered_on", exc)
        if "registered_capital" in row.values:
            clean["registered_capital"] = _money(row, "registered_capital")
        if "capital_origin" in row.values:
            raw = text(row.values["capital_origin"]).lower()
            clean["capital_origin"] = ORIGINS.get(raw, CapitalOrigin.DOMESTIC if not raw else None)
            if clean["capital_origin"] is None:
                row.error("capital_origin", _("“%(value)s” is not a capital origin.") % {"value": raw})
        if "capital_country" in row.values:
            raw = text(row.values["capital_country"])
            clean["capital_country"] = state["countries"].get(raw.lower(), "") if raw else ""
            if raw and not clean["capital_country"]:
                row.error("capital_country", _("“%(value)s” is not a country.") % {"value": raw})
        origin = clean.get("capital_origin")
        if origin == CapitalOrigin.FOREIGN and not clean.get("capital_country"):
            row.error("capital_country", _("Name the country the foreign capital comes from."))
        if origin not in (None, CapitalOrigin.FOREIGN) and clean.get("capital_country"):
            row.error("capital_country", _("A country is given only for foreign capital."))
        if "status" in row.values:
            raw = text(row.values["status"]).lower()
            clean["status"] = STATUSES.get(raw, Status.ACTIVE if not raw else None)
            if clean["status"] is None:
                row.error("status", _("“%(value)s” is not a status.") % {"value": raw})

    @staticmethod
    def changes(current: Enterprise, clean: dict) -> dict:
        changes = {}
        for name in ENTERPRISE_TRACKED:
            if name not in clean or name == "uscc":
                continue
            value = clean[name]
            if name == "area" and value is None:
                continue  # an existing enterprise stays where it is unless an area is given
            before = getattr(current, name)
            if before != value:
                changes[name] = (before, value)
        return changes

    def write_chunk(self, rows, state, by, outcome):
        new, history, changed_rows, fields = [], [], [], set()
        for row in rows:
            clean = {k: v for k, v in row.clean.items() if not k.startswith("_")}
            current = row.clean["_existing"]
            if current is None:
                new.append(clean)
                continue
            changes = self.changes(current, clean)
            if not changes:
                outcome.unchanged += 1
                continue
            if {"area", "industry_code", "capital_origin", "status"} & set(changes):
                state["touched_areas"].add(current.area_id)
            for name, (_before, after) in changes.items():
                setattr(current, name, after)
            if "industry_code" in changes:
                current.industry_section = industries.section_of(current.industry_code)
                fields.add("industry_section")
            if "name" in changes:
                current.name_pinyin, current.name_initials = pinyin.keys(current.name)
                fields.update({"name_pinyin", "name_initials"})
            fields.update(changes)
            changed_rows.append(current)
            history.append((current.pk, str(current), bulk.UPDATE, changes))
            if "area" in changes:
                state["touched_areas"].add(current.area_id)
        if changed_rows:
            Enterprise.objects.bulk_update(changed_rows, sorted(fields), batch_size=1000)
        if new:
            history.extend(self._create(new))
        bulk.log(Enterprise, history, by)
        outcome.created += len(new)
        outcome.updated += len(changed_rows)

    @staticmethod
    def _create(new: list[dict]):
        """Insert the new enterprises; yields their history entries."""
        defaults = {n: Enterprise._meta.get_field(n).get_default() for n in ENTERPRISE_TRACKED}
        records = []
        for clean in new:
            record = {k: v for k, v in clean.items() if k != "area"}
            record["area_id"] = clean["area"].pk
            record["industry_section"] = industries.section_of(clean.get("industry_code", ""))
            record["name_pinyin"], record["name_initials"] = pinyin.keys(clean["name"])
            records.append(record)
        insert(Enterprise, records)
        ids = dict(Enterprise.objects.filter(uscc__in=[c["uscc"] for c in new]).values_list("uscc", "pk"))
        for clean in new:
            values = {**defaults, **clean}
            created = {n: (None, v) for n, v in values.items() if v not in (None, "")}
            yield ids[clean["uscc"]], clean["name"], bulk.CREATE, created

    def finish(self, state, by):
        if state["touched_areas"]:
            figures_changed.send(Enterprise, area_ids=state["touched_areas"], years=None)


# Yearly figures ------------------------------------------------------------------------------------
FIGURE_COLUMNS = [
    Column(
        "uscc", "统一社会信用代码", "USCC", True, ("unified social credit code", "社会信用代码", "信用代码")
    ),
    Column("year", "年份", "Year", True, ("年度", "统计年度")),
    Column("output_value", "产值", "Output value", False, ("工业总产值", "总产值"), money=True),
    Column("revenue", "营业收入", "Revenue", False, ("营收",), money=True),
    Column("main_business_revenue", "主营业务收入", "Main business revenue", False, (), money=True),
    Column("tax_paid", "纳税总额", "Tax paid", False, ("税收", "实缴税金", "纳税"), money=True),
    Column("rd_expense", "研发费用", "R&D expense", False, ("研发投入", "rd expense"), money=True),
    Column("exports", "出口额", "Exports", False, ("出口交货值", "出口"), money=True),
    Column("employees", "从业人员", "Employees", False, ("员工人数", "从业人员数")),
    Column("rd_staff", "研发人员", "R&D staff", False, ("研发人员数", "rd staff")),
    Column("invention_patents", "发明专利", "Invention patents", False, ("有效发明专利", "发明专利数")),
    Column("above_designated_size_set", "是否规上", "Above designated size", False, ("规上",)),
    Column("source", "数据来源", "Source", False, ("来源",)),
]
MONEY_FIELDS = ("output_value", "revenue", "main_business_revenue", "tax_paid", "rd_expense", "exports")
COUNT_FIELDS = ("employees", "rd_staff", "invention_patents")
FIGURE_FIELDS = (*MONEY_FIELDS, *COUNT_FIELDS, "above_designated_size_set", "source")


class IndicatorSpec(ImportSpec):
    kind = "indicators"
    model = Indicator
    match_note = gettext_lazy(
        "Rows are matched on the unified social credit code and the year: existing figures are updated, "
        "new ones created."
    )
    columns = FIGURE_COLUMNS

    def start(self, by, *, commit):
        locks = list(YearLock.objects.values_list("area__path", "year"))
        return {"seen": {}, "locks": locks, "touched": set(), "years": set()}

    def check_chunk(self, rows, state, by):
        for row in rows:
            self._clean(row, state)
        codes = {r.clean["uscc"] for r in rows if r.clean.get("uscc")}
        enterprises = {
            e.uscc: e
            for e in scope(Enterprise.objects.filter(uscc__in=codes), by, CHANGE).select_related("area")
        }
        keys = []
        for row in rows:
            enterprise = enterprises.get(row.clean.get("uscc"))
            row.clean["_enterprise"] = enterprise
            if enterprise is None and row.clean.get("uscc") and not any(c == "uscc" for c, _m in row.errors):
                row.error("uscc", _("No enterprise with this code among the enterprises you keep."))
            year = row.clean.get("year")
            if enterprise is not None and year:
                keys.append((enterprise.pk, year))
                for path, locked in state["locks"]:
                    if locked == year and enterprise.area.path.startswith(path):
                        row.error(
                            "year",
                            _("%(year)s is locked; revise its figures one by one with a reason.")
                            % {"year": year},
                        )
                        break
        existing = {}
        if keys:
            query = Indicator.objects.filter(
                enterprise_id__in={k[0] for k in keys}, year__in={k[1] for k in keys}
            )
            existing = {(i.enterprise_id, i.year): i for i in query}
        for row in rows:
            enterprise = row.clean["_enterprise"]
            row.clean["_existing"] = (
                existing.get((enterprise.pk, row.clean.get("year"))) if enterprise else None
            )
            clean = row.clean
            if (
                clean.get("rd_staff") is not None
                and clean.get("employees") is not None
                and clean["rd_staff"] > clean["employees"]
            ):
                row.error("rd_staff", _("R&D staff cannot outnumber the employees."))

    def _clean(self, row: Row, state) -> None:
        clean = row.clean
        clean["uscc"] = _uscc(row)
        year = _count(row, "year")
        if year is not None and not 1949 <= year <= 2100:
            row.error("year", _("Give a year between 1949 and 2100."))
        elif year is None and not any(c == "year" for c, _m in row.errors):
            row.error("year", _("The year is required."))
        clean["year"] = year
        if clean["uscc"] and year:
            first = state["seen"].setdefault((clean["uscc"], year), row.number)
            if first != row.number:
                row.error(
                    "year", _("The same enterprise and year are already on row %(row)d.") % {"row": first}
                )
        for name in MONEY_FIELDS:
            if name in row.values:
                clean[name] = _money(row, name)
        for name in COUNT_FIELDS:
            if name in row.values:
                clean[name] = _count(row, name)
        if "above_designated_size_set" in row.values:
            raw = text(row.values["above_designated_size_set"]).lower()
            clean["above_designated_size_set"] = True if raw in YES else False if raw in NO else None
            if raw and clean["above_designated_size_set"] is None:
                row.error("above_designated_size_set", _("Answer yes (是) or no (否), or leave empty."))
        raw = text(row.values.get("source")).lower()
        clean["source"] = SOURCES.get(raw, IndicatorSource.IMPORT if not raw else None)
        if clean["source"] is None:
            row.error("source", _("“%(value)s” is not a source of figures.") % {"value": raw})

    @staticmethod
    def changes(current: Indicator, clean: dict) -> dict:
        return {
            name: (getattr(current, name), clean[name])
            for name in FIGURE_FIELDS
            if name in clean and getattr(current, name) != clean[name]
        }

    def write_chunk(self, rows, state, by, outcome):
        new, changed, history, fields = [], [], [], set()
        for row in rows:
            enterprise, current = row.clean["_enterprise"], row.clean["_existing"]
            figures = {n: row.clean[n] for n in FIGURE_FIELDS if n in row.clean}
            if current is None:
                record = {"enterprise_id": enterprise.pk, "year": row.clean["year"], **figures}
                record["above_designated_size"] = rules.above_designated_size(
                    enterprise.industry_section,
                    record.get("main_business_revenue"),
                    record.get("above_designated_size_set"),
                    record["year"],
                )
                record["size_class"] = rules.size_class(record.get("employees"), record.get("revenue"))
                new.append((enterprise, record))
                year = record["year"]
            else:
                changes = self.changes(current, row.clean)
                if not changes:
                    outcome.unchanged += 1
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
                year = current.year
            state["touched"].add(enterprise.area_id)
            state["years"].update({year, year + 1})
        if changed:
            Indicator.objects.bulk_update(
                changed, sorted(fields | {"above_designated_size", "size_class"}), batch_size=1000
            )
        if new:
            history.extend(self._create(new))
        bulk.log(Indicator, history, by)
        refresh_size_class({e.pk for e, _r in new} | {i.enterprise_id for i in changed})
        outcome.created += len(new)
        outcome.updated += len(changed)

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
            text = f"{enterprise} {record['year']}"
            yield ids[(enterprise.pk, record["year"])], text, bulk.CREATE, created

    def finish(self, state, by):
        if state["touched"]:
            figures_changed.send(Indicator, area_ids=state["touched"], years=state["years"])


register(EnterpriseSpec(), label=gettext_lazy("Enterprises"), file_names=("企业名录", "enterprises"))
register(IndicatorSpec(), label=gettext_lazy("Yearly figures"), file_names=("年度指标", "figures"))
