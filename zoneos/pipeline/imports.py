"""Import of an existing project ledger (xlsx or csv) through the registry's import engine.

A zone's ledger has one row per project: name, investor, park (its code, name, short name or one of
the other names the area keeps), amounts in 万元 or 亿元, the stage the project has reached (in the
zone's own words or the usual ones: 在建, 已开工, 洽谈中…, under 项目阶段, 项目状态 or 项目进展) and the
dates it reached them (签约日期, 开工日期, 投产日期…, to the day, the month or the year). Rows upsert
on the project code when the ledger has one, else on park and project name.

A blank cell keeps what is stored; defaults apply to new projects only. A new project becomes a
lead on its 入库日期, or else on the earliest date the row gives (never today: a new project without
any date is an error of the row). A row that puts a project further on is taken as the moves along
the table of moves (`moves.PROJECT_MOVES`), each on its date; a stage passed without a date of its
own is taken on the date of the next one. Each row is written through the pipeline's services, so
conflicts between parks, conformity with the industrial plan and the history (attributed to the
importing user) come out as they would for a project entered by hand.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zoneos.accounts.scoping import placeable_areas, scope
from zoneos.areas.lookup import AreaLookup
from zoneos.areas.models import AreaKind
from zoneos.core import industries
from zoneos.core.codes import check_uscc
from zoneos.core.errors import Conflict
from zoneos.core.roles import CHANGE
from zoneos.enterprises.imports import ORIGINS, _choice_lookup, _country_lookup
from zoneos.enterprises.models import CapitalOrigin
from zoneos.tabular.cells import MAX_AMOUNT, SheetDate, amount, excel_error, is_blank, parse_sheet_date
from zoneos.tabular.engine import Column, ImportSpec, Row, RowError, register
from zoneos.tabular.readers import text

from . import services
from .ledger import Dated, StageVocabulary, lead_date, plan
from .models import Project, ProjectSource
from .stages import StageCategory

C = StageCategory
SOURCES = _choice_lookup(ProjectSource.choices)
SOURCES.update({"自主": "own_lead", "推荐": "referral", "展会": "exhibition", "中介": "agency"})

# The date of each stage a ledger may give, as a column of its own.
DATE_COLUMNS = [
    (C.LEAD, Column("lead_on", "入库日期", "Lead since", False, ("线索日期", "入库时间", "lead date"))),
    (C.NEGOTIATING, Column("negotiating_on", "洽谈日期", "Talks since", False, ("首次洽谈日期", "接洽日期"))),
    (C.SIGNED, Column("signed_on", "签约日期", "Signing date", False, ("签约时间", "签约年月", "signed on"))),
    (
        C.REGISTERED,
        Column("registered_on", "注册日期", "Registration date", False, ("注册时间", "工商注册日期")),
    ),
    (C.LAND_SECURED, Column("land_secured_on", "供地日期", "Land date", False, ("拿地日期", "摘牌日期"))),
    (
        C.UNDER_CONSTRUCTION,
        Column(
            "under_construction_on",
            "开工日期",
            "Construction start",
            False,
            ("开工时间", "开工年月", "实际开工日期", "started on"),
        ),
    ),
    (C.COMPLETED, Column("completed_on", "竣工日期", "Completion date", False, ("竣工时间", "竣工年月"))),
    (
        C.IN_PRODUCTION,
        Column(
            "in_production_on",
            "投产日期",
            "Production start",
            False,
            ("投产时间", "投产年月", "实际投产日期"),
        ),
    ),
    (C.AT_CAPACITY, Column("at_capacity_on", "达产日期", "Full capacity date", False, ("达产时间",))),
]
STAGE_DATE = Column("stage_on", "阶段日期", "Stage date", False, ("状态日期", "进展日期", "stage date"))
PROJECT_COLUMNS = [
    Column("name", "项目名称", "Project", True, ("项目", "project name")),
    Column("code", "项目代码", "Project code", False, ("赋码", "project code")),
    Column("investor_name", "投资方", "Investor", True, ("投资主体", "投资企业", "签约企业")),
    Column(
        "investor_uscc", "投资方信用代码", "Investor's USCC", False, ("统一社会信用代码", "investor uscc")
    ),
    Column("investor_group", "所属集团", "Parent group", False, ("集团",)),
    Column(
        "area", "落户园区", "Area", True, ("所在园区", "园区", "园区代码", "所属园区", "落户地", "area code")
    ),
    Column("industry_code", "行业代码", "Industry code", False, ("国民经济行业代码", "industry")),
    Column("capital_origin", "资本来源", "Capital origin", False, ("资金来源", "资本类型", "origin")),
    Column(
        "capital_country", "外资国别", "Country", False, ("国别", "投资国别", "资本国别", "capital country")
    ),
    Column("total_investment", "总投资", "Total investment", False, ("计划总投资", "项目总投资"), money=True),
    Column("fixed_asset_investment", "固定资产投资", "Fixed-asset investment", False, (), money=True),
    Column("expected_output", "预计年产值", "Expected annual output value", False, ("达产产值",), money=True),
    Column("expected_tax", "预计年税收", "Expected annual tax", False, ("达产税收",), money=True),
    Column("land_mu", "用地（亩）", "Land (mu)", False, ("用地面积", "用地", "land")),
    Column("jobs", "就业人数", "Jobs", False, ("就业", "jobs")),
    Column("source", "项目来源", "Source", False, ("来源",)),
    Column(
        "stage",
        "项目阶段",
        "Stage",
        False,
        ("阶段", "进展阶段", "项目状态", "状态", "当前阶段", "所处阶段", "建设状态", "推进状态"),
    ),
    # Read as the stage when the ledger has no stage column; else kept as the note of the moves.
    Column("progress", "项目进展", "Progress", False, ("进展情况", "进展", "最新进展")),
    Column("note", "备注", "Note", False, ("原因", "终止原因", "流失原因", "情况说明")),
    *(column for _category, column in DATE_COLUMNS),
    STAGE_DATE,
]
COLUMN_NAMES = {c.name for c in PROJECT_COLUMNS}
DATE_OF = {column.name: category for category, column in DATE_COLUMNS}
HEADERS = {
    **{category.value: column.label_zh for category, column in DATE_COLUMNS},
    "stage_on": STAGE_DATE.label_zh,
}
MONEY = ("total_investment", "fixed_asset_investment", "expected_output", "expected_tax")
MONEY_LIMIT = MAX_AMOUNT
LAND_LIMIT = Decimal(10) ** 8
# What a new project holds where its row says nothing.
DEFAULTS = {
    "code": "",
    "investor_uscc": "",
    "investor_group": "",
    "industry_code": "",
    "capital_origin": "domestic",
    "capital_country": "",
    "source": ProjectSource.OWN_LEAD,
}
KEEP = object()


def _cell(row: Row, name: str):
    """A column's cell: KEEP when the column is absent or the cell blank (blank means keep), None when
    the mapping clears blanks, else the cell (a money cell with its scale, as the engine sends it)."""
    if name not in row.values:
        return KEEP
    value = row.values[name]
    cell = value[0] if isinstance(value, tuple) else value
    if cell is None:
        return None
    if is_blank(cell):
        return KEEP
    error = excel_error(cell)
    if error:
        row.error(name, _("The cell holds the Excel error %(error)s.") % {"error": error})
        return KEEP
    return value


def _number(row: Row, name: str, limit: Decimal):
    """A non-negative amount to 2 places (None to clear, KEEP), money in yuan from its (cell, scale)."""
    value = _cell(row, name)
    if value is KEEP or value is None:
        return value
    cell, scale = value if isinstance(value, tuple) else (value, None)
    try:
        return amount(cell, scale, limit)
    except ValueError as exc:
        row.error(name, exc)
        return KEEP


class ProjectSpec(ImportSpec):
    kind = "projects"
    model = Project
    match_note = gettext_lazy(
        "Rows are matched on the project code, or else on the park and the project name: existing "
        "projects are updated (a later stage is recorded as the moves to it, on the dates the row "
        "gives), new ones created as leads from their earliest date. Blank cells keep what is stored."
    )
    columns = PROJECT_COLUMNS

    def start(self, by, *, commit, context=None):
        areas = placeable_areas(Project, by).exclude(kind=AreaKind.REGION)
        return {
            "areas": AreaLookup(areas),
            "stages": StageVocabulary(),
            "countries": _country_lookup(),
            "seen": {},
            "context": context,
            "noticed": False,
            "today": services.today(),
        }

    def check_chunk(self, rows, state, by):
        for row in rows:
            self._clean(row, state)
        fields = [r.clean["fields"] for r in rows]
        codes = {f["code"] for f in fields if f.get("code")}
        query = Q(code__in=codes) if codes else Q(pk__in=[])
        for f in fields:
            if f.get("area") and f.get("name"):
                query |= Q(area_id=f["area"].pk, name=f["name"])
        found = list(Project.objects.filter(query).select_related("area"))
        writable = set(
            scope(Project.objects.filter(pk__in=[p.pk for p in found]), by, CHANGE).values_list(
                "pk", flat=True
            )
        )
        by_code = {p.code: p for p in found if p.code}
        by_name = {(p.area_id, p.name): p for p in found}
        for row in rows:
            f = row.clean["fields"]
            current = by_code.get(f["code"]) if f.get("code") else None
            if current is None and f.get("area") and f.get("name"):
                current = by_name.get((f["area"].pk, f["name"]))
            row.clean["_existing"] = current
            if current is not None and current.pk not in writable:
                row.error("code" if f.get("code") else "name", _("This project is kept outside your areas."))
                continue
            self._check_capital(row, current)
            self._plan(row, state, current)

    # Cells --------------------------------------------------------------------------------------------
    def _clean(self, row: Row, state) -> None:
        fields: dict = {}
        row.clean.update(fields=fields, dates={}, stage_date=None, moves=[], lead=None)
        for name, limit in (("name", 200), ("investor_name", 200), ("code", 24), ("investor_group", 200)):
            value = _cell(row, name)
            if value is KEEP or (value is None and name in ("name", "investor_name")):
                continue
            value = text(value)
            if len(value) > limit:
                row.error(name, _("At most %(n)d characters.") % {"n": limit})
            fields[name] = value
        if fields.get("code"):
            first = state["seen"].setdefault(fields["code"], row.number)
            if first != row.number:
                row.error("code", _("The same code is already on row %(row)d.") % {"row": first})
        value = _cell(row, "investor_uscc")
        if value is not KEEP:
            result = check_uscc(text(value))
            fields["investor_uscc"] = result.code
            if not result.ok:
                row.error("investor_uscc", " ".join(result.errors))
        self._clean_area(row, state, fields)
        value = _cell(row, "industry_code")
        if value is not KEEP:
            try:
                fields["industry_code"] = industries.clean_industry_code(text(value))
            except ValidationError as exc:
                row.error("industry_code", " ".join(exc.messages))
        for name, lookup, default, message in (
            ("capital_origin", ORIGINS, "domestic", _("“%(value)s” is not a capital origin.")),
            ("capital_country", state["countries"], "", _("“%(value)s” is not a country.")),
            ("source", SOURCES, ProjectSource.OWN_LEAD, _("“%(value)s” is not a source of projects.")),
        ):
            value = _cell(row, name)
            if value is None:
                fields[name] = default
            elif value is not KEEP:
                fields[name] = lookup.get(text(value).lower())
                if fields[name] is None:
                    row.error(name, message % {"value": text(value)})
        for name in MONEY:
            value = _number(row, name, MONEY_LIMIT)
            if value is not KEEP:
                fields[name] = value
        value = _number(row, "land_mu", LAND_LIMIT)
        if value is not KEEP:
            fields["land_mu"] = value
        value = _number(row, "jobs", Decimal(2**31))
        if value is not KEEP:
            if value is not None and value != value.to_integral_value():
                row.error("jobs", _("Give a whole number of zero or more."))
            else:
                fields["jobs"] = None if value is None else int(value)
        self._clean_dates(row)
        for name in ("stage", "progress", "note"):
            value = _cell(row, name)
            row.clean[name] = "" if value is KEEP or value is None else text(value)

    def _clean_area(self, row: Row, state, fields: dict) -> None:
        value = _cell(row, "area")
        if value is KEEP or value is None:
            return
        name = text(value)
        found = state["areas"].candidates(name)
        if len(found) == 1:
            fields["area"] = found[0]
        elif found:
            row.error(
                "area",
                _("“%(area)s” could be any of %(areas)s: write the code or the full name.")
                % {"area": name, "areas": "、".join(f"{a.name} ({a.code})" for a in found)},
            )
        else:
            row.error("area", _("No zone or park “%(area)s” among the areas you keep.") % {"area": name})

    def _clean_dates(self, row: Row) -> None:
        for name in (*DATE_OF, STAGE_DATE.name):
            value = _cell(row, name)
            if value is KEEP or value is None:
                continue
            try:
                date = parse_sheet_date(value)
            except ValueError as exc:
                row.error(name, exc)
                continue
            if name in DATE_OF:
                row.clean["dates"][DATE_OF[name]] = Dated(date, name)
            else:
                row.clean["stage_date"] = Dated(date, name)

    # Checks that need the stored project --------------------------------------------------------------
    def _check_capital(self, row: Row, current: Project | None) -> None:
        fields = row.clean["fields"]
        stored = current or Project(capital_origin=DEFAULTS["capital_origin"])
        origin = fields.get("capital_origin", stored.capital_origin)
        country = fields.get("capital_country", stored.capital_country)
        if origin is None or country is None:
            return  # already an error of the row
        if CapitalOrigin.needs_country(origin) and not country:
            row.error(
                "capital_country",
                _("Name the country the foreign capital comes from (a “%(column)s” column).")
                % {"column": "外资国别"},
            )
        elif not CapitalOrigin.needs_country(origin) and country:
            if "capital_country" in fields:
                row.error("capital_country", _("A country is given only for foreign capital."))
            else:
                fields["capital_country"] = ""  # the origin changed to one without a country

    def _plan(self, row: Row, state, current: Project | None) -> None:
        clean, fields = row.clean, row.clean["fields"]
        area = fields.get("area") or (current.area if current else None)
        vocabulary = state["stages"]
        target, note = None, clean["note"]
        if clean["stage"]:
            target = vocabulary.category(clean["stage"], area)
            if target is None:
                row.error("stage", _("“%(value)s” is not a stage.") % {"value": clean["stage"]})
            note = note or clean["progress"]
        elif clean["progress"]:
            target = vocabulary.category(clean["progress"], area)
            if target is None:
                row.error(
                    "progress",
                    _("“%(value)s” is not a stage: give the stage in a “%(column)s” column.")
                    % {"value": clean["progress"], "column": "项目状态"},
                )
        clean["note"] = note
        if current is None:
            for name, message in (
                ("name", _("The project needs a name.")),
                ("investor_name", _("Name the investor.")),
                ("area", _("Name the park (code or name).")),
            ):
                if not fields.get(name) and name not in {c for c, _m in row.errors}:
                    row.error(name, message)
            lead = lead_date(clean["dates"], clean["stage_date"])
            if lead is None and {c for c, _m in row.errors} & {*DATE_OF, STAGE_DATE.name}:
                return  # its date cells are already errors of the row
            if lead is None:
                row.error(
                    "lead_on",
                    _(
                        "A new project needs a date: add a “%(column)s” column, or the date of its stage "
                        "(“%(signed)s”, “%(started)s”…)."
                    )
                    % {
                        "column": HEADERS[C.LEAD],
                        "signed": HEADERS[C.SIGNED],
                        "started": HEADERS[C.UNDER_CONSTRUCTION],
                    },
                )
                return
            if lead.date.on > state["today"]:
                row.error(lead.column, _("A date in the future cannot have happened yet."))
                return
            clean["lead"] = lead
            start, paused_from, since = C.LEAD, "", lead.date
        else:
            start, paused_from = current.stage, current.paused_from
            since = SheetDate(current.stage_on, current.stage_on_precision)
        # The column the stage came from, named in the errors of the moves.
        source = "stage" if clean["stage"] or not clean["progress"] else "progress"
        if row.errors and target is None and (clean["stage"] or clean["progress"]):
            return
        names = vocabulary.names(area)
        result = plan(
            start=start,
            paused_from=paused_from,
            since=since,
            target=target,
            dates=clean["dates"],
            stage_date=clean["stage_date"],
            names=names,
            headers=HEADERS,
            today=state["today"],
        )
        for column, message in result.errors:
            row.error(source if column == "stage" else column, message)
        clean["moves"] = result.moves
        if any(m.to == C.DROPPED for m in result.moves) and not note:
            row.error(
                source,
                _("Say why the project is dropped, in a “%(column)s” column.") % {"column": "备注"},
            )
        context = state["context"]
        if result.passed and current is not None and context is not None and not state["noticed"]:
            state["noticed"] = True
            context.notice(
                _("Dates of stages a project had already reached are left as its history records them.")
            )

    @staticmethod
    def changes(current: Project, clean: dict) -> dict:
        """Each field the row changes, as (stored, new); the stage as its names before and after."""
        found = {}
        for name, value in clean["fields"].items():
            old = getattr(current, name)
            if old != value:
                found[name] = (old, value)
        if clean["moves"]:
            found["stage"] = (current.get_stage_display(), C(clean["moves"][-1].to).label)
        return found

    # Writing ------------------------------------------------------------------------------------------
    def write_chunk(self, rows, state, by, outcome):
        for row in rows:
            clean, current = row.clean, row.clean["_existing"]
            try:
                if current is None:
                    lead = clean["lead"]
                    project = services.create_project(
                        by=by,
                        lead_on=lead.date.on,
                        lead_precision=lead.date.precision,
                        **{**DEFAULTS, **clean["fields"]},
                    )
                    outcome.created += 1
                else:
                    changes = self.changes(current, clean)
                    if not changes:
                        outcome.unchanged += 1
                        continue
                    changes.pop("stage", None)
                    project = current
                    if changes:
                        project = services.update_project(
                            current, by=by, **{k: v[1] for k, v in changes.items()}
                        )
                    outcome.updated += 1
                note = _("Imported from the project ledger.")
                if clean["note"]:
                    note = f"{note} {clean['note']}"
                for move in clean["moves"]:
                    project = services.transition(
                        project, by=by, to=move.to, on=move.on, precision=move.precision, note=note
                    )
            except ValidationError as exc:
                # Something only the write can tell (a fixed-asset investment above the total, say):
                # the engine reports it and rolls the whole import back.
                errors = getattr(exc, "error_dict", None)
                field, messages = next(iter(exc.message_dict.items())) if errors else ("name", exc.messages)
                column = {"on": "stage", "to": "stage", "note": "note"}.get(field, field)
                raise RowError(
                    row.number, column if column in COLUMN_NAMES else "name", " ".join(messages)
                ) from exc
            except (Conflict, PermissionDenied) as exc:
                raise RowError(row.number, "stage", str(exc)) from exc


register(ProjectSpec(), label=gettext_lazy("Investment projects"), file_names=("项目台账", "projects"))
