"""A chain for the tests: "新能源汽车" in zone Z1 of the named world with three links under one parent.

    CAR (parent)
    ├── BAT  battery cells: E1, A2, A3 active in P1 (A2 above designated size in 2025; E1, A3 high-tech),
    │        and D1, deregistered (never counted)
    ├── MOT  motors: S1, small, in P1; Q2 in P2 (seen by the zone's staff, not by P1's park staff)
    └── CHIP chips (a bottleneck): nothing

Hand computation for the zone's staff, defaults (3 enterprises of which 1 above designated size):
BAT strong (3, one above), MOT weak (2, none above), CHIP missing; leaf weights 1, 1, 2 (bottleneck);
gaps 0, 0.5, 2; gap score 2.5 / 4 = 0.6250. P1's park staff: MOT holds S1 only, still weak.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from zoneos.chains import services
from zoneos.enterprises.models import Status
from zoneos.enterprises.services import create_indicator
from zoneos.testing.factories import EnterpriseFactory, LabelFactory

YEAR = 2025


def build_chain(w):
    chain = services.create_chain(
        by=w.root, code="Z1-NEV", name="新能源汽车", name_en="New-energy vehicles", area=w.Z1
    )
    car = services.create_link(chain, by=w.root, code="CAR", name="整车", segment="downstream")
    links = {
        "BAT": services.create_link(
            chain,
            by=w.root,
            code="BAT",
            parent=car,
            name="动力电池",
            segment="midstream",
            industry_codes=["3841"],
        ),
        "MOT": services.create_link(
            chain, by=w.root, code="MOT", parent=car, name="驱动电机", segment="midstream"
        ),
        "CHIP": services.create_link(
            chain, by=w.root, code="CHIP", parent=car, name="车规芯片", segment="upstream", bottleneck=True
        ),
    }
    e = {
        "A2": EnterpriseFactory(area=w.P1, name="二号电池有限公司"),
        "A3": EnterpriseFactory(area=w.P1, name="三号电池有限公司"),
        "D1": EnterpriseFactory(area=w.P1, name="注销电池有限公司", status=Status.DEREGISTERED),
        "S1": EnterpriseFactory(area=w.P1, name="小电机有限公司"),
        "Q2": EnterpriseFactory(area=w.P2, name="二园电机有限公司"),
    }
    create_indicator(
        by=w.root,
        enterprise=e["A2"],
        year=YEAR,
        output_value=Decimal("300000000.00"),
        above_designated_size_set=True,
    )
    create_indicator(by=w.root, enterprise=e["A3"], year=YEAR, output_value=Decimal("12000000.00"))
    create_indicator(
        by=w.root,
        enterprise=e["D1"],
        year=YEAR,
        output_value=Decimal("500000000.00"),
        above_designated_size_set=True,
    )
    LabelFactory(enterprise=e["A3"], kind="high_tech", valid_from=datetime.date(2024, 6, 1))
    for enterprise in (w.E1, e["A2"], e["A3"], e["D1"]):
        services.place(link=links["BAT"], enterprise=enterprise, by=w.root)
    for enterprise in (e["S1"], e["Q2"]):
        services.place(link=links["MOT"], enterprise=enterprise, by=w.root)
    return chain, car, links, e
