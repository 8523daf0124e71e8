"""The demo's space, in two parks.

Nanhai Park of the Foshan hi-tech zone (where the demo's park staff work): land in reserve, supplied
and built on, a standard factory and an incubator let floor by floor and room by room to enterprises of
the registry (one lease ends within the month), a parcel in reserve in Shunde Park, and an equipment
maker's project in the pipeline that needs 50 亩, 1,500 m² of ground floor, 10 kN/m² and 6 m under the
beams: two parcels and one free bay fit it.

Tonghu Sci-Tech Park (潼湖科创园, Huizhou), where innovation keeps its demo platforms: land in reserve
(one parcel measured in m²), supplied and built on, two standard factories and the incubator building
that hosts the 潼湖科技企业孵化器 and its enterprises. Its tenants are Tonghu's enterprises in the order
innovation's demo names its platforms' hosts (`innovation.demo_platforms`), so the incubator's host, the
maker space's, the engineering centre's and the pilot base's lease rooms here and their platforms show
beside the buildings on the map.

The map has both parks' boundaries, parcels and buildings (made-up outlines in GCJ-02 as Chinese maps
give them: in Shishan, Foshan, and near Tonghu, Huizhou), so the tenants of the buildings show as points.

Records are found by their codes and created when missing, so a second load changes nothing; the
leases are dated from the day of the load."""

from __future__ import annotations

import datetime
from decimal import Decimal

from zoneos.core import demo
from zoneos.enterprises.models import Enterprise, Status
from zoneos.pipeline import services as pipeline
from zoneos.pipeline.models import Project
from zoneos.pipeline.stages import StageCategory

from . import services, warnings
from .models import Building, Crs, Parcel, Shape, ShapeKind, Unit

PARK, OTHER_PARK, TONGHU = "FS-GX-NH", "FS-GX-SD", "HZ-ZK-TH-KC"
# Each park's first tenant, then its active enterprises by credit code.
NAMED_TENANTS = {
    PARK: "91440606MA55NH029N",  # 佛山南海精工装备有限公司 (enterprises.demo)
    TONGHU: "91441300MA4UTH014X",  # 惠州潼湖智联科技有限公司, the incubator platform's host
}
MATCHED_PROJECT = "DEMO-S001"
# (park, code, name, land use, size: 亩, or ("m2", m²), status)
PARCELS = [
    (PARK, "NH-2026-01", "狮山北片区工业地块", "industrial", 80, "reserve"),
    (PARK, "NH-2026-02", "科技大道东侧地块", "industrial", 52, "reserve"),
    (PARK, "NH-2026-03", "博爱湖研发用地", "rd", 35, "reserve"),
    (PARK, "NH-2025-07", "罗村智造产业园地块", "industrial", 120, "supplied"),
    (PARK, "NH-2023-02", "南海智造标准厂房地块", "industrial", 60, "built"),
    (OTHER_PARK, "SD-2026-01", "北滘工业地块", "industrial", 45, "reserve"),
    (TONGHU, "TH-2026-01", "潼湖科创园北区工业地块", "industrial", 68, "reserve"),
    (TONGHU, "TH-2026-02", "潼湖大道西侧研发用地", "rd", ("m2", 26680), "reserve"),
    (TONGHU, "TH-2025-03", "智联产业园地块", "industrial", 95, "supplied"),
    (TONGHU, "TH-2022-01", "潼湖科创园标准厂房地块", "industrial", 48, "built"),
    (TONGHU, "TH-2021-05", "潼湖孵化器用地", "rd", 22, "built"),
]
# (park, code, name, kind, floors, floor area, load, height, parcel code, completed)
BUILDINGS = [
    (PARK, "NH-A", "南海智造标准厂房A栋", "standard_factory", 5, 20000, "8.0", "4.5", "NH-2023-02",
     (2024, 6, 30)),
    (PARK, "NH-INC", "南海创新孵化器", "incubator", 8, 12000, "3.5", "3.8", None, (2022, 9, 1)),
    (TONGHU, "TH-A", "潼湖科创园标准厂房1号楼", "standard_factory", 4, 16000, "10.0", "6.0", "TH-2022-01",
     (2023, 12, 20)),
    (TONGHU, "TH-B", "潼湖科创园标准厂房2号楼", "standard_factory", 4, 12000, "8.0", "5.0", "TH-2022-01",
     (2024, 8, 31)),
    (TONGHU, "TH-INC", "潼湖科技企业孵化器大楼", "incubator", 10, 15000, "3.5", "4.0", "TH-2021-05",
     (2021, 10, 15)),
]  # fmt: skip
# building code -> [(unit code, floor, area, own load, own height)]
UNITS = {
    "NH-A": [
        ("1F-A", 1, 2000, "15.0", "8.0"),
        ("1F-B", 1, 2000, "15.0", "8.0"),
        ("2F", 2, 4000, None, None),
        ("3F", 3, 4000, None, None),
        ("4F", 4, 4000, None, None),
        ("5F", 5, 4000, None, None),
    ],
    "NH-INC": [
        ("301", 3, 300, None, None),
        ("302", 3, 260, None, None),
        ("305", 3, 580, None, None),
        ("601", 6, 450, None, None),
        ("602", 6, 450, None, None),
        ("801", 8, 900, None, None),
    ],
    "TH-A": [
        ("1F", 1, 4000, "15.0", "7.5"),
        ("2F", 2, 4000, None, None),
        ("3F", 3, 4000, None, None),
        ("4F", 4, 4000, None, None),
    ],
    "TH-B": [
        ("1F-A", 1, 1500, "12.0", "6.5"),
        ("1F-B", 1, 1500, "12.0", "6.5"),
        ("2F", 2, 3000, None, None),
    ],
    "TH-INC": [
        ("201", 2, 400, None, None),
        ("202", 2, 350, None, None),
        ("501", 5, 600, None, None),
        ("502", 5, 300, None, None),
        ("801", 8, 800, None, None),
        ("1001", 10, 1200, None, None),
    ],
}
# park -> [(building, unit, months since the lease began, its length in months, rent per m² a month in
# yuan)], one per tenant in the park's order; None as the length: ends in 40 days (the lease the park's
# staff are warned of).
LEASES = {
    PARK: [
        ("NH-A", "1F-B", 14, 60, 26),
        ("NH-A", "2F", 30, 60, 22),
        ("NH-A", "3F", 8, 36, 22),
        ("NH-INC", "301", 22, None, 45),
        ("NH-INC", "302", 5, 24, 48),
        ("NH-INC", "601", 11, 36, 42),
    ],
    TONGHU: [  # the incubator's host, the maker space's, the engineering centre's, the pilot base's...
        ("TH-INC", "1001", 40, 60, 35),
        ("TH-INC", "501", 20, 36, 38),
        ("TH-A", "1F", 26, 60, 24),
        ("TH-A", "2F", 12, 60, 20),
        ("TH-INC", "201", 9, 24, 40),
        ("TH-INC", "202", 3, 24, 40),
    ],
}

# Made-up outlines, GCJ-02: a park's boundary ring, and (west, south, east, north) of a rectangle.
BOUNDARIES = {
    PARK: [(112.990, 23.100), (113.040, 23.100), (113.046, 23.122), (113.030, 23.140), (112.995, 23.136),
           (112.990, 23.100)],  # Shishan, Nanhai, Foshan
    TONGHU: [(114.205, 23.030), (114.252, 23.028), (114.262, 23.048), (114.246, 23.066), (114.210, 23.062),
             (114.205, 23.030)],  # near Tonghu, Huizhou
}  # fmt: skip
PARCEL_BOXES = {
    "NH-2026-01": (112.996, 23.124, 113.010, 23.134),
    "NH-2026-02": (113.014, 23.124, 113.026, 23.134),
    "NH-2026-03": (113.030, 23.106, 113.040, 23.118),
    "NH-2025-07": (112.996, 23.104, 113.012, 23.118),
    "NH-2023-02": (113.015, 23.104, 113.027, 23.118),
    "TH-2026-01": (114.212, 23.050, 114.228, 23.060),
    "TH-2026-02": (114.232, 23.050, 114.242, 23.058),
    "TH-2025-03": (114.211, 23.033, 114.226, 23.045),
    "TH-2022-01": (114.230, 23.033, 114.243, 23.045),
    "TH-2021-05": (114.246, 23.036, 114.254, 23.044),
}
BUILDING_BOXES = {
    "NH-A": (113.017, 23.107, 113.025, 23.113),
    "NH-INC": (113.029, 23.122, 113.034, 23.127),
    "TH-A": (114.232, 23.035, 114.241, 23.039),
    "TH-B": (114.232, 23.040, 114.241, 23.044),
    "TH-INC": (114.247, 23.037, 114.253, 23.043),
}


def _box(west, south, east, north) -> dict:
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Polygon", "coordinates": [ring]}


def _shapes(ctx, parcels, buildings) -> None:
    for code, ring in BOUNDARIES.items():
        park = ctx.areas.get(code)
        if park is None or Shape.objects.filter(area=park, kind=ShapeKind.BOUNDARY).exists():
            continue
        services.create_shape(
            by=ctx.by,
            area=park,
            kind=ShapeKind.BOUNDARY,
            name=park.name,
            geometry={"type": "Polygon", "coordinates": [[list(p) for p in ring]]},
            crs=Crs.GCJ02,
        )
        ctx.created += 1
    for kind, boxes, records in (("parcel", PARCEL_BOXES, parcels), ("building", BUILDING_BOXES, buildings)):
        for code, box in boxes.items():
            record = records.get(code)
            if record is None or Shape.objects.filter(**{kind: record}).exists():
                continue
            services.create_shape(
                by=ctx.by, area=record.area, kind=kind, geometry=_box(*box), crs=Crs.GCJ02, **{kind: record}
            )
            ctx.created += 1


def _months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return datetime.date(year, month, min(day.day, 28))


RENOVATION_PROJECT = "南海创新孵化器提升改造工程"


def _renovation(ctx, buildings, today: datetime.date) -> None:
    """The incubator renovated as a key project of this year (8,000 of its 12,000 m² made research
    space), reported monthly so that its progress shows beside the building."""
    from zoneos.supervision import services as supervision
    from zoneos.supervision.models import KeyProject

    park, building = ctx.areas[PARK], buildings["NH-INC"]
    project = KeyProject.objects.filter(year=today.year, area=park, name=RENOVATION_PROJECT).first()
    if project is None:
        plan, start = Decimal("60000000"), datetime.date(today.year, 3, 1)
        project = supervision.create_key_project(
            by=ctx.by,
            year=today.year,
            name=RENOVATION_PROJECT,
            area=park,
            kind="new_start",
            total_investment=Decimal("90000000"),
            annual_plan=plan,
            planned_start=start,
            planned_completion=datetime.date(today.year + 1, 6, 30),
            actual_start=start if today >= start else None,
        )
        first = supervision.locked_through(project) + 1
        for month in range(max(first, 3), today.month):
            supervision.submit_report(
                project,
                by=ctx.by,
                month=f"{today.year}-{month:02d}",
                completed=(plan / 12 * Decimal("0.9")).quantize(Decimal("0.01")),
                funds_in_place=(plan / 12 * Decimal("0.8")).quantize(Decimal("0.01")),
                progress_note="原厂房结构加固、外立面和机电改造",
            )
        ctx.created += 1
    if not building.renovations.filter(key_project=project).exists():
        services.create_renovation(
            building,
            by=ctx.by,
            key_project=project,
            floor_area_m2=Decimal("8000"),
            purpose="research",
            notes="旧厂房改造为科研和中试空间",
        )
        ctx.created += 1


@demo.step(order=75)
def load_space(ctx: demo.DemoContext) -> None:
    today = pipeline.today()
    parcels = _parcels(ctx)
    buildings = _buildings(ctx, parcels)
    units = _units(ctx, buildings)
    _leases(ctx, units, today)
    _shapes(ctx, parcels, buildings)
    _project(ctx)
    _renovation(ctx, buildings, today)
    ctx.created += warnings.sweep(today)["warned"]


def _supplied_to(park) -> Project | None:
    """A demo project of the park that has secured its land, for the park's supplied parcel (or none)."""
    return (
        Project.objects.in_subtree(park)
        .filter(code__startswith="DEMO-", stage=StageCategory.LAND_SECURED)
        .order_by("code")
        .first()
    )


def _parcels(ctx) -> dict:
    found = {}
    for park, code, name, use, size, status in PARCELS:
        area = ctx.areas.get(park)
        if area is None:
            continue
        parcel = Parcel.objects.filter(area=area, code=code).first()
        if parcel is None:
            measure = {"area_m2": Decimal(size[1])} if isinstance(size, tuple) else {"area_mu": Decimal(size)}
            parcel = services.create_parcel(
                by=ctx.by,
                area=area,
                code=code,
                name=name,
                land_use=use,
                status=status,
                plot_ratio=Decimal("2.0") if use == "industrial" else Decimal("3.5"),
                project=_supplied_to(area) if status == "supplied" else None,
                **measure,
            )
            ctx.created += 1
        found[code] = parcel
    return found


def _buildings(ctx, parcels) -> dict:
    found = {}
    for park, code, name, kind, floors, m2, load, height, parcel, completed in BUILDINGS:
        area = ctx.areas.get(park)
        if area is None:
            continue
        building = Building.objects.filter(area=area, code=code).first()
        if building is None:
            building = services.create_building(
                by=ctx.by,
                area=area,
                code=code,
                name=name,
                kind=kind,
                floors=floors,
                floor_area_m2=Decimal(m2),
                floor_load_kn=Decimal(load),
                clear_height_m=Decimal(height),
                parcel=parcels.get(parcel),
                completed_on=datetime.date(*completed),
            )
            ctx.created += 1
        found[code] = building
    return found


def _units(ctx, buildings) -> dict:
    found = {}
    for building_code, rows in UNITS.items():
        building = buildings.get(building_code)
        if building is None:
            continue
        for code, floor, m2, load, height in rows:
            unit = Unit.objects.filter(building=building, code=code).first()
            if unit is None:
                unit = services.create_unit(
                    building,
                    by=ctx.by,
                    code=code,
                    floor=floor,
                    floor_area_m2=Decimal(m2),
                    floor_load_kn=Decimal(load) if load else None,
                    clear_height_m=Decimal(height) if height else None,
                )
                ctx.created += 1
            found[(building_code, code)] = unit
    return found


def _tenants(park) -> list[Enterprise]:
    """The park's named tenant first, then its active enterprises by credit code."""
    named = NAMED_TENANTS.get(park.code, "")
    tenants = list(Enterprise.objects.filter(uscc=named)) if named else []
    others = Enterprise.objects.filter(area=park, status=Status.ACTIVE).exclude(uscc=named).order_by("uscc")
    return tenants + list(others[: len(LEASES[park.code]) - len(tenants)])


def _leases(ctx, units, today) -> None:
    for park_code, rows in LEASES.items():
        park = ctx.areas.get(park_code)
        if park is None:
            continue
        for row, tenant in zip(rows, _tenants(park), strict=False):
            building_code, unit_code, since, length, rent = row
            unit = units[(building_code, unit_code)]
            if unit.leases.exists():
                continue
            starts_on = _months(today, -since)
            ends_on = today + datetime.timedelta(days=40) if length is None else _months(starts_on, length)
            services.create_lease(
                unit,
                by=ctx.by,
                tenant=tenant,
                starts_on=starts_on,
                ends_on=ends_on,
                monthly_rent=(unit.floor_area_m2 * rent).quantize(Decimal("1")),
            )
            ctx.created += 1


def _project(ctx) -> None:
    """A lead whose needs the park can meet: 50 亩 (NH-2026-02 and NH-2026-01 fit, smallest first; the
    35 亩 parcel, Shunde's 45 亩 and the supplied one do not) and a ground-floor bay (1F-A)."""
    if Project.objects.filter(code=MATCHED_PROJECT).exists():
        return
    pipeline.create_project(
        by=ctx.by,
        code=MATCHED_PROJECT,
        name="精密数控装备华南生产基地项目",
        area=ctx.areas[PARK],
        investor_name="苏州精研数控装备股份有限公司",
        industry_code="3421",
        total_investment=Decimal("850000000"),
        land_mu=Decimal("50"),
        floor_space_m2=Decimal("1500"),
        floor_load=Decimal("10"),
        clear_height=Decimal("6"),
    )
    ctx.created += 1
