"""The demo pipeline: a few hundred projects across the demo zones' parks, stages and years, with
follow-ups, signing batches, the zones' industrial plans, and one investor courted by two parks.

Written through the services (so the history, the conflict and the plan conformity come out as in
real use) and idempotent: projects are found by their demo codes, and a second run adds nothing.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from zoneos.accounts.models import Membership
from zoneos.core import demo
from zoneos.enterprises.demo import BRANDS

from . import services
from .models import FollowUpKind, IndustryGroup, Project, SigningBatch
from .stages import FORWARD, StageCategory

C = StageCategory
# zone code -> [(name, name_en, category, codes)]
PLANS = {
    "FS-GX": [
        ("装备制造", "Equipment manufacturing", "pillar", ["34", "35"]),
        ("汽车及零部件", "Vehicles and parts", "pillar", ["36"]),
        ("电子信息", "Electronic information", "pillar", ["39"]),
        ("新能源", "New energy", "emerging", ["384"]),
        ("新材料", "New materials", "emerging", ["3252", "3360"]),
        ("生物医药", "Biomedicine", "emerging", ["27"]),
        ("激光与增材制造", "Laser and additive manufacturing", "future", ["3976", "3493"]),
    ],
    "ZQ-XNY": [
        ("新能源汽车", "New energy vehicles", "pillar", ["3612", "367"]),
        ("储能", "Energy storage", "pillar", ["384"]),
        ("电子元器件", "Electronic components", "emerging", ["398"]),
        ("金属加工", "Metal processing", "emerging", ["33"]),
    ],
    "HZ-ZK": [
        ("电子信息", "Electronic information", "pillar", ["39"]),
        ("新能源电池", "New energy batteries", "pillar", ["384"]),
        ("激光与增材制造", "Laser and additive manufacturing", "emerging", ["3976", "3493"]),
        ("生物医药", "Biomedicine", "future", ["27"]),
    ],
}
# (what the investor makes, industry code, typical total investment in yuan)
INVESTORS = [
    ("新能源汽车", "3612", 5e9),
    ("动力电池", "3841", 4e9),
    ("储能科技", "3841", 1.5e9),
    ("显示科技", "3974", 5e9),
    ("精密电子", "3989", 1.2e9),
    ("光学", "3989", 9e8),
    ("激光", "3976", 6e8),
    ("增材制造", "3493", 3e8),
    ("智能家电", "3851", 2e9),
    ("汽车零部件", "3670", 8e8),
    ("铝业", "3252", 5e8),
    ("生物医药", "2761", 1.2e9),
    ("制药", "2720", 7e8),
    ("智能装备", "3491", 1e9),
    ("食品", "1462", 1.5e9),
    ("通信设备", "3922", 1e9),
]
KINDS = [
    ("新建", "new plant"),
    ("扩产", "expansion"),
    ("研发中心", "R&D centre"),
    ("总部", "headquarters"),
    ("二期", "phase II"),
]
# Days a project typically stays in a category before moving on: (shortest, longest).
STAY = {
    C.LEAD: (15, 120),
    C.NEGOTIATING: (20, 180),
    C.SIGNED: (15, 90),
    C.REGISTERED: (15, 90),
    C.LAND_SECURED: (30, 150),
    C.UNDER_CONSTRUCTION: (180, 600),
    C.COMPLETED: (30, 120),
    C.IN_PRODUCTION: (180, 500),
}
PROJECTS_PER_PARK = 24


def _plans(ctx) -> None:
    for zone_code, groups in PLANS.items():
        zone = ctx.areas[zone_code]
        have = set(IndustryGroup.objects.filter(zone=zone).values_list("name", flat=True))
        for name, name_en, category, codes in groups:
            if name not in have:
                services.create_group(
                    by=ctx.by, zone=zone, name=name, name_en=name_en, category=category, codes=codes
                )
                ctx.created += 1


def path_of(rng: random.Random) -> list[str]:
    """Where a demo project goes: how far along, and whether it pauses or is given up."""
    reach = rng.choices(range(len(FORWARD)), weights=[14, 12, 14, 8, 8, 14, 6, 14, 10])[0]
    path = list(FORWARD[1 : reach + 1])
    if C.NEGOTIATING in path and C.SIGNED in path and rng.random() < 0.5:
        path.remove(C.NEGOTIATING)  # signed at a ceremony without recorded talks
    if C.REGISTERED in path and C.LAND_SECURED in path and rng.random() < 0.3:
        path.remove(C.REGISTERED)  # the investor already has a company in the zone
    ending = rng.random()
    if reach < FORWARD.index(C.IN_PRODUCTION):
        if ending < 0.12:
            path.append(C.DROPPED)
        elif ending < 0.2:
            path.append(C.ON_HOLD)
    return path


@demo.step(order=50)
def load_pipeline(ctx: demo.DemoContext) -> None:
    _plans(ctx)
    today = services.today()
    rng = random.Random(2027)
    officer = ctx.users.get("investment")
    parks = [a for code, a in sorted(ctx.areas.items()) if a.kind == "park"]
    existing = set(Project.objects.filter(code__startswith="DEMO-").values_list("code", flat=True))
    number = 0
    for park in parks:
        for _i in range(PROJECTS_PER_PARK):
            number += 1
            code = f"DEMO-{number:04d}"
            if code in existing:
                continue
            word, industry, size = rng.choice(INVESTORS)
            stem = rng.choice(BRANDS) + rng.choice(BRANDS)
            kind, kind_en = rng.choice(KINDS)
            total = Decimal(round(size * rng.uniform(0.2, 1.6), -6))
            lead_on = today - datetime.timedelta(days=rng.randint(20, 5 * 365))
            owner = officer if officer is not None and park.path.startswith(officer_area(ctx).path) else None
            project = services.create_project(
                by=ctx.by,
                lead_on=lead_on,
                name=f"{stem}{word}{kind}项目",
                code=code,
                area=park,
                investor_name=f"{stem}{word}{rng.choice(['股份有限公司', '集团有限公司', '有限公司'])}",
                industry_code=industry,
                total_investment=total,
                fixed_asset_investment=(total * Decimal(rng.uniform(0.5, 0.9))).quantize(Decimal(1)),
                expected_output=(total * Decimal(rng.uniform(0.8, 2.5))).quantize(Decimal(1)),
                expected_tax=(total * Decimal(rng.uniform(0.03, 0.1))).quantize(Decimal(1)),
                land_mu=Decimal(rng.randint(20, 600)),
                jobs=rng.randint(50, 3000),
                owner=owner,
                source=rng.choice(["own_lead", "referral", "exhibition", "agency"]),
                capital_origin=rng.choices(["domestic", "hong_kong", "taiwan"], [85, 10, 5])[0],
            )
            ctx.created += 1
            on = lead_on
            current = C.LEAD
            for step in path_of(rng):
                low, high = STAY.get(current, (10, 60))
                moved = on + datetime.timedelta(days=rng.randint(low, high))
                if moved > today:
                    break
                note = {C.DROPPED: "投资方调整投资计划", C.ON_HOLD: "等待用地指标"}.get(step, "")
                services.transition(project, by=ctx.by, to=step, on=moved, note=note)
                on, current = moved, step
            _follow_ups(ctx, rng, project, today)


def officer_area(ctx):
    membership = Membership.objects.filter(user=ctx.users["investment"]).select_related("area").first()
    return membership.area


def _follow_ups(ctx, rng, project: Project, today) -> None:
    project.refresh_from_db()
    if project.stage in (C.DROPPED, C.AT_CAPACITY):
        return
    for _i in range(rng.randint(1, 3)):
        on = project.stage_on + datetime.timedelta(days=rng.randint(0, 30))
        if on > today:
            on = today
        due = on + datetime.timedelta(days=rng.randint(7, 45))
        services.create_follow_up(
            by=ctx.by,
            project=project,
            kind=rng.choice(list(FollowUpKind.values)),
            on=on,
            summary=rng.choice(
                ["与投资方沟通用地需求", "陪同考察园区", "协调环评审批", "商议签约条款", "了解设备进场计划"]
            ),
            next_action=rng.choice(["提交项目可研报告", "安排现场踏勘", "确认签约时间", "跟进施工许可证"]),
            next_action_on=due,
            # Older actions were dealt with; a few recent ones are late.
            next_action_done=due < today - datetime.timedelta(days=30)
            or (due < today and rng.random() < 0.5),
        )
        ctx.created += 1


@demo.step(order=55)
def load_batches_and_conflict(ctx: demo.DemoContext) -> None:
    """Two signing batches of signed projects, and one investor courted by two Zhongkai parks."""
    for zone_code, name, held_on, mode in [
        ("FS-GX", "佛山高新区2026年第一季度重大项目集中签约", datetime.date(2026, 3, 18), "onsite"),
        ("HZ-ZK", "仲恺高新区2026年“云签约”活动", datetime.date(2026, 6, 26), "cloud"),
    ]:
        zone = ctx.areas[zone_code]
        if SigningBatch.objects.filter(name=name).exists():
            continue
        batch = services.create_batch(by=ctx.by, area=zone, name=name, held_on=held_on, mode=mode)
        ctx.created += 1
        signed = (
            Project.objects.in_subtree(zone)
            .filter(code__startswith="DEMO-", signing_batch__isnull=True)
            .exclude(stage__in=[C.LEAD, C.NEGOTIATING, C.DROPPED])[:6]
        )
        for project in signed:
            services.update_project(project, by=ctx.by, signing_batch=batch)
    if not Project.objects.filter(code="DEMO-C001").exists():
        for code, park, investor in [
            ("DEMO-C001", "HZ-ZK-TH-KC", "鹏程智能装备（深圳）有限公司"),
            ("DEMO-C002", "HZ-ZK-DZ", "鹏程智能装备股份有限公司"),
        ]:
            services.create_project(
                by=ctx.by,
                code=code,
                name=f"鹏程智能装备{ctx.areas[park].name[:2]}基地项目",
                area=ctx.areas[park],
                investor_name=investor,
                industry_code="3491",
                total_investment=Decimal("1200000000"),
                owner=ctx.users.get("investment"),
            )
            ctx.created += 1
