"""The enterprises import: upsert on the USCC, and, as registry lists carry them, the year's figures
(营业收入, 产值, 从业人员, 税收...) and labels (高新技术企业, 专精特新...) of each enterprise.

The year of the figures and labels is the row's 年份, else the single year of the sheet's title; a row
that gives figures or labels without either is an error asking for the year, never dropped. A sheet
whose year groups the reader turned into rows (same row number, one per year) writes the enterprise
once and the figures of each year.
"""

from __future__ import annotations

import datetime
import hashlib
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from zoneos.accounts.scoping import placeable_areas, scope
from zoneos.areas.lookup import AreaLookup
from zoneos.areas.models import AreaKind
from zoneos.audit import bulk
from zoneos.core import industries
from zoneos.core.bulkinsert import among, insert, new_ids
from zoneos.core.roles import CHANGE
from zoneos.tabular.engine import Column, ImportSpec, Row
from zoneos.tabular.readers import text

from .. import pinyin
from ..models import BUSINESS_SCOPE_MAX, CapitalOrigin, Enterprise, capital_country_error
from ..services import figures_changed
from . import labels as label_rows
from .common import (
    KEEP,
    ORIGINS,
    STATUSES,
    _limited,
    _money,
    _uscc,
    country_lookup,
    has_error,
    parse_date,
    read,
)
from .figures import (
    USCC_COLUMN,
    VALUE_COLUMNS,
    VALUE_FIELDS,
    YEAR_ALIASES,
    FigureWriter,
    check_staff,
    clean_values,
    clean_year,
    existing_figures,
    figure_changes,
    locked,
    year_locks,
)

REGISTRY_COLUMNS = [
    USCC_COLUMN,
    Column("name", "企业名称", "Name", False, ("名称", "enterprise name", "enterprise")),
    Column("name_en", "英文名称", "English name"),
    Column("short_name", "简称", "Short name", False, ("企业简称",)),
    Column("area", "所在园区", "Area", False, ("园区", "园区代码", "area code", "所属园区")),
    Column("address", "地址", "Address", False, ("注册地址", "经营地址")),
    Column("industry_code", "行业代码", "Industry code", False, ("国民经济行业代码", "industry")),
    Column(
        "registered_on", "成立日期", "Registration date", False, ("注册日期", "registered on", "成立时间")
    ),
    Column("registered_capital", "注册资本", "Registered capital", False, (), money=True),
    Column("capital_origin", "资本来源", "Capital origin", False, ("资金来源", "origin", "资本类型")),
    Column("capital_country", "外资国别", "Country", False, ("国别", "capital country", "投资国别")),
    Column("parent_group", "所属集团", "Parent group", False, ("集团",)),
    Column("status", "状态", "Status", False, ("企业状态", "经营状态")),
    Column("business_scope", "经营范围", "Business scope", False, ("经营项目", "scope of business")),
]
ENTERPRISE_TRACKED = [c.name for c in REGISTRY_COLUMNS]
ENTERPRISE_COLUMNS = [
    *REGISTRY_COLUMNS,
    Column("year", "年份", "Year", False, YEAR_ALIASES, period="year"),
    *VALUE_COLUMNS,
    *label_rows.LABEL_COLUMNS,
]
CHOICES = (
    ("capital_origin", ORIGINS, gettext_noop("“%(value)s” is not a capital origin.")),
    ("status", STATUSES, gettext_noop("“%(value)s” is not a status.")),
)
YEARLY_COLUMNS = frozenset((*VALUE_FIELDS, *label_rows.LABEL_FIELDS))
TEXTS = (
    ("name", 200),
    ("name_en", 200),
    ("short_name", 100),
    ("address", 300),
    ("parent_group", 200),
    ("business_scope", BUSINESS_SCOPE_MAX),
)
NOT_CLEARED = {"uscc", "name", "area", "capital_origin", "status"}  # a record always has them
# Fields whose change rewrites every year of the area's figures (the registration date: which years the
# policies' three-year sums count).
STATS_FIELDS = {"area", "industry_code", "capital_origin", "status", "registered_on"}
_PLAIN = frozenset({str, int, bool, type(None), Decimal, datetime.date})


class EnterpriseSpec(ImportSpec):
    kind = "enterprises"
    model = Enterprise
    match_note = gettext_lazy(
        "Rows are matched on the unified social credit code: existing enterprises are updated, "
        "new ones created. A year's figures and labels in the same sheet are written too."
    )
    columns = ENTERPRISE_COLUMNS
    carries = True  # the commit may take the dry run's clean rows (zoneos.tabular.carry)

    def start(self, by, *, commit, context=None):
        areas = list(placeable_areas(Enterprise, by).exclude(kind=AreaKind.REGION))
        return {
            "areas": AreaLookup(areas),
            "area_by_pk": {area.pk: area for area in areas},
            "area_of": {},
            "seen": {},
            "countries": country_lookup(),
            "touched_areas": set(),
            "locks": None,
            "context": context,
            "writer": FigureWriter(),
        }

    # Checking ----------------------------------------------------------------------------------------
    def check_chunk(self, rows, state, by):
        self.clean_chunk(rows, state)
        self.verify_chunk(rows, state, by)

    def clean_chunk(self, rows, state):
        """The rows' cells read and checked on their own (what the dry run hands its commit)."""
        for row in rows:
            self._clean(row, state)

    def verify_chunk(self, rows, state, by):
        """The clean rows checked against the registry as it is: which codes exist, which of those the user
        may change, what a new enterprise needs, origin and country as stored, locked years, labels."""
        codes = [r.clean["uscc"] for r in rows if r.clean.get("uscc")]
        found = Enterprise.objects.filter(uscc__in=among(codes)).select_related("area").order_by()
        existing = {e.uscc: e for e in found}
        writable = set()
        if existing:
            mine = scope(
                Enterprise.objects.filter(pk__in=among([e.pk for e in existing.values()], "bigint")),
                by,
                CHANGE,
            )
            writable = set(mine.order_by().values_list("uscc", flat=True))
        for row in rows:
            code = row.clean.get("uscc")
            current = existing.get(code)
            row.clean["_existing"] = current
            if current is not None and code not in writable:
                row.error("uscc", _("This code is registered to an enterprise outside your areas."))
            if current is None and code:
                if not row.clean.get("name"):
                    row.error("name", _("A new enterprise needs a name."))
                if row.clean.get("area") is None and not has_error(row, "area"):
                    row.error("area", _("A new enterprise needs its area (code or name)."))
            self._check_capital(row, current)
        self._check_yearly(rows, state)

    # What the commit takes from the dry run (zoneos.tabular.carry) --------------------------------------
    def carry_state(self, state) -> str:
        """What `_clean` reads besides the file: the areas the user may place enterprises in, by every name
        they go by; the industry classification; the countries."""
        areas = sorted(
            (a.pk, a.path, a.code, a.name, a.name_en, a.kind, sorted(getattr(a, "alias_list", ()) or ()))
            for a in state["area_by_pk"].values()
        )
        classes = sorted((i.code, i.level) for i in industries.table().values())
        countries = sorted(state["countries"].items())
        return hashlib.sha256(repr((areas, classes, countries)).encode()).hexdigest()

    @staticmethod
    def pack(clean: dict) -> dict:
        """The clean row in plain values: the area by its key, a choice member as its text."""
        packed = dict(clean)
        for name, value in clean.items():
            if value.__class__ in _PLAIN:
                continue
            if name == "area":
                packed[name] = value.pk
            elif isinstance(value, str):
                packed[name] = str(value)  # a choice member: its plain value
            elif isinstance(value, dict):
                packed[name] = {str(k): str(v) if isinstance(v, str) else v for k, v in value.items()}
        return packed

    @staticmethod
    def unpack(packed: dict, state) -> dict:
        if packed.get("area") is not None:
            packed["area"] = state["area_by_pk"][packed["area"]]
        return packed

    def _clean(self, row: Row, state) -> None:
        clean = row.clean
        code = _uscc(row)
        if code:
            first = state["seen"].get(code)
            if first is None:
                state["seen"][code] = row.number
            elif first == row.number:
                clean["_repeat"] = True  # the reader's row for another year of the same sheet row
            else:
                row.error("uscc", _("The same code is already on row %(row)d.") % {"row": first})
        clean["uscc"] = code
        values = row.values
        for name, limit in TEXTS:
            value = read(values, name)
            if value is not KEEP and not (value is None and name in NOT_CLEARED):
                clean[name] = _limited(row, name, limit)
        value = read(values, "area")
        if value is not KEEP and value is not None:
            key = text(value)
            known = state["area_of"]  # a sheet names the same few parks on every row
            if key in known:
                clean["area"] = known[key]
            else:
                clean["area"] = state["areas"].get(key)
                if len(known) < 10_000:
                    known[key] = clean["area"]
            if clean["area"] is None:
                if state["areas"].ambiguous(key):
                    message = _("“%(area)s” could be more than one park; give its code or full name.")
                else:
                    message = _("No zone or park “%(area)s” among the areas you keep.")
                row.error("area", message % {"area": key})
        value = read(values, "industry_code")
        if value is not KEEP:
            try:
                clean["industry_code"] = industries.clean_industry_code(text(value))
            except ValidationError as exc:
                row.error("industry_code", " ".join(exc.messages))
        value = read(values, "registered_on")
        if value is not KEEP:
            try:
                clean["registered_on"] = parse_date(value)
            except ValueError as exc:
                row.error("registered_on", exc)
        if read(values, "registered_capital") is not KEEP:
            clean["registered_capital"] = _money(row, "registered_capital")
        for name, lookup, message in CHOICES:
            value = read(values, name)
            if value is not KEEP and value is not None:
                raw = text(value)
                clean[name] = lookup.get(raw.lower())
                if clean[name] is None:
                    row.error(name, _(message) % {"value": raw})
        value = read(values, "capital_country")
        if value is not KEEP:
            raw = text(value)
            clean["capital_country"] = state["countries"].get(raw.lower(), "") if raw else ""
            if raw and not clean["capital_country"]:
                row.error("capital_country", _("“%(value)s” is not a country.") % {"value": raw})
        yearly: dict = {}
        if not YEARLY_COLUMNS.isdisjoint(row.values):  # most registry lists carry none
            clean_values(row, yearly)
            label_rows.clean_labels(row, yearly)
        clean["_yearly"] = yearly
        clean["_year"] = clean_year(row, state["context"]) if yearly else None
        if yearly and clean["_year"] is None and not has_error(row, "year"):
            row.error(
                "year",
                _(
                    "This row gives yearly figures or labels but no year: add a 年份 (year) column or "
                    "put the year in the sheet's title."
                ),
            )

    def _check_capital(self, row: Row, current: Enterprise | None) -> None:
        """The origin and the country as they will be stored go together (a joint venture or foreign
        capital names its country; the others name none)."""
        clean = row.clean
        if has_error(row, "capital_origin") or has_error(row, "capital_country"):
            return
        origin = clean.get("capital_origin", current.capital_origin if current else CapitalOrigin.DOMESTIC)
        country = clean.get("capital_country", current.capital_country if current else "")
        moved_home = current is not None and "capital_origin" in clean and "capital_country" not in clean
        if moved_home and country and not CapitalOrigin.needs_country(origin):
            clean["capital_country"] = country = ""  # now an origin without a country: it goes
        error = capital_country_error(origin, country)
        if error:
            row.error("capital_country", error)

    def _check_yearly(self, rows, state) -> None:
        """Locks, stored figures and labels of the rows that carry a year's figures or labels."""
        yearly = [r for r in rows if r.clean.get("_yearly") and r.clean.get("_year") and r.clean["_existing"]]
        if not any(r.clean.get("_yearly") for r in rows):
            return
        if state["locks"] is None:
            state["locks"] = year_locks()
        stored = existing_figures((r.clean["_existing"].pk, r.clean["_year"]) for r in yearly)
        held = label_rows.held({r.clean["_existing"].pk for r in yearly}, {r.clean["_year"] for r in yearly})
        for row in rows:
            clean, current = row.clean, row.clean["_existing"]
            year, values = clean.get("_year"), clean.get("_yearly")
            if not values or not year:
                continue
            figures = {n: values[n] for n in VALUE_FIELDS if n in values}
            answers = {n: values[n] for n in label_rows.LABEL_FIELDS if n in values}
            if figures and current is not None and locked(current, year, state["locks"]):
                row.error(
                    "year",
                    _("%(year)s is locked; revise its figures one by one with a reason.") % {"year": year},
                )
            if figures and current is None:
                area = clean.get("area")
                if area is not None and any(y == year and area.path.startswith(p) for p, y in state["locks"]):
                    row.error(
                        "year",
                        _("%(year)s is locked; revise its figures one by one with a reason.")
                        % {"year": year},
                    )
            indicator = stored.get((current.pk, year)) if current else None
            check_staff(row, figures, indicator)
            labels = held.get(current.pk, []) if current else []
            label_diff, conflicts = label_rows.label_changes(labels, year, answers)
            for kind in conflicts:
                row.error(
                    kind,
                    _("The enterprise holds this label beyond %(year)s; end it on its page instead.")
                    % {"year": year},
                )
            clean["_figures"], clean["_indicator"] = figures, indicator
            clean["_labels"], clean["_label_changes"] = labels, label_diff

    # The diff --------------------------------------------------------------------------------------
    @staticmethod
    def registry_changes(current: Enterprise, clean: dict) -> dict:
        changes = {}
        for name in ENTERPRISE_TRACKED:
            if name not in clean or name == "uscc":
                continue
            value = clean[name]
            before = getattr(current, name)
            if before != value:
                changes[name] = (before, value)
        return changes

    def changes(self, current: Enterprise, clean: dict) -> dict:
        """{field: (old, new)} of every field the row changes: the registry's, then the year's figures
        and labels (held: True/False) under their column names."""
        changes = self.registry_changes(current, clean)
        if clean.get("_figures"):
            changes.update(figure_changes(clean.get("_indicator"), clean["_figures"]))
        changes.update(clean.get("_label_changes") or {})
        return changes

    def count_chunk(self, rows, state, outcome):
        for row in rows:
            current = row.clean["_existing"]
            if current is None:
                outcome.created += 0 if row.clean.get("_repeat") else 1
            elif self.changes(current, row.clean):
                outcome.updated += 1
            else:
                outcome.unchanged += 1

    # Writing ---------------------------------------------------------------------------------------
    def write_chunk(self, rows, state, by, outcome):
        new, history, changed_rows, fields, yearly = [], [], [], set(), []
        for row in rows:
            clean = {k: v for k, v in row.clean.items() if not k.startswith("_")}
            current = row.clean["_existing"]
            figures = row.clean.get("_figures")  # most registry lists carry none
            year_changes = bool(
                (figures and figure_changes(row.clean.get("_indicator"), figures))
                or row.clean.get("_label_changes")
            )
            if year_changes:
                yearly.append(row)
            if current is None:
                if not row.clean.get("_repeat"):  # a row per year names a new enterprise more than once
                    new.append(clean)
                continue
            changes = self.registry_changes(current, clean)
            if changes or year_changes:
                outcome.updated += 1
            else:
                outcome.unchanged += 1
            if not changes:
                continue
            if STATS_FIELDS & set(changes):
                state["touched_areas"].add(current.area_id)
            for name, (_before, after) in changes.items():
                setattr(current, name, after)
            if "industry_code" in changes:
                current.industry_section = industries.section_of(current.industry_code)
                fields.add("industry_section")
            if "name" in changes:
                current.name_pinyin, current.name_initials = pinyin.keys(current.name)
                fields.update({"name_pinyin", "name_initials"})
            if "business_scope" in changes:
                current.business_scope_pinyin = pinyin.spaced(current.business_scope)
                fields.add("business_scope_pinyin")
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
        if yearly:
            self._write_yearly(yearly, state, by)

    def _write_yearly(self, rows, state, by) -> None:
        """The figures and labels of the year, once the rows' enterprises exist."""
        missing = {r.clean["uscc"] for r in rows if r.clean["_existing"] is None}
        created = {}
        if missing:
            created = {e.uscc: e for e in Enterprise.objects.filter(uscc__in=missing).select_related("area")}
        items = []
        for row in rows:
            enterprise = row.clean["_existing"] or created[row.clean["uscc"]]
            year = row.clean["_year"]
            if row.clean.get("_figures"):
                items.append((enterprise, year, row.clean["_figures"], row.clean.get("_indicator")))
            if row.clean.get("_label_changes"):
                labels = row.clean.get("_labels") or []
                label_rows.write_labels(enterprise, year, row.clean["_label_changes"], labels, by)
                state["writer"].touched_areas.add(enterprise.area_id)
                state["writer"].years.add(year)
        state["writer"].write(items, by)

    @staticmethod
    def _create(new: list[dict]):
        """Insert the new enterprises (the model's defaults, domestic and active, apply here only);
        yields their history entries."""
        defaults = {n: Enterprise._meta.get_field(n).get_default() for n in ENTERPRISE_TRACKED}
        records = []
        for clean in new:
            record = {k: v for k, v in clean.items() if k != "area"}
            for name in ("capital_origin", "status"):
                if record.get(name) is None:
                    record.pop(name, None)
            record["area_id"] = clean["area"].pk
            record["industry_section"] = industries.section_of(clean.get("industry_code", ""))
            record["name_pinyin"], record["name_initials"] = pinyin.keys(clean["name"])
            record["business_scope_pinyin"] = pinyin.spaced(clean.get("business_scope", ""))
            records.append(record)
        keys = new_ids(Enterprise, len(records))
        if keys is not None:  # PostgreSQL: the keys are drawn first and written with the rows
            for record, key in zip(records, keys, strict=True):
                record["id"] = key
            insert(Enterprise, records, pk=True)
            ids = {record["uscc"]: record["id"] for record in records}
        else:
            insert(Enterprise, records)
            ids = dict(Enterprise.objects.filter(uscc__in=[c["uscc"] for c in new]).values_list("uscc", "pk"))
        for clean in new:
            values = {**defaults, **{k: v for k, v in clean.items() if v is not None}}
            created = {n: (None, v) for n, v in values.items() if v not in (None, "")}
            yield ids[clean["uscc"]], clean["name"], bulk.CREATE, created

    def finish(self, state, by):
        writer: FigureWriter = state["writer"]
        moved = state["touched_areas"]
        if moved:  # enterprises moved between cells of the statistics: every year of these areas
            figures_changed.send(Enterprise, area_ids=moved, years=None)
        if writer.touched_areas - moved:  # the years whose figures or labels the sheet wrote
            figures_changed.send(Enterprise, area_ids=writer.touched_areas - moved, years=writer.years)
