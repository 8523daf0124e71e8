"""Every change to research programmes, projects, their budgets, reviewers, scores and expenditures
(the workflow's steps are in `workflow`).

Each function is atomic, checks that `by` may make the change (a write role on the project's area or
above it), validates with the field named (400), refuses what the record's state or the programme's
rules forbid (409, naming the category), and writes with its history attributed to `by`.

Budget adjustments are checked against the programme's rules, in this order: a category that may not
rise (`frozen`) is never moved into; the indirect costs stay within their cap of the total; a category
keeps at least what has been spent on it. A move that passes goes into effect at once while the moves
made without approval stay within the PI's share of the total (`pi_share`); beyond it the move waits
for an admin's approval, which checks the rules again against the budget as it then stands.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from zoneos.accounts.scoping import in_scope, require, require_placement
from zoneos.areas.models import AreaKind
from zoneos.audit.context import acting
from zoneos.core.errors import Conflict
from zoneos.core.files import check_upload
from zoneos.core.money import LARGEST, share
from zoneos.core.roles import CHANGE, VIEW
from zoneos.core.services import apply_changes
from zoneos.core.services import clean as _clean

from .models import (
    BUDGET_OPEN,
    RUNNING,
    AdjustmentStatus,
    BudgetAdjustment,
    BudgetLine,
    Category,
    Expenditure,
    Programme,
    ResearchProject,
    Reviewer,
    Score,
    Status,
)
from .workflow import APPROVER, KEEPER

PROGRAMME_FIELDS = ("area", "code", "name", "year", "frozen", "pi_share", "indirect_cap", "criteria", "notes")
PROJECT_FIELDS = (
    "programme", "area", "code", "title", "enterprise", "institution", "partners", "pi_name", "pi_contact",
    "starts_on", "ends_on", "summary",
)  # fmt: skip
EXPENDITURE_FIELDS = ("category", "amount", "spent_on", "description", "voucher_no", "voucher")
REVIEWER_FIELDS = ("name", "organisation", "conflict", "conflict_note")
REGIONS = ("mainland", "hk", "mo", "tw", "abroad")
CENT = Decimal("0.01")


def _error(field: str, message) -> ValidationError:
    return ValidationError({field: [message]})


def _label(category: str) -> str:
    return str(Category(category).label)


def _amount(value, field: str, *, positive: bool = True) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (ArithmeticError, TypeError, ValueError):
        raise _error(field, _("Give an amount in yuan.")) from None
    if not amount.is_finite() or amount < 0 or amount > LARGEST or (positive and amount == 0):
        raise _error(
            field, _("Give an amount in yuan above zero.") if positive else _("Give an amount in yuan.")
        )
    return amount.quantize(CENT)


# Programmes ----------------------------------------------------------------------------------------
def _check_programme(programme: Programme, by) -> None:
    if programme.area_id is None:
        raise _error("area", _("Choose the area."))
    require_placement(Programme, programme.area, by)
    errors: dict = {}
    frozen = programme.frozen
    if not isinstance(frozen, list) or any(c not in Category.values for c in frozen):
        errors["frozen"] = [_("Give a list of budget categories.")]
    criteria = programme.criteria
    codes = [c.get("code") for c in criteria] if isinstance(criteria, list) else []
    valid = (
        isinstance(criteria, list)
        and criteria
        and all(isinstance(c, dict) for c in criteria)
        and all(isinstance(c.get("code"), str) and c["code"].strip() for c in criteria)
        and all(isinstance(c.get("max"), int) and 0 < c["max"] <= 1000 for c in criteria)
        and len(set(codes)) == len(codes)
    )
    if not valid:
        errors["criteria"] = [
            _("Give each criterion a code of its own, a name and its maximum points (1-1000).")
        ]
    for field in ("pi_share", "indirect_cap"):  # fractions; the page's 150 (%) arrives as 1.5
        value = getattr(programme, field)
        if value is None or not 0 <= value <= 1:
            errors[field] = [_("Give a share from 0 % to 100 % (a fraction: 0.35 is 35 %).")]
    if errors:
        raise ValidationError(errors)
    _clean(programme, exclude=["area", "frozen", "criteria"])
    if Programme.objects.filter(area=programme.area, code=programme.code).exclude(pk=programme.pk).exists():
        raise _error("code", _("This area has a programme with this code."))


@transaction.atomic
def create_programme(*, by, **fields) -> Programme:
    apply_changes(programme := Programme(), fields, PROGRAMME_FIELDS)
    _check_programme(programme, by)
    with acting(by):
        programme.save()
    return programme


@transaction.atomic
def update_programme(programme: Programme, *, by, **changes) -> Programme:
    require(programme, by, CHANGE)
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    apply_changes(programme, changes, PROGRAMME_FIELDS)
    _check_programme(programme, by)
    with acting(by):
        programme.save()
    return programme


@transaction.atomic
def delete_programme(programme: Programme, *, by) -> None:
    require(programme, by, CHANGE)
    if programme.projects.exists():
        raise Conflict(_("The programme has projects: it stays."))
    with acting(by):
        programme.delete()


# Projects ------------------------------------------------------------------------------------------
def _clean_partners(partners) -> list:
    if partners in (None, ""):
        return []
    if not isinstance(partners, list) or len(partners) > 50:
        raise _error("partners", _("Give the partners as a list of names and regions."))
    cleaned = []
    for partner in partners:
        if isinstance(partner, str):
            partner = {"name": partner, "region": "mainland"}
        if (
            not isinstance(partner, dict)
            or not isinstance(partner.get("name"), str)
            or not partner["name"].strip()
        ):
            raise _error("partners", _("Give each partner's name."))
        region = partner.get("region") or "mainland"
        if region not in REGIONS:
            raise _error(
                "partners", _("A partner's region is one of: %(regions)s.") % {"regions": ", ".join(REGIONS)}
            )
        cleaned.append({"name": partner["name"].strip()[:200], "region": region})
    return cleaned


def _check_project(project: ResearchProject, by) -> None:
    if project.area_id is None:
        raise _error("area", _("Choose the area."))
    if project.area.kind == AreaKind.REGION:
        raise _error("area", _("A project is run in a park or a zone, not in a region."))
    require_placement(ResearchProject, project.area, by)
    errors: dict = {}
    if project.programme_id is None:
        errors["programme"] = [_("Choose the programme.")]
    elif not in_scope(project.programme, by, VIEW) or not project.area.path.startswith(
        project.programme.area.path
    ):
        errors["programme"] = [_("Choose a programme of the project's area.")]
    if project.enterprise_id is None and not (project.institution or "").strip():
        errors["enterprise"] = [_("Choose the undertaking enterprise, or name the institution.")]
    elif project.enterprise_id is not None and not in_scope(project.enterprise, by, VIEW):
        errors["enterprise"] = [_("Choose an enterprise you can see.")]
    if project.starts_on and project.ends_on and project.ends_on <= project.starts_on:
        errors["ends_on"] = [_("The period ends after it starts.")]
    if errors:
        raise ValidationError(errors)
    project.partners = _clean_partners(project.partners)
    _clean(project, exclude=["area", "programme", "enterprise", "partners"])
    if (
        ResearchProject.objects.filter(programme=project.programme, code=project.code)
        .exclude(pk=project.pk)
        .exists()
    ):
        raise _error("code", _("The programme has a project with this number."))


def _set_budget(project: ResearchProject, budget) -> None:
    """The project's budget as {category: yuan}: lines for the categories given (others removed)."""
    if not isinstance(budget, dict):
        raise _error("budget", _("Give the budget as categories and amounts in yuan."))
    unknown = [k for k in budget if k not in Category.values]
    if unknown:
        raise _error(
            "budget", _("Unknown budget categories: %(list)s.") % {"list": ", ".join(map(str, unknown))}
        )
    amounts = {k: _amount(v, "budget", positive=False) for k, v in budget.items()}
    total = sum(amounts.values(), Decimal(0))
    cap = project.programme.indirect_cap
    if total and amounts.get(Category.INDIRECT, 0) > (total * cap).quantize(CENT):
        raise _error(
            "budget",
            _("Indirect costs may be at most %(cap)s of the total.") % {"cap": share(cap)},
        )
    BudgetLine.objects.filter(project=project).exclude(category__in=list(amounts)).delete()
    for category, amount in amounts.items():
        line = BudgetLine.objects.filter(project=project, category=category).first()
        if line is None:
            line = BudgetLine(project=project, category=category)
        if line.amount != amount:
            line.amount = amount
            line.save()


@transaction.atomic
def create_project(*, by, budget=None, **fields) -> ResearchProject:
    apply_changes(project := ResearchProject(), fields, PROJECT_FIELDS)
    _check_project(project, by)
    with acting(by):
        project.save()
        if budget:
            _set_budget(project, budget)
    return project


@transaction.atomic
def update_project(project: ResearchProject, *, by, budget=None, **changes) -> ResearchProject:
    """Change a project's record; its budget only while the application is open (afterwards by
    adjustments: 409)."""
    require(project, by, CHANGE)
    project = ResearchProject.objects.select_for_update(of=("self",)).get(pk=project.pk)
    if "programme" in changes and changes["programme"] != project.programme:
        raise _error("programme", _("A project stays in its programme."))
    if budget is not None and project.status not in BUDGET_OPEN:
        raise Conflict(_("The budget is approved: it changes by adjustments only."))
    apply_changes(project, changes, PROJECT_FIELDS)
    _check_project(project, by)
    with acting(by):
        project.save()
        if budget is not None:
            _set_budget(project, budget)
    return project


@transaction.atomic
def delete_project(project: ResearchProject, *, by) -> None:
    require(project, by, CHANGE)
    if project.status != Status.APPLICATION or project.expenditures.exists():
        raise Conflict(_("Only an application not yet submitted may be deleted."))
    with acting(by):
        project.delete()


def _project_for(project, by, party=KEEPER) -> ResearchProject:
    """The project locked for a change of its budget, reviewers or spending, by one of its keepers."""
    if not in_scope(project, by, VIEW):
        raise PermissionDenied(_("You may not change this project."))
    project = (
        ResearchProject.objects.select_for_update(of=("self",))
        .select_related("area", "programme")
        .get(pk=project.pk)
    )
    if not party(by, project):
        raise PermissionDenied(_("You may not change this project."))
    return project


# Budget adjustments --------------------------------------------------------------------------------
def _lines(project) -> dict[str, BudgetLine]:
    return {line.category: line for line in BudgetLine.objects.select_for_update().filter(project=project)}


def _spent(project) -> dict[str, Decimal]:
    rows = (
        Expenditure.objects.filter(project=project)
        .values("category")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    return {r["category"]: r["total"] for r in rows}


def _check_rules(project, lines, source: str, target: str, amount: Decimal) -> None:
    """409 naming the category when the move breaks one of the programme's rules."""
    programme = project.programme
    if target in (programme.frozen or []):
        raise Conflict(
            _("“%(category)s” (%(code)s) may not rise under the programme's rules.")
            % {"category": _label(target), "code": target}
        )
    total = sum((line.amount for line in lines.values()), Decimal(0))
    have = lines[source].amount if source in lines else Decimal(0)
    if amount > have:
        raise Conflict(
            _("“%(category)s” (%(code)s) has only %(have)s yuan in the budget.")
            % {"category": _label(source), "code": source, "have": have}
        )
    spent = _spent(project).get(source, Decimal(0))
    if have - amount < spent:
        raise Conflict(
            _("“%(category)s” (%(code)s) has %(spent)s yuan spent: it cannot fall below that.")
            % {"category": _label(source), "code": source, "spent": spent}
        )
    if target == Category.INDIRECT:
        indirect = (lines[target].amount if target in lines else Decimal(0)) + amount
        if indirect > (total * programme.indirect_cap).quantize(CENT):
            raise Conflict(
                _("“%(category)s” (%(code)s) may be at most %(cap)s of the total budget.")
                % {"category": _label(target), "code": target, "cap": share(programme.indirect_cap)}
            )


def _apply(project, lines, source: str, target: str, amount: Decimal) -> None:
    lines[source].amount -= amount
    lines[source].save(update_fields=["amount"])
    line = lines.get(target) or BudgetLine(project=project, category=target, amount=Decimal(0))
    line.amount += amount
    line.save()


@transaction.atomic
def request_adjustment(project, *, by, from_category, to_category, amount, reason="") -> BudgetAdjustment:
    """Move `amount` yuan from one category to another of a running project (see the module's rules)."""
    project = _project_for(project, by)
    errors: dict = {}
    for field, value in (("from_category", from_category), ("to_category", to_category)):
        if value not in Category.values:
            errors[field] = [_("Choose a budget category.")]
    if not errors and from_category == to_category:
        errors["to_category"] = [_("Choose another category to move the money to.")]
    if not (reason or "").strip():
        errors["reason"] = [_("Give the reason.")]
    if errors:
        raise ValidationError(errors)
    amount = _amount(amount, "amount")
    if project.status not in RUNNING:
        raise Conflict(_("The budget is adjusted while the contract runs."))
    lines = _lines(project)
    _check_rules(project, lines, from_category, to_category, amount)
    total = sum((line.amount for line in lines.values()), Decimal(0))
    moved = BudgetAdjustment.objects.filter(
        project=project, status=AdjustmentStatus.EFFECTIVE, needs_approval=False
    ).aggregate(s=Sum("amount"))["s"] or Decimal(0)
    alone = moved + amount <= (total * project.programme.pi_share).quantize(CENT)
    today = timezone.localdate()
    adjustment = BudgetAdjustment(
        project=project,
        from_category=from_category,
        to_category=to_category,
        amount=amount,
        reason=reason.strip(),
        status=AdjustmentStatus.EFFECTIVE if alone else AdjustmentStatus.PENDING,
        needs_approval=not alone,
        requested_by=by,
        requested_on=today,
    )
    with acting(by):
        adjustment.save()
        if alone:
            _apply(project, lines, from_category, to_category, amount)
    return adjustment


@transaction.atomic
def decide_adjustment(
    adjustment: BudgetAdjustment, *, by, approve: bool, opinion: str = ""
) -> BudgetAdjustment:
    """An admin approves (the rules checked again, the move made) or refuses a pending adjustment."""
    if not in_scope(adjustment, by, VIEW):
        raise PermissionDenied(_("You may not decide this adjustment."))
    project = _project_for(adjustment.project, by, APPROVER)
    adjustment = BudgetAdjustment.objects.select_for_update().get(pk=adjustment.pk)
    if adjustment.status != AdjustmentStatus.PENDING:
        raise Conflict(_("The adjustment is decided already."))
    if approve:
        if project.status not in RUNNING:
            raise Conflict(_("The budget is adjusted while the contract runs."))
        lines = _lines(project)
        _check_rules(project, lines, adjustment.from_category, adjustment.to_category, adjustment.amount)
    elif not (opinion or "").strip():
        raise _error("opinion", _("Give the reason."))
    adjustment.status = AdjustmentStatus.EFFECTIVE if approve else AdjustmentStatus.REFUSED
    adjustment.decided_by, adjustment.decided_on = by, timezone.localdate()
    adjustment.opinion = (opinion or "").strip()
    with acting(by):
        adjustment.save()
        if approve:
            _apply(project, lines, adjustment.from_category, adjustment.to_category, adjustment.amount)
    return adjustment


# Reviewers and scores ------------------------------------------------------------------------------
def _evaluating(project) -> None:
    if project.status != Status.EVALUATION:
        raise Conflict(_("Reviewers are assigned and score while the project is in expert evaluation."))


@transaction.atomic
def assign_reviewer(project, *, by, name: str = "", organisation: str = "") -> Reviewer:
    project = _project_for(project, by)
    name = (name or "").strip()
    if not name:
        raise _error("name", _("Name the expert."))
    _evaluating(project)
    if Reviewer.objects.filter(project=project, name=name).exists():
        raise _error("name", _("This expert is assigned already."))
    reviewer = Reviewer(project=project, name=name[:100], organisation=(organisation or "").strip()[:200])
    with acting(by):
        reviewer.save()
    return reviewer


@transaction.atomic
def update_reviewer(reviewer: Reviewer, *, by, **changes) -> Reviewer:
    """Change an expert's name or organisation, or record their declaration (`conflict`,
    `conflict_note`: see `declare_conflict`)."""
    if "project" in changes and changes.pop("project") != reviewer.project:
        raise _error("project", _("An expert stays with the project they were assigned to."))
    refused = {f: [_("This field cannot be changed here.")] for f in changes if f not in REVIEWER_FIELDS}
    if refused:
        raise ValidationError(refused)
    if "conflict" in changes or "conflict_note" in changes:
        reviewer = declare_conflict(
            reviewer,
            by=by,
            conflict=changes.get("conflict", reviewer.conflict),
            note=changes.get("conflict_note", reviewer.conflict_note),
        )
    rest = {k: v for k, v in changes.items() if k in ("name", "organisation")}
    if rest:
        _project_for(reviewer.project, by)
        reviewer = Reviewer.objects.select_for_update().get(pk=reviewer.pk)
        apply_changes(reviewer, rest, ("name", "organisation"))
        if not reviewer.name.strip():
            raise _error("name", _("Name the expert."))
        clash = Reviewer.objects.filter(project=reviewer.project_id, name=reviewer.name).exclude(
            pk=reviewer.pk
        )
        if clash.exists():
            raise _error("name", _("This expert is assigned already."))
        with acting(by):
            reviewer.save()
    return reviewer


@transaction.atomic
def declare_conflict(reviewer: Reviewer, *, by, conflict: bool, note: str = "") -> Reviewer:
    """The expert's declaration (recorded by the office): with a conflict they cannot score, and any
    scores they gave stop counting."""
    _project_for(reviewer.project, by)
    reviewer = Reviewer.objects.select_for_update().get(pk=reviewer.pk)
    if conflict and not (note or "").strip():
        raise _error("conflict_note", _("Say what the conflict of interest is."))
    reviewer.conflict, reviewer.conflict_note = bool(conflict), (note or "").strip()
    reviewer.declared_on = timezone.localdate()
    with acting(by):
        reviewer.save()
    return reviewer


@transaction.atomic
def score(reviewer: Reviewer, *, by, points: dict) -> Reviewer:
    """The expert's points on every criterion of the programme (400 naming a missing or out-of-range
    criterion); refused (409) to an expert who declared a conflict of interest."""
    project = _project_for(reviewer.project, by)
    reviewer = Reviewer.objects.select_for_update().get(pk=reviewer.pk)
    _evaluating(project)
    if reviewer.conflict:
        raise Conflict(
            _("%(name)s declared a conflict of interest and cannot score this project.")
            % {"name": reviewer.name}
        )
    if not isinstance(points, dict):
        raise _error("points", _("Give the points of each criterion."))
    errors: dict = {}
    clean = {}
    for criterion in project.programme.criteria:
        code, top = criterion["code"], Decimal(criterion["max"])
        raw = points.get(code)
        try:
            value = Decimal(str(raw)) if raw not in (None, "") else None
        except (ArithmeticError, ValueError):
            value = None
        if value is None or not value.is_finite() or not 0 <= value <= top:
            errors[code] = [_("Give 0 to %(max)s points.") % {"max": criterion["max"]}]
        else:
            clean[code] = value.quantize(CENT)
    unknown = [k for k in points if k not in {c["code"] for c in project.programme.criteria}]
    for code in unknown:
        errors[str(code)[:40]] = [_("Not a criterion of the programme.")]
    if errors:
        raise ValidationError(errors)
    with acting(by):
        for code, value in clean.items():
            row = Score.objects.filter(reviewer=reviewer, criterion=code).first() or Score(
                reviewer=reviewer, criterion=code
            )
            if row.points != value:
                row.points = value
                row.save()
        reviewer.scored_on = timezone.localdate()
        reviewer.save(update_fields=["scored_on"])
    return reviewer


@transaction.atomic
def remove_reviewer(reviewer: Reviewer, *, by) -> None:
    project = _project_for(reviewer.project, by)
    _evaluating(project)
    with acting(by):
        reviewer.delete()


# Expenditures --------------------------------------------------------------------------------------
def _check_expenditure(expenditure: Expenditure, project) -> None:
    errors: dict = {}
    if expenditure.category not in Category.values:
        errors["category"] = [_("Choose a budget category.")]
    if expenditure.spent_on is None:
        errors["spent_on"] = [_("Give the day it was spent.")]
    elif expenditure.spent_on < project.starts_on or expenditure.spent_on > timezone.localdate():
        errors["spent_on"] = [_("A day within the project's period, not in the future.")]
    if not (expenditure.voucher_no or "").strip():
        errors["voucher_no"] = [_("Give the voucher number.")]
    if not (expenditure.description or "").strip():
        errors["description"] = [_("Say what was bought or paid.")]
    if errors:
        raise ValidationError(errors)
    expenditure.amount = _amount(expenditure.amount, "amount")
    if project.status not in RUNNING:
        raise Conflict(_("Money is spent on a project while its contract runs."))


@transaction.atomic
def record_expenditure(project, *, by, voucher=None, **fields) -> Expenditure:
    """An expenditure against a category; the voucher's scan (if any) through the upload check. Spending
    over a category's budget is recorded and warned of (`figures`), not refused."""
    project = _project_for(project, by)
    fields.pop("project", None)
    apply_changes(expenditure := Expenditure(project=project), fields, EXPENDITURE_FIELDS)
    _check_expenditure(expenditure, project)
    if voucher is not None:
        check_upload(voucher, "voucher")
        expenditure.voucher = voucher
    with acting(by):
        expenditure.save()
    return expenditure


@transaction.atomic
def update_expenditure(expenditure: Expenditure, *, by, voucher=None, **changes) -> Expenditure:
    project = _project_for(expenditure.project, by)
    expenditure = Expenditure.objects.select_for_update().get(pk=expenditure.pk)
    if "project" in changes and changes.pop("project") != expenditure.project:
        raise _error("project", _("An expenditure stays with its project."))
    apply_changes(expenditure, changes, EXPENDITURE_FIELDS)
    _check_expenditure(expenditure, project)
    if voucher is not None:
        check_upload(voucher, "voucher")
        expenditure.voucher = voucher
    with acting(by):
        expenditure.save()
    return expenditure


@transaction.atomic
def delete_expenditure(expenditure: Expenditure, *, by) -> None:
    project = _project_for(expenditure.project, by)
    if project.status not in RUNNING:
        raise Conflict(_("Money is spent on a project while its contract runs."))
    with acting(by):
        expenditure.delete()


def today() -> datetime.date:
    return timezone.localdate()
