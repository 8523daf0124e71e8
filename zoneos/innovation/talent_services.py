"""Every change to talents, talent teams and the services they received.

Each function is atomic, checks that `by` keeps records of the enterprise's area (or above it) and
sees the enterprise, validates with the field named and writes with its history attributed to `by`.
A talent's team is one of its own enterprise; a service goes to a talent or to a team (one of the two)
and carries that recipient's enterprise.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from zoneos.accounts.scoping import in_scope, require, require_placement
from zoneos.audit.context import acting
from zoneos.core.roles import CHANGE, VIEW
from zoneos.core.services import apply_changes
from zoneos.core.services import clean as _clean

from .talent_models import Talent, TalentService, TalentTeam

TEAM_FIELDS = ("enterprise", "name", "level", "programme", "leader", "members", "recognised_on", "notes")
TALENT_FIELDS = ("enterprise", "team", "name", "category", "title", "field", "recognised_on", "notes")
SERVICE_FIELDS = ("talent", "team", "kind", "received_on", "amount", "notes")


def _error(field: str, message: str) -> ValidationError:
    return ValidationError({field: [message]})


def _check_enterprise(record, by) -> None:
    if record.enterprise_id is None:
        raise _error("enterprise", _("This field is required."))
    if not in_scope(record.enterprise, by, VIEW):
        raise _error("enterprise", _("Choose an enterprise you can see."))
    require_placement(type(record), record.enterprise.area, by)


def _save(record, by):
    with acting(by):
        record.save()
    return record


# Teams ---------------------------------------------------------------------------------------------
def _check_team(team: TalentTeam, by) -> None:
    _check_enterprise(team, by)
    team.name = (team.name or "").strip()
    _clean(team, exclude=["enterprise"])


@transaction.atomic
def create_team(*, by, **fields) -> TalentTeam:
    apply_changes(team := TalentTeam(), fields, TEAM_FIELDS)
    _check_team(team, by)
    return _save(team, by)


@transaction.atomic
def update_team(team: TalentTeam, *, by, **changes) -> TalentTeam:
    require(team, by, CHANGE)
    team = TalentTeam.objects.select_for_update().get(pk=team.pk)
    apply_changes(team, changes, TEAM_FIELDS)
    _check_team(team, by)
    if team.talents.exclude(enterprise=team.enterprise).exists():
        raise _error("enterprise", _("The team's talents work for another enterprise."))
    return _save(team, by)


@transaction.atomic
def delete_team(team: TalentTeam, *, by) -> None:
    require(team, by, CHANGE)
    with acting(by):
        team.delete()


# Talents -------------------------------------------------------------------------------------------
def _check_talent(talent: Talent, by) -> None:
    _check_enterprise(talent, by)
    talent.name = (talent.name or "").strip()
    if talent.team_id is not None and talent.team.enterprise_id != talent.enterprise_id:
        raise _error("team", _("Choose a team of the talent's enterprise."))
    _clean(talent, exclude=["enterprise", "team"])


@transaction.atomic
def create_talent(*, by, **fields) -> Talent:
    apply_changes(talent := Talent(), fields, TALENT_FIELDS)
    _check_talent(talent, by)
    return _save(talent, by)


@transaction.atomic
def update_talent(talent: Talent, *, by, **changes) -> Talent:
    require(talent, by, CHANGE)
    talent = Talent.objects.select_for_update().get(pk=talent.pk)
    apply_changes(talent, changes, TALENT_FIELDS)
    _check_talent(talent, by)
    talent.services.update(enterprise=talent.enterprise)
    return _save(talent, by)


@transaction.atomic
def delete_talent(talent: Talent, *, by) -> None:
    require(talent, by, CHANGE)
    with acting(by):
        talent.delete()


# Services received ---------------------------------------------------------------------------------
def _check_service(service: TalentService, by) -> None:
    if (service.talent_id is None) == (service.team_id is None):
        raise _error("talent", _("Name the talent or the team that received the service (one of the two)."))
    recipient = service.talent or service.team
    field = "talent" if service.talent_id else "team"
    if not in_scope(recipient, by, VIEW):
        raise _error(field, _("Not found."))
    require(recipient, by, CHANGE)
    service.enterprise = recipient.enterprise
    if service.amount is not None and service.amount < 0:
        raise _error("amount", _("Cannot be negative."))
    _clean(service, exclude=["enterprise", "talent", "team"])


@transaction.atomic
def record_service(*, by, **fields) -> TalentService:
    apply_changes(service := TalentService(), fields, SERVICE_FIELDS)
    _check_service(service, by)
    return _save(service, by)


@transaction.atomic
def update_service(service: TalentService, *, by, **changes) -> TalentService:
    require(service, by, CHANGE)
    service = TalentService.objects.select_for_update().get(pk=service.pk)
    apply_changes(service, changes, SERVICE_FIELDS)
    _check_service(service, by)
    return _save(service, by)


@transaction.atomic
def delete_service(service: TalentService, *, by) -> None:
    require(service, by, CHANGE)
    with acting(by):
        service.delete()
