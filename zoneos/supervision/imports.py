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

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

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
from zoneos.tabular.engine import Column, ImportSpec, Row, RowError, register
from zoneos.tabular.readers import decimal, normal, text

from . import services
from .models import KeyProject, Report

FIELDS = ("completed", "funds_in_place", "progress_note", "problems")
NOTES = ("progress_note", "problems")
MAX_AMOUNT = Decimal(10) ** 16  # the money columns hold below 10¹⁶ yuan
CENT = Decimal("0.01")
HALF = Decimal("0.5")
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
COLUMN_NAMES = {c.name for c in REPORT_COLUMNS}
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


def _money(row: Row, name: str) -> Money | None:
    cell, scale = row.values.get(name), Decimal(1)
    if isinstance(cell, tuple):
        cell, given = cell
        scale = Decimal(given) if given else scale
    if cells.is_blank(cell):
        return None
    if cells.excel_error(cell):
        row.error(name, _("The cell holds the Excel error %(error)s.") % {"error": cells.excel_error(cell)})
        return None
    try:
        value = decimal(cell, scale)
    except ValueError as exc:
        row.error(name, exc)
        return None
    if value < 0:
        row.error(name, _("Cannot be negative."))
        return None
    if value >= MAX_AMOUNT:
        row.error(name, _("The amount is too large."))
        return None
    unit = max(Decimal(1).scaleb(-_decimals(cell)) * scale, CENT)
    return Money(value.quantize(CENT), scale, unit)


UNIT_NAMES = {Decimal(1000): gettext_lazy("thousand yuan"), Decimal(10_000): gettext_lazy("10k yuan")}
UNIT_NAMES[Decimal(100_000_000)] = gettext_lazy("100m yuan")


def show(yuan: Decimal, scale: Decimal = Decimal(1)) -> str:
    """An amount in yuan, and in the sheet's unit when the sheet wrote another: "78,422,000.00 yuan
    (7,842.2 10k yuan)"."""
    shown = _("%(amount)s yuan") % {"amount": f"{yuan:,.2f}"}
    if scale != 1:
        in_unit = (yuan / scale).normalize()
        unit = UNIT_NAMES.get(scale) or _("× %(scale)s yuan") % {"scale": f"{scale:,f}"}
        shown += f" ({in_unit:,f} {unit})"
    return shown


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
        query = Q(pk__in=[])
        for year, area_id in {(r.clean["year"], r.clean["area"].pk) for r in ready}:
            query |= Q(year=year, area_id=area_id)
        projects: dict[tuple, list[KeyProject]] = {}
        for project in scope(KeyProject.objects.filter(query), by, VIEW).select_related("area"):
            projects.setdefault((project.year, project.area_id, project.name), []).append(project)
            fuzzy = (project.year, project.area_id, "~" + _project_key(project.name))
            projects.setdefault(fuzzy, []).append(project)
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
            clean[name] = _money(row, name)
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
        try:
            if cells.is_blank(raw):
                if period is None or period.month_to is None:
                    raise ValueError(
                        _("Give the month in a 月份 column or in the sheet's title (2026年1-10月).")
                    )
                clean["year"], clean["month"] = period.year_to, period.month_to
                clean["covers_january_february"] = (period.month_from, period.month_to) == (1, 2)
            elif isinstance(raw, int | float) and not isinstance(raw, bool) and 1 <= raw <= 12 and period:
                clean["year"], clean["month"] = period.year_to, int(raw)  # the month alone, the year titled
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
        candidates = projects.get((year, area.pk, clean["name"])) or projects.get(
            (year, area.pk, "~" + _project_key(clean["name"])), []
        )
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
        ratio = project.annual_plan / sheet.yuan if sheet.yuan else None
        for power in (3, 4, 8):
            for factor in (Decimal(10) ** power, Decimal(10) ** -power):
                if ratio is not None and abs(ratio / factor - 1) < Decimal("0.02"):
                    row.error(
                        "annual_plan",
                        _(
                            "The sheet's annual plan is %(sheet)s, the plan stored is %(stored)s: the "
                            "sheet's money seems read in the wrong unit. Set the unit of its money columns."
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
                row.error("month", _("January already has its own report; report February alone."))
                return
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
            if clean["_existing"] is None:
                row.error("completed", _("Give the investment completed this month, or since January."))
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
        changed = {
            name: (getattr(current, name), value)
            for name, value in clean["set"].items()
            if (getattr(current, name) or "") != (value or "")
        }
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
