"""The year's key projects, their monthly reports and the month locks, and the twelve month rows of
figures every change rewrites."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from zoneos.accounts.scoping import may_place, require, require_placement, scope
from zoneos.areas.models import Area, AreaKind
from zoneos.audit.context import acting
from zoneos.core.errors import Conflict
from zoneos.core.roles import CHANGE, VIEW
from zoneos.core.rollups import RollupSpec
from zoneos.core.services import apply_changes

from .. import progress
from ..models import AreaMonth, KeyProject, KeyProjectKind, MonthFigure, MonthLock, Report, ReportRevision
from .months import month_end, parse_month, rules_for_year

KEY_PROJECT_FIELDS = (
    "year",
    "name",
    "area",
    "project",
    "kind",
    "total_investment",
    "annual_plan",
    "planned_start",
    "planned_completion",
    "planned_production",
    "actual_start",
    "actual_completion",
    "actual_production",
)
REPORT_FIELDS = ("completed", "funds_in_place", "progress_note", "problems")


# Derived figures -----------------------------------------------------------------------------------
# Each figure of an area's month (`AreaMonth`) over its projects' month rows: declared once, for the
# rebuild, the deltas and the summary.
AREA_MONTH = {
    "projects": Count("pk"),
    "annual_plan": Sum("annual_plan"),
    "completed": Sum("completed"),
    "funds_in_place": Sum("funds_in_place"),
    "new_starts": Count("pk", filter=Q(new_start=True)),
    "started": Count("pk", filter=Q(new_start=True, started=True)),
    "red": Count("pk", filter=Q(status=progress.Status.RED)),
    "yellow": Count("pk", filter=Q(status=progress.Status.YELLOW)),
    "reported": Count("pk", filter=Q(reported=True)),
}
AREA_MONTHS = RollupSpec(
    AreaMonth, keys=("area_id", "year", "month"), figures=tuple(AREA_MONTH), count="projects"
)


def area_months(figures) -> dict:
    """The `AreaMonth` cells of these month rows."""
    grouped = figures.values("area_id", "year", "month").annotate(**AREA_MONTH).order_by()
    return AREA_MONTHS.cells(grouped)


@transaction.atomic
def rebuild_area_months() -> int:
    """Recompute every `AreaMonth` from the month rows (the repair of `manage.py rebuild_rollups`)."""
    AreaMonth.objects.all().delete()
    rows = [
        AreaMonth(**dict(zip(AREA_MONTHS.keys, k, strict=True)), **v)
        for k, v in area_months(MonthFigure.objects.all()).items()
    ]
    AreaMonth.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


@transaction.atomic
def refresh_figures(key_projects: Iterable[KeyProject]) -> None:
    """Rewrite the twelve month rows of each project from its plan, dates and reports, and move the
    difference into its area's months."""
    projects = list(key_projects)
    if not projects:
        return
    # One project's rows are rewritten by one transaction at a time (its area months' delta is exact).
    list(
        KeyProject.objects.select_for_update()
        .filter(pk__in=[p.pk for p in projects])
        .order_by("pk")
        .values_list("pk")
    )
    before = area_months(MonthFigure.objects.filter(key_project__in=projects))
    reports: dict[int, list[Report]] = {p.pk: [] for p in projects}
    for report in Report.objects.filter(key_project__in=projects).order_by("month"):
        reports[report.key_project_id].append(report)
    rules = {}
    rows = []
    for project in projects:
        completed = funds = Decimal(0)
        by_month = {r.month: r for r in reports[project.pk]}
        for month in range(1, 13):
            report = by_month.get(month)
            if report is not None:
                completed += report.completed
                funds += report.funds_in_place or 0
            if project.year not in rules:
                in_force = rules_for_year(project.year)
                rules[project.year] = {
                    m: (rule, progress.time_progress(project.year, m)) for m, rule in in_force.items()
                }
            rule, elapsed = rules[project.year][month]
            gap = progress.gap_pp(progress.rate(completed, project.annual_plan), elapsed)
            new_start = project.kind == KeyProjectKind.NEW_START
            rows.append(
                MonthFigure(
                    key_project=project,
                    area_id=project.area_id,
                    year=project.year,
                    month=month,
                    new_start=new_start,
                    started=bool(
                        project.actual_start and project.actual_start <= month_end(project.year, month)
                    ),
                    annual_plan=project.annual_plan,
                    completed=completed,
                    funds_in_place=funds,
                    reported=report is not None,
                    gap_pp=None if gap is None else gap.quantize(Decimal("0.0001")),
                    status=progress.status_of(gap, rule),
                )
            )
    MonthFigure.objects.filter(key_project__in=projects).delete()
    MonthFigure.objects.bulk_create(rows, batch_size=2000)
    after = area_months(MonthFigure.objects.filter(key_project__in=projects))
    AREA_MONTHS.apply(AREA_MONTHS.difference(after, before))


# Key projects --------------------------------------------------------------------------------------
def _validate_key_project(project: KeyProject, by) -> None:
    errors: dict = {}
    if project.area_id:
        if project.area.kind == AreaKind.REGION:
            errors["area"] = [_("A key project belongs to a zone or a park, not to a region.")]
        elif not may_place(KeyProject, project.area, by):
            errors["area"] = [_("You may not keep key projects in %(area)s.") % {"area": project.area}]
    if project.year is not None and not 2000 <= project.year <= 2100:
        errors["year"] = [_("Give a year between 2000 and 2100.")]
    if project.annual_plan is not None and project.annual_plan <= 0:
        errors["annual_plan"] = [_("The annual planned investment must be more than zero.")]
    if project.total_investment is not None and project.total_investment < 0:
        errors["total_investment"] = [_("Cannot be negative.")]
    if (
        project.annual_plan is not None
        and project.total_investment is not None
        and project.annual_plan > project.total_investment
        and "annual_plan" not in errors
    ):
        errors["annual_plan"] = [_("The year's plan cannot exceed the total investment.")]
    for first, then in (
        ("planned_start", "planned_completion"),
        ("planned_completion", "planned_production"),
    ):
        a, b = getattr(project, first), getattr(project, then)
        if a and b and b < a:
            errors[then] = [_("This date comes before the one it follows.")]
    if (
        project.project_id
        and not scope(type(project.project).objects.filter(pk=project.project_id), by, VIEW).exists()
    ):
        errors["project"] = [_("Choose an investment project you can see.")]
    clash = KeyProject.objects.filter(year=project.year, area_id=project.area_id, name=project.name)
    if project.name and clash.exclude(pk=project.pk).exists():
        errors["name"] = [_("This area already has a key project of this name for the year.")]
    try:
        project.full_clean(exclude=["area", "project", *errors], validate_unique=False)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_key_project(*, by, **fields) -> KeyProject:
    project = KeyProject()
    apply_changes(project, fields, KEY_PROJECT_FIELDS)
    _validate_key_project(project, by)
    with acting(by):
        project.save()
    refresh_figures([project])
    return project


@transaction.atomic
def update_key_project(project: KeyProject, *, by, **changes) -> KeyProject:
    require(project, by, CHANGE)
    project = KeyProject.objects.select_for_update().select_related("area").get(pk=project.pk)
    if "year" in changes and changes["year"] != project.year and project.reports.exists():
        raise ValidationError({"year": [_("The project has reports for its year; the year cannot change.")]})
    apply_changes(project, changes, KEY_PROJECT_FIELDS)
    _validate_key_project(project, by)
    with acting(by):
        project.save()
    refresh_figures([project])
    return project


@transaction.atomic
def delete_key_project(project: KeyProject, *, by) -> None:
    require(project, by, CHANGE)
    if project.reports.exists():
        raise Conflict(_("%(name)s has monthly reports and stays in the year's plan.") % {"name": project})
    if project.orders.exists():
        raise Conflict(_("%(name)s has supervision orders and stays in the year's plan.") % {"name": project})
    list(KeyProject.objects.select_for_update().filter(pk=project.pk).values_list("pk"))
    AREA_MONTHS.subtract(area_months(MonthFigure.objects.filter(key_project=project)))
    with acting(by):
        project.delete()


# Reports -------------------------------------------------------------------------------------------
def locked_through(project: KeyProject) -> int:
    """The last month of the project's year closed by a lock on its area or above (0: none)."""
    ids = [*project.area.ancestor_ids(), project.area_id]
    latest = MonthLock.objects.filter(area_id__in=ids, year=project.year).order_by("-month").first()
    return latest.month if latest else 0


def require_reporter(project: KeyProject, by) -> None:
    """Raise PermissionDenied unless `by` reports (or revises reports) for projects in its area."""
    if not may_place(Report, project.area, by):
        raise PermissionDenied(_("You may not report for this project."))


MAX_PLAN_MULTIPLE = 1000


def _check_report(report: Report) -> None:
    errors: dict = {}
    if report.completed is None:
        errors["completed"] = [_("Give the investment completed in the period (yuan).")]
    elif report.completed < 0:
        errors["completed"] = [_("Cannot be negative.")]
    if report.funds_in_place is not None and report.funds_in_place < 0:
        errors["funds_in_place"] = [_("Cannot be negative.")]
    plan = report.key_project.annual_plan
    if "completed" not in errors and plan and plan > 0:
        # A year's completion over a thousand times its plan is a unit typed wrong (yuan for 亿元), and
        # its gap to the time progress would not fit the figures: refuse it, naming the field.
        others = report.key_project.reports.exclude(pk=report.pk).aggregate(total=Sum("completed"))["total"]
        if (others or 0) + report.completed > plan * MAX_PLAN_MULTIPLE:
            errors["completed"] = [
                _("The year's completion would be more than %(n)s times the annual plan: check the unit.")
                % {"n": f"{MAX_PLAN_MULTIPLE:,}"}
            ]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def submit_report(
    project: KeyProject, *, by, month: str, covers_january_february: bool = False, **fields
) -> tuple[Report, bool]:
    """File (or replace) the report of `month` ("YYYY-MM"); returns it and whether it is new. A locked
    month answers 409: its figures change only through `revise_report`."""
    project = KeyProject.objects.select_for_update().select_related("area").get(pk=project.pk)
    require_reporter(project, by)
    year, number = parse_month(month)
    if year != project.year:
        raise ValidationError({"month": [_("The project is in the %(year)s plan.") % {"year": project.year}]})
    if number <= locked_through(project):
        raise Conflict(
            _("%(month)s is locked; revise the report with a reason.") % {"month": f"{year}-{number:02d}"}
        )
    existing = {r.month: r for r in project.reports.all()}
    if covers_january_february:
        if number != 2:
            raise ValidationError(
                {"covers_january_february": [_("Only a February report covers January too.")]}
            )
        if 1 in existing:
            raise ValidationError({"covers_january_february": [_("January already has its own report.")]})
    if number == 1 and 2 in existing and existing[2].first_month == 1:
        raise ValidationError({"month": [_("January is reported together with February.")]})
    refused = set(fields) - set(REPORT_FIELDS)
    if refused:
        raise ValidationError({f: [_("This field cannot be set here.")] for f in refused})
    report = existing.get(number) or Report(key_project=project, month=number)
    created = report.pk is None
    report.first_month = 1 if covers_january_february else number
    for name, value in fields.items():
        setattr(report, name, value)
    report.by = by
    _check_report(report)
    with acting(by):
        report.save()
    refresh_figures([project])
    return report, created


@transaction.atomic
def revise_report(report: Report, *, by, reason: str, **changes) -> Report:
    """Change a report (of a locked month too), keeping the reason beside the history."""
    project = report.key_project
    require(project, by, VIEW)
    require_reporter(project, by)
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Say why the report is revised.")]})
    report = Report.objects.select_for_update().get(pk=report.pk)
    before = {f: getattr(report, f) for f in REPORT_FIELDS}
    apply_changes(report, changes, REPORT_FIELDS)
    _check_report(report)
    diff = {
        f: [str(before[f]), str(getattr(report, f))] for f in REPORT_FIELDS if before[f] != getattr(report, f)
    }
    if not diff:
        raise ValidationError({"reason": [_("The revision changes nothing.")]})
    report.by = by
    with acting(by):
        report.save()
    ReportRevision.objects.create(report=report, reason=reason.strip(), changes=diff, by=by)
    refresh_figures([project])
    return report


# Month locks ---------------------------------------------------------------------------------------
@transaction.atomic
def lock_month(*, by, area: Area, month: str) -> MonthLock:
    year, number = parse_month(month)
    require_placement(MonthLock, area, by, _("You may not lock months for %(area)s.") % {"area": area})
    if MonthLock.objects.filter(area=area, year=year, month=number).exists():
        raise Conflict(_("%(month)s is already locked for %(area)s.") % {"month": month, "area": area})
    with acting(by):
        return MonthLock.objects.create(area=area, year=year, month=number, locked_by=by)


@transaction.atomic
def unlock_month(lock: MonthLock, *, by) -> None:
    require(lock, by, CHANGE)
    with acting(by):
        lock.delete()
