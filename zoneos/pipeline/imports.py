"""Import of an existing project ledger (xlsx or csv) through the registry's import engine.

A zone's ledger has one row per project: name, investor, park, amounts in 万元 or 亿元, and the stage
the project has reached. Rows upsert on the project code when the ledger has one, else on park and
project name. Each row is written through the pipeline's services, so conflicts between parks,
conformity with the industrial plan and the history (attributed to the importing user) come out as
they would for a project entered by hand. A new project that the ledger shows beyond lead gets one
stage move, noted as imported.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zoneos.accounts.scoping import placeable_areas, scope
from zoneos.areas.models import AreaKind
from zoneos.core import industries
from zoneos.core.codes import check_uscc
from zoneos.core.roles import CHANGE
from zoneos.enterprises.imports import ORIGINS, _choice_lookup, _count, _limited, _money, parse_date
from zoneos.tabular.engine import Column, ImportSpec, Row, RowError, register
from zoneos.tabular.readers import text

from . import services
from .models import Project, ProjectSource
from .stages import StageCategory

STAGES = _choice_lookup(StageCategory.choices)
STAGES.update(
    {
        "已签约": "signed",
        "已注册": "registered",
        "已拿地": "land_secured",
        "已竣工": "completed",
        "已投产": "in_production",
        "已达产": "at_capacity",
        "已终止": "dropped",
        "线索": "lead",
        "谋划": "lead",
        "在谈": "negotiating",
        "洽谈": "negotiating",
        "签约": "signed",
        "注册": "registered",
        "拿地": "land_secured",
        "开工": "under_construction",
        "在建": "under_construction",
        "竣工": "completed",
        "投产": "in_production",
        "达产": "at_capacity",
        "暂缓": "on_hold",
        "终止": "dropped",
    }
)
SOURCES = _choice_lookup(ProjectSource.choices)
SOURCES.update({"自主": "own_lead", "推荐": "referral", "展会": "exhibition", "中介": "agency"})

PROJECT_COLUMNS = [
    Column("name", "项目名称", "Project", True, ("项目", "project name")),
    Column("code", "项目代码", "Project code", False, ("赋码", "project code")),
    Column("investor_name", "投资方", "Investor", True, ("投资主体", "投资企业", "签约企业")),
    Column(
        "investor_uscc", "投资方信用代码", "Investor's USCC", False, ("统一社会信用代码", "investor uscc")
    ),
    Column("investor_group", "所属集团", "Parent group", False, ("集团",)),
    Column("area", "落户园区", "Area", True, ("所在园区", "园区", "园区代码", "area code")),
    Column("industry_code", "行业代码", "Industry code", False, ("国民经济行业代码", "industry")),
    Column("capital_origin", "资本来源", "Capital origin", False, ("资金来源", "origin")),
    Column("total_investment", "总投资", "Total investment", False, ("计划总投资",), money=True),
    Column("fixed_asset_investment", "固定资产投资", "Fixed-asset investment", False, (), money=True),
    Column("expected_output", "预计年产值", "Expected annual output value", False, ("达产产值",), money=True),
    Column("expected_tax", "预计年税收", "Expected annual tax", False, ("达产税收",), money=True),
    Column("land_mu", "用地（亩）", "Land (mu)", False, ("用地面积", "用地", "land")),
    Column("jobs", "就业人数", "Jobs", False, ("就业", "jobs")),
    Column("source", "项目来源", "Source", False, ("来源",)),
    Column("stage", "项目阶段", "Stage", False, ("阶段", "进展阶段")),
    Column("lead_on", "入库日期", "Lead since", False, ("线索日期", "lead date")),
    Column("stage_on", "阶段日期", "Stage date", False, ("签约日期", "stage date")),
]
COLUMN_NAMES = {c.name for c in PROJECT_COLUMNS}
FIELDS = (
    "name",
    "code",
    "investor_name",
    "investor_uscc",
    "investor_group",
    "industry_code",
    "capital_origin",
    "total_investment",
    "fixed_asset_investment",
    "expected_output",
    "expected_tax",
    "land_mu",
    "jobs",
    "source",
)


class ProjectSpec(ImportSpec):
    kind = "projects"
    model = Project
    match_note = gettext_lazy(
        "Rows are matched on the project code, or else on the park and the project name: existing "
        "projects are updated (a later stage is recorded as a move), new ones created as leads."
    )
    columns = PROJECT_COLUMNS

    def start(self, by, *, commit):
        areas = {}
        for area in placeable_areas(Project, by).exclude(kind=AreaKind.REGION).order_by("-path"):
            areas.setdefault(area.name, area)
            areas[area.code] = area
        return {"areas": areas, "seen": {}}

    def check_chunk(self, rows, state, by):
        for row in rows:
            self._clean(row, state)
        codes = {r.clean["code"] for r in rows if r.clean.get("code")}
        names = {
            (r.clean["area"].pk, r.clean["name"]) for r in rows if r.clean.get("area") and r.clean.get("name")
        }
        query = Q(code__in=codes) if codes else Q(pk__in=[])
        for area_id, name in names:
            query |= Q(area_id=area_id, name=name)
        found = list(Project.objects.filter(query).select_related("area"))
        writable = set(
            scope(Project.objects.filter(pk__in=[p.pk for p in found]), by, CHANGE).values_list(
                "pk", flat=True
            )
        )
        by_code = {p.code: p for p in found if p.code}
        by_name = {(p.area_id, p.name): p for p in found}
        for row in rows:
            clean = row.clean
            current = by_code.get(clean.get("code")) if clean.get("code") else None
            if current is None and clean.get("area"):
                current = by_name.get((clean["area"].pk, clean.get("name")))
            clean["_existing"] = current
            if current is not None and current.pk not in writable:
                row.error(
                    "code" if clean.get("code") else "name", _("This project is kept outside your areas.")
                )
            if current is not None and clean.get("stage") and clean["stage"] != current.stage:
                from .stages import allowed_moves

                if clean["stage"] not in allowed_moves(current.stage, current.paused_from):
                    row.error(
                        "stage",
                        _("The project is %(current)s and cannot move to %(target)s.")
                        % {
                            "current": current.get_stage_display(),
                            "target": StageCategory(clean["stage"]).label,
                        },
                    )

    def _clean(self, row: Row, state) -> None:
        clean = row.clean
        clean["name"] = _limited(row, "name", 200)
        if not clean["name"]:
            row.error("name", _("The project needs a name."))
        clean["investor_name"] = _limited(row, "investor_name", 200)
        if not clean["investor_name"]:
            row.error("investor_name", _("Name the investor."))
        clean["code"] = _limited(row, "code", 24)
        if clean["code"]:
            first = state["seen"].setdefault(clean["code"], row.number)
            if first != row.number:
                row.error("code", _("The same code is already on row %(row)d.") % {"row": first})
        clean["investor_group"] = _limited(row, "investor_group", 200)
        raw = text(row.values.get("investor_uscc"))
        clean["investor_uscc"] = ""
        if raw:
            result = check_uscc(raw)
            clean["investor_uscc"] = result.code
            if not result.ok:
                row.error("investor_uscc", " ".join(result.errors))
        key = text(row.values.get("area"))
        clean["area"] = state["areas"].get(key) if key else None
        if clean["area"] is None:
            row.error(
                "area",
                _("No zone or park “%(area)s” among the areas you keep.") % {"area": key}
                if key
                else _("Name the park (code or name)."),
            )
        try:
            clean["industry_code"] = industries.clean_industry_code(text(row.values.get("industry_code")))
        except ValidationError as exc:
            row.error("industry_code", " ".join(exc.messages))
        raw = text(row.values.get("capital_origin")).lower()
        clean["capital_origin"] = ORIGINS.get(raw, "domestic" if not raw else None)
        if clean["capital_origin"] is None:
            row.error("capital_origin", _("“%(value)s” is not a capital origin.") % {"value": raw})
        for name in ("total_investment", "fixed_asset_investment", "expected_output", "expected_tax"):
            clean[name] = _money(row, name)
        clean["land_mu"] = _money(row, "land_mu")
        clean["jobs"] = _count(row, "jobs")
        raw = text(row.values.get("source")).lower()
        clean["source"] = SOURCES.get(raw, "own_lead" if not raw else None)
        if clean["source"] is None:
            row.error("source", _("“%(value)s” is not a source of projects.") % {"value": raw})
        raw = text(row.values.get("stage")).lower()
        clean["stage"] = STAGES.get(raw) if raw else ""
        if clean["stage"] is None:
            row.error("stage", _("“%(value)s” is not a stage.") % {"value": raw})
        for name in ("lead_on", "stage_on"):
            try:
                clean[name] = parse_date(row.values.get(name))
            except ValueError as exc:
                row.error(name, exc)
        if clean.get("stage") == StageCategory.DROPPED:
            row.error("stage", _("Drop a project on its page, with the reason."))
        if clean.get("lead_on") and clean.get("stage_on") and clean["stage_on"] < clean["lead_on"]:
            row.error("stage_on", _("The stage date comes before the lead date."))

    @staticmethod
    def changes(current: Project, clean: dict) -> dict:
        changes = {name: clean[name] for name in FIELDS if getattr(current, name) != clean[name]}
        if clean["area"] is not None and clean["area"].pk != current.area_id:
            changes["area"] = clean["area"]
        if clean.get("stage") and clean["stage"] != current.stage:
            changes["stage"] = clean["stage"]
        return changes

    def write_chunk(self, rows, state, by, outcome):
        for row in rows:
            clean, current = row.clean, row.clean["_existing"]
            try:
                if current is None:
                    self._create(clean, by)
                    outcome.created += 1
                    continue
                changes = self.changes(current, clean)
                if not changes:
                    outcome.unchanged += 1
                    continue
                stage = changes.pop("stage", None)
                if changes:
                    services.update_project(current, by=by, **changes)
                if stage:
                    services.transition(
                        current,
                        by=by,
                        to=stage,
                        on=clean.get("stage_on"),
                        note=_("Imported from the project ledger."),
                    )
                outcome.updated += 1
            except ValidationError as exc:
                # Something only the write can tell (a date before the current stage, say): the
                # engine reports it and rolls the whole import back.
                field, messages = next(iter(exc.message_dict.items()))
                raise RowError(
                    row.number, field if field in COLUMN_NAMES else "name", " ".join(messages)
                ) from exc

    @staticmethod
    def _create(clean: dict, by) -> Project:
        fields = {name: clean[name] for name in FIELDS}
        project = services.create_project(by=by, area=clean["area"], lead_on=clean.get("lead_on"), **fields)
        stage = clean.get("stage")
        if stage and stage != StageCategory.LEAD:
            on = clean.get("stage_on") or project.lead_on
            if on < project.lead_on:
                on = project.lead_on
            services.move(project, by=by, to=stage, on=on, note=_("Imported from the project ledger."))
        return project


register(ProjectSpec(), label=gettext_lazy("Investment projects"), file_names=("项目台账", "projects"))
