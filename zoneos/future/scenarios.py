"""Application scenarios (应用场景): their records, the enterprises that fit them, and their steps.

`WORKFLOW` is the one table of a scenario's steps (open → matching → matched → in pilot → done, and
withdrawn from any step before the pilot); the verbs below run it, and the API's step actions, the
page's buttons and `allowed_actions` are made from it. Each step writes an event row.

The enterprises that fit a scenario are found as chains' suggestions find those of a link
(`zoneos.chains.suggestions.fits` and `reasons`: GB/T 4754 codes, and keywords in the name or the
business scope, pinyin-insensitive), from the scenario's own codes and keywords or else its future
industry's, among the active enterprises of its zone that the caller sees. Staff confirm those they
agree with (`confirm_matches`): each becomes a matched enterprise with its reasons.
"""

from __future__ import annotations

from types import SimpleNamespace

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zoneos.accounts.scoping import in_scope, may_place, require, require_placement, scope
from zoneos.areas.models import AreaKind
from zoneos.audit.context import acting
from zoneos.chains.suggestions import READ, fits, reasons
from zoneos.core.errors import Conflict
from zoneos.core.roles import CHANGE, VIEW
from zoneos.core.services import apply_changes
from zoneos.core.services import clean as _clean
from zoneos.core.workflow import Input, Party, Step, Workflow
from zoneos.enterprises.models import Enterprise, Status
from zoneos.pipeline.conflicts import zone_of

from .models import Scenario, ScenarioEvent, ScenarioMatch, ScenarioStatus
from .services import clean_wanted

FIELDS = (
    "area", "industry", "owner_enterprise", "owner_department", "title", "description", "technology_sought",
    "industry_codes", "keywords", "budget",
)  # fmt: skip
MAX_SUGGESTIONS = 50


def _error(field: str, message: str) -> ValidationError:
    return ValidationError({field: [message]})


def _zone_path(area) -> str:
    return (zone_of(area) or area).path


def _check(scenario: Scenario, by) -> None:
    if scenario.area_id is None:
        raise _error("area", _("Choose the area."))
    if scenario.area.kind == AreaKind.REGION:
        raise _error("area", _("A scenario belongs to a zone or a park, not to a region."))
    require_placement(Scenario, scenario.area, by)
    errors: dict = {}
    owners = [o for o in (scenario.owner_enterprise, scenario.owner_department) if o is not None]
    if len(owners) != 1:
        errors["owner_enterprise"] = [_("Name one owner: an enterprise or a department.")]
    else:
        owner = owners[0]
        field = "owner_enterprise" if scenario.owner_enterprise_id else "owner_department"
        if not in_scope(owner, by, VIEW):
            errors[field] = [_("Choose an owner you can see.")]
        elif not owner.area.path.startswith(_zone_path(scenario.area)):
            errors[field] = [_("Choose an owner of the scenario's zone.")]
    if scenario.industry_id is not None and not in_scope(scenario.industry, by, VIEW):
        errors["industry"] = [_("Choose a future industry you can see.")]
    if scenario.budget is not None and scenario.budget < 0:
        errors["budget"] = [_("The budget cannot be negative.")]
    if errors:
        raise ValidationError(errors)
    _clean(scenario, exclude=["area", "industry", "owner_enterprise", "owner_department"])
    clean_wanted(scenario)


@transaction.atomic
def create_scenario(*, by, **fields) -> Scenario:
    apply_changes(scenario := Scenario(), fields, FIELDS)
    _check(scenario, by)
    with acting(by):
        scenario.save()
    return scenario


@transaction.atomic
def update_scenario(scenario: Scenario, *, by, **changes) -> Scenario:
    scenario = _locked(scenario)
    require(scenario, by, CHANGE)
    apply_changes(scenario, changes, FIELDS)
    _check(scenario, by)
    with acting(by):
        scenario.save()
    return scenario


@transaction.atomic
def delete_scenario(scenario: Scenario, *, by) -> None:
    """Delete a scenario recorded by mistake: only while it is open and nobody has been matched."""
    scenario = _locked(scenario)
    require(scenario, by, CHANGE)
    if scenario.status != ScenarioStatus.OPEN or scenario.matches.exists():
        raise Conflict(_("The scenario has moved on; withdraw it instead."))
    with acting(by):
        scenario.events.all().delete()
        scenario.delete()


def _locked(scenario: Scenario) -> Scenario:
    return (
        Scenario.objects.select_for_update(of=("self",))
        .select_related("area", "industry", "owner_enterprise__area", "owner_department__area")
        .get(pk=scenario.pk)
    )


# Matching ------------------------------------------------------------------------------------------
def wanted(scenario: Scenario) -> SimpleNamespace:
    """What the scenario looks for: its own codes and keywords, else its future industry's."""
    codes, words = list(scenario.industry_codes), list(scenario.keywords)
    if not codes and not words and scenario.industry_id:
        codes, words = list(scenario.industry.industry_codes), list(scenario.industry.keywords)
    return SimpleNamespace(industry_codes=codes, keywords=words)


def suggestions(scenario: Scenario, user, *, limit: int = MAX_SUGGESTIONS) -> list[dict]:
    """The active enterprises of the scenario's zone that `user` sees and that fit it, not matched yet,
    largest registered capital first; each with why it fits."""
    looking_for = wanted(scenario)
    condition = fits(looking_for)
    if condition is None:
        return []
    zone = zone_of(scenario.area) or scenario.area
    found = (
        scope(Enterprise.objects.filter(status=Status.ACTIVE), user, VIEW)
        .in_subtree(zone)
        .filter(condition)
        .exclude(pk__in=scenario.matches.values("enterprise_id"))
        .only(*READ)
        .order_by(F("registered_capital").desc(nulls_last=True), "pk")[:limit]
    )
    return [{"enterprise": e, "reasons": reasons(looking_for, e)} for e in found]


def _matchable(scenario: Scenario) -> bool:
    return scenario.status in (ScenarioStatus.OPEN, ScenarioStatus.MATCHING, ScenarioStatus.MATCHED)


@transaction.atomic
def confirm_matches(scenario: Scenario, enterprises, *, by) -> list[ScenarioMatch]:
    """Confirm each enterprise as a match, with the reasons it fits now: all or none. An enterprise
    the scenario's suggestions do not offer `by` is refused, naming `enterprises`."""
    scenario = _locked(scenario)
    require(scenario, by, CHANGE)
    if not _matchable(scenario):
        raise Conflict(
            _("A scenario that is %(now)s takes no more matches.") % {"now": scenario.get_status_display()}
        )
    offered = {s["enterprise"].pk: s for s in suggestions(scenario, by, limit=10_000)}
    ids = [getattr(e, "pk", e) for e in enterprises]
    if not ids:
        raise _error("enterprises", _("Choose the enterprises that fit."))
    missing = [str(i) for i in ids if i not in offered]
    if missing:
        raise _error(
            "enterprises", _("Not among the enterprises that fit: %(ids)s.") % {"ids": ", ".join(missing)}
        )
    made = []
    with acting(by):
        for pk in dict.fromkeys(ids):
            found = offered[pk]
            made.append(
                ScenarioMatch.objects.create(
                    scenario=scenario,
                    enterprise=found["enterprise"],
                    reasons=found["reasons"],
                    confirmed_by=by,
                )
            )
    return made


@transaction.atomic
def remove_match(scenario: Scenario, enterprise, *, by) -> None:
    scenario = _locked(scenario)
    require(scenario, by, CHANGE)
    match = scenario.matches.filter(enterprise_id=getattr(enterprise, "pk", enterprise)).first()
    if match is None:
        raise _error("enterprise", _("This enterprise is not matched."))
    if scenario.status != ScenarioStatus.MATCHING and scenario.status != ScenarioStatus.OPEN:
        raise Conflict(
            _("The matches of a scenario that is %(now)s stay.") % {"now": scenario.get_status_display()}
        )
    with acting(by):
        match.delete()


# Steps ---------------------------------------------------------------------------------------------
def _move(scenario: Scenario, name: str, *, by, note: str = "") -> Scenario:
    scenario = _locked(scenario)
    step = WORKFLOW.check(scenario, name, by)
    before = scenario.status
    scenario.status = step.target
    with acting(by):
        scenario.save()
    ScenarioEvent.objects.create(
        scenario=scenario, from_status=before, to_status=step.target, note=note, by=by
    )
    return scenario


@transaction.atomic
def start_matching(scenario: Scenario, *, by) -> Scenario:
    return _move(scenario, "start_matching", by=by)


@transaction.atomic
def mark_matched(scenario: Scenario, *, by) -> Scenario:
    return _move(scenario, "match", by=by)


@transaction.atomic
def start_pilot(scenario: Scenario, *, by) -> Scenario:
    return _move(scenario, "start_pilot", by=by)


@transaction.atomic
def complete(scenario: Scenario, *, by, note: str = "") -> Scenario:
    return _move(scenario, "complete", by=by, note=(note or "").strip())


@transaction.atomic
def withdraw(scenario: Scenario, *, by, note: str = "") -> Scenario:
    if not (note or "").strip():
        raise _error("note", _("Say why the scenario is withdrawn."))
    return _move(scenario, "withdraw", by=by, note=note.strip())


KEEPER = Party("keeper", lambda user, scenario: may_place(Scenario, scenario.area, user))
NOTE = Input("note", "text", gettext_lazy("Note"), max_length=2000, rows=3)
S = ScenarioStatus
WORKFLOW = Workflow(
    "scenario",
    state="status",
    steps=[
        Step(
            "start_matching",
            gettext_lazy("Start matching"),
            frozenset({S.OPEN}),
            S.MATCHING,
            (KEEPER,),
            start_matching,
            summary="Start looking for the enterprises that fit",
            icon="search",
            path="start-matching",
        ),
        Step(
            "match",
            gettext_lazy("Matched"),
            frozenset({S.MATCHING}),
            S.MATCHED,
            (KEEPER,),
            mark_matched,
            when=lambda scenario: len(scenario.matches.all()) > 0,  # prefetched on lists
            summary="Close the matching: the confirmed enterprises are the scenario's (at least one)",
            help=gettext_lazy("Confirm at least one enterprise first."),
            icon="check2-circle",
            button="success",
        ),
        Step(
            "start_pilot",
            gettext_lazy("Start the pilot"),
            frozenset({S.MATCHED}),
            S.IN_PILOT,
            (KEEPER,),
            start_pilot,
            summary="The matched enterprises start piloting in the scenario",
            icon="rocket-takeoff",
            path="start-pilot",
        ),
        Step(
            "complete",
            gettext_lazy("Done"),
            frozenset({S.IN_PILOT}),
            S.DONE,
            (KEEPER,),
            complete,
            inputs=(NOTE,),
            summary="The pilot is done",
            icon="flag",
            button="success",
        ),
        Step(
            "withdraw",
            gettext_lazy("Withdraw"),
            frozenset({S.OPEN, S.MATCHING, S.MATCHED}),
            S.WITHDRAWN,
            (KEEPER,),
            withdraw,
            inputs=(NOTE,),
            summary="Withdraw the scenario (a note says why)",
            help=gettext_lazy("Say why the scenario is withdrawn."),
            icon="x-circle",
            button="outline-danger",
        ),
    ],
    refusal=lambda scenario, step: (
        _("No enterprise is confirmed yet.")
        if step.name == "match" and scenario.status == S.MATCHING
        else _("A scenario that is %(now)s cannot become %(to)s.")
        % {"now": scenario.get_status_display(), "to": ScenarioStatus(step.target).label}
    ),
    forbidden=gettext_lazy("Only the staff who keep the area's scenarios take this step."),
)
