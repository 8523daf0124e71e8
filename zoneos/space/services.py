"""Every change to parcels, buildings, units and leases.

Each function is atomic, checks that `by` may make the change (a write role on the park or above it:
its admins, investment officers and park staff), validates with the field named, and writes with its
history attributed to `by`. A parcel's status moves along `PARCEL_MOVES`; a lease is refused when it
would overlap another lease of its unit (the unit's row is locked while that is checked), when it ends
before it starts, or when its tenant is registered outside the park's zone.
"""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from zoneos.accounts.scoping import in_scope, require, require_placement
from zoneos.areas.models import AreaKind
from zoneos.audit.context import acting
from zoneos.core.roles import CHANGE, VIEW
from zoneos.core.services import apply_changes
from zoneos.core.services import clean as _clean
from zoneos.pipeline.services import zone_of

from . import geo
from .measures import m2_from_mu, mu_from_m2
from .models import (
    PARCEL_MOVES,
    Building,
    Crs,
    Lease,
    Parcel,
    ParcelStatus,
    Renovation,
    RenovationPurpose,
    Shape,
    ShapeKind,
    Unit,
)

PARCEL_FIELDS = ("area", "code", "name", "land_use", "area_m2", "status", "plot_ratio", "project", "notes")
BUILDING_FIELDS = (
    "area",
    "parcel",
    "code",
    "name",
    "kind",
    "floors",
    "floor_area_m2",
    "floor_load_kn",
    "clear_height_m",
    "completed_on",
    "notes",
)
UNIT_FIELDS = ("code", "floor", "floor_area_m2", "floor_load_kn", "clear_height_m", "notes")
LEASE_FIELDS = ("tenant", "starts_on", "ends_on", "monthly_rent", "notes")
LOWEST_FLOOR = -5  # basements: B1 is floor -1


def _error(field: str, message: str) -> ValidationError:
    return ValidationError({field: [message]})


def _positive(errors: dict, record, field: str, required: bool = False) -> None:
    value = getattr(record, field)
    if value is None:
        if required:
            errors[field] = [_("This field is required.")]
    elif value <= 0:
        errors[field] = [_("Must be above zero.")]


def _check_area(record, by) -> None:
    """A parcel or a building hangs on a park (or a zone without parks) that `by` keeps records in."""
    if record.area_id is None:
        raise _error("area", _("Choose the park."))
    if record.area.kind == AreaKind.REGION:
        raise _error("area", _("Space belongs to a park or a zone, not to a region."))
    require_placement(type(record), record.area, by)


def _zone_path(area) -> str:
    """The path of the outermost zone above (or at) `area`: where its tenants and projects may come from."""
    zone = zone_of(area)
    return (zone or area).path


def _with_area_mu(fields: dict, area_mu) -> dict:
    """`area_mu` (亩) as the stored `area_m2`; when both are given they must say the same."""
    if area_mu in (None, ""):
        return fields
    try:
        mu = Decimal(area_mu)
    except (ArithmeticError, TypeError, ValueError):
        raise _error("area_mu", _("Give a number of mu.")) from None
    if not mu.is_finite() or mu <= 0 or mu > Decimal("1000000"):
        raise _error("area_mu", _("Give a number of mu above zero."))
    m2 = m2_from_mu(mu)
    given = fields.get("area_m2")
    if given is not None and given != m2 and mu_from_m2(given) != mu.quantize(Decimal("0.01")):
        raise _error("area_mu", _("Give the area in m² or in mu: the two given differ."))
    return {**fields, "area_m2": given if given is not None else m2}


# Parcels -------------------------------------------------------------------------------------------
def _check_parcel(parcel: Parcel, by) -> None:
    _check_area(parcel, by)
    errors: dict = {}
    _positive(errors, parcel, "area_m2", required=True)
    _positive(errors, parcel, "plot_ratio")
    if parcel.project_id is not None:
        project = parcel.project
        if parcel.status == ParcelStatus.RESERVE:
            errors["project"] = [_("Land in reserve is not supplied to a project yet: set its status too.")]
        elif not in_scope(project, by, VIEW):
            errors["project"] = [_("Choose a project you can see.")]
        elif not project.area.path.startswith(_zone_path(parcel.area)):
            errors["project"] = [_("Choose a project of the parcel's zone.")]
    if errors:
        raise ValidationError(errors)
    _clean(parcel, exclude=["area", "project"])
    if Parcel.objects.filter(area=parcel.area, code=parcel.code).exclude(pk=parcel.pk).exists():
        raise _error("code", _("This park has a parcel with this code."))


@transaction.atomic
def create_parcel(*, by, area_mu=None, **fields) -> Parcel:
    """A parcel; its area is given in m² (`area_m2`) or in 亩 (`area_mu`)."""
    apply_changes(parcel := Parcel(), _with_area_mu(fields, area_mu), PARCEL_FIELDS)
    _check_parcel(parcel, by)
    with acting(by):
        parcel.save()
    return parcel


@transaction.atomic
def update_parcel(parcel: Parcel, *, by, area_mu=None, **changes) -> Parcel:
    require(parcel, by, CHANGE)
    parcel = Parcel.objects.select_for_update().get(pk=parcel.pk)
    before = parcel.status
    if area_mu not in (None, "") and "area_m2" not in changes:
        changes["area_m2"] = None  # the 亩 given replaces the stored area
    apply_changes(parcel, _with_area_mu(changes, area_mu), PARCEL_FIELDS)
    if parcel.status != before and parcel.status not in PARCEL_MOVES.get(before, ()):
        allowed = ", ".join(str(ParcelStatus(s).label) for s in sorted(PARCEL_MOVES.get(before, ()))) or "—"
        raise _error(
            "status",
            _("A parcel that is %(from)s moves on to: %(allowed)s.")
            % {"from": ParcelStatus(before).label, "allowed": allowed},
        )
    if parcel.status == ParcelStatus.RESERVE and before != ParcelStatus.RESERVE and "project" not in changes:
        parcel.project = None  # land taken back into reserve is no longer the project's
    _check_parcel(parcel, by)
    if parcel.buildings.exclude(area=parcel.area).exists():
        raise _error("area", _("Buildings on the parcel stand in another park."))
    with acting(by):
        parcel.save()
    return parcel


@transaction.atomic
def delete_parcel(parcel: Parcel, *, by) -> None:
    require(parcel, by, CHANGE)
    with acting(by):
        parcel.delete()


# Buildings -----------------------------------------------------------------------------------------
def _check_building(building: Building, by) -> None:
    _check_area(building, by)
    errors: dict = {}
    _positive(errors, building, "floor_area_m2", required=True)
    _positive(errors, building, "floor_load_kn")
    _positive(errors, building, "clear_height_m")
    if not building.floors or building.floors < 1:
        errors["floors"] = [_("A building has at least one floor.")]
    parcel = building.parcel
    if parcel is not None:
        if not in_scope(parcel, by, VIEW):
            errors["parcel"] = [_("Choose a parcel you can see.")]
        elif parcel.area_id != building.area_id:
            errors["parcel"] = [_("Choose a parcel of the building's park.")]
    if building.pk is not None and building.floors:
        highest = building.units.order_by("-floor").values_list("floor", flat=True).first()
        if highest is not None and highest > building.floors and "floors" not in errors:
            errors["floors"] = [_("A unit of the building is on floor %(n)s.") % {"n": highest}]
    if errors:
        raise ValidationError(errors)
    _clean(building, exclude=["area", "parcel"])
    if Building.objects.filter(area=building.area, code=building.code).exclude(pk=building.pk).exists():
        raise _error("code", _("This park has a building with this code."))


@transaction.atomic
def create_building(*, by, **fields) -> Building:
    apply_changes(building := Building(), fields, BUILDING_FIELDS)
    _check_building(building, by)
    with acting(by):
        building.save()
    return building


@transaction.atomic
def update_building(building: Building, *, by, **changes) -> Building:
    require(building, by, CHANGE)
    building = Building.objects.select_for_update().get(pk=building.pk)
    apply_changes(building, changes, BUILDING_FIELDS)
    _check_building(building, by)
    with acting(by):
        building.save()
    return building


@transaction.atomic
def delete_building(building: Building, *, by) -> None:
    require(building, by, CHANGE)
    with acting(by):
        building.delete()


# Units ---------------------------------------------------------------------------------------------
def _check_unit(unit: Unit) -> None:
    building = unit.building
    errors: dict = {}
    _positive(errors, unit, "floor_area_m2", required=True)
    _positive(errors, unit, "floor_load_kn")
    _positive(errors, unit, "clear_height_m")
    if unit.floor_area_m2 is not None and unit.floor_area_m2 > building.floor_area_m2 and not errors:
        errors["floor_area_m2"] = [
            _("A unit is no larger than its building (%(area)s m²).") % {"area": building.floor_area_m2}
        ]
    if unit.floor is None or unit.floor == 0 or not LOWEST_FLOOR <= unit.floor <= building.floors:
        errors["floor"] = [_("Give a floor from 1 to %(n)s (basements -1 to -5).") % {"n": building.floors}]
    if errors:
        raise ValidationError(errors)
    _clean(unit, exclude=["building"])
    if Unit.objects.filter(building=building, code=unit.code).exclude(pk=unit.pk).exists():
        raise _error("code", _("This building has a unit with this code."))


@transaction.atomic
def create_unit(building: Building, *, by, **fields) -> Unit:
    require_placement(Unit, building.area, by)
    if not in_scope(building, by, VIEW):
        raise _error("building", _("Not found."))
    apply_changes(unit := Unit(building=building), fields, UNIT_FIELDS)
    _check_unit(unit)
    with acting(by):
        unit.save()
    return unit


@transaction.atomic
def update_unit(unit: Unit, *, by, **changes) -> Unit:
    require(unit, by, CHANGE)
    if "building" in changes and changes.pop("building") != unit.building:
        raise _error("building", _("A unit stays in its building."))
    unit = Unit.objects.select_for_update().select_related("building").get(pk=unit.pk)
    apply_changes(unit, changes, UNIT_FIELDS)
    _check_unit(unit)
    with acting(by):
        unit.save()
    return unit


@transaction.atomic
def delete_unit(unit: Unit, *, by) -> None:
    require(unit, by, CHANGE)
    with acting(by):
        unit.delete()


# Leases --------------------------------------------------------------------------------------------
def _overlap_error(lease: Lease, other: Lease) -> ValidationError:
    """Named by the date that falls inside the other lease (the end, when this one wraps it)."""
    field = "starts_on" if other.starts_on <= lease.starts_on <= other.ends_on else "ends_on"
    return _error(
        field,
        _("The unit is leased to %(tenant)s from %(start)s to %(end)s: leases of a unit cannot overlap.")
        % {"tenant": other.tenant, "start": other.starts_on, "end": other.ends_on},
    )


def _check_lease(lease: Lease, by) -> None:
    errors: dict = {}
    if lease.tenant_id is None:
        errors["tenant"] = [_("This field is required.")]
    elif not in_scope(lease.tenant, by, VIEW):
        errors["tenant"] = [_("Choose an enterprise you can see.")]
    else:
        park = lease.unit.building.area
        if not lease.tenant.area.path.startswith(_zone_path(park)):
            errors["tenant"] = [_("The tenant is registered outside the park's zone.")]
    for field in ("starts_on", "ends_on"):
        if not isinstance(getattr(lease, field), datetime.date):
            errors[field] = [_("This field is required.")]
    if not errors and lease.ends_on < lease.starts_on:
        errors["ends_on"] = [_("A lease ends on or after the day it starts.")]
    if lease.monthly_rent is not None and lease.monthly_rent < 0:
        errors["monthly_rent"] = [_("Cannot be negative.")]
    if errors:
        raise ValidationError(errors)
    _clean(lease, exclude=["unit", "tenant"])
    # The unit's row is locked: two leases written at once for one unit are checked one after the other.
    list(Unit.objects.select_for_update().filter(pk=lease.unit_id).values_list("pk"))
    other = (
        Lease.objects.filter(
            unit_id=lease.unit_id, starts_on__lte=lease.ends_on, ends_on__gte=lease.starts_on
        )
        .exclude(pk=lease.pk)
        .select_related("tenant")
        .order_by("starts_on")
        .first()
    )
    if other is not None:
        raise _overlap_error(lease, other)


@transaction.atomic
def create_lease(unit: Unit, *, by, **fields) -> Lease:
    require_placement(Lease, unit.building.area, by)
    if not in_scope(unit, by, VIEW):
        raise _error("unit", _("Not found."))
    apply_changes(lease := Lease(unit=unit), fields, LEASE_FIELDS)
    _check_lease(lease, by)
    with acting(by):
        lease.save()
    return lease


@transaction.atomic
def update_lease(lease: Lease, *, by, **changes) -> Lease:
    require(lease, by, CHANGE)
    if "unit" in changes and changes.pop("unit") != lease.unit:
        raise _error("unit", _("A lease stays with its unit: end it and lease the other unit."))
    lease = Lease.objects.select_for_update().select_related("unit__building__area").get(pk=lease.pk)
    ends_on = lease.ends_on
    apply_changes(lease, changes, LEASE_FIELDS)
    _check_lease(lease, by)
    if lease.ends_on != ends_on:
        lease.warned_on = None  # a lease renewed (or cut short) is warned of again before its new end
    with acting(by):
        lease.save()
    return lease


@transaction.atomic
def delete_lease(lease: Lease, *, by) -> None:
    require(lease, by, CHANGE)
    with acting(by):
        lease.delete()


# Renovations under key projects -------------------------------------------------------------------
RENOVATION_FIELDS = ("key_project", "floor_area_m2", "purpose", "notes")


def _check_renovation(renovation: Renovation, by) -> None:
    building, project = renovation.building, renovation.key_project
    errors: dict = {}
    if project is None:
        errors["key_project"] = [_("This field is required.")]
    elif not in_scope(project, by, VIEW):
        errors["key_project"] = [_("Choose a key project you can see.")]
    elif not building.area.path.startswith(project.area.path):
        # The project is the park's, or its zone's (a zone-level project renovating in one park).
        errors["key_project"] = [_("Choose a key project of the building's park or of an area above it.")]
    _positive(errors, renovation, "floor_area_m2", required=True)
    if "floor_area_m2" not in errors and renovation.floor_area_m2 > building.floor_area_m2:
        errors["floor_area_m2"] = [
            _("At most the building's floor area, %(m2)s m².") % {"m2": building.floor_area_m2}
        ]
    if renovation.purpose not in RenovationPurpose.values:
        errors["purpose"] = [_("Choose a purpose.")]
    if errors:
        raise ValidationError(errors)
    _clean(renovation, exclude=["building", "key_project"])
    twice = Renovation.objects.filter(building=building, key_project=project).exclude(pk=renovation.pk)
    if twice.exists():
        raise _error("key_project", _("This key project already tracks the building's renovation."))


@transaction.atomic
def create_renovation(building: Building, *, by, **fields) -> Renovation:
    require_placement(Renovation, building.area, by)
    if not in_scope(building, by, VIEW):
        raise _error("building", _("Not found."))
    apply_changes(renovation := Renovation(building=building), fields, RENOVATION_FIELDS)
    _check_renovation(renovation, by)
    with acting(by):
        renovation.save()
    return renovation


@transaction.atomic
def update_renovation(renovation: Renovation, *, by, **changes) -> Renovation:
    require(renovation, by, CHANGE)
    if "building" in changes and changes.pop("building") != renovation.building:
        raise _error("building", _("A renovation stays with its building."))
    renovation = Renovation.objects.select_for_update().select_related("building__area").get(pk=renovation.pk)
    apply_changes(renovation, changes, RENOVATION_FIELDS)
    _check_renovation(renovation, by)
    with acting(by):
        renovation.save()
    return renovation


@transaction.atomic
def delete_renovation(renovation: Renovation, *, by) -> None:
    require(renovation, by, CHANGE)
    with acting(by):
        renovation.delete()


# Shapes on the map -------------------------------------------------------------------------------
SHAPE_FIELDS = ("area", "kind", "parcel", "building", "name", "geometry", "crs")


def _check_shape(shape: Shape, by) -> None:
    _check_area(shape, by)
    shape.geometry = geo.check_geometry(shape.geometry)
    errors: dict = {}
    if shape.crs not in Crs.values:
        errors["crs"] = [_("Give the coordinates as wgs84 or gcj02.")]
    if shape.kind == ShapeKind.PARCEL:
        shape.building = None
        if shape.parcel is None:
            errors["parcel"] = [_("Choose the parcel the shape outlines.")]
        elif shape.parcel.area_id != shape.area_id:
            errors["parcel"] = [_("Choose a parcel of the shape's park.")]
    elif shape.kind == ShapeKind.BUILDING:
        shape.parcel = None
        if shape.building is None:
            errors["building"] = [_("Choose the building the shape outlines.")]
        elif shape.building.area_id != shape.area_id:
            errors["building"] = [_("Choose a building of the shape's park.")]
    elif shape.kind == ShapeKind.BOUNDARY:
        shape.parcel = shape.building = None
        if shape.geometry["type"] == "Point":
            errors["geometry"] = [_("A boundary is a Polygon or a MultiPolygon.")]
    else:
        errors["kind"] = [_("Give the kind: boundary, parcel or building.")]
    if errors:
        raise ValidationError(errors)
    for field in ("parcel", "building"):
        record = getattr(shape, field)
        if record is not None and Shape.objects.filter(**{field: record}).exclude(pk=shape.pk).exists():
            raise _error(field, _("This %(record)s has a shape: change that one.") % {"record": field})


@transaction.atomic
def create_shape(*, by, **fields) -> Shape:
    """A shape on the map: its geometry checked (`geo.check_geometry`), stored as entered with its `crs`."""
    apply_changes(shape := Shape(), fields, SHAPE_FIELDS)
    _check_shape(shape, by)
    with acting(by):
        shape.save()
    return shape


@transaction.atomic
def update_shape(shape: Shape, *, by, **changes) -> Shape:
    require(shape, by, CHANGE)
    shape = Shape.objects.select_for_update().get(pk=shape.pk)
    apply_changes(shape, changes, SHAPE_FIELDS)
    _check_shape(shape, by)
    with acting(by):
        shape.save()
    return shape


@transaction.atomic
def delete_shape(shape: Shape, *, by) -> None:
    require(shape, by, CHANGE)
    with acting(by):
        shape.delete()


@transaction.atomic
def upload_shapes(area, collection, *, by, crs: str = Crs.GCJ02) -> list[Shape]:
    """A GeoJSON FeatureCollection (text or parsed) for one park: each feature's `properties.kind` is
    boundary (the default), parcel or building, with `properties.code` naming the parcel or building of
    the park. A parcel's or building's shape replaces the one it had; a boundary replaces the park's
    boundaries. All or nothing: an error names the feature (`features[2].geometry`)."""

    if isinstance(collection, (str, bytes)):
        if len(collection) > geo.MAX_BYTES:
            raise _error("file", _("The shape is larger than 2 MB."))
        try:
            collection = json.loads(collection)
        except ValueError:
            raise _error("file", _("Give the shapes as a GeoJSON FeatureCollection.")) from None
    if isinstance(collection, dict) and collection.get("type") in ("Feature", *geo.GEOMETRY_TYPES):
        collection = {"type": "FeatureCollection", "features": [collection]}
    features = collection.get("features") if isinstance(collection, dict) else None
    if not isinstance(features, list) or not features:
        raise _error("file", _("Give the shapes as a GeoJSON FeatureCollection."))
    saved, boundary_replaced = [], False
    for i, feature in enumerate(features):
        where = f"features[{i}]"
        props = (feature.get("properties") if isinstance(feature, dict) else None) or {}
        geometry = feature.get("geometry") if feature.get("type") == "Feature" else feature
        kind = str(props.get("kind") or ShapeKind.BOUNDARY)
        fields = {"area": area, "kind": kind, "name": str(props.get("name") or "")[:200], "crs": crs}
        existing = None
        if kind in (ShapeKind.PARCEL, ShapeKind.BUILDING):
            model = Parcel if kind == ShapeKind.PARCEL else Building
            record = model.objects.filter(area=area, code=str(props.get("code") or "")).first()
            if record is None:
                raise _error(f"{where}.code", _("No %(kind)s of the park has this code.") % {"kind": kind})
            fields[kind] = record
            existing = Shape.objects.filter(**{kind: record}).first()
        elif kind == ShapeKind.BOUNDARY and not boundary_replaced:
            for old in Shape.objects.filter(area=area, kind=ShapeKind.BOUNDARY):
                delete_shape(old, by=by)
            boundary_replaced = True
        try:
            if existing is not None:
                saved.append(update_shape(existing, by=by, geometry=geometry, **fields))
            else:
                saved.append(create_shape(by=by, geometry=geometry, **fields))
        except ValidationError as error:
            raise ValidationError({f"{where}.{k}": v for k, v in error.message_dict.items()}) from None
    return saved
