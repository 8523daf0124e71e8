"""The test world's records of the innovation apps (research projects, the whitelist, platforms,
talents and funds, future industries), for `world.build_world`; kept apart so that each module stays
readable. See `world`'s docstring for what each key holds."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .world import World


def research(w: World) -> None:
    """For the permission matrix: see the module's docstring (RG1-RG3, RP1-RP5, RV1-RV3, EX1-EX3, AJ1-AJ2)."""
    import datetime
    from decimal import Decimal

    from zoneos.research.models import (
        BudgetAdjustment,
        BudgetLine,
        Expenditure,
        Programme,
        ResearchProject,
        Reviewer,
    )

    for key, area in (("RG1", w.Z1), ("RG2", w.Z2), ("RG3", w.Z1)):
        w.records[key] = Programme.objects.create(
            area=area, code=key, name=f"{key}科技计划", year=2025, frozen=["equipment"]
        )
    budget = {"equipment": 400000, "materials": 300000, "labour": 200000, "indirect": 100000}
    rows = (
        ("RP1", w.RG1, w.P1, w.E1, "contracted"),
        ("RP2", w.RG2, w.P3, w.E2, "contracted"),
        ("RP3", w.RG1, w.P1, None, "application"),
        ("RP4", w.RG1, w.P1, w.E1, "evaluation"),
        ("RP5", w.RG2, w.P3, w.E2, "evaluation"),
    )
    for key, programme, area, enterprise, status in rows:
        w.records[key] = project = ResearchProject.objects.create(
            programme=programme,
            area=area,
            code=key,
            title=f"{key}关键技术研究",
            enterprise=enterprise,
            institution="" if enterprise else "一号大学",
            partners=[{"name": "香港科技大学", "region": "hk"}],
            pi_name="张研究员",
            starts_on=datetime.date(2025, 1, 1),
            ends_on=datetime.date(2027, 12, 31),
            status=status,
        )
        for category, amount in budget.items():
            BudgetLine.objects.create(project=project, category=category, amount=Decimal(amount))
    for key, project in (("RV1", w.RP4), ("RV2", w.RP5), ("RV3", w.RP4)):
        w.records[key] = Reviewer.objects.create(project=project, name=f"{key}专家", organisation="某大学")
    for key, project, category in (
        ("EX1", w.RP1, "materials"),
        ("EX2", w.RP2, "materials"),
        ("EX3", w.RP1, "labour"),
    ):
        w.records[key] = Expenditure.objects.create(
            project=project,
            category=category,
            amount=Decimal("50000.00") if key != "EX3" else Decimal("10000.00"),
            spent_on=datetime.date(2025, 3, 1),
            description="实验耗材",
            voucher_no=f"PZ-{key}",
        )
    for key, project in (("AJ1", w.RP1), ("AJ2", w.RP2)):
        w.records[key] = BudgetAdjustment.objects.create(
            project=project,
            from_category="materials",
            to_category="labour",
            amount=Decimal("10000.00"),
            reason="增聘研究助理",
            status="effective",
            requested_by=w.root,
            requested_on=datetime.date(2025, 6, 1),
        )


def whitelist(w: World) -> None:
    """For the permission matrix: entities WE1, WE2, WE3; applications WA1 (E1's draft in P1 with items
    WI1 and WI3), WA3 (E1's empty draft), WA4 (E1's approved, item WI4 with movements WM1 and WM3); E2's
    draft WA2 (item WI2) and approved WA5 (item WI5 with movement WM2) in P3."""
    import datetime
    from decimal import Decimal

    from django.utils import timezone

    from zoneos.whitelist.models import Entity, Item, Movement, WhitelistApplication

    for key, enterprise in (("WE1", w.E1), ("WE2", w.E2), ("WE3", w.E1)):
        w.records[key] = Entity.objects.create(
            area=enterprise.area,
            enterprise=enterprise,
            name=f"{key}研究员",
            region="HK",
            id_number=f"H{key}12345",
        )
    until = timezone.localdate() + datetime.timedelta(days=365)
    approved = {
        "status": "approved",
        "approval_number": "HT-2025-001",
        "valid_from": datetime.date(2025, 1, 1),
    }
    for key, enterprise, extra in (
        ("WA1", w.E1, {}),
        ("WA3", w.E1, {}),
        ("WA4", w.E1, {**approved, "valid_to": until}),
        ("WA2", w.E2, {}),
        ("WA5", w.E2, {**approved, "valid_to": until}),
    ):
        w.records[key] = WhitelistApplication.objects.create(
            area=enterprise.area, enterprise=enterprise, project="深港联合实验室", **extra
        )
    w.WA1.entities.add(w.WE1)
    for key, application in (("WI1", w.WA1), ("WI3", w.WA1), ("WI4", w.WA4), ("WI2", w.WA2), ("WI5", w.WA5)):
        w.records[key] = Item.objects.create(
            application=application,
            category="equipment",
            name=f"{key}质谱仪",
            hs_code="9027201000",
            quantity=Decimal("100"),
            unit="台",
            value=Decimal("1500000.00"),
            approved_quantity=Decimal("100") if application.status == "approved" else None,
        )
    for key, item, quantity in (("WM1", w.WI4, "10"), ("WM3", w.WI4, "5"), ("WM2", w.WI5, "10")):
        w.records[key] = Movement.objects.create(
            item=item, direction="in", on=datetime.date(2025, 6, 1), quantity=Decimal(quantity)
        )


def platforms_talents_funds(w: World) -> None:
    """For the permission matrix: the platforms, talents and funds named in the module's docstring."""
    import datetime
    from decimal import Decimal

    from zoneos.innovation.models import (
        Exit,
        Fund,
        Investment,
        Platform,
        PlatformYear,
        Talent,
        TalentService,
        TalentTeam,
    )

    day = datetime.date
    for key, area, host, kind in (("IP1", w.P1, w.E1, "incubator"), ("IP2", w.P3, w.E2, "incubator")):
        w.records[key] = Platform.objects.create(
            area=area,
            name=f"{key}科技企业孵化器",
            kind=kind,
            level="provincial",
            host_enterprise=host,
            recognised_on=day(2024, 1, 1),
            valid_to=day(2029, 12, 31),
        )
    w.records["IP3"] = Platform.objects.create(
        area=w.P1, name="IP3重点实验室", kind="key_lab", level="municipal", host_kind="university",
        host_name="示范大学",
    )  # fmt: skip
    for key, platform, year in (("PY1", w.IP1, 2024), ("PY2", w.IP2, 2024), ("PY3", w.IP3, 2024)):
        w.records[key] = PlatformYear.objects.create(
            platform=platform, year=year, rd_staff=20, incubated=30, graduated=4, occupancy=Decimal("0.85")
        )
    for key, enterprise in (("TT1", w.E1), ("TT2", w.E2), ("TT3", w.E1)):
        w.records[key] = TalentTeam.objects.create(
            enterprise=enterprise, name=f"{key}创新团队", level="provincial"
        )
    for key, enterprise, team in (("TA1", w.E1, w.TT1), ("TA2", w.E2, w.TT2), ("TA3", w.E1, None)):
        w.records[key] = Talent.objects.create(
            enterprise=enterprise, team=team, name=f"{key}博士", category="provincial"
        )
    for key, enterprise, talent, team in (
        ("TS1", w.E1, w.TA1, None),
        ("TS2", w.E2, w.TA2, None),
        ("TS3", w.E1, None, w.TT1),
    ):
        w.records[key] = TalentService.objects.create(
            enterprise=enterprise, talent=talent, team=team, kind="housing", received_on=day(2025, 3, 1)
        )
    for key, area, kind in (("FD1", w.Z1, "industry"), ("FD2", w.Z2, "industry"), ("FD3", w.Z1, "guidance")):
        w.records[key] = Fund.objects.create(
            area=area,
            name=f"{key}产业基金",
            kind=kind,
            size=Decimal("1000000000.00"),
            manager="示范基金管理有限公司",
            government_share=Decimal("0.30"),
        )
    w.FD1.focus_chains.add(w.CN1)
    for key, fund, enterprise in (("FI1", w.FD1, w.E1), ("FI2", w.FD2, w.E2), ("FI3", w.FD1, w.E1)):
        w.records[key] = Investment.objects.create(
            fund=fund,
            enterprise=enterprise,
            round="a",
            amount=Decimal("10000000.00"),
            invested_on=day(2025, 1, 15),
            stake=Decimal("0.10"),
        )
    for key, investment, amount in (("FX1", w.FI1, 2), ("FX2", w.FI2, 2), ("FX3", w.FI1, 1)):
        w.records[key] = Exit.objects.create(
            investment=investment,
            exited_on=day(2026, 1, 10),
            amount=Decimal(amount * 1000000),
            proceeds=Decimal(amount * 1500000),
        )


def future(w: World) -> None:
    """For the permission matrix: future industries FU1, FU3 (Z1's own) and FU2 (Z2's); boards FB1 (Z1,
    FU1), FB2 (Z2, FU2), FB3 (Z1, quantum information from the shared list); proofs FP1 (FB1's pilot
    area P1), FP2 (FB2's pilot area P3), FP3 (FB1's plan: chain CN1); scenarios SC1 (P1, E1's), SC2 (P3,
    E2's), SC3 (P1, E1's)."""
    from zoneos.future.models import Board, FutureIndustry, Proof, Scenario

    for key, area in (("FU1", w.Z1), ("FU2", w.Z2), ("FU3", w.Z1)):
        w.records[key] = FutureIndustry.objects.create(
            code=key.lower(),
            name=f"{key}未来产业",
            name_en=f"Future industry {key}",
            area=area,
            keywords=["科技"],
        )
    if not FutureIndustry.objects.filter(code="quantum").exists():
        # The shared list a migration seeds is gone after a transactional test's flush: seed it again.
        import importlib

        from django.apps import apps

        importlib.import_module("zoneos.future.migrations.0002_shenzhen_eight").seed(apps, None)
    quantum = FutureIndustry.objects.get(code="quantum")
    for key, area, industry in (("FB1", w.Z1, w.FU1), ("FB2", w.Z2, w.FU2), ("FB3", w.Z1, quantum)):
        w.records[key] = Board.objects.create(area=area, industry=industry)
    for key, board, item, kind, record in (
        ("FP1", w.FB1, "pilot_area", "area", w.P1),
        ("FP2", w.FB2, "pilot_area", "area", w.P3),
        ("FP3", w.FB1, "plan", "chain", w.CN1),
    ):
        w.records[key] = Proof.objects.create(
            board=board, item=item, kind=kind, record_id=record.pk, title=str(record)
        )
    for key, area, owner, industry in (
        ("SC1", w.P1, w.E1, w.FU1),
        ("SC2", w.P3, w.E2, w.FU2),
        ("SC3", w.P1, w.E1, w.FU1),
    ):
        w.records[key] = Scenario.objects.create(
            area=area, owner_enterprise=owner, industry=industry, title=f"{key}应用场景", keywords=["科技"]
        )
