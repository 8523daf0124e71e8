"""Import of the monthly progress sheets parks send (xlsx or csv) through the import engine.

One row per key project: its name and park, the month, what it completed in the month, funds in place,
progress and problems. Sheets write these as parks do: "本月完成" and "1-10月累计完成", the month in a
月份 column or only in the title ("2026年1-10月" is October 2026), money in 万元 (a unit in a header or
in a "单位：万元" line, which the engine applies: money cells arrive as `(cell, scale)`).

- A sheet with only a year-to-date column gives each month by difference with the months already
  stored for the project and year, and says so (a "1-2月" sheet with nothing stored is January and
  February together).
- A sheet with both is checked: the months stored plus this month must give the year-to-date figure
  within the sheet's own precision (half a unit of the last decimal written, per figure summed).
- A sheet's 年度计划投资 is never stored (the plan is the supervisor's); it is compared with the plan, so
  that a sheet read in the wrong unit is refused before it turns a project red.
- A blank cell keeps what is stored; a column the mapping marks "blank clears" (present with None)
  clears a note or the funds in place.

Rows find the project in that year's plan by park (code, name or short name, `AreaLookup`) and name;
each is written through `services.submit_report`, so locks, the reporter's rights, the history
(attributed to the importing user) and the month figures hold as for a report typed on the plan page.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zoneos.accounts.scoping import may_place, scope
from zoneos.areas.lookup import AreaLookup
from zoneos.areas.lookup import key as area_key
from zoneos.areas.models import Area, AreaKind
from zoneos.core.errors import Conflict
from zoneos.core.roles import VIEW
from zoneos.tabular import cells
from zoneos.tabular.engine import ImportSpec, Row, RowError, register
from zoneos.tabular.readers import text

from . import services
from .models import KeyProject, Report
from .sheets import CENT, REPORT_COLUMNS, implausible, money, parse_period, show, unit_slip

__all__ = ["MonthlyReportSpec", "parse_period"]

FIELDS = ("completed", "funds_in_place", "progress_note", "problems")
NOTES = ("progress_note", "problems")
COLUMN_NAMES = {c.name for c in REPORT_COLUMNS}


def _project_key(name: str) -> str:
    return area_key(name)


def _months_text(months: list[int]) -> str:
    return "、".join(str(m) for m in months)


class MonthlyReportSpec(ImportSpec):
    kind = "monthly_reports"
    model = Report
    match_note = gettext_lazy(
        "Rows are matched on the park and the key project's name in the plan of the month's year; a "
        "month already reported is replaced. The month comes from a 月份 column or from the sheet's "
        "title (2026年1-10月 is October). A year-to-date column alone gives the month by difference with "
        "the months stored; beside a month's column it is checked, never stored. A blank cell keeps "
        "what is stored."
    )
    columns = REPORT_COLUMNS

    def start(self, by, *, commit, context=None):
        visible = scope(KeyProject.objects.all(), by, VIEW).values("area_id")
        areas = list(Area.objects.filter(pk__in=visible).exclude(kind=AreaKind.REGION))
        return {
            "areas": AreaLookup(areas),
            "context": context,
            "period": getattr(context, "period", None),
            "area": getattr(context, "area", None),
            "seen": {},
            "months": {},
            "noticed": set(),
        }

    # Checking ------------------------------------------------------------------------------------
    def check_chunk(self, rows, state, by):
        for row in rows:
            self._clean(row, state)
        ready = [
            r
            for r in rows
            if not r.errors and r.clean.get("area") and r.clean.get("name") and r.clean.get("year")
        ]
        # Projects by name within the row's area (a park, or a zone and its parks).
        query = Q(pk__in=[])
        for year, path in {(r.clean["year"], r.clean["area"].path) for r in ready}:
            query |= Q(year=year, area__path__startswith=path)
        projects: dict[tuple, list[KeyProject]] = {}
        for project in scope(KeyProject.objects.filter(query), by, VIEW).select_related("area"):
            projects.setdefault((project.year, project.name), []).append(project)
            projects.setdefault((project.year, "~" + _project_key(project.name)), []).append(project)
        found = {p.pk: p for group in projects.values() for p in group}
        reports: dict[int, dict[int, Report]] = {pk: {} for pk in found}
        for report in Report.objects.filter(key_project__in=list(found)):
            reports[report.key_project_id][report.month] = report
        for row in rows:
            row.clean.setdefault("_existing", None)
        for row in ready:
            self._check(row, state, by, projects, reports)

    def _clean(self, row: Row, state) -> None:
        clean = row.clean
        clean["_notes"] = []
        clean["name"] = text(row.values.get("name"))
        if not clean["name"]:
            row.error("name", _("Name the key project."))
        elif len(clean["name"]) > 200:
            row.error("name", _("At most %(limit)d characters.") % {"limit": 200})
        clean["area"] = self._area(row, state)
        self._period(row, state)
        for name in ("completed", "funds_in_place", "cumulative", "annual_plan"):
            clean[name] = money(row, name)
        # Blank keeps what is stored: only the columns present (None: "blank clears") are set.
        clean["set"] = {}
        if clean["funds_in_place"] is not None:
            clean["set"]["funds_in_place"] = clean["funds_in_place"].yuan
        elif "funds_in_place" in row.values and row.values["funds_in_place"] is None:
            clean["set"]["funds_in_place"] = None
        for name in NOTES:
            if name not in row.values:
                continue
            value = row.values[name]
            if value is None:
                clean["set"][name] = ""
            elif not cells.is_blank(value):
                clean["set"][name] = text(value)
        if clean.get("year") and clean["area"] and clean["name"]:
            key = (clean["year"], clean["area"].pk, clean["name"], clean["month"])
            first = state["seen"].setdefault(key, row.number)
            if first != row.number:
                row.error(
                    "month", _("The same project and month are already on row %(row)d.") % {"row": first}
                )

    @staticmethod
    def _area(row: Row, state) -> Area | None:
        given = text(row.values.get("area")) if not cells.is_blank(row.values.get("area")) else ""
        if not given:
            if state["area"] is not None:
                return state["area"]
            row.error("area", _("Name the park (code, name or short name)."))
            return None
        area = state["areas"].get(given)
        if area is None:
            if state["areas"].ambiguous(given):
                row.error(
                    "area", _("“%(area)s” could be more than one park; give its code.") % {"area": given}
                )
            else:
                row.error("area", _("No park “%(area)s” with key projects you can see.") % {"area": given})
        return area

    @staticmethod
    def _period(row: Row, state) -> None:
        """The row's year and month: its 月份 cell, else the sheet's title (the month it runs to)."""
        clean, raw, period = row.clean, row.values.get("month"), state["period"]
        clean["year"] = None
        clean["month"] = None
        clean["covers_january_february"] = False
        clean["_titled"] = False
        if hasattr(raw, "month_to"):  # the title's period itself
            raw, period = None, raw
        elif isinstance(raw, cells.SheetDate):
            raw = None if raw.precision == cells.Precision.YEAR else raw.on
        try:
            if cells.is_blank(raw):
                if period is None or period.month_to is None:
                    raise ValueError(
                        _("Give the month in a 月份 column or in the sheet's title (2026年1-10月).")
                    )
                clean["year"], clean["month"], clean["_titled"] = period.year_to, period.month_to, True
                clean["covers_january_february"] = (period.month_from, period.month_to) == (1, 2)
            elif isinstance(raw, int | float) and not isinstance(raw, bool) and 1 <= raw <= 12 and period:
                clean["year"], clean["month"] = period.year_to, int(raw)  # the month alone, the year titled
                clean["_titled"] = True
                clean["covers_january_february"] = (period.month_from, int(raw)) == (1, 2)
            else:
                try:
                    parsed = parse_period(raw)
                except ValueError:
                    found = cells.parse_sheet_date(raw)
                    if found is None or found.precision == cells.Precision.YEAR:
                        raise
                    parsed = (found.on.year, found.on.month, False)
                clean["year"], clean["month"], clean["covers_january_february"] = parsed
        except ValueError as exc:
            row.error("month", exc)
            clean["year"] = None

    def _check(self, row: Row, state, by, projects, reports) -> None:
        clean = row.clean
        year, month, area = clean["year"], clean["month"], clean["area"]
        candidates = []
        for key in ((year, clean["name"]), (year, "~" + _project_key(clean["name"]))):
            candidates = [p for p in projects.get(key, ()) if p.area.path.startswith(area.path)]
            if candidates:
                break
        if len(candidates) > 1:
            candidates = [p for p in candidates if p.area_id == area.pk] or candidates
        if len(candidates) != 1:
            message = _("%(area)s has no key project “%(name)s” in the %(year)s plan.")
            if candidates:
                message = _("“%(name)s” names more than one key project of %(area)s in %(year)s.")
            row.error("name", message % {"area": area.label, "name": clean["name"], "year": year})
            return
        project = clean["_project"] = candidates[0]
        stored = reports[project.pk]
        clean["_existing"] = stored.get(month)
        if not may_place(Report, project.area, by):
            row.error("area", _("You may not report for projects of %(area)s.") % {"area": project.area})
            return
        if month <= services.locked_through(project):
            row.error("month", _("This month is locked; revise the report with a reason."))
            return
        # The project's months: as stored, with what earlier rows of the sheet replace.
        months = state["months"].setdefault(
            project.pk, {m: (r.first_month, r.completed) for m, r in stored.items()}
        )
        self._check_plan(row, project)
        for name in ("completed", "cumulative"):
            figure = clean[name]
            if figure is not None and implausible(figure.yuan, project.annual_plan):
                row.error(
                    name,
                    _(
                        "%(figure)s against an annual plan of %(plan)s: the sheet's money seems read in "
                        "the wrong unit. Set the unit of its money columns."
                    )
                    % {"figure": show(figure.yuan, figure.scale), "plan": show(project.annual_plan)},
                )
        if row.errors:
            return
        self._figures(row, state, months)
        if "completed" in clean["set"]:
            first = 1 if clean["covers_january_february"] else month
            months[month] = (first, clean["set"]["completed"])

    @staticmethod
    def _check_plan(row: Row, project: KeyProject) -> None:
        """The sheet's annual plan against the plan stored: a sheet read in the wrong unit stops here."""
        sheet = row.clean["annual_plan"]
        if (
            sheet is None
            or not project.annual_plan
            or abs(sheet.yuan - project.annual_plan) <= sheet.unit / 2
        ):
            return
        if unit_slip(sheet.yuan, project.annual_plan):
            row.error(
                "annual_plan",
                _(
                    "The sheet's annual plan is %(sheet)s, the plan stored is %(stored)s: the sheet's "
                    "money seems read in the wrong unit. Set the unit of its money columns."
                )
                % {"sheet": show(sheet.yuan, sheet.scale), "stored": show(project.annual_plan)},
            )
            return
        row.clean["_notes"].append(
            _("The sheet's annual plan (%(sheet)s) differs from the plan stored (%(stored)s); it is kept.")
            % {"sheet": show(sheet.yuan, sheet.scale), "stored": show(project.annual_plan)}
        )

    def _figures(self, row: Row, state, months: dict[int, tuple[int, Decimal]]) -> None:
        """This month's completed investment: given, or the year to date less the months stored."""
        clean = row.clean
        month, completed, cumulative = clean["month"], clean["completed"], clean["cumulative"]
        covered = {m for last, (first, _v) in months.items() if last < month for m in range(first, last + 1)}
        earlier = [value for last, (_f, value) in months.items() if last < month]
        if completed is not None:
            if clean["covers_january_february"] and 1 in months and months[1][0] == 1:
                if not clean["_titled"]:
                    row.error("month", _("January already has its own report; report February alone."))
                    return
                clean["covers_january_february"] = False  # a "1-2月" title: this month is February
            start = 1 if clean["covers_january_february"] else month
            missing = [m for m in range(1, start) if m not in covered]
            clean["set"]["completed"] = completed.yuan
            if cumulative is None:
                return
            if missing:
                clean["_notes"].append(
                    _("Months %(months)s have no report: the year-to-date figure is not checked.")
                    % {"months": _months_text(missing)}
                )
                return
            expected = sum(earlier, Decimal(0)) + completed.yuan
            # Each figure summed was rounded at the sheet's precision: half its unit each.
            tolerance = (cumulative.unit + completed.unit * (len(earlier) + 1)) / 2
            if abs(expected - cumulative.yuan) > tolerance:
                row.error(
                    "cumulative",
                    _(
                        "The months stored plus this month give %(sum)s since January; the sheet says "
                        "%(sheet)s. Check this month's figure or the earlier months."
                    )
                    % {
                        "sum": show(expected, completed.scale),
                        "sheet": show(cumulative.yuan, cumulative.scale),
                    },
                )
            return
        if cumulative is None:
            existing = clean["_existing"]
            if existing is None:
                row.error("completed", _("Give the investment completed this month, or since January."))
            else:  # the notes alone: the report keeps its figures and the months it covers
                clean["covers_january_february"] = existing.first_month != existing.month
            return
        # A year-to-date sheet: the month is the difference with the months before it; "1-2月" with no
        # January stored is January and February together.
        clean["covers_january_february"] = month == 2 and not covered
        start = 1 if clean["covers_january_february"] else month
        missing = [m for m in range(1, start) if m not in covered]
        if missing:
            row.error(
                "cumulative",
                _(
                    "Months %(months)s of %(year)s have no report for this project, so the year-to-date "
                    "figure cannot give this month's: import those months first, or a sheet with this "
                    "month's column."
                )
                % {"months": _months_text(missing), "year": clean["year"]},
            )
            return
        before = sum(earlier, Decimal(0))
        difference = cumulative.yuan - before
        tolerance = cumulative.unit * (len(earlier) + 1) / 2
        if difference < -tolerance:
            row.error(
                "cumulative",
                _(
                    "The sheet's figure since January, %(sheet)s, is less than the %(sum)s the months "
                    "stored add up to. Check the figure or the earlier months."
                )
                % {"sheet": show(cumulative.yuan, cumulative.scale), "sum": show(before, cumulative.scale)},
            )
            return
        clean["set"]["completed"] = max(difference, Decimal(0)).quantize(CENT)
        note = _(
            "This month's figure, %(month)s, is the year to date (%(sheet)s) less the months stored "
            "(%(sum)s)."
        ) % {
            "month": show(clean["set"]["completed"], cumulative.scale),
            "sheet": show(cumulative.yuan, cumulative.scale),
            "sum": show(before, cumulative.scale),
        }
        clean["_notes"].append(note)
        self._notice(
            state,
            "year_to_date",
            _("Converted year-to-date figures to this month's by difference with the months stored."),
        )

    @staticmethod
    def _notice(state, kind: str, message) -> None:
        context = state["context"]
        if kind in state["noticed"] or not hasattr(context, "notice"):
            return
        state["noticed"].add(kind)
        context.notice(str(message))

    # Writing -------------------------------------------------------------------------------------
    @staticmethod
    def changes(current: Report, clean: dict) -> dict:
        """{field: (stored, new)} for what the row changes on the report it replaces."""
        changed = {}
        for name, value in clean["set"].items():
            old = getattr(current, name)
            if ((old or "") != (value or "")) if name in NOTES else old != value:
                changed[name] = (old, value)
        first = 1 if clean["covers_january_february"] else current.month
        if current.first_month != first:
            changed["covers_january_february"] = (current.first_month == 1, clean["covers_january_february"])
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
                    **clean["set"],
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
