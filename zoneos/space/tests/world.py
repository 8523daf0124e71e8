"""Space for the tests, on top of the named world (zoneos.testing.world): in zone Z1, park P1 holds the
world's PC1 (60 亩 in reserve), BD1 with UN1 (leased to E1 until 2027) and UN3 (vacant); here P1 also gets

    parcels  P1-50  50 亩 in reserve      (fits a 50 亩 need exactly)
             P1-49  49.99 亩 in reserve   (just too small)
             P1-90  90 亩, supplied        (large enough, but not in reserve)
             P2-55  55 亩 in reserve in P2 (the same zone: fits)
    building BD9 in P2: floors 3, 3,000 m², load 8 kN/m², height 6 m, with units
             G1  (ground, 1,500 m², its own load 15 and height 9)   vacant
             G2  (ground, 1,200 m²)                                   leased to E3 from today
             T1  (floor 3, 2,000 m²)                                  vacant

and Z2's PC2 (60 亩 in reserve, in P3) is outside the zone. A project needing 50 亩 gets P1-50, P2-55 and
PC1 in that order (smallest sufficient first).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from zoneos.space import services


def build_space(w):
    today = timezone.localdate()
    parcels = {
        "P1-50": (w.P1, "50", "reserve"),
        "P1-49": (w.P1, "49.99", "reserve"),
        "P1-90": (w.P1, "90", "supplied"),
        "P2-55": (w.P2, "55", "reserve"),
    }
    for code, (area, mu, status) in parcels.items():
        w.records[code] = services.create_parcel(
            by=w.root,
            area=area,
            code=code,
            area_mu=Decimal(mu),
            status=status,
            project=w.PR1 if status == "supplied" else None,
        )
    w.records["BD9"] = services.create_building(
        by=w.root,
        area=w.P2,
        code="BD9",
        name="二号园标准厂房",
        floors=3,
        floor_area_m2=Decimal("3000"),
        floor_load_kn=Decimal("8"),
        clear_height_m=Decimal("6"),
    )
    units = {
        "G1": (1, "1500", Decimal("15"), Decimal("9")),
        "G2": (1, "1200", None, None),
        "T1": (3, "2000", None, None),
    }
    for code, (floor, m2, load, height) in units.items():
        w.records[code] = services.create_unit(
            w.BD9,
            by=w.root,
            code=code,
            floor=floor,
            floor_area_m2=Decimal(m2),
            floor_load_kn=load,
            clear_height_m=height,
        )
    w.records["LG2"] = services.create_lease(
        w.G2,
        by=w.root,
        tenant=w.E3,
        starts_on=today,
        ends_on=today + datetime.timedelta(days=3 * 365),
        monthly_rent=Decimal("36000"),
    )
    return w
