"""Every change to the pipeline: projects, their moves between stages, follow-ups, signing batches,
the zone's industrial plan and the conflicts between parks.

Each function is atomic, checks that `by` may make the change, validates with the field named, and
writes its history attributed to `by` (`audit.context.acting`). A stage moves only through
`transition`, against the table in `stages.py`; every move writes a `StageEvent`.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from zoneos.accounts.scoping import may_place, require, scope
from zoneos.areas.models import Area, AreaKind, subtree_q
from zoneos.audit.context import acting
from zoneos.core import industries
from zoneos.core.codes import check_uscc
from zoneos.core.errors import Conflict
from zoneos.core.roles import CHANGE, VIEW
from zoneos.core.services import apply_changes
from zoneos.enterprises.models import CapitalOrigin

from .models import (
    ConflictStatus,
    FollowUp,
    IndustryGroup,
    InvestorConflict,
    Project,
    SigningBatch,
    Stage,
    StageEvent,
)
from .names import investor_key
from .stages import ACTIVE, BIT, DAYS_FIELD, PAUSABLE, StageCategory, allowed_moves

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
    "jobs",
    "owner",
    "source",
    "description",
    "enterprise",
    "signing_batch",
)
MONEY_FIELDS = ("total_investment", "fixed_asset_investment", "expected_output", "expected_tax", "land_mu")
INVESTOR_FIELDS = {"investor_name", "investor_uscc", "area"}
FOLLOW_UP_FIELDS = ("kind", "on", "summary", "next_action", "next_action_on", "next_action_done")
BATCH_FIELDS = ("area", "name", "held_on", "mode", "note")
GROUP_FIELDS = ("zone", "name", "name_en", "category", "codes")


def today() -> datetime.date:
    return timezone.localdate()


# Areas ---------------------------------------------------------------------------------------------
def zone_of(area: Area) -> Area | None:
    """The zone a project's conflicts are judged in: the outermost zone above (or at) its area, so
    that the parks of a zone's sub-zones are compared with each other too."""
    ids = [int(part) for part in area.path.strip("/").split("/") if part]
    return Area.objects.filter(pk__in=ids, kind=AreaKind.ZONE).order_by("depth").first()


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
    for field in MONEY_FIELDS:
        value = getattr(project, field)
        if value is not None and value < 0:
            errors[field] = [_("Cannot be negative.")]
    fixed, total = project.fixed_asset_investment, project.total_investment
    if fixed is not None and total is not None and fixed > total and "fixed_asset_investment" not in errors:
        errors["fixed_asset_investment"] = [_("Fixed-asset investment cannot exceed the total investment.")]
    if project.capital_origin == CapitalOrigin.FOREIGN and not project.capital_country:
        errors["capital_country"] = [_("Name the country the foreign capital comes from.")]
    if project.capital_origin != CapitalOrigin.FOREIGN and project.capital_country:
        errors["capital_country"] = [_("A country is given only for foreign capital.")]
    if project.owner_id:
        from zoneos.accounts.models import User

        if not scope(User.objects.filter(pk=project.owner_id), by, VIEW).exists():
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
def create_project(*, by, lead_on: datetime.date | None = None, **fields) -> Project:
    """A new project starts as a lead (on `lead_on`, today unless the lead is older)."""
    refused = set(fields) - set(PROJECT_FIELDS)
    if refused:
        raise ValidationError({f: [_("This field cannot be set here.")] for f in refused})
    lead_on = lead_on or today()
    if lead_on > today():
        raise ValidationError({"lead_on": [_("A date in the future cannot have happened yet.")]})
    project = Project(**fields, stage=C.LEAD, stage_on=lead_on, lead_on=lead_on, entered_mask=BIT[C.LEAD])
    _validate_project(project, by)
    with acting(by):
        project.save()
    StageEvent.objects.create(project=project, from_category="", to_category=C.LEAD, on=lead_on, by=by)
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
def delete_project(project: Project, *, by) -> None:
    """Only a lead entered by mistake is deleted; a project given up is dropped, with its reason."""
    require(project, by, CHANGE)
    if project.stage != C.LEAD or project.events.exclude(to_category=C.LEAD).exists():
        raise Conflict(_("%(name)s has moved beyond a lead; drop it instead.") % {"name": project})
    conflicts = list(project.conflicts.filter(status=ConflictStatus.OPEN))
    with acting(by):
        project.delete()
    for conflict in conflicts:
        _settle_if_alone(conflict)


# Stage moves ---------------------------------------------------------------------------------------
@transaction.atomic
def transition(
    project: Project, *, by, to: str, on: datetime.date | None = None, note: str = "", evidence=None
) -> Project:
    """Move `project` to the category `to` on the day `on` (today unless given; may be in the past,
    not before the project entered its current stage). A move the table forbids raises Conflict
    (409) and changes nothing."""
    require(project, by, CHANGE)
    project = Project.objects.select_for_update().get(pk=project.pk)
    if to not in C.values:
        raise ValidationError({"to": [_("“%(value)s” is not a stage.") % {"value": to}]})
    if to not in allowed_moves(project.stage, project.paused_from):
        raise Conflict(
            _("A project that is %(current)s cannot move to %(target)s.")
            % {"current": C(project.stage).label, "target": C(to).label}
        )
    on = on or today()
    if on > today():
        raise ValidationError({"on": [_("A date in the future cannot have happened yet.")]})
    if on < project.stage_on:
        raise ValidationError(
            {"on": [_("The project entered its current stage on %(date)s.") % {"date": project.stage_on}]}
        )
    if to == C.DROPPED and not note.strip():
        raise ValidationError({"note": [_("Say why the project is dropped.")]})
    move(project, by=by, to=to, on=on, note=note, evidence=evidence)
    if to == C.DROPPED:
        for conflict in project.conflicts.filter(status=ConflictStatus.OPEN):
            _settle_if_alone(conflict)
    return project


def move(project: Project, *, by, to: str, on: datetime.date, note: str = "", evidence=None) -> None:
    """Record a move of a locked `project`, unchecked: close its spell in the current category (the
    event that entered it and the project's days there), write the event, and save the project.
    `transition` checks a move before it comes here; a ledger import records a stage reached."""
    days = (on - project.stage_on).days
    entered = project.events.filter(to_category=project.stage, left_on__isnull=True).order_by("-on", "-id")
    StageEvent.objects.filter(pk__in=list(entered.values_list("pk", flat=True)[:1])).update(
        left_on=on, days=days
    )
    StageEvent.objects.create(
        project=project,
        from_category=project.stage,
        to_category=to,
        on=on,
        note=note,
        evidence=evidence or "",
        by=by,
    )
    if project.stage in DAYS_FIELD:
        field = DAYS_FIELD[project.stage]
        setattr(project, field, (getattr(project, field) or 0) + days)
    if to == C.ON_HOLD:
        project.paused_from = project.stage
    elif project.stage == C.ON_HOLD:
        project.paused_from = ""
    project.stage, project.stage_on = to, on
    project.entered_mask |= BIT[to]
    with acting(by):
        project.save()


# Conflicts -----------------------------------------------------------------------------------------
def rivals(project: Project) -> tuple[Area | None, list[Project]]:
    """Active projects in other parks of the project's zone with the same investor."""
    zone = zone_of(project.area)
    if zone is None or project.stage not in ACTIVE:
        return zone, []
    same = Q(investor_key=project.investor_key) if project.investor_key else Q(pk__in=[])
    if project.investor_uscc:
        same |= Q(investor_uscc=project.investor_uscc)
    query = (
        Project.objects.in_subtree(zone)
        .filter(same, stage__in=ACTIVE)
        .exclude(pk=project.pk)
        .exclude(area_id=project.area_id)
    )
    return zone, list(query)


def detect_conflicts(project: Project) -> InvestorConflict | None:
    """Open (or widen) the zone's conflict when other parks follow the same investor; flag them all."""
    zone, others = rivals(project)
    if not others:
        return None
    group = [project, *others]
    conflict = (
        InvestorConflict.objects.filter(zone=zone, status=ConflictStatus.OPEN, projects__in=group)
        .distinct()
        .first()
    )
    if conflict is None:
        conflict = InvestorConflict.objects.create(
            zone=zone, investor_key=project.investor_uscc or project.investor_key
        )
    conflict.projects.add(*group)
    Project.objects.filter(pk__in=[p.pk for p in group]).update(flagged=True)
    project.flagged = True
    return conflict


def _refresh_flags(project_ids: Iterable[int]) -> None:
    ids = list(project_ids)
    open_ids = set(
        InvestorConflict.projects.through.objects.filter(
            project_id__in=ids, investorconflict__status=ConflictStatus.OPEN
        ).values_list("project_id", flat=True)
    )
    Project.objects.filter(pk__in=ids).exclude(pk__in=open_ids).update(flagged=False)


def _settle_if_alone(conflict: InvestorConflict) -> None:
    """A conflict with one active park left is settled in that park's favour."""
    active = conflict.projects.filter(stage__in=ACTIVE)
    areas = set(active.values_list("area_id", flat=True))
    if len(areas) <= 1:
        conflict.status = ConflictStatus.RESOLVED
        conflict.chosen_area_id = next(iter(areas), None)
        conflict.resolved_at = timezone.now()
        conflict.note = conflict.note or _("Settled: only one park still follows the investor.")
        conflict.save()
        _refresh_flags(conflict.projects.values_list("pk", flat=True))


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
    for project in projects:
        if project.area_id != area.pk and project.stage in PAUSABLE | {C.ON_HOLD}:
            _drop(project, by, f"{reason} {note}".strip())
    conflict.status = ConflictStatus.RESOLVED
    conflict.chosen_area = area
    conflict.resolved_by = by
    conflict.resolved_at = timezone.now()
    conflict.note = note
    with acting(by):
        conflict.save()
    _refresh_flags(p.pk for p in projects)
    return conflict


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
