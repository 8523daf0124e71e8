"""The demo's innovation platforms, talents and funds, in Huizhou's Tonghu Ecological Smart Zone (潼湖,
under the Zhongkai hi-tech zone): a national incubator, a maker space, an engineering research centre,
a key laboratory with a Macao institute, a new-type R&D institution of a university, a pilot-scale base
and a concept-verification centre, with three years of figures (two recognitions end within 90 days
of the load, and are warned of); high-level talents and a talent team of Tonghu's enterprises with the
services they received; the Zhongkai laser and additive-manufacturing industry fund, focused on the
zone's laser chain, with its investments in enterprises placed on that chain and one exit, and a
guidance fund. The hosts other than the registry's enterprises, the talents, fund managers and all
figures are made up.

Records are found by their names and created when missing, so a second load changes nothing; the
validity of the two platforms ending soon is dated from the day of the first load."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from zoneos.chains.models import Chain, Placement
from zoneos.core import demo
from zoneos.enterprises.models import Enterprise, Status

from . import fund_services, platform_services, talent_services, warnings
from .models import Fund, Platform, Talent, TalentTeam

ZONE, SUB_ZONE, PARK = "HZ-ZK", "HZ-ZK-TH", "HZ-ZK-TH-KC"
CHAIN = "HZ-LASER"
NAMED_HOST = "91441300MA4UTH014X"  # 惠州潼湖智联科技有限公司 (enterprises.demo)
D = datetime.date
# (area, name, kind, level, host: an enterprise index or (host kind, institution), recognised on, valid
# to: a date or days from today)
PLATFORMS = [
    (PARK, "潼湖科技企业孵化器", "incubator", "national", 0, D(2021, 12, 1), 60),
    (PARK, "潼湖智联众创空间", "maker_space", "provincial", 1, D(2022, 6, 1), D(2027, 12, 31)),
    (
        PARK,
        "惠州市激光与增材制造工程技术研究中心",
        "engineering_centre",
        "municipal",
        2,
        D(2023, 3, 1),
        D(2028, 2, 28),
    ),
    (
        SUB_ZONE,
        "潼湖智能传感联合实验室",
        "key_lab",
        "provincial",
        ("hk_macao", "澳门示范科技研究院"),
        D(2024, 1, 10),
        D(2029, 1, 9),
    ),
    (
        SUB_ZONE,
        "潼湖新型研发机构",
        "new_rd",
        "provincial",
        ("university", "大湾区示范大学"),
        D(2021, 9, 1),
        75,
    ),
    (PARK, "潼湖激光装备中试基地", "pilot_base", "district", 3, D(2025, 5, 1), D(2030, 4, 30)),
    (
        SUB_ZONE,
        "潼湖概念验证中心",
        "concept_centre",
        "municipal",
        ("institute", "惠州示范产业技术研究院"),
        D(2025, 9, 1),
        None,
    ),
]
# platform name -> [(year, R&D staff, projects, patents, incubated, graduated, occupancy as a fraction)]
YEARS = {
    "潼湖科技企业孵化器": [
        (2023, 18, 6, 21, 46, 5, "0.82"),
        (2024, 22, 9, 34, 58, 7, "0.885"),
        (2025, 25, 11, 40, 64, 9, "0.91"),
    ],
    "潼湖智联众创空间": [
        (2023, 6, 2, 4, 31, 2, "0.70"),
        (2024, 8, 3, 9, 38, 4, "0.76"),
        (2025, 9, None, 12, 40, 6, "0.795"),
    ],
    "惠州市激光与增材制造工程技术研究中心": [
        (2024, 46, 14, 23, None, None, None),
        (2025, 52, 17, 31, None, None, None),
    ],
    "潼湖新型研发机构": [
        (2023, 80, 20, 15, 6, 1, None),
        (2024, 96, 26, 27, 9, 2, None),
        (2025, 110, 31, 38, 12, 4, None),
    ],
}
# (name, category, enterprise index, title, field, team)
TALENTS = [
    ("陈明远", "national", 0, "首席科学家", "光通信芯片", True),
    ("林晓青", "overseas", 0, "研发总监", "光电子器件", True),
    ("黄志强", "provincial", 1, "技术负责人", "工业物联网", False),
    ("何嘉欣", "doctor", 2, "博士后", "激光增材制造", False),
    ("Mak Wai Lun", "hk_macao", 3, "联合实验室主任", "智能传感", False),
]
TEAM = ("潼湖光通信芯片创新团队", "provincial", 0, "广东省引进创新创业团队", "陈明远", 12)
# (recipient: talent name or the team, service, received on, amount in yuan)
SERVICES = [
    ("陈明远", "housing", D(2025, 3, 1), Decimal("600000")),
    ("陈明远", "schooling", D(2025, 8, 20), None),
    ("林晓青", "subsidy", D(2025, 5, 15), Decimal("200000")),
    ("Mak Wai Lun", "residence", D(2025, 10, 9), None),
    (TEAM[0], "funding", D(2024, 12, 1), Decimal("5000000")),
]
INDUSTRY_FUND = "仲恺高新区激光与增材制造产业基金"
GUIDANCE_FUND = "仲恺高新区创新创业引导基金"
# (round, amount in yuan, invested on, stake %): in the chain's placed enterprises, in order
INVESTMENTS = [
    ("a", Decimal("30000000"), D(2024, 4, 18), Decimal("0.085")),
    ("b", Decimal("50000000"), D(2024, 11, 5), Decimal("0.06")),
    ("pre_a", Decimal("12000000"), D(2025, 7, 1), Decimal("0.10")),
]


def _enterprises(ctx) -> list[Enterprise]:
    """The named Tonghu enterprise first, then the active enterprises of Tonghu's park by credit code."""
    named = Enterprise.objects.filter(uscc=NAMED_HOST).first()
    others = Enterprise.objects.filter(area=ctx.areas[PARK], status=Status.ACTIVE).exclude(uscc=NAMED_HOST)
    return [e for e in [named, *others.order_by("uscc")[:5]] if e is not None]


@demo.step(order=91)
def load_platforms_talents_funds(ctx: demo.DemoContext) -> None:
    if PARK not in ctx.areas or SUB_ZONE not in ctx.areas:
        return
    enterprises = _enterprises(ctx)
    if len(enterprises) < 4:
        return
    today = timezone.localdate()
    _platforms(ctx, enterprises, today)
    _talents(ctx, enterprises)
    _funds(ctx)
    ctx.created += warnings.sweep(today)["warned"]


def _platforms(ctx, enterprises, today) -> None:
    for area, name, kind, level, host, recognised_on, valid_to in PLATFORMS:
        platform = Platform.objects.filter(area=ctx.areas[area], name=name).first()
        if platform is None:
            if isinstance(valid_to, int):
                valid_to = today + datetime.timedelta(days=valid_to)
            hosted = (
                {"host_enterprise": enterprises[host]}
                if isinstance(host, int)
                else {"host_kind": host[0], "host_name": host[1]}
            )
            platform = platform_services.create_platform(
                by=ctx.by, area=ctx.areas[area], name=name, kind=kind, level=level,
                recognised_on=recognised_on, valid_to=valid_to, **hosted,
            )  # fmt: skip
            ctx.created += 1
        for year, staff, projects, patents, incubated, graduated, occupancy in YEARS.get(name, []):
            if platform.years.filter(year=year).exists():
                continue
            platform_services.record_platform_year(
                platform, year, by=ctx.by, rd_staff=staff, projects=projects, patents=patents,
                incubated=incubated, graduated=graduated,
                occupancy=Decimal(occupancy) if occupancy else None,
            )  # fmt: skip
            ctx.created += 1


def _talents(ctx, enterprises) -> None:
    name, level, index, programme, leader, members = TEAM
    team = TalentTeam.objects.filter(enterprise=enterprises[index], name=name).first()
    if team is None:
        team = talent_services.create_team(
            by=ctx.by, enterprise=enterprises[index], name=name, level=level, programme=programme,
            leader=leader, members=members, recognised_on=D(2024, 11, 1),
        )  # fmt: skip
        ctx.created += 1
    talents = {}
    for person, category, index, title, field, in_team in TALENTS:
        talent = Talent.objects.filter(enterprise=enterprises[index], name=person).first()
        if talent is None:
            talent = talent_services.create_talent(
                by=ctx.by, enterprise=enterprises[index], name=person, category=category, title=title,
                field=field, team=team if in_team else None,
            )  # fmt: skip
            ctx.created += 1
        talents[person] = talent
    for recipient, kind, on, amount in SERVICES:
        found = {"team": team} if recipient == TEAM[0] else {"talent": talents[recipient]}
        if any(r.services.filter(kind=kind, received_on=on).exists() for r in found.values()):
            continue
        talent_services.record_service(by=ctx.by, kind=kind, received_on=on, amount=amount, **found)
        ctx.created += 1


def _funds(ctx) -> None:
    zone = ctx.areas[ZONE]
    chain = Chain.objects.filter(code=CHAIN).first()
    if Fund.objects.filter(area=zone, name=INDUSTRY_FUND).exists():
        return
    fund = fund_services.create_fund(
        by=ctx.by, area=zone, name=INDUSTRY_FUND, kind="industry", size=Decimal("1000000000"),
        manager="惠州示范产业投资基金管理有限公司", government_share=Decimal("0.30"),
        established_on=D(2023, 12, 28), focus_chains=[chain] if chain else [],
    )  # fmt: skip
    guidance = fund_services.create_fund(
        by=ctx.by, area=zone, name=GUIDANCE_FUND, kind="guidance", size=Decimal("500000000"),
        manager="惠州仲恺示范创业投资管理有限公司", government_share=Decimal("1"),
        established_on=D(2022, 6, 30),
    )  # fmt: skip
    ctx.created += 2
    placed = (
        Placement.objects.filter(
            link__chain=chain, enterprise__isnull=False, enterprise__status=Status.ACTIVE
        )
        .values_list("enterprise_id", flat=True)
        .distinct()
        if chain
        else []
    )
    investees = list(Enterprise.objects.filter(pk__in=list(placed)).order_by("uscc")[: len(INVESTMENTS)])
    made = []
    for enterprise, (round_, amount, on, stake) in zip(investees, INVESTMENTS, strict=False):
        made.append(
            fund_services.create_investment(
                fund,
                by=ctx.by,
                enterprise=enterprise,
                round=round_,
                amount=amount,
                invested_on=on,
                stake=stake,
            )
        )
        ctx.created += 1
    if made:
        fund_services.record_exit(
            made[0], by=ctx.by, kind="transfer", exited_on=D(2025, 12, 10), amount=Decimal("10000000"),
            proceeds=Decimal("16500000"), stake=Decimal("0.028"),
        )  # fmt: skip
        ctx.created += 1
    tonghu = Enterprise.objects.filter(uscc=NAMED_HOST).first()
    if tonghu is not None:
        fund_services.create_investment(
            guidance, by=ctx.by, enterprise=tonghu, round="angel", amount=Decimal("3000000"),
            invested_on=D(2023, 3, 15), stake=Decimal("0.05"),
        )  # fmt: skip
        ctx.created += 1
