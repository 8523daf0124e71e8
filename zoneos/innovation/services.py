"""Every change to points systems and consents.

Each function is atomic, checks that `by` may make the change, validates with the field named, and
writes with its history attributed to `by`. A system is written with its indicators (they are replaced
as a whole: a system is one rule, versioned by `effective_from`). A consent is recorded by staff who
serve the enterprise or given by the enterprise's own users; either may withdraw it (from a day on);
one bank holds at most one consent of an enterprise in force at a time.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from zoneos.accounts.scoping import require, require_placement
from zoneos.areas.models import AreaKind
from zoneos.audit.context import acting
from zoneos.core.roles import CHANGE
from zoneos.core.services import apply_changes
from zoneos.core.services import clean as _clean

from .models import Consent, PointsIndicator, PointsSystem
from .points import validate_indicators

SYSTEM_FIELDS = ("area", "name", "effective_from", "notes")
INDICATOR_FIELDS = ("variable", "label", "weight", "brackets", "label_points")
CONSENT_FIELDS = ("enterprise", "bank", "given_on", "withdrawn_on")


# Systems -------------------------------------------------------------------------------------------
def _check_system(system: PointsSystem, by) -> None:
    if system.area_id is None:
        raise ValidationError({"area": [_("Choose the zone.")]})
    if system.area.kind != AreaKind.ZONE:
        raise ValidationError({"area": [_("A points system belongs to a zone.")]})
    require_placement(PointsSystem, system.area, by)
    _clean(system, exclude=["area"])
    clash = PointsSystem.objects.filter(area=system.area, effective_from=system.effective_from)
    if clash.exclude(pk=system.pk).exists():
        raise ValidationError({"effective_from": [_("This zone has a points system from that day.")]})


def _write_indicators(system: PointsSystem, indicators: list[dict]) -> None:
    validate_indicators(indicators)
    system.indicators.all().delete()
    for position, row in enumerate(indicators):
        indicator = PointsIndicator(system=system, position=position)
        apply_changes(indicator, {k: v for k, v in row.items() if k != "id"}, INDICATOR_FIELDS)
        indicator.save()


@transaction.atomic
def create_system(*, by, indicators: list[dict] | None = None, **fields) -> PointsSystem:
    apply_changes(system := PointsSystem(), fields, SYSTEM_FIELDS)
    _check_system(system, by)
    with acting(by):
        system.save()
        _write_indicators(system, indicators or [])
    return system


@transaction.atomic
def update_system(
    system: PointsSystem, *, by, indicators: list[dict] | None = None, **changes
) -> PointsSystem:
    require(system, by, CHANGE)
    system = PointsSystem.objects.select_for_update().get(pk=system.pk)
    apply_changes(system, changes, SYSTEM_FIELDS)
    _check_system(system, by)
    with acting(by):
        system.save()
        if indicators is not None:
            _write_indicators(system, indicators)
    return system


@transaction.atomic
def delete_system(system: PointsSystem, *, by) -> None:
    require(system, by, CHANGE)
    with acting(by):
        system.delete()


# Consents ------------------------------------------------------------------------------------------
def _check_consent(consent: Consent) -> None:
    consent.bank = (consent.bank or "").strip()
    _clean(consent, exclude=["enterprise", "recorded_by"])
    if consent.withdrawn_on is not None and consent.withdrawn_on < consent.given_on:
        raise ValidationError({"withdrawn_on": [_("The withdrawal comes before the consent.")]})
    others = Consent.objects.filter(enterprise=consent.enterprise, bank=consent.bank).exclude(pk=consent.pk)
    for other in others:
        ends, other_ends = consent.withdrawn_on, other.withdrawn_on
        if (other_ends is None or other_ends > consent.given_on) and (ends is None or ends > other.given_on):
            raise ValidationError({"bank": [_("This enterprise's consent to this bank overlaps another.")]})


@transaction.atomic
def give_consent(*, by, **fields) -> Consent:
    """A consent recorded by staff serving the enterprise, or given by the enterprise's own user."""
    apply_changes(consent := Consent(recorded_by=by), fields, CONSENT_FIELDS)
    if consent.enterprise_id is None:
        raise ValidationError({"enterprise": [_("This field is required.")]})
    _check_consent(consent)
    with acting(by):
        consent.save()
    # Checked on the saved row, inside the transaction: the enterprise's own users or its keepers.
    require(consent, by, CHANGE, _("You may not record consents of this enterprise."))
    return consent


@transaction.atomic
def update_consent(consent: Consent, *, by, **changes) -> Consent:
    """A change to a consent; withdrawing it is setting `withdrawn_on`."""
    require(consent, by, CHANGE)
    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    if "enterprise" in changes and changes["enterprise"] != consent.enterprise:
        raise ValidationError({"enterprise": [_("This field cannot be changed here.")]})
    changes.pop("enterprise", None)
    apply_changes(consent, changes, CONSENT_FIELDS)
    _check_consent(consent)
    with acting(by):
        consent.save()
    return consent


def withdraw_consent(consent: Consent, *, by, on) -> Consent:
    return update_consent(consent, by=by, withdrawn_on=on)
