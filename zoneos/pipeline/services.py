"""Every change to the pipeline: projects, their moves between stages, follow-ups, signing batches,
the zone's industrial plan and the conflicts between parks.

Each function is atomic, checks that `by` may make the change, validates with the field named, and
writes its history attributed to `by` (`audit.context.acting`). A stage moves only through
`transition`, against the table of moves in `moves.py` (re-exported here with `move`); every move
writes a `StageEvent`. Finding and settling conflicts is in `conflicts.py`.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from zoneos.accounts.models import User
from zoneos.accounts.scoping import may_place, require, scope
from zoneos.areas.models import Area, AreaKind, subtree_q
from zoneos.audit.context import acting
from zoneos.core import industries
from zoneos.core.codes import check_uscc
from zoneos.core.errors import Conflict
from zoneos.core.roles import CHANGE, VIEW
from zoneos.core.services import apply_changes
from zoneos.enterprises.models import capital_country_error

from .conflicts import detect_conflicts, refresh_flags, settle_if_alone
from .conflicts import rivals as rivals
from .conflicts import zone_of as zone_of
from .models import (
    ConflictStatus,
    DatePrecision,
    FollowUp,
    IndustryGroup,
    InvestorConflict,
    Project,
    SigningBatch,
    Stage,
    StageEvent,
)
from .moves import PROJECT_MOVES as PROJECT_MOVES
from .moves import move
from .moves import transition as transition
from .names import investor_key
from .stages import ACTIVE, BIT, PAUSABLE, StageCategory

C = StageCategory
PROJECT_FIELDS = (
    "name",
    "code",
    "area",
    "investor_name",
    "investor_uscc",
    "investor_group",
    "capital_origin",
    "capital_country",
    "industry_code",
    "total_investment",
    "fixed_asset_investment",
    "expected_output",
    "expected_tax",
    "land_mu",
    "floor_space_m2",
    "floor_load",
    "clear_height",
    "jobs",
    "owner",
    "source",
    "description",
    "enterprise",
    "signing_batch",
)
MONEY_FIELDS = ("total_investment", "fixed_asset_investment", "expected_output", "expected_tax", "land_mu")
SPACE_NEEDS = ("floor_space_m2", "floor_load", "clear_height")
INVESTOR_FIELDS = {"investor_name", "investor_uscc", "area"}
FOLLOW_UP_FIELDS = ("kind", "on", "summary", "next_action", "next_action_on", "next_action_done")
BATCH_FIELDS = ("area", "name", "held_on", "mode", "note")
GROUP_FIELDS = ("zone", "name", "name_en", "category", "codes")


def today() -> datetime.date:
    return timezone.localdate()


# Areas ---------------------------------------------------------------------------------------------
def stage_names(area: Area | None) -> dict[str, str]:
    """Each category's name as the zones above `area` call it (nearest zone first), else the default."""
    ids = [int(part) for part in area.path.strip("/").split("/") if part] if area else []
    rows = Stage.objects.filter(Q(zone__isnull=True) | Q(zone_id__in=ids)).select_related("zone")
    names: dict[str, tuple[int, str]] = {}
    for stage in rows:
        depth = -1 if stage.zone_id is None else stage.zone.depth
        if stage.category not in names or names[stage.category][0] < depth:
            names[stage.category] = (depth, stage.label)
    return {c.value: names.get(c.value, (0, c.label))[1] for c in StageCategory}


def plan_group_for(area: Area, industry_code: str) -> IndustryGroup | None:
    """The planned industry of the zones above `area` that covers the code most specifically."""
    if not industry_code:
        return None
    ids = [int(part) for part in area.path.strip("/").split("/") if part]
    best, best_length = None, 0
    for group in IndustryGroup.objects.filter(zone_id__in=ids):
        for code in group.codes:
            if industry_code.startswith(code) and len(code) > best_length:
                best, best_length = group, len(code)
    return best


# Projects ------------------------------------------------------------------------------------------
def _validate_project(project: Project, by) -> None:
    errors: dict = {}
    if project.area_id:
        if project.area.kind == AreaKind.REGION:
            errors["area"] = [_("A project goes to a zone or a park, not to a region.")]
        elif not may_place(Project, project.area, by):
            errors["area"] = [_("You may not keep projects in %(area)s.") % {"area": project.area}]
    if project.investor_uscc:
        result = check_uscc(project.investor_uscc)
        project.investor_uscc = result.code
        if not result.ok:
            errors["investor_uscc"] = result.errors
    try:
        project.industry_code = industries.clean_industry_code(project.industry_code)
    except ValidationError as exc:
        errors["industry_code"] = exc.messages
    project.industry_section = industries.section_of(project.industry_code)
    for field in MONEY_FIELDS + SPACE_NEEDS:
        value = getattr(project, field)
        if value is not None and value < 0:
            errors[field] = [_("Cannot be negative.")]
    fixed, total = project.fixed_asset_investment, project.total_investment
    if fixed is not None and total is not None and fixed > total and "fixed_asset_investment" not in errors:
        errors["fixed_asset_investment"] = [_("Fixed-asset investment cannot exceed the total investment.")]
    country_error = capital_country_error(project.capital_origin, project.capital_country)
    if country_error:
        errors["capital_country"] = [country_error]
    if project.owner_id and not scope(User.objects.filter(pk=project.owner_id), by, VIEW).exists():
        errors["owner"] = [_("Choose a colleague you can see.")]
    if (
        project.enterprise_id
        and not scope(type(project.enterprise).objects.filter(pk=project.enterprise_id), by, VIEW).exists()
    ):
        errors["enterprise"] = [_("Choose an enterprise you can see.")]
    batch = project.signing_batch
    if batch is not None and project.area_id and not project.area.path.startswith(batch.area.path):
        errors["signing_batch"] = [_("The signing batch belongs to another area.")]
    try:
        project.full_clean(exclude=["area", "owner", "enterprise", "signing_batch", *errors])
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    project.investor_key = investor_key(project.investor_name)
    project.plan_group = plan_group_for(project.area, project.industry_code)


@transaction.atomic
def create_project(
    *, by, lead_on: datetime.date | None = None, lead_precision: str = DatePrecision.DAY, **fields
) -> Project:
    """A new project starts as a lead (on `lead_on`, today unless the lead is older; `lead_precision`
    says how much of that date is known, a ledger giving only the month or the year)."""
    refused = set(fields) - set(PROJECT_FIELDS)
    if refused:
        raise ValidationError({f: [_("This field cannot be set here.")] for f in refused})
    lead_on = lead_on or today()
    if lead_on > today():
        raise ValidationError({"lead_on": [_("A date in the future cannot have happened yet.")]})
    project = Project(
        **fields,
        stage=C.LEAD,
        stage_on=lead_on,
        stage_on_precision=lead_precision,
        lead_on=lead_on,
        lead_on_precision=lead_precision,
        entered_mask=BIT[C.LEAD],
    )
    _validate_project(project, by)
    with acting(by):
        project.save()
    StageEvent.objects.create(
        project=project, from_category="", to_category=C.LEAD, on=lead_on, on_precision=lead_precision, by=by
    )
    detect_conflicts(project)
    return project


@transaction.atomic
def update_project(project: Project, *, by, **changes) -> Project:
    require(project, by, CHANGE)
    project = Project.objects.select_for_update().get(pk=project.pk)
    before = {f: getattr(project, f) for f in INVESTOR_FIELDS}
    apply_changes(project, changes, PROJECT_FIELDS)
    _validate_project(project, by)
    with acting(by):
        project.save()
    if {f: getattr(project, f) for f in INVESTOR_FIELDS} != before:
        detect_conflicts(project)
    return project


@transaction.atomic
def backdate_lead(project: Project, *, by, on: datetime.date) -> Project:
    """Move a lead's date back to `on` (the lead is older than recorded), so that a move dated before
    the recorded lead date can be taken. Only while the project is still a lead; never forward."""
    require(project, by, CHANGE)
    project = Project.objects.select_for_update().get(pk=project.pk)
    if project.stage != C.LEAD or project.events.exclude(to_category=C.LEAD).exists():
        raise Conflict(_("Only a lead's date is moved back; this project has moved on."))
    if on >= project.lead_on:
        return project
    project.lead_on = project.stage_on = on
    project.lead_on_precision = DatePrecision.DAY
    with acting(by):
        project.save(update_fields=["lead_on", "stage_on", "lead_on_precision"])
    project.events.filter(to_category=C.LEAD).update(on=on, on_precision=DatePrecision.DAY)
    return project


@transaction.atomic
def delete_project(project: Project, *, by) -> None:
    """Only a lead entered by mistake is deleted; a project given up is dropped, with its reason."""
    require(project, by, CHANGE)
    if project.stage != C.LEAD or project.events.exclude(to_category=C.LEAD).exists():
        raise Conflict(_("%(name)s has moved beyond a lead; drop it instead.") % {"name": project})
    conflicts = list(project.conflicts.filter(status=ConflictStatus.OPEN))
    with acting(by):
        project.delete()
    for conflict in conflicts:
        settle_if_alone(conflict)


# Conflicts -----------------------------------------------------------------------------------------
@transaction.atomic
def resolve_conflict(conflict: InvestorConflict, *, by, area: Area, note: str = "") -> InvestorConflict:
    """The zone chooses the park that goes on; the projects of the other parks are dropped."""
    require(conflict, by, CHANGE, _("Only the zone's coordinators resolve conflicts."))
    conflict = InvestorConflict.objects.select_for_update().get(pk=conflict.pk)
    if conflict.status != ConflictStatus.OPEN:
        raise Conflict(_("This conflict is already resolved."))
    projects = list(conflict.projects.select_related("area"))
    if area.pk not in {p.area_id for p in projects}:
        raise ValidationError({"area": [_("Choose one of the parks in the conflict.")]})
    reason = _("The zone chose %(area)s for this investor.") % {"area": area}
    for project in dropped_by_choice(projects, area):
        _drop(project, by, f"{reason} {note}".strip())
    conflict.status = ConflictStatus.RESOLVED
    conflict.chosen_area = area
    conflict.resolved_by = by
    conflict.resolved_at = timezone.now()
    conflict.note = note
    with acting(by):
        conflict.save()
    refresh_flags(p.pk for p in projects)
    return conflict


def dropped_by_choice(projects, area: Area) -> list[Project]:
    """The projects that choosing `area` in a conflict drops: the other parks' projects still open."""
    return [p for p in projects if p.area_id != area.pk and p.stage in PAUSABLE | {C.ON_HOLD}]


def _drop(project: Project, by, note: str) -> None:
    """Drop a project for the zone's decision (the coordinator may not keep the park's projects)."""
    locked = Project.objects.select_for_update().get(pk=project.pk)
    move(locked, by=by, to=C.DROPPED, on=max(today(), locked.stage_on), note=note)


# Follow-ups ----------------------------------------------------------------------------------------
def _validate_follow_up(follow_up: FollowUp) -> None:
    errors: dict = {}
    try:
        follow_up.full_clean(exclude=["project", "by"])
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if follow_up.on and follow_up.on > today():
        errors["on"] = [_("A follow-up is recorded once it has happened.")]
    if follow_up.next_action_on and not follow_up.next_action.strip():
        errors["next_action"] = [_("Say what the next action is.")]
    if follow_up.next_action_on and follow_up.on and follow_up.next_action_on < follow_up.on:
        errors["next_action_on"] = [_("The next action comes after the follow-up.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_follow_up(*, by, project: Project, **fields) -> FollowUp:
    require(project, by, CHANGE, _("You may not follow up this project."))
    refused = set(fields) - set(FOLLOW_UP_FIELDS)
    if refused:
        raise ValidationError({f: [_("This field cannot be set here.")] for f in refused})
    fields.setdefault("on", today())
    follow_up = FollowUp(project=project, by=by, **fields)
    _validate_follow_up(follow_up)
    with acting(by):
        follow_up.save()
    return follow_up


@transaction.atomic
def update_follow_up(follow_up: FollowUp, *, by, **changes) -> FollowUp:
    require(follow_up.project, by, CHANGE, _("You may not follow up this project."))
    if "project" in changes and changes.pop("project") != follow_up.project:
        raise ValidationError({"project": [_("A follow-up cannot move to another project.")]})
    apply_changes(follow_up, changes, FOLLOW_UP_FIELDS)
    _validate_follow_up(follow_up)
    with acting(by):
        follow_up.save()
    return follow_up


@transaction.atomic
def delete_follow_up(follow_up: FollowUp, *, by) -> None:
    require(follow_up.project, by, CHANGE, _("You may not follow up this project."))
    with acting(by):
        follow_up.delete()


def overdue_actions(user, *, on: datetime.date | None = None):
    """Next actions past their date on the active projects `user` owns and may still see, oldest first."""
    actions = FollowUp.objects.filter(
        project__owner=user,
        project__stage__in=ACTIVE,
        next_action_done=False,
        next_action_on__lt=on or today(),
    )
    return scope(actions, user, VIEW).select_related("project__area").order_by("next_action_on")


# Signing batches -----------------------------------------------------------------------------------
def _validate_batch(batch: SigningBatch, by) -> None:
    errors: dict = {}
    if batch.area_id and not may_place(SigningBatch, batch.area, by):
        errors["area"] = [_("You may not hold signing batches in %(area)s.") % {"area": batch.area}]
    try:
        batch.full_clean(exclude=["area", *errors])
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_batch(*, by, **fields) -> SigningBatch:
    apply_changes(batch := SigningBatch(), fields, BATCH_FIELDS)
    _validate_batch(batch, by)
    with acting(by):
        batch.save()
    return batch


@transaction.atomic
def update_batch(batch: SigningBatch, *, by, **changes) -> SigningBatch:
    require(batch, by, CHANGE)
    apply_changes(batch, changes, BATCH_FIELDS)
    _validate_batch(batch, by)
    if "area" in changes and batch.projects.exclude(subtree_q(Project, batch.area)).exists():
        raise ValidationError({"area": [_("Some of the batch's projects lie outside this area.")]})
    with acting(by):
        batch.save()
    return batch


@transaction.atomic
def delete_batch(batch: SigningBatch, *, by) -> None:
    require(batch, by, CHANGE)
    if batch.projects.exists():
        raise Conflict(_("Take the projects out of the batch first."))
    with acting(by):
        batch.delete()


# The industrial plan -------------------------------------------------------------------------------
def _validate_group(group: IndustryGroup, by) -> None:
    errors: dict = {}
    if group.zone_id:
        if group.zone.kind != AreaKind.ZONE:
            errors["zone"] = [_("An industrial plan belongs to a zone.")]
        elif not may_place(IndustryGroup, group.zone, by):
            errors["zone"] = [_("You may not change the plan of %(zone)s.") % {"zone": group.zone}]
    codes = []
    if not isinstance(group.codes, list) or not group.codes:
        errors["codes"] = [_("List the industry codes (divisions, groups or classes) of this industry.")]
    else:
        for raw in group.codes:
            try:
                code = industries.clean_industry_code(str(raw))
            except ValidationError as exc:
                errors.setdefault("codes", []).extend(exc.messages)
                continue
            if code and code not in codes:
                codes.append(code)
        group.codes = codes
    try:
        group.full_clean(exclude=["zone", "codes", *errors])
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    # full_clean skips the (zone, name) constraint because zone is excluded above; without this check
    # a repeated name reaches the database and answers 500.
    if (
        group.zone_id
        and "name" not in errors
        and IndustryGroup.objects.filter(zone_id=group.zone_id, name=group.name).exclude(pk=group.pk).exists()
    ):
        message = _("This zone's plan already has an industry named %(name)s.")
        errors["name"] = [message % {"name": group.name}]
    if errors:
        raise ValidationError(errors)


def refresh_plan(zone: Area) -> int:
    """Recompute which planned industry each project under `zone` conforms to; returns how many."""
    changed = []
    for project in Project.objects.in_subtree(zone).select_related("area"):
        group = plan_group_for(project.area, project.industry_code)
        if project.plan_group_id != (group.pk if group else None):
            project.plan_group = group
            changed.append(project)
    Project.objects.bulk_update(changed, ["plan_group"], batch_size=1000)
    return len(changed)


@transaction.atomic
def create_group(*, by, **fields) -> IndustryGroup:
    apply_changes(group := IndustryGroup(), fields, GROUP_FIELDS)
    _validate_group(group, by)
    with acting(by):
        group.save()
    refresh_plan(group.zone)
    return group


@transaction.atomic
def update_group(group: IndustryGroup, *, by, **changes) -> IndustryGroup:
    require(group, by, CHANGE)
    apply_changes(group, changes, GROUP_FIELDS)
    _validate_group(group, by)
    with acting(by):
        group.save()
    refresh_plan(group.zone)
    return group


@transaction.atomic
def delete_group(group: IndustryGroup, *, by) -> None:
    require(group, by, CHANGE)
    zone = group.zone
    with acting(by):
        group.delete()
    refresh_plan(zone)
