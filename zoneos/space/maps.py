"""What the map of an area draws, as one JSON document used by the map page and the API: the shapes staff
uploaded (boundaries, parcels coloured by status, buildings), and points placed on them (each enterprise
at the building of its lease in force today, each project at the parcel supplied to it, the vacant units
at their building, the open appeals an Open311 caller placed), every one with the address of its page.
Only what the user sees is drawn; every coordinate is given in one datum (`crs`, GCJ-02 unless asked),
converted from the datum it was entered in."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from zoneos.accounts.scoping import scope
from zoneos.appeals.models import Appeal
from zoneos.appeals.models import Status as AppealStatus
from zoneos.core.roles import VIEW
from zoneos.enterprises.models import Enterprise
from zoneos.pipeline.models import Project

from . import geo
from .models import PARCEL_STATUS_COLOR, Lease, ParcelStatus, Shape, ShapeKind, Unit

# The newest appeals drawn at most: a map of thousands of pins reads as nothing.
MAX_APPEALS = 500


@dataclass(frozen=True)
class Layer:
    """A layer of points an app above space adds to the map (innovation's platforms): `points(user,
    area, placed)` gives its points, where `placed` maps an enterprise's id to its point on this map
    (`{"value", "where"}`: at the building of its lease in force today)."""

    key: str
    label: Any
    points: Callable[[Any, Any, dict[int, dict]], list[dict]]
    symbol: str = "pin"
    color: str = "#0ca678"


_layers: dict[str, Layer] = {}


def layer(key: str, label, points: Callable, *, symbol: str = "pin", color: str = "#0ca678") -> None:
    """Register a layer of points on the map (once per key; apps call this from their `ready`)."""
    _layers[key] = Layer(key, label, points, symbol, color)


def _in(queryset, user, area):
    queryset = scope(queryset, user, VIEW)
    return queryset.in_subtree(area) if area is not None else queryset


def _point(shape: Shape, crs: str) -> list[float]:
    lng, lat = geo.centre(shape.geometry)
    lng, lat = geo.convert_point(lng, lat, shape.crs, crs)
    return [round(lng, 7), round(lat, 7)]


def map_data(user, area, crs: str = geo.GCJ02) -> dict:
    today = timezone.localdate()
    shapes = list(_in(Shape.objects.select_related("parcel", "building", "area"), user, area))
    by_building = {s.building_id: s for s in shapes if s.building_id}
    features = []
    for s in shapes:
        props = {"name": f"shape-{s.pk}", "kind": s.kind, "label": str(s)}
        if s.kind == ShapeKind.PARCEL:
            props.update(
                label=str(s.parcel),
                status=s.parcel.status,
                status_label=str(ParcelStatus(s.parcel.status).label),
                color=PARCEL_STATUS_COLOR.get(s.parcel.status, "secondary"),
                url=s.parcel.get_absolute_url(),
            )
        elif s.kind == ShapeKind.BUILDING:
            props.update(label=str(s.building), url=s.building.get_absolute_url())
        else:
            props.update(label=s.name or s.area.label)
        features.append(
            {"type": "Feature", "properties": props, "geometry": geo.convert(s.geometry, s.crs, crs)}
        )

    # Enterprises: at the building of their lease in force today (the first such building).
    tenants = scope(Enterprise.objects.all(), user, VIEW)
    leases = (
        _in(Lease.objects.covering(today), user, area)
        .filter(unit__building__shape__isnull=False, tenant__in=tenants)
        .select_related("tenant", "unit__building")
        .order_by("tenant_id", "starts_on", "pk")
    )
    enterprises, placed = [], set()
    for lease in leases:
        if lease.tenant_id in placed:
            continue
        placed.add(lease.tenant_id)
        building = lease.unit.building
        enterprises.append(
            {
                "id": lease.tenant_id,
                "name": lease.tenant.name,
                "where": str(building),
                "value": _point(by_building[building.pk], crs) if building.pk in by_building else None,
                "url": lease.tenant.get_absolute_url(),
            }
        )
    enterprises = [e for e in enterprises if e["value"]]
    placed_at = {e["id"]: {"value": e["value"], "where": e["where"]} for e in enterprises}
    layers = [
        {"key": lay.key, "label": str(lay.label), "symbol": lay.symbol, "color": lay.color,
         "points": lay.points(user, area, placed_at)}
        for lay in _layers.values()
    ]  # fmt: skip

    supplied = {s.parcel.project_id: s for s in shapes if s.kind == ShapeKind.PARCEL and s.parcel.project_id}
    projects = [
        {
            "id": project.pk,
            "name": project.name,
            "where": str(supplied[project.pk].parcel),
            "value": _point(supplied[project.pk], crs),
            "url": project.get_absolute_url(),
        }
        for project in scope(Project.objects.all(), user, VIEW).filter(pk__in=supplied).order_by("pk")
    ]

    vacant = defaultdict(list)
    units = _in(Unit.objects.filter(building__shape__isnull=False), user, area).exclude(
        pk__in=Lease.objects.covering(today).values("unit_id")
    )
    for unit in units.select_related("building").order_by("building", "floor", "code"):
        vacant[unit.building_id].append(unit)
    vacancies = [
        {
            "id": building_id,
            "name": str(units[0].building),
            "where": ", ".join(u.code for u in units),
            "count": len(units),
            "value": _point(by_building[building_id], crs),
            "url": units[0].building.get_absolute_url(),
        }
        for building_id, units in vacant.items()
        if building_id in by_building
    ]
    # Appeals still open whose caller placed them (Open311 `lat`/`long`, WGS-84).
    appeals = (
        scope(Appeal.objects.all(), user, VIEW)
        .filter(latitude__isnull=False)
        .exclude(status=AppealStatus.CLOSED)
    )
    if area is not None:
        appeals = appeals.filter(area__path__startswith=area.path)
    appeal_points = [
        {
            "id": appeal.pk,
            "name": appeal.title,
            "where": appeal.address or str(appeal.get_status_display()),
            "value": [
                round(v, 7)
                for v in geo.convert_point(float(appeal.longitude), float(appeal.latitude), geo.WGS84, crs)
            ],
            "url": appeal.get_absolute_url(),
        }
        for appeal in appeals.only("pk", "title", "address", "status", "latitude", "longitude").order_by(
            "-pk"
        )[:MAX_APPEALS]
    ]
    return {
        "area": area.pk if area is not None else None,
        "area_name": area.label if area is not None else _("All your parks"),
        "crs": crs,
        "geojson": {"type": "FeatureCollection", "features": features},
        "enterprises": enterprises,
        "projects": projects,
        "vacant": vacancies,
        "appeals": appeal_points,
        "layers": layers,
    }


def labels() -> dict:
    """The words the map page draws, translated."""
    return {
        "boundary": _("Boundary"),
        "parcels": _("Parcels"),
        "buildings": _("Buildings"),
        "enterprises": _("Enterprises"),
        "projects": _("Projects"),
        "vacant": _("Vacant space"),
        "appeals": _("Open appeals"),
        "vacant_units": _("vacant units"),
        "statuses": {s.value: str(s.label) for s in ParcelStatus},
    }
