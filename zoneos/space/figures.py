"""The figures of space: vacancy by park (rolled up to zones and regions), the space that fits an
investment project's needs, and the leases that end soon. Each reads only what the caller sees and
runs a fixed number of queries, however many parks, units and leases there are.

Vacancy on a day: a unit is leased when a lease covers the day, vacant otherwise; the vacancy rate is
the vacant floor area over all the floor area of the units (a fraction, four decimals in the API).

Renovations: the buildings renovated under key projects, with the projects' progress as supervision
keeps it.
"""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, DecimalField, Exists, OuterRef, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from zoneos.accounts.scoping import scope, view_paths
from zoneos.areas.models import Area
from zoneos.core.roles import VIEW
from zoneos.pipeline.services import zone_of
from zoneos.supervision.models import MonthFigure

from .measures import m2_from_mu, mu_from_m2
from .models import Lease, Parcel, ParcelStatus, Renovation, Unit

EXPIRING_DAYS = 60  # a lease ending within this many days is warned of
MATCH_LIMIT = 50  # parcels and units offered for one project, best first
RATE = Decimal("0.0001")
ZERO = Decimal("0")
AREA_SUM = DecimalField(max_digits=18, decimal_places=2)


def rate(part, whole) -> Decimal | None:
    """`part / whole` as a fraction with four decimals; None when there is no whole."""
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(RATE, rounding=ROUND_HALF_UP)


def _figures(units=0, leased=0, floor_area_m2=ZERO, leased_m2=ZERO) -> dict:
    vacant_m2 = floor_area_m2 - leased_m2
    return {
        "units": units,
        "leased": leased,
        "vacant": units - leased,
        "floor_area_m2": floor_area_m2,
        "leased_m2": leased_m2,
        "vacant_m2": vacant_m2,
        "vacancy_rate": rate(vacant_m2, floor_area_m2),
    }


FIGURES = ("units", "leased", "floor_area_m2", "leased_m2")


def _add(into: dict, row: dict) -> None:
    for key in FIGURES:
        into[key] = into.get(key, 0) + row[key]


def leased_on(day: datetime.date):
    """Whether a lease covers `day`, as a condition on units."""
    return Exists(Lease.objects.covering(day).filter(unit_id=OuterRef("pk")))


def vacancy(user, area: Area | None = None, on: datetime.date | None = None) -> dict:
    """Units, leased and vacant units and floor areas on `on` (default today): per park (each area that
    holds buildings), rolled up to every zone and region above them whose whole subtree the caller sees,
    and in total. Two queries (the caller's memberships aside)."""
    on = on or timezone.localdate()
    units = scope(Unit.objects.all(), user, VIEW)
    if area is not None:
        units = units.in_subtree(area)
    rows = list(
        units.annotate(is_leased=leased_on(on))
        .values("building__area_id", "building__area__path")
        .annotate(
            units=Count("pk"),
            leased=Count("pk", filter=Q(is_leased=True)),
            total_m2=Coalesce(Sum("floor_area_m2"), Value(ZERO), output_field=AREA_SUM),
            leased_m2=Coalesce(
                Sum("floor_area_m2", filter=Q(is_leased=True)), Value(ZERO), output_field=AREA_SUM
            ),
        )
        .order_by()
    )
    for r in rows:
        r["floor_area_m2"] = r.pop("total_m2")
    holding = {r["building__area_id"]: r for r in rows}
    ids = {int(part) for r in rows for part in r["building__area__path"].strip("/").split("/") if part}
    areas = {
        a.pk: a
        for a in Area.objects.filter(pk__in=ids).only(
            "id", "code", "name", "name_en", "kind", "path", "depth"
        )
    }
    # A zone's rollup is shown only to whoever sees the whole of it (park staff see their park's row).
    whole = view_paths(user, Unit) or []
    rollups: dict[int, dict] = {}
    totals: dict = {}
    parks = []
    for pk, row in holding.items():
        park = areas[pk]
        parks.append({"area": park, **_figures(**{k: row[k] for k in FIGURES})})
        _add(totals, row)
        for ancestor_id in park.ancestor_ids():
            ancestor = areas.get(ancestor_id)
            if ancestor is None or not any(ancestor.path.startswith(p) for p in whole):
                continue
            if area is not None and not ancestor.path.startswith(area.path):
                continue
            _add(rollups.setdefault(ancestor_id, {}), row)
    parks.sort(key=lambda r: r["area"].path)
    rolled = sorted(
        ({"area": areas[pk], **_figures(**row)} for pk, row in rollups.items()), key=lambda r: r["area"].path
    )
    return {"on": on, "area": area, "parks": parks, "rollups": rolled, "totals": _figures(**totals)}


# Matching ------------------------------------------------------------------------------------------
def needs_of(project) -> dict:
    """What the project asks for: land in 亩 (and m²), floor space in m², floor load, clear height."""
    return {
        "land_mu": project.land_mu,
        "land_m2": m2_from_mu(project.land_mu) if project.land_mu else None,
        "floor_space_m2": project.floor_space_m2,
        "floor_load": project.floor_load,
        "clear_height": project.clear_height,
    }


def available_units(user, *, within: str, on: datetime.date):
    """Units the caller sees under the path `within` that are free from `on` on (no lease covers `on`
    or starts after it), with their effective floor load and clear height (`load`, `height`)."""
    taken = Lease.objects.filter(unit_id=OuterRef("pk"), ends_on__gte=on)
    return (
        scope(Unit.objects.filter(building__area__path__startswith=within), user, VIEW)
        .annotate(
            taken=Exists(taken),
            eff_load=Coalesce("floor_load_kn", "building__floor_load_kn"),
            eff_height=Coalesce("clear_height_m", "building__clear_height_m"),
        )
        .filter(taken=False)
        .select_related("building__area")
    )


def match(project, user, on: datetime.date | None = None, limit: int = MATCH_LIMIT) -> dict:
    """The space in the project's zone that fits its needs, best first (`limit` of each):

    - parcels in reserve whose area is at least the land needed, the smallest sufficient first (the
      least land left over), then by code;
    - units free from `on` on whose floor area, floor load and clear height are each at least what the
      project needs (a need not stated does not filter; a unit whose load or height is not known does
      not meet a stated one), the smallest sufficient floor area first.

    A project that states no land need is offered no parcels; one that states no floor space, load or
    height is offered no units."""
    on = on or timezone.localdate()
    needs = needs_of(project)
    zone = zone_of(project.area) or project.area
    parcels, units = [], []
    if needs["land_m2"]:
        parcels = list(
            scope(Parcel.objects.in_subtree(zone), user, VIEW)
            .filter(status=ParcelStatus.RESERVE, area_m2__gte=needs["land_m2"])
            .select_related("area")
            .order_by("area_m2", "code", "pk")[:limit]
        )
    wanted = {k: needs[k] for k in ("floor_space_m2", "floor_load", "clear_height") if needs[k]}
    if wanted:
        found = available_units(user, within=zone.path, on=on)
        if "floor_space_m2" in wanted:
            found = found.filter(floor_area_m2__gte=wanted["floor_space_m2"])
        if "floor_load" in wanted:
            found = found.filter(eff_load__gte=wanted["floor_load"])
        if "clear_height" in wanted:
            found = found.filter(eff_height__gte=wanted["clear_height"])
        units = list(found.order_by("floor_area_m2", "building__code", "code", "pk")[:limit])
    for parcel in parcels:
        parcel.spare_mu = mu_from_m2(parcel.area_m2 - needs["land_m2"])
    return {"project": project, "zone": zone, "on": on, "needs": needs, "parcels": parcels, "units": units}


# Leases ending soon --------------------------------------------------------------------------------
def expiring(user, area: Area | None = None, on: datetime.date | None = None, days: int = EXPIRING_DAYS):
    """Leases the caller sees, in force on `on`, ending within `days` days, soonest first."""
    on = on or timezone.localdate()
    leases = scope(Lease.objects.ending_within(on, days), user, VIEW)
    if area is not None:
        leases = leases.in_subtree(area)
    return leases.select_related("unit__building__area", "tenant").order_by("ends_on", "pk")


# Renovations ---------------------------------------------------------------------------------------
def progress_month(year: int, today: datetime.date) -> int:
    """The month whose cumulative figures stand for a key project of `year` today, as supervision's
    pages read it: the last month that has ended (December for a past year; January before the
    project's year has a month behind it)."""
    ended = today.replace(day=1) - datetime.timedelta(days=1)
    if year < ended.year:
        return 12
    return ended.month if year == ended.year else 1


def renovations(
    user, area: Area | None = None, *, building=None, key_project=None, on: datetime.date | None = None
) -> dict:
    """The renovations the caller sees (of `area`'s subtree, of one building or of one key project), newest
    year first, each with its key project's progress as supervision reports it (its month row at
    `progress_month`: cumulative completed investment, completion rate of the annual plan, status) as
    `figure`; and the totals: projects and floor area under renovation this year. Two queries."""
    on = on or timezone.localdate()
    rows = scope(Renovation.objects.all(), user, VIEW)
    if area is not None:
        rows = rows.in_subtree(area)
    if building is not None:
        rows = rows.filter(building=building)
    if key_project is not None:
        rows = rows.filter(key_project=key_project)
    rows = list(
        rows.select_related("building__area", "key_project__area").order_by(
            "-key_project__year", "building__area__path", "building__code", "pk"
        )
    )
    wanted = Q()
    for r in rows:
        wanted |= Q(key_project_id=r.key_project_id, month=progress_month(r.key_project.year, on))
    months = {}
    if rows:
        months = {f.key_project_id: f for f in MonthFigure.objects.filter(wanted)}
    for r in rows:
        # Supervision's month row: cumulative `completed`, `completion_rate`, `status` and its colour.
        r.figure = months.get(r.key_project_id)
    current = [r for r in rows if r.key_project.year == on.year]
    return {
        "rows": rows,
        "year": on.year,
        "projects": len({r.key_project_id for r in current}),
        "floor_area_m2": sum((r.floor_area_m2 for r in current), start=ZERO),
    }


def area_space(area: Area, on: datetime.date | None = None) -> dict:
    """The space of `area`'s whole subtree on `on` (default today), for the dashboard and the briefing
    (their callers may read the area's aggregate figures): units, leased and vacant, floor areas and the
    vacancy rate as `vacancy` defines them, and the floor area under renovation in key projects of the
    year with their number. Two queries."""
    on = on or timezone.localdate()
    row = (
        Unit.objects.in_subtree(area)
        .annotate(is_leased=leased_on(on))
        .aggregate(
            units=Count("pk"),
            leased=Count("pk", filter=Q(is_leased=True)),
            total_m2=Coalesce(Sum("floor_area_m2"), Value(ZERO), output_field=AREA_SUM),
            leased_m2=Coalesce(
                Sum("floor_area_m2", filter=Q(is_leased=True)), Value(ZERO), output_field=AREA_SUM
            ),
        )
    )
    row["floor_area_m2"] = row.pop("total_m2")
    renovating = (
        Renovation.objects.in_subtree(area)
        .filter(key_project__year=on.year)
        .aggregate(
            m2=Coalesce(Sum("floor_area_m2"), Value(ZERO), output_field=AREA_SUM),
            projects=Count("key_project", distinct=True),
        )
    )
    return {
        **_figures(**row),
        "renovation_m2": renovating["m2"],
        "renovation_projects": renovating["projects"],
    }
