"""Evaluation schemes (the weights an area's children are ranked by) and signing targets."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from zoneos.accounts.scoping import require, require_placement
from zoneos.audit.context import acting
from zoneos.core.roles import CHANGE
from zoneos.core.services import apply_changes

from ..models import EvaluationScheme, SigningTarget

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
