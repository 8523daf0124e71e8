"""A small named world for tests: two zones, three parks, departments, enterprises, one user per role.

    Region R
    ├── Zone Z1 ── parks P1, P2; department D1 (handler), D3 (empty); enterprises E1, E3 in P1
    └── Zone Z2 ── park P3; department D2; enterprise E2 in P3

Projects: PR1 (a lead in P1) and PR2 (in P3), PR3 (a lead in P1, deletable), each of PR1 and PR2
with a follow-up (F1, F2); signing batches B1 (Z1) and B2 (Z2); planned industries G1 (Z1), G2 (Z2).

Key projects (2025): KP1 in P1, KP2 in P3, KP3 in P1 (no reports, deletable); month locks ML1 (Z1)
and ML2 (Z2) on 2024-12; evaluation schemes ES1 (Z1), ES2 (Z2) and signing targets ST1 (P1), ST2 (P3)
for 2025; supervision orders O1 and O3 (about KP1, to P1, open; O3 deletable) and O2 (KP2, to P3).
Briefing schedules BS1 (Z1), BS2 (Z2); requested (queued) briefings BR1 (P1), BR2 (P3).

Appeals: AP1 (E1, routed to D1, assigned) and AP2 (E2, routed to D2), received 2026-03-02 10:00;
routing rules RR1 (Z1 -> D1) and RR2 (Z2 -> D2); SLA policies SP1 (Z1), SP2 (Z2) beside the
platform's default; symposia SY1 (Z1), SY2 (Z2); visits V1 (to E1), V2 (to E2) by the service officer
and by root. Notification channels CH1 (Z1), CH2 (Z2).

Industrial chains: CN1 (Z1, links LK1 and LK3), CN2 (Z2, LK2), CN3 (Z1, empty) and the template TPL
(TL1); placements PL1 (E1 on LK1), PL2 (E2 on LK2), PL3 (E3 on LK1); targets CT1, CT3 (CN1), CT2 (CN2);
strength rules SR1 (Z1), SR2 (Z2), SR3 (Z1).

Space: parcels PC1 (P1, 60 亩 in reserve), PC2 (P3) and PC3 (P1, deletable); buildings BD1 (P1, on PC1),
BD2 (P3) and BD3 (P1, no units: deletable); units UN1 (BD1, 1,000 m²), UN2 (BD2) and UN3 (BD1, never
leased: deletable); leases LS1 (UN1 to E1, 2025-2027), LS2 (UN2 to E2) and LS3 (UN1 to E1 in 2028:
deletable).

Innovation points: systems IS1 (Z1, from 2025-01-01, one indicator), IS2 (Z2) and IS3 (Z1, from
2026-01-01: deletable); consents CS1 (E1 to 示范银行) and CS2 (E2 to the same bank).

Research projects: programmes RG1 (Z1: equipment may not rise, a PI moves 10 % alone, indirect costs at
most 20 %), RG2 (Z2) and RG3 (Z1, no projects: deletable); projects RP1 (P1, undertaken by E1, contract
signed, 2025-2027, budget 1,000,000 yuan: equipment 400,000, materials 300,000, labour 200,000, indirect
100,000) and RP2 (P3, E2, the same), RP3 (P1, an institution's application: deletable), RP4 (P1, E1, in
expert evaluation) and RP5 (P3, in evaluation); reviewers RV1 and RV3 (RP4; RV3 deletable) and RV2 (RP5);
expenditures EX1 (RP1, materials 50,000 on 2025-03-01), EX2 (RP2) and EX3 (RP1, labour: deletable);
adjustments AJ1 (RP1, 10,000 from materials to labour, in effect) and AJ2 (RP2).
Cross-border whitelist: entities WE1 (E1's Hong Kong researcher, P1), WE2 (E2's, P3) and WE3 (E1's, named
nowhere: deletable); applications WA1 (E1's draft in P1, items WI1 and WI3, WI3 deletable), WA3 (E1's
empty draft: deletable), WA4 (E1's, approved from 2025-01-01 for a year beyond today: item WI4 of 100,
movements WM1 in 10 and WM3 in 5); in P3, E2's draft WA2 (item WI2) and WA5 approved like WA4 (item WI5,
movement WM2).
Innovation platforms: IP1 (P1, a provincial incubator hosted by E1), IP2 (P3) and IP3 (P1, a university's
key laboratory: deletable), with yearly figures PY1 (IP1, 2024), PY2 (IP2, 2024) and PY3 (IP3, 2024:
deletable). Talent teams TT1 (E1), TT2 (E2), TT3 (E1, nobody in it: deletable); talents TA1 (E1, in
TT1), TA2 (E2), TA3 (E1: deletable); services received TS1 (TA1), TS2 (TA2), TS3 (TT1: deletable).
Funds FD1 (Z1, an industry fund of 1 billion yuan focused on CN1), FD2 (Z2) and FD3 (Z1, a guidance fund
with no investment: deletable); investments FI1 (FD1 in E1, 10 million yuan), FI2 (FD2 in E2) and FI3
(FD1 in E1 again, no exit: deletable; E3 stays free of records); exits FX1 (from FI1, 2 million),
FX2 (FI2) and FX3 (FI1, 1 million: deletable).
Future industries: Z1's own industries FU1 and FU3 (deletable), Z2's FU2; "Ten Ones" boards FB1 (Z1, FU1),
FB2 (Z2, FU2) and FB3 (Z1, the shared quantum information: deletable); proofs FP1 (FB1's pilot area: P1),
FP2 (FB2's: P3) and FP3 (FB1's plan: the chain CN1, deletable); application scenarios SC1 (P1, owned by
E1, looking for 科技), SC2 (P3, E2) and SC3 (P1, E1, open and unmatched: deletable).

Policy money: items PI1 (Z1, department D1) and PI2 (Z2, D2) with 2025 budgets BU1, BU2 (and BU3 of PI3,
another Z1 item, deletable), and draft applications PA1 (E1 for PI1) and PA2 (E2 for PI2).

E1 and E2 each have a label (L1, L2) and 2024 figures (I1, I2); Z1 and Z2 each have a year lock on 2020
(K1, K2) and a target (T1, T2). E3 has nothing attached, so it can be deleted.

Area roles hold their membership on Z1, park staff on P1, the handler in D1, the enterprise user on
E1. "stranger" has no membership, "root" is a superuser. Everything in Z2 is out of everyone's scope
(but root's).
"""

from dataclasses import dataclass, field

from zoneos.areas.models import AreaKind
from zoneos.core.roles import Role

from . import world_innovation
from .factories import (
    AreaFactory,
    DepartmentFactory,
    EnterpriseFactory,
    IndicatorFactory,
    LabelFactory,
    MembershipFactory,
    TargetFactory,
    UserFactory,
    YearLockFactory,
    make_project,
)

ROLE_USERS = [r.value for r in Role]
ALL_USERS = [*ROLE_USERS, "stranger", "root"]


@dataclass
class World:
    areas: dict = field(default_factory=dict)
    departments: dict = field(default_factory=dict)
    enterprises: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)
    records: dict = field(default_factory=dict)

    def __getattr__(self, name):
        # Read the bags from __dict__: a copy (copy.deepcopy) asks for attributes before it has them.
        for bag in ("areas", "departments", "enterprises", "users", "records"):
            if name in self.__dict__.get(bag, ()):
                return self.__dict__[bag][name]
        raise AttributeError(name)


def build_world() -> World:
    _working_day_calendar()
    w = World()
    w.areas["R"] = AreaFactory(code="R", name="测试省", kind=AreaKind.REGION)
    w.areas["Z1"] = AreaFactory(code="Z1", name="一号高新区", kind=AreaKind.ZONE, parent=w.R)
    w.areas["Z2"] = AreaFactory(code="Z2", name="二号高新区", kind=AreaKind.ZONE, parent=w.R)
    w.areas["P1"] = AreaFactory(code="P1", name="一号园", parent=w.Z1)
    w.areas["P2"] = AreaFactory(code="P2", name="二号园", parent=w.Z1)
    w.areas["P3"] = AreaFactory(code="P3", name="三号园", parent=w.Z2)
    w.departments["D1"] = DepartmentFactory(area=w.Z1, name="企业服务中心")
    w.departments["D2"] = DepartmentFactory(area=w.Z2, name="企业服务中心")
    w.departments["D3"] = DepartmentFactory(area=w.Z1, name="规划建设局")
    w.enterprises["E1"] = EnterpriseFactory(area=w.P1, name="一号科技有限公司")
    w.enterprises["E2"] = EnterpriseFactory(area=w.P3, name="三号科技有限公司")
    w.enterprises["E3"] = EnterpriseFactory(area=w.P1, name="一号园新设企业")
    for role in ROLE_USERS:
        user = UserFactory(username=role)
        target = {"area": w.Z1}
        if role == Role.PARK_STAFF:
            target = {"area": w.P1}
        elif role == Role.HANDLER:
            target = {"department": w.D1}
        elif role == Role.ENTERPRISE:
            target = {"enterprise": w.E1}
        MembershipFactory(user=user, role=role, **target)
        w.users[role] = user
    w.users["stranger"] = UserFactory(username="stranger")
    w.users["root"] = UserFactory(username="root", is_superuser=True, is_staff=True)
    # People to look at: one who works in P1, one who works in P3.
    w.users["colleague"] = UserFactory(username="colleague")
    w.users["outsider"] = UserFactory(username="outsider")
    MembershipFactory(user=w.colleague, role=Role.PARK_STAFF, area=w.P1)
    MembershipFactory(user=w.outsider, role=Role.PARK_STAFF, area=w.P3)
    w.records["L1"] = LabelFactory(enterprise=w.E1)
    w.records["L2"] = LabelFactory(enterprise=w.E2)
    w.records["I1"] = IndicatorFactory(enterprise=w.E1)
    w.records["I2"] = IndicatorFactory(enterprise=w.E2)
    _statistics()
    w.records["K1"] = YearLockFactory(area=w.Z1, locked_by=w.root)
    w.records["K2"] = YearLockFactory(area=w.Z2, locked_by=w.root)
    w.records["T1"] = TargetFactory(area=w.Z1)
    w.records["T2"] = TargetFactory(area=w.Z2)
    _pipeline(w)
    _supervision(w)
    _reports(w)
    _appeals(w)
    _notification_channels(w)
    _policy_money(w)
    _chains(w)
    _space(w)
    _innovation(w)
    world_innovation.research(w)
    world_innovation.whitelist(w)
    world_innovation.platforms_talents_funds(w)
    world_innovation.future(w)
    return w


def _policy_money(w: World) -> None:
    """Policy items PI1 (a Z1 award handled by D1) and PI2 (Z2, D2), their 2025 budgets BU1 and BU2 and
    BU3 (PI3, a second Z1 item without a department, 2025, nothing committed: deletable), and a
    draft application of each zone's enterprise for 2025: PA1 (E1 for PI1) and PA2 (E2 for PI2)."""
    from decimal import Decimal

    from zoneos.policies.models import Budget, Policy, PolicyApplication, PolicyItem

    for key, area, department, code in (("PI1", w.Z1, w.D1, "T-AWARD-1"), ("PI2", w.Z2, w.D2, "T-AWARD-2")):
        policy = Policy.objects.create(title=f"{area.name}研发投入奖补", area=area, category="award")
        w.records[key] = PolicyItem.objects.create(
            policy=policy, code=code, name="研发投入奖补", department=department, payment_days=60
        )
    w.records["PI3"] = PolicyItem.objects.create(policy=w.PI1.policy, code="T-AWARD-3", name="首次入规奖励")
    for key, item, year in (("BU1", w.PI1, 2025), ("BU2", w.PI2, 2025), ("BU3", w.PI3, 2025)):
        w.records[key] = Budget.objects.create(item=item, year=year, amount=Decimal("1000000.00"))
    for key, item, enterprise in (("PA1", w.PI1, w.E1), ("PA2", w.PI2, w.E2)):
        w.records[key] = PolicyApplication.objects.create(
            item=item,
            enterprise=enterprise,
            year=2025,
            requested_amount=Decimal("300000.00"),
            created_by=w.root,
        )


def _notification_channels(w: World) -> None:
    from zoneos.notifications.models import Channel

    for key, area in (("CH1", w.Z1), ("CH2", w.Z2)):
        w.records[key] = Channel.objects.create(
            area=area,
            name="值班群",
            kind="wecom",
            address="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=test",
            events=["overdue"],
        )


def _appeals(w: World) -> None:
    import datetime
    from zoneinfo import ZoneInfo

    from zoneos.appeals import services
    from zoneos.appeals.models import Category, RoutingRule, Symposium, Visit

    _default_sla_policy()
    w.records["RR1"] = RoutingRule.objects.create(area=w.Z1, department=w.D1)
    w.records["RR2"] = RoutingRule.objects.create(area=w.Z2, department=w.D2)
    rules = [{"category": c, "sign_for_hours": "2.0", "reply_days": 4} for c in Category.values]
    for key, area in (("SP1", w.Z1), ("SP2", w.Z2)):
        w.records[key] = services.save_policy(
            by=w.root, area=area, name="时限", valid_from=datetime.date(2026, 1, 1), rules=rules
        )
    received = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    for key, enterprise in (("AP1", w.E1), ("AP2", w.E2)):
        w.records[key] = services.submit(
            by=w.root,
            enterprise=enterprise,
            category=Category.HELP,
            channel="hotline",
            title="用电扩容",
            description="申请增加变压器容量",
            received_at=received,
        )
    for key, area in (("SY1", w.Z1), ("SY2", w.Z2)):
        w.records[key] = Symposium.objects.create(
            area=area, title="政企座谈会", held_on=datetime.date(2026, 3, 1), created_by=w.root
        )
    w.records["V1"] = Visit.objects.create(
        enterprise=w.E1, officer=w.service_officer, visited_on=datetime.date(2026, 3, 1), summary="走访"
    )
    w.records["V2"] = Visit.objects.create(
        enterprise=w.E2, officer=w.root, visited_on=datetime.date(2026, 3, 1), summary="走访"
    )


def _default_sla_policy() -> None:
    """The shipped deadline policy, loaded by a migration; again after a browser test's flush."""
    import importlib

    from django.apps import apps

    from zoneos.appeals.models import SlaPolicy

    if not SlaPolicy.objects.filter(area__isnull=True).exists():
        seed = importlib.import_module("zoneos.appeals.migrations.0002_default_sla_policy")
        seed.add_default(apps, None)


def _working_day_calendar() -> None:
    """The calendar a migration seeds is gone after a transactional test (browser tests) flushes the
    tables: load it again from the committed holiday file, as `manage.py seed_workdays` does."""
    from zoneos.workdays.models import CalendarYear
    from zoneos.workdays.seed import seed

    if not CalendarYear.objects.exists():
        seed()


def _statistics() -> None:
    """The factories write figures and labels without the services: build the rollup the services
    keep from them, as the migration does for existing data."""
    from zoneos.stats.services import refresh

    refresh(None)


def _supervision(w: World) -> None:
    import datetime
    from decimal import Decimal

    from zoneos.supervision.models import (
        EvaluationScheme,
        KeyProject,
        MonthLock,
        OrderEvent,
        SigningTarget,
        SupervisionOrder,
    )
    from zoneos.supervision.services import refresh_figures

    def key_project(area, name):
        return KeyProject.objects.create(
            year=2025, name=name, area=area, kind="continuing", annual_plan=Decimal("1200000000.00")
        )

    w.records["KP1"] = key_project(w.P1, "一号园重点项目")
    w.records["KP2"] = key_project(w.P3, "三号园重点项目")
    w.records["KP3"] = key_project(w.P1, "一号园待删项目")
    refresh_figures([w.KP1, w.KP2, w.KP3])
    w.records["ML1"] = MonthLock.objects.create(area=w.Z1, year=2024, month=12, locked_by=w.root)
    w.records["ML2"] = MonthLock.objects.create(area=w.Z2, year=2024, month=12, locked_by=w.root)
    weights = {"weight_completion": 40, "weight_start": 20, "weight_funds": 20, "weight_signing": 20}
    w.records["ES1"] = EvaluationScheme.objects.create(area=w.Z1, year=2025, **weights)
    w.records["ES2"] = EvaluationScheme.objects.create(area=w.Z2, year=2025, **weights)
    w.records["ST1"] = SigningTarget.objects.create(area=w.P1, year=2025, projects=6)
    w.records["ST2"] = SigningTarget.objects.create(area=w.P3, year=2025, projects=6)

    def order(project, area, subject):
        made = SupervisionOrder.objects.create(
            key_project=project,
            to_area=area,
            subject=subject,
            issued_on=datetime.date(2025, 3, 3),
            deadline_days=5,
            due_on=datetime.date(2025, 3, 10),
            issued_by=w.root,
        )
        OrderEvent.objects.create(order=made, to_status="open", by=w.root)
        return made

    w.records["O1"] = order(w.KP1, w.P1, "加快施工进度")
    w.records["O2"] = order(w.KP2, w.P3, "三号园督办")
    w.records["O3"] = order(w.KP1, w.P1, "误发督办")


def _reports(w: World) -> None:
    from zoneos.reports.models import Briefing, BriefingSchedule

    for key, area in (("BS1", w.Z1), ("BS2", w.Z2)):
        w.records[key] = BriefingSchedule.objects.create(
            area=area, day_of_month=5, formats=["pdf"], created_by=w.root
        )
    for key, area in (("BR1", w.P1), ("BR2", w.P3)):
        w.records[key] = Briefing.objects.create(
            area=area, year=2025, month=3, format="xlsx", requested_by=w.root
        )


def _pipeline(w: World) -> None:
    import datetime

    from zoneos.pipeline.models import FollowUp, IndustryGroup, SigningBatch

    w.records["PR1"] = make_project(w.P1, name="一号园项目", investor_name="甲方科技有限公司")
    w.records["PR2"] = make_project(w.P3, name="三号园项目", investor_name="乙方科技有限公司")
    w.records["PR3"] = make_project(w.P1, name="一号园新线索", investor_name="丙方科技有限公司")
    w.records["F1"] = FollowUp.objects.create(
        project=w.PR1, kind="visit", on=datetime.date(2025, 3, 2), summary="拜访"
    )
    w.records["F2"] = FollowUp.objects.create(
        project=w.PR2, kind="visit", on=datetime.date(2025, 3, 2), summary="拜访"
    )
    w.records["B1"] = SigningBatch.objects.create(
        area=w.Z1, name="一号区签约", held_on=datetime.date(2025, 6, 1)
    )
    w.records["B2"] = SigningBatch.objects.create(
        area=w.Z2, name="二号区签约", held_on=datetime.date(2025, 6, 1)
    )
    w.records["G1"] = IndustryGroup.objects.create(
        zone=w.Z1, name="电子信息", category="pillar", codes=["39"]
    )
    w.records["G2"] = IndustryGroup.objects.create(
        zone=w.Z2, name="电子信息", category="pillar", codes=["39"]
    )


def _chains(w: World) -> None:
    """For the permission matrix: chains CN1 (Z1, with links LK1 and LK3, nothing below LK3) and CN2 (Z2,
    link LK2), CN3 (Z1, empty: deletable) and the template TPL (link TL1); placements PL1 (E1 on LK1,
    in P1), PL2 (E2 on LK2, in P3) and PL3 (E3 on LK1: deletable); strength rules SR1 (Z1), SR2 (Z2)
    and SR3 (Z1, a later day: deletable); targets CT1 (CN1, fits LK1), CT2 (CN2) and CT3 (CN1: deletable)."""
    import datetime

    from zoneos.chains.models import Candidate, Chain, Link, Placement, StrengthRule

    for key, area in (("CN1", w.Z1), ("CN2", w.Z2), ("CN3", w.Z1), ("TPL", None)):
        w.records[key] = Chain.objects.create(code=f"T-{key}", name=f"{key}产业链", area=area)
    for key, chain in (("LK1", w.CN1), ("LK2", w.CN2), ("LK3", w.CN1), ("TL1", w.TPL)):
        w.records[key] = Link.objects.create(chain=chain, code=key, name=f"{key}环节", segment="midstream")
    for key, link, enterprise in (("PL1", w.LK1, w.E1), ("PL2", w.LK2, w.E2), ("PL3", w.LK1, w.E3)):
        w.records[key] = Placement.objects.create(link=link, enterprise=enterprise, area=enterprise.area)
    for key, area, month in (("SR1", w.Z1, 1), ("SR2", w.Z2, 1), ("SR3", w.Z1, 10)):
        w.records[key] = StrengthRule.objects.create(area=area, effective_from=datetime.date(2026, month, 1))
    for key, chain in (("CT1", w.CN1), ("CT2", w.CN2), ("CT3", w.CN1)):
        w.records[key] = Candidate.objects.create(chain=chain, area=chain.area, name=f"{key}外地企业有限公司")
    w.CT1.links.add(w.LK1)


def _space(w: World) -> None:
    """For the permission matrix: parcels PC1 (P1, 40,000 m² = 60 亩, reserve), PC2 (P3), PC3 (P1, nothing
    on it: deletable); buildings BD1 (P1, on PC1), BD2 (P3), BD3 (P1, no units: deletable); units UN1
    (BD1, 1,000 m²), UN2 (BD2), UN3 (BD1, never leased: deletable); leases LS1 (UN1 to E1, 2025-01-01 to
    2027-12-31), LS2 (UN2 to E2, the same days) and LS3 (UN1 to E1 in 2028: deletable); map shapes SH1
    (P1's boundary), SH2 (P3's) and SH3 (BD1's footprint, in P1: deletable); renovations RN1 (BD1 under
    KP1, 3,000 m²), RN2 (BD2 under KP4, P3's renovation project of 2026) and RN3 (BD1 under KP3:
    deletable)."""
    import datetime
    from decimal import Decimal

    from zoneos.space.models import Building, Lease, Parcel, Unit

    for key, area in (("PC1", w.P1), ("PC2", w.P3), ("PC3", w.P1)):
        w.records[key] = Parcel.objects.create(
            area=area, code=key, name=f"{key}地块", area_m2=Decimal("40000")
        )
    for key, area, parcel in (("BD1", w.P1, w.PC1), ("BD2", w.P3, w.PC2), ("BD3", w.P1, None)):
        w.records[key] = Building.objects.create(
            area=area, parcel=parcel, code=key, name=f"{key}标准厂房", floors=4, floor_area_m2=Decimal("8000")
        )
    for key, building in (("UN1", w.BD1), ("UN2", w.BD2), ("UN3", w.BD1)):
        w.records[key] = Unit.objects.create(
            building=building, code=key, floor=1, floor_area_m2=Decimal("1000")
        )
    for key, unit, tenant, year in (
        ("LS1", w.UN1, w.E1, 2025),
        ("LS2", w.UN2, w.E2, 2025),
        ("LS3", w.UN1, w.E1, 2028),
    ):
        w.records[key] = Lease.objects.create(
            unit=unit,
            tenant=tenant,
            starts_on=datetime.date(year, 1, 1),
            ends_on=datetime.date(year + (2 if year == 2025 else 0), 12, 31),
            monthly_rent=Decimal("25000.00"),
        )
    # Shapes on the map: SH1 P1's boundary, SH2 P3's, SH3 BD1's footprint (deletable); GCJ-02.
    from zoneos.space.models import Shape

    def box(west, south, size):
        ring = [[west, south], [west + size, south], [west + size, south + size], [west, south + size]]
        return {"type": "Polygon", "coordinates": [[*ring, [west, south]]]}

    for key, area, kind, building, geometry in (
        ("SH1", w.P1, "boundary", None, box(113.0, 23.1, 0.02)),
        ("SH2", w.P3, "boundary", None, box(113.2, 22.9, 0.02)),
        ("SH3", w.P1, "building", w.BD1, box(113.005, 23.105, 0.004)),
    ):
        w.records[key] = Shape.objects.create(
            area=area, kind=kind, building=building, name=f"{key}", geometry=geometry, crs="gcj02"
        )
    from zoneos.space.models import Renovation
    from zoneos.supervision.models import KeyProject

    w.records["KP4"] = KeyProject.objects.create(
        year=2026, name="三号园厂房改造", area=w.P3, kind="new_start", annual_plan=Decimal("80000000.00")
    )
    for key, building, project in (("RN1", w.BD1, w.KP1), ("RN2", w.BD2, w.KP4), ("RN3", w.BD1, w.KP3)):
        w.records[key] = Renovation.objects.create(
            building=building, key_project=project, floor_area_m2=Decimal("3000"), purpose="research"
        )


def _innovation(w: World) -> None:
    """For the permission matrix: points systems IS1 (Z1, from 2025-01-01, scoring invention patents),
    IS2 (Z2) and IS3 (Z1, from 2026-01-01: deletable); consents CS1 (E1 to 示范银行, given 2025-01-01)
    and CS2 (E2 to 示范银行)."""
    import datetime
    from decimal import Decimal

    from zoneos.innovation.models import Consent, PointsIndicator, PointsSystem

    for key, area, year in (("IS1", w.Z1, 2025), ("IS2", w.Z2, 2025), ("IS3", w.Z1, 2026)):
        w.records[key] = PointsSystem.objects.create(
            area=area, name=f"{key}创新积分", effective_from=datetime.date(year, 1, 1)
        )
        PointsIndicator.objects.create(
            system=w.records[key],
            variable="invention_patents",
            weight=Decimal("1"),
            brackets=[{"from": 0, "to": 5, "points": 5}, {"from": 5, "to": None, "points": 10}],
        )
    for key, enterprise in (("CS1", w.E1), ("CS2", w.E2)):
        w.records[key] = Consent.objects.create(
            enterprise=enterprise, bank="示范银行", given_on=datetime.date(2025, 1, 1)
        )
