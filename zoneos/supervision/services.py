"""Every change to key-project supervision, and the figures derived from it.

Each function is atomic, checks that `by` may make the change, validates with the field named, and
writes its history attributed to `by`. Reports of a locked month answer 409; a revision with a reason
changes them. After any change the project's twelve `MonthFigure` rows are rewritten, so cumulative
figures and statuses are never typed and never stale.
"""

from __future__ import annotations

import calendar
import datetime
import re
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from zoneos.accounts.scoping import may_place, require, require_placement, scope
from zoneos.areas.models import Area, AreaKind
from zoneos.audit.context import acting
from zoneos.core.errors import Conflict
from zoneos.core.roles import CHANGE, VIEW, Role
from zoneos.core.services import apply_changes

from . import progress
from .models import (
    EvaluationScheme,
    KeyProject,
    KeyProjectKind,
    MonthFigure,
    MonthLock,
    OrderEvent,
    OrderStatus,
    Report,
    ReportRevision,
    SigningTarget,
    StatusRule,
    SupervisionOrder,
)
from .progress import Status

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
MONTH = re.compile(r"^(\d{4})-(\d{2})$")
DEFAULT_RULE = StatusRule(yellow_at=Decimal(-10), red_below=Decimal(-30))


def parse_month(value, field: str = "month") -> tuple[int, int]:
    """ "YYYY-MM" as (year, month); a 400 naming `field` otherwise."""
    match = MONTH.match(str(value or "").strip())
    if not match or not 1 <= int(match.group(2)) <= 12 or not 1949 <= int(match.group(1)) <= 2100:
        raise ValidationError({field: [_("Give a month as YYYY-MM.")]})
    return int(match.group(1)), int(match.group(2))


def month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def rule_for(year: int, month: int) -> StatusRule:
    rule = (
        StatusRule.objects.filter(effective_from__lte=month_end(year, month))
        .order_by("-effective_from")
        .first()
    )
    return rule or DEFAULT_RULE


# Derived figures -----------------------------------------------------------------------------------
def refresh_figures(key_projects: Iterable[KeyProject]) -> None:
    """Rewrite the twelve month rows of each project from its plan, dates and reports."""
    projects = list(key_projects)
    if not projects:
        return
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
            key = (project.year, month)
            if key not in rules:
                rules[key] = (rule_for(*key), progress.time_progress(*key))
            rule, elapsed = rules[key]
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


def _check_report(report: Report) -> None:
    errors: dict = {}
    if report.completed is None:
        errors["completed"] = [_("Give the investment completed in the period (yuan).")]
    elif report.completed < 0:
        errors["completed"] = [_("Cannot be negative.")]
    if report.funds_in_place is not None and report.funds_in_place < 0:
        errors["funds_in_place"] = [_("Cannot be negative.")]
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


# The summary ---------------------------------------------------------------------------------------
def summary(area: Area, year: int, month: int, *, listed: int = 200) -> dict:
    """The subtree's figures at the end of `month`: plan, cumulative completion, time progress, gap,
    status, starts, each child ranked by completion rate, and the red and yellow projects."""
    subtree = area.subtree().values("pk")
    rows = MonthFigure.objects.filter(year=year, month=month, area_id__in=subtree)
    grouped = list(
        rows.values("area_id")
        .annotate(
            plan=Sum("annual_plan"),
            completed=Sum("completed"),
            funds=Sum("funds_in_place"),
            projects=Count("pk"),
            new_starts=Count("pk", filter=Q(new_start=True)),
            started=Count("pk", filter=Q(new_start=True, started=True)),
            red=Count("pk", filter=Q(status=Status.RED)),
            yellow=Count("pk", filter=Q(status=Status.YELLOW)),
        )
        .order_by()
    )
    rule, elapsed = rule_for(year, month), progress.time_progress(year, month)
    paths = dict(Area.objects.filter(pk__in=[g["area_id"] for g in grouped]).values_list("pk", "path"))

    def figures(groups: list[dict]) -> dict:
        plan = sum((g["plan"] or 0 for g in groups), Decimal(0))
        completed = sum((g["completed"] or 0 for g in groups), Decimal(0))
        completion = progress.rate(completed, plan)
        gap = progress.gap_pp(completion, elapsed)
        new_starts = sum(g["new_starts"] for g in groups)
        started = sum(g["started"] for g in groups)
        return {
            "annual_plan": f"{plan:.2f}",
            "completed": f"{completed:.2f}",
            "funds_in_place": f"{sum((g['funds'] or 0 for g in groups), Decimal(0)):.2f}",
            "completion_rate": progress.four(completion),
            "time_progress": progress.four(elapsed),
            "gap_pp": progress.two(gap),
            "status": progress.status_of(gap, rule),
            "projects": sum(g["projects"] for g in groups),
            "new_starts": new_starts,
            "started": started,
            "start_rate": progress.four(progress.rate(started, new_starts)),
            "red_count": sum(g["red"] for g in groups),
            "yellow_count": sum(g["yellow"] for g in groups),
        }

    children = []
    for child in Area.objects.filter(parent=area).order_by("code"):
        inside = [g for g in grouped if paths[g["area_id"]].startswith(child.path)]
        children.append({"area": child.pk, "name": child.label, **figures(inside)})
    children.sort(
        key=lambda c: (c["completion_rate"] is None, -Decimal(c["completion_rate"] or 0), c["name"])
    )
    for rank, child in enumerate(children, start=1):
        child["rank"] = rank if child["completion_rate"] is not None else None

    def warned(status: str) -> list[dict]:
        found = (
            rows.filter(status=status)
            .select_related("key_project", "area")
            .order_by("gap_pp", "key_project_id")
        )
        return [
            {
                "id": f.key_project_id,
                "name": f.key_project.name,
                "area": f.area_id,
                "area_name": f.area.label,
                "annual_plan": f"{f.annual_plan:.2f}",
                "completed": f"{f.completed:.2f}",
                "completion_rate": progress.four(progress.rate(f.completed, f.annual_plan)),
                "gap_pp": progress.two(f.gap_pp),
            }
            for f in found[:listed]
        ]

    return {
        "area": area.pk,
        "month": f"{year}-{month:02d}",
        **figures(grouped),
        "by_child": children,
        "red": warned(Status.RED),
        "yellow": warned(Status.YELLOW),
    }


# Evaluation schemes and signing targets ------------------------------------------------------------
WEIGHTS = ("weight_completion", "weight_start", "weight_funds", "weight_signing")
SCHEME_FIELDS = ("area", "year", *WEIGHTS, "min_projects")


def _validate_scheme(scheme: EvaluationScheme, by) -> None:
    errors: dict = {}
    require_placement(
        EvaluationScheme,
        scheme.area,
        by,
        _("You may not set how %(area)s is evaluated.") % {"area": scheme.area},
    )
    for name in WEIGHTS:
        value = getattr(scheme, name)
        if value is None or not 0 <= value <= 100:
            errors[name] = [_("Give a weight between 0 and 100.")]
    if not errors:
        total = sum(getattr(scheme, name) for name in WEIGHTS)
        if total != 100:
            message = _("The four weights must add up to 100 (they add up to %(total)s).") % {
                "total": f"{total:g}"
            }
            errors.update({name: [message] for name in WEIGHTS})
    if scheme.min_projects is not None and not 1 <= scheme.min_projects <= 100:
        errors["min_projects"] = [_("Give a number between 1 and 100.")]
    clash = EvaluationScheme.objects.filter(area_id=scheme.area_id, year=scheme.year).exclude(pk=scheme.pk)
    if clash.exists():
        errors["year"] = [_("%(area)s already has a scheme for this year.") % {"area": scheme.area}]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def save_scheme(scheme: EvaluationScheme | None = None, *, by, **fields) -> EvaluationScheme:
    """Create (scheme None) or change an evaluation scheme."""
    if scheme is not None:
        require(scheme, by, CHANGE)
        scheme = EvaluationScheme.objects.select_for_update().get(pk=scheme.pk)
    else:
        scheme = EvaluationScheme(min_projects=3)
    apply_changes(scheme, fields, SCHEME_FIELDS)
    _validate_scheme(scheme, by)
    with acting(by):
        scheme.save()
    return scheme


@transaction.atomic
def delete_scheme(scheme: EvaluationScheme, *, by) -> None:
    require(scheme, by, CHANGE)
    with acting(by):
        scheme.delete()


@transaction.atomic
def save_signing_target(target: SigningTarget | None = None, *, by, **fields) -> SigningTarget:
    if target is not None:
        require(target, by, CHANGE)
        target = SigningTarget.objects.select_for_update().get(pk=target.pk)
    else:
        target = SigningTarget()
    apply_changes(target, fields, ("area", "year", "projects"))
    require_placement(
        SigningTarget, target.area, by, _("You may not set targets for %(area)s.") % {"area": target.area}
    )
    if SigningTarget.objects.filter(area_id=target.area_id, year=target.year).exclude(pk=target.pk).exists():
        raise ValidationError(
            {"year": [_("%(area)s already has a target for this year.") % {"area": target.area}]}
        )
    with acting(by):
        target.save()
    return target


@transaction.atomic
def delete_signing_target(target: SigningTarget, *, by) -> None:
    require(target, by, CHANGE)
    with acting(by):
        target.delete()


# Supervision orders --------------------------------------------------------------------------------
# The one table of what may follow what: an open order is answered (or withdrawn by closing it); an
# answer is accepted by closing the order or sent back, which opens it again.
ORDER_MOVES: dict[str, frozenset[str]] = {
    OrderStatus.OPEN: frozenset({OrderStatus.ANSWERED, OrderStatus.CLOSED}),
    OrderStatus.ANSWERED: frozenset({OrderStatus.CLOSED, OrderStatus.OPEN}),
    OrderStatus.CLOSED: frozenset(),
}
MAX_DEADLINE_DAYS = 60
# Who answers for an addressed area (a department's handlers answer for their department).
ANSWERING_ROLES = frozenset({Role.PARK_STAFF, Role.ADMIN, Role.SUPERVISOR, Role.LEADER})


def overdue_q(today: datetime.date) -> Q:
    """Orders open past their due date, or answered after it."""
    return Q(status=OrderStatus.OPEN, due_on__lt=today) | Q(answered_on__gt=F("due_on"))


def may_answer(order: SupervisionOrder, user) -> bool:
    """The addressee answers: staff of the addressed area (or above it), or the addressed department's
    handlers; superusers too."""
    from zoneos.accounts.scoping import memberships

    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    for m in memberships(user):
        if order.to_department_id and m.department_id == order.to_department_id:
            return True
        if (
            order.to_area_id
            and m.area_id
            and m.role in ANSWERING_ROLES
            and order.to_area.path.startswith(m.area.path)
        ):
            return True
    return False


def may_issue(project: KeyProject, user) -> bool:
    return may_place(SupervisionOrder, project.area, user)


def _move_order(order: SupervisionOrder, to: str, *, by, note: str = "") -> SupervisionOrder:
    if to not in ORDER_MOVES[order.status]:
        raise Conflict(
            _("An order that is %(now)s cannot become %(to)s.")
            % {"now": order.get_status_display(), "to": OrderStatus(to).label}
        )
    before = order.status
    order.status = to
    with acting(by):
        order.save()
    OrderEvent.objects.create(order=order, from_status=before, to_status=to, note=note, by=by)
    return order


def _locked_order(order: SupervisionOrder) -> SupervisionOrder:
    return (
        SupervisionOrder.objects.select_for_update(of=("self",))
        .select_related("key_project__area", "to_area", "to_department")
        .get(pk=order.pk)
    )


@transaction.atomic
def issue_order(
    *,
    by,
    key_project: KeyProject,
    subject: str,
    deadline_days: int,
    to_area: Area | None = None,
    to_department=None,
    instructions: str = "",
    issued_on: datetime.date | None = None,
) -> SupervisionOrder:
    """Issue an order about `key_project` to an area or a department, due `deadline_days` working days
    after the day it is issued (counted from the next day)."""
    from zoneos.workdays.calendar import CalendarMissing, add_working_days

    if not may_issue(key_project, by):
        raise PermissionDenied(_("You may not issue supervision orders about this project."))
    errors: dict = {}
    if bool(to_area) == bool(to_department):
        errors["to_area"] = [_("Address the order to one area or one department.")]
    if not (subject or "").strip():
        errors["subject"] = [_("Say what the order is about.")]
    if deadline_days is None or not 1 <= deadline_days <= MAX_DEADLINE_DAYS:
        errors["deadline_days"] = [
            _("Give a deadline of 1 to %(max)s working days.") % {"max": MAX_DEADLINE_DAYS}
        ]
    issued_on = issued_on or timezone.localdate()
    due_on = None
    if "deadline_days" not in errors:
        try:
            due_on = add_working_days(issued_on, deadline_days)
        except CalendarMissing as exc:
            errors["deadline_days"] = [str(exc)]
    if errors:
        raise ValidationError(errors)
    order = SupervisionOrder(
        key_project=key_project,
        to_area=to_area,
        to_department=to_department,
        subject=subject.strip(),
        instructions=instructions,
        issued_on=issued_on,
        deadline_days=deadline_days,
        due_on=due_on,
        issued_by=by,
    )
    with acting(by):
        order.save()
    OrderEvent.objects.create(order=order, to_status=OrderStatus.OPEN, note=instructions, by=by)
    return order


@transaction.atomic
def answer_order(order: SupervisionOrder, *, by, answer: str) -> SupervisionOrder:
    order = _locked_order(order)
    if not may_answer(order, by):
        raise PermissionDenied(_("Only the addressee answers this order."))
    if not (answer or "").strip():
        raise ValidationError({"answer": [_("Write the answer.")]})
    order.answer = answer.strip()
    order.answered_on = timezone.localdate()
    return _move_order(order, OrderStatus.ANSWERED, by=by, note=order.answer)


@transaction.atomic
def close_order(order: SupervisionOrder, *, by, note: str = "") -> SupervisionOrder:
    """Accept the answer, or withdraw an open order (a note is then needed)."""
    order = _locked_order(order)
    if not may_issue(order.key_project, by):
        raise PermissionDenied(_("Only supervisors close orders."))
    if order.status == OrderStatus.OPEN and not (note or "").strip():
        raise ValidationError({"note": [_("Say why an unanswered order is closed.")]})
    order.closed_on = timezone.localdate()
    return _move_order(order, OrderStatus.CLOSED, by=by, note=(note or "").strip())


@transaction.atomic
def send_back_order(order: SupervisionOrder, *, by, note: str) -> SupervisionOrder:
    """The answer does not settle it: the order is open again, with the same due date."""
    order = _locked_order(order)
    if not may_issue(order.key_project, by):
        raise PermissionDenied(_("Only supervisors send answers back."))
    if not (note or "").strip():
        raise ValidationError({"note": [_("Say what the answer lacks.")]})
    order.answered_on = None
    return _move_order(order, OrderStatus.OPEN, by=by, note=note.strip())


@transaction.atomic
def withdraw_order(order: SupervisionOrder, *, by) -> None:
    """Delete an order issued by mistake; only while nobody has answered it."""
    order = _locked_order(order)
    require(order, by, CHANGE)
    if order.status != OrderStatus.OPEN or order.events.filter(to_status=OrderStatus.ANSWERED).exists():
        raise Conflict(_("The order has been answered; close it instead."))
    with acting(by):
        order.delete()
