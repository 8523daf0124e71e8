"""Every change to innovation platforms and their yearly figures.

Each function is atomic, checks that `by` may make the change (a keeper's role on the platform's area
or above it), validates with the field named and writes with its history attributed to `by`. A
platform is valid to a day after the one it was recognised on; a change of `valid_to` clears its
warning, so a renewed recognition is warned of again. A year's figures are one row per platform and
year: recording them again fills in the figures given and keeps the others (a blank never erases a
stored figure).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from zoneos.accounts.scoping import in_scope, require, require_placement
from zoneos.areas.models import AreaKind
from zoneos.audit.context import acting
from zoneos.core.roles import CHANGE, VIEW
from zoneos.core.services import apply_changes
from zoneos.core.services import clean as _clean

from .platform_models import YEAR_FIGURES, HostKind, Platform, PlatformYear

PLATFORM_FIELDS = (
    "area", "name", "kind", "level", "host_kind", "host_enterprise", "host_name", "recognised_on",
    "valid_to", "recognised_by", "notes",
)  # fmt: skip
FIRST_YEAR, LAST_YEAR = 1990, 2100


def _error(field: str, message: str) -> ValidationError:
    return ValidationError({field: [message]})


def share(errors: dict, field: str, value, *, above_zero: bool = False) -> None:
    """A fraction from 0 to 1 (above 0 when `above_zero`), else an error naming `field` that reads
    right both to an API client (who sends 0.35) and on a page (where 35 % was typed)."""
    if value is None:
        return
    try:
        number = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        number = None
    if number is None or not number.is_finite() or number < 0 or number > 1 or (above_zero and number == 0):
        message = (
            _("Give a share above 0 % and at most 100 % (a fraction: 0.35 is 35 %).")
            if above_zero
            else _("Give a share from 0 % to 100 % (a fraction: 0.35 is 35 %).")
        )
        errors[field] = [message]


def _check_platform(platform: Platform, by) -> None:
    if platform.area_id is None:
        raise _error("area", _("Choose the park or zone."))
    if platform.area.kind == AreaKind.REGION:
        raise _error("area", _("A platform belongs to a park or a zone, not to a region."))
    require_placement(Platform, platform.area, by)
    platform.name = (platform.name or "").strip()
    platform.host_name = (platform.host_name or "").strip()
    errors: dict = {}
    if platform.host_enterprise_id is not None:
        if not in_scope(platform.host_enterprise, by, VIEW):
            errors["host_enterprise"] = [_("Choose an enterprise you can see.")]
        platform.host_kind = HostKind.ENTERPRISE
    elif not platform.host_name:
        errors["host_name"] = [_("Name the host institution or choose the host enterprise.")]
    if platform.recognised_on and platform.valid_to and platform.valid_to <= platform.recognised_on:
        errors["valid_to"] = [_("A recognition is valid to a day after the one it was recognised on.")]
    if errors:
        raise ValidationError(errors)
    _clean(platform, exclude=["area", "host_enterprise"])


@transaction.atomic
def create_platform(*, by, **fields) -> Platform:
    apply_changes(platform := Platform(), fields, PLATFORM_FIELDS)
    _check_platform(platform, by)
    with acting(by):
        platform.save()
    return platform


@transaction.atomic
def update_platform(platform: Platform, *, by, **changes) -> Platform:
    require(platform, by, CHANGE)
    platform = Platform.objects.select_for_update().get(pk=platform.pk)
    valid_to = platform.valid_to
    apply_changes(platform, changes, PLATFORM_FIELDS)
    _check_platform(platform, by)
    if platform.valid_to != valid_to:
        platform.warned_on = None  # a renewed (or shortened) recognition is warned of again
    with acting(by):
        platform.save()
    return platform


@transaction.atomic
def delete_platform(platform: Platform, *, by) -> None:
    require(platform, by, CHANGE)
    with acting(by):
        platform.delete()


# Yearly figures ------------------------------------------------------------------------------------
def _check_year(row: PlatformYear) -> None:
    errors: dict = {}
    if not isinstance(row.year, int) or not FIRST_YEAR <= row.year <= LAST_YEAR:
        errors["year"] = [
            _("Give a year from %(first)s to %(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR}
        ]
    for field in YEAR_FIGURES[:-1]:
        value = getattr(row, field)
        if value is not None and (not isinstance(value, int) or value < 0):
            errors[field] = [_("Give a whole number, zero or more.")]
    share(errors, "occupancy", row.occupancy)
    if errors:
        raise ValidationError(errors)
    _clean(row, exclude=["platform"])


def _fill(row: PlatformYear, figures: dict) -> None:
    """Set the figures given; a blank (None or "") keeps what is stored."""
    apply_changes(row, {k: v for k, v in figures.items() if v not in (None, "")}, YEAR_FIGURES)


@transaction.atomic
def record_platform_year(platform: Platform, year: int, *, by, **figures) -> tuple[PlatformYear, bool]:
    """The platform's figures of `year`, created or filled in: (the row, whether it was created)."""
    require(platform, by, CHANGE)
    row = PlatformYear.objects.select_for_update().filter(platform=platform, year=year).first()
    created = row is None
    if created:
        row = PlatformYear(platform=platform, year=year)
    _fill(row, figures)
    _check_year(row)
    with acting(by):
        row.save()
    return row, created


@transaction.atomic
def update_platform_year(row: PlatformYear, *, by, **changes) -> PlatformYear:
    require(row, by, CHANGE)
    for field in ("platform", "year"):
        if field in changes and changes.pop(field) != getattr(row, field):
            raise _error(field, _("A year's figures stay with their platform and year."))
    row = PlatformYear.objects.select_for_update().get(pk=row.pk)
    _fill(row, changes)
    _check_year(row)
    with acting(by):
        row.save()
    return row


@transaction.atomic
def delete_platform_year(row: PlatformYear, *, by) -> None:
    require(row, by, CHANGE)
    with acting(by):
        row.delete()
