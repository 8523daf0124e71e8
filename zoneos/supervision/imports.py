"""Import of the monthly report sheet parks send today (xlsx or csv) through the import engine.

One row per key project and period: the project's name and park, the month (``2026-03``, ``2026年3月``,
or ``2026年1-2月`` for January and February together), what it completed in the period (a money
column: ``本月完成投资（万元）`` is scaled to yuan), funds in place, progress and problems. Rows find the
project in that year's plan by park and name; each is written through `services.submit_report`, so
locks, the reporter's rights and the history (attributed to the importing user) hold as for a report
typed on the plan page. A sheet's cumulative column, when it has one, is checked against the sum the
reports give, never stored: cumulative figures are derived.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zoneos.accounts.scoping import may_place, scope
from zoneos.areas.models import Area, AreaKind
from zoneos.core.errors import Conflict
from zoneos.core.roles import VIEW
from zoneos.enterprises.imports import _limited, _money
from zoneos.tabular.engine import Column, ImportSpec, Row, RowError, register
from zoneos.tabular.readers import text

from . import services
from .models import KeyProject, Report

REPORT_COLUMNS = [
    Column("name", "项目名称", "Key project", True, ("项目", "重点项目", "key project name")),
    Column("area", "所在园区", "Area", True, ("园区", "落户园区", "园区代码", "area code")),
    Column("month", "月份", "Month", True, ("报送月份", "统计月份", "period")),
    Column(
        "completed",
        "本月完成投资",
        "Completed this month",
        True,
        ("当月完成投资", "本期完成投资", "completed"),
        money=True,
    ),
    Column("funds_in_place", "本月到位资金", "Funds in place this month", False, ("到位资金",), money=True),
    Column("progress_note", "形象进度", "Progress", False, ("工程进度", "进展情况", "progress")),
    Column("problems", "存在问题", "Problems", False, ("问题及建议", "problems")),
    Column(
        "cumulative",
        "累计完成投资",
        "Completed since January",
        False,
        ("自年初累计完成投资", "1-本月累计完成投资", "cumulative"),
        money=True,
    ),
]
COLUMN_NAMES = {c.name for c in REPORT_COLUMNS}
PERIOD = re.compile(r"^\s*(\d{4})\s*(?:年|-|/|\.)\s*(\d{1,2})(?:\s*(?:-|~|–|至|到)\s*(\d{1,2}))?\s*月?\s*$")
FIELDS = ("completed", "funds_in_place", "progress_note", "problems")


def parse_period(value) -> tuple[int, int, bool]:
    """(year, month, covers January-February) from the ways sheets write a month; ValueError else."""
    if hasattr(value, "year") and hasattr(value, "month"):
        return value.year, value.month, False
    match = PERIOD.match(text(value))
    if not match:
        raise ValueError(_("Give the month as 2026-03, 2026年3月 or 2026年1-2月."))
    year, first, last = int(match.group(1)), int(match.group(2)), match.group(3)
    if last is None:
        if not 1 <= first <= 12:
            raise ValueError(_("Give the month as 2026-03, 2026年3月 or 2026年1-2月."))
        return year, first, False
    if (first, int(last)) != (1, 2):
        raise ValueError(_("Only January and February are reported together."))
    return year, 2, True


class MonthlyReportSpec(ImportSpec):
    kind = "monthly_reports"
    model = Report
    match_note = gettext_lazy(
        "Rows are matched on the park and the key project's name in the plan of the month's year; a "
        "month already reported is replaced. A cumulative column is checked, not stored."
    )
    columns = REPORT_COLUMNS

    def start(self, by, *, commit):
        areas = {}
        visible = scope(KeyProject.objects.all(), by, VIEW).values("area_id")

        for area in Area.objects.filter(pk__in=visible).exclude(kind=AreaKind.REGION).order_by("-path"):
            areas.setdefault(area.name, area)
            areas[area.code] = area
        return {"areas": areas, "seen": {}, "months": {}}

    def check_chunk(self, rows, state, by):
        for row in rows:
            self._clean(row, state)
        wanted = {
            (r.clean["year"], r.clean["area"].pk, r.clean["name"])
            for r in rows
            if r.clean.get("area") and r.clean.get("name") and r.clean.get("year")
        }
        query = Q(pk__in=[])
        for year, area_id, name in wanted:
            query |= Q(year=year, area_id=area_id, name=name)
        found = {
            (p.year, p.area_id, p.name): p
            for p in scope(KeyProject.objects.filter(query), by, VIEW).select_related("area")
        }
        reports = {
            (r.key_project_id, r.month): r
            for r in Report.objects.filter(key_project__in=list(found.values()))
        }
        sums: dict[int, list[Report]] = {}
        for report in reports.values():
            sums.setdefault(report.key_project_id, []).append(report)
        for row in rows:
            clean = row.clean
            if not (clean.get("area") and clean.get("name") and clean.get("year")):
                clean["_existing"] = None
                continue
            project = found.get((clean["year"], clean["area"].pk, clean["name"]))
            if project is None:
                row.error(
                    "name",
                    _("%(area)s has no key project “%(name)s” in the %(year)s plan.")
                    % {"area": clean["area"].label, "name": clean["name"], "year": clean["year"]},
                )
                clean["_existing"] = None
                continue
            clean["_project"] = project
            clean["_existing"] = reports.get((project.pk, clean["month"]))
            if not may_place(Report, project.area, by):
                row.error("area", _("You may not report for projects of %(area)s.") % {"area": project.area})
            elif clean["month"] <= services.locked_through(project):
                row.error("month", _("This month is locked; revise the report with a reason."))
            # Months of this project: as reported, with what earlier rows of the sheet replace.
            months = state["months"].setdefault(
                project.pk, {r.month: r.completed for r in sums.get(project.pk, [])}
            )
            if clean.get("cumulative") is not None and clean.get("completed") is not None:
                before = sum((v for m, v in months.items() if m < clean["month"]), Decimal(0))
                expected = before + clean["completed"]
                if abs(expected - clean["cumulative"]) > Decimal("1"):
                    row.error(
                        "cumulative",
                        _(
                            "The reports give %(sum)s yuan since January; the sheet says %(sheet)s. "
                            "Check this month's figure or the earlier months."
                        )
                        % {"sum": f"{expected:,.2f}", "sheet": f"{clean['cumulative']:,.2f}"},
                    )
            if clean.get("completed") is not None:
                months[clean["month"]] = clean["completed"]

    def _clean(self, row: Row, state) -> None:
        clean = row.clean
        clean["name"] = _limited(row, "name", 200)
        if not clean["name"]:
            row.error("name", _("Name the key project."))
        key = text(row.values.get("area"))
        clean["area"] = state["areas"].get(key) if key else None
        if clean["area"] is None:
            row.error(
                "area",
                _("No park “%(area)s” with key projects you can see.") % {"area": key}
                if key
                else _("Name the park (code or name)."),
            )
        try:
            clean["year"], clean["month"], clean["covers_january_february"] = parse_period(
                row.values.get("month")
            )
        except ValueError as exc:
            row.error("month", exc)
            clean["year"] = None
        for name in ("completed", "funds_in_place", "cumulative"):
            clean[name] = _money(row, name)
        if clean["completed"] is None and "completed" not in dict(row.errors):
            row.error("completed", _("Give the investment completed in the period."))
        clean["progress_note"] = text(row.values.get("progress_note"))
        clean["problems"] = text(row.values.get("problems"))
        if clean.get("year") and clean.get("area") and clean.get("name"):
            key = (clean["year"], clean["area"].pk, clean["name"], clean["month"])
            first = state["seen"].setdefault(key, row.number)
            if first != row.number:
                row.error(
                    "month", _("The same project and month are already on row %(row)d.") % {"row": first}
                )

    @staticmethod
    def changes(current: Report, clean: dict) -> dict:
        changed = {
            name: clean[name]
            for name in FIELDS
            if (getattr(current, name) or "") != (clean[name] or "") and clean[name] is not None
        }
        if (current.first_month == 1) != clean["covers_january_february"] and current.month == 2:
            changed["covers_january_february"] = clean["covers_january_february"]
        return changed

    def write_chunk(self, rows, state, by, outcome):
        for row in rows:
            clean = row.clean
            current = clean["_existing"]
            if current is not None and not self.changes(current, clean):
                outcome.unchanged += 1
                continue
            try:
                services.submit_report(
                    clean["_project"],
                    by=by,
                    month=f"{clean['year']}-{clean['month']:02d}",
                    covers_january_february=clean["covers_january_february"],
                    **{name: clean[name] for name in FIELDS if clean[name] is not None},
                )
            except ValidationError as exc:
                field, messages = next(iter(exc.message_dict.items()))
                field = field if field in COLUMN_NAMES else "month"
                raise RowError(row.number, field, " ".join(messages)) from exc
            except (Conflict, PermissionDenied) as exc:
                raise RowError(row.number, "month", str(getattr(exc, "detail", exc))) from exc
            if current is None:
                outcome.created += 1
            else:
                outcome.updated += 1


register(
    MonthlyReportSpec(),
    label=gettext_lazy("Key projects' monthly reports"),
    file_names=("重点项目月报", "monthly-reports"),
)
