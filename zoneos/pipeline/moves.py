"""A project's moves between stage categories: the one table of them (`PROJECT_MOVES`), the verb that
takes a move (`transition`) and the unchecked record of one (`move`).

The table has a step per category a project moves to, with the categories it moves from. Forward, a
project moves to the next category or skips one that in practice is skipped; never back to an earlier
one: a project that really regressed is paused (on hold) or dropped, and that is what the history
then says. Until production starts a project can be paused or dropped; after that it is an
enterprise's business, followed by the registry and the service desk. A paused project resumes only
in the category it was paused in, or is dropped. Those who may change the project take its moves. The
API's `transition`, the board's and the project page's moves, `allowed_moves` and the permission
matrix's cases are made from the table.
"""

from __future__ import annotations

import datetime
from functools import partial
from types import SimpleNamespace

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zoneos.accounts.scoping import in_scope
from zoneos.audit.context import acting
from zoneos.core.files import check_upload
from zoneos.core.roles import CHANGE
from zoneos.core.workflow import Input, Party, Step, Workflow

from .conflicts import settle_if_alone
from .models import ConflictStatus, DatePrecision, Project, StageEvent
from .stages import BIT, DAYS_FIELD, PAUSABLE, StageCategory

C = StageCategory


# The verbs -----------------------------------------------------------------------------------------
@transaction.atomic
def transition(
    project: Project,
    *,
    by,
    to: str,
    on: datetime.date | None = None,
    note: str = "",
    evidence=None,
    precision: str = DatePrecision.DAY,
) -> Project:
    """Move `project` to the category `to` on the day `on` (today unless given; may be in the past,
    not before the project entered its current stage): the table's step into `to`, checked under the
    project's row lock. A move the table forbids raises Conflict (409) and changes nothing; dropping
    a project needs a note saying why. `precision` says how much of `on` is known (a ledger's
    "2025年3月" is the month: `on` is its first day, or the day the project entered its stage when
    that falls in the same month)."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    if to not in C.values:
        raise ValidationError({"to": [_("“%(value)s” is not a stage.") % {"value": to}]})
    step = PROJECT_MOVES.check(project, to, by)
    today = timezone.localdate()
    on = on or today
    if on > today:
        raise ValidationError({"on": [_("A date in the future cannot have happened yet.")]})
    if on < project.stage_on:
        if project.stage == C.LEAD:
            message = _(
                "The project became a lead on %(date)s, after this move. If the lead is older, move the "
                "lead date back to this day (tick “Move the lead date back” on the project's page), "
                "then record the move."
            )
        else:
            message = _(
                "The project entered its current stage on %(date)s: date the move on or after that day, "
                "or correct the date of that stage first."
            )
        raise ValidationError({"on": [message % {"date": project.stage_on}]})
    if step.target == C.DROPPED and not note.strip():
        raise ValidationError({"note": [_("Say why the project is dropped.")]})
    if evidence:
        check_upload(evidence, "evidence")
    move(project, by=by, to=step.target, on=on, note=note, evidence=evidence, precision=precision)
    if step.target == C.DROPPED:
        for conflict in project.conflicts.filter(status=ConflictStatus.OPEN):
            settle_if_alone(conflict)
    return project


def move(
    project: Project,
    *,
    by,
    to: str,
    on: datetime.date,
    note: str = "",
    evidence=None,
    precision: str = DatePrecision.DAY,
) -> None:
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
        on_precision=precision,
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
    project.stage, project.stage_on, project.stage_on_precision = to, on, precision
    project.entered_mask |= BIT[to]
    with acting(by):
        project.save()


# The table -----------------------------------------------------------------------------------------
KEEPER = Party("keeper", lambda user, project: in_scope(project, user, CHANGE))
MOVE_INPUTS = (
    Input(
        "on",
        "date",
        gettext_lazy("On"),
        help=gettext_lazy(
            "Today unless given; may be in the past, not before the project entered its current stage."
        ),
    ),
    Input("note", "text", gettext_lazy("Note"), max_length=2000, rows=2),
    Input(
        "evidence",
        "file",
        gettext_lazy("Evidence"),
        help=gettext_lazy("Agreement, land certificate or permit (optional)."),
    ),
)


def _resumes_in(target: str, project) -> bool:
    return project.stage != C.ON_HOLD or project.paused_from == target


def _move_to(target: str, sources, **extra) -> Step:
    """The move into `target` from `sources`; a project paused in `target` also resumes there."""
    resumable = target in PAUSABLE
    return Step(
        target,
        C(target).label,
        frozenset(sources) | ({C.ON_HOLD} if resumable else set()),
        target,
        (KEEPER,),
        partial(transition, to=target),
        inputs=MOVE_INPUTS,
        when=partial(_resumes_in, target) if resumable else None,
        forbidden=gettext_lazy("You may not move this project."),
        **extra,
    )


PROJECT_MOVES = Workflow(
    "project",
    state="stage",
    steps=[
        _move_to(C.LEAD, ()),  # only resumed into
        _move_to(C.NEGOTIATING, {C.LEAD}),
        # A lead is signed at a signing ceremony without recorded talks.
        _move_to(C.SIGNED, {C.LEAD, C.NEGOTIATING}),
        _move_to(C.REGISTERED, {C.SIGNED}),
        # An investor that already has a company in the zone needs no new registration.
        _move_to(C.LAND_SECURED, {C.SIGNED, C.REGISTERED}),
        # A project in an existing building needs no land.
        _move_to(C.UNDER_CONSTRUCTION, {C.SIGNED, C.REGISTERED, C.LAND_SECURED}),
        _move_to(C.COMPLETED, {C.UNDER_CONSTRUCTION}),
        _move_to(C.IN_PRODUCTION, {C.COMPLETED}),
        _move_to(C.AT_CAPACITY, {C.IN_PRODUCTION}),
        _move_to(C.ON_HOLD, PAUSABLE, icon="pause-circle", button="outline-secondary"),
        # Dropping needs a note saying why (the verb refuses one without it, naming the field).
        _move_to(
            C.DROPPED,
            PAUSABLE | {C.ON_HOLD},
            icon="x-circle",
            button="outline-danger",
            help=gettext_lazy("Say why the project is dropped."),
        ),
    ],
    refusal=lambda project, step: (
        _("A project that is %(current)s cannot move to %(target)s.")
        % {"current": C(project.stage).label, "target": C(step.target).label}
    ),
)


def moves_from(project) -> list[str]:
    """The categories the project's state lets it move to, in the table's order (whoever asks)."""
    return [step.target for step in PROJECT_MOVES if PROJECT_MOVES.possible(project, step.name)]


def allowed_moves(current: str, paused_from: str = "") -> frozenset[str]:
    """The categories a project in `current` may move to (`paused_from`: where an on-hold project
    was paused, the only forward category it may resume in)."""
    return frozenset(moves_from(SimpleNamespace(stage=current, paused_from=paused_from)))


def is_allowed(current: str, target: str, paused_from: str = "") -> bool:
    return target in allowed_moves(current, paused_from)
