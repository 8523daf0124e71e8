"""Demo: the "Ten Ones" of synthetic biology (合成生物, one of Shenzhen's eight future industries) in the
Shenzhen Park of the Hetao cooperation zone (SZ-HT, loaded by the areas' demo): a plan and a working
group's founding notice (documents), one zone policy of the two needed, two of the three pioneer
enterprises (biotech enterprises of the zone with a high-tech label) and both application scenarios (a
department's pilot line, matched with one enterprise; an enterprise's, open). The roadmap, talents,
platforms, the fund and the pilot area are missing, so the board shows 3 of 10 proved.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from zoneos.core import demo
from zoneos.enterprises import services as enterprise_services
from zoneos.enterprises.models import Enterprise, Label, LabelKind
from zoneos.policies import services as policy_services
from zoneos.policies.models import Category, Policy

from . import scenarios, services
from .models import Board, FutureIndustry, Scenario, ScenarioStatus

ZONE = "SZ-HT"
INDUSTRY = "synbio"
DOCUMENTS = [
    ("plan", "河套深圳园区合成生物产业发展规划（2025—2027年）"),
    ("working_group", "关于成立合成生物产业发展工作专班的通知"),
]
POLICY = "河套深圳园区支持合成生物产业高质量发展若干措施"
SCENARIOS = [
    {
        "title": "合成生物医药中试平台应用场景",
        "owner": ("department", "科技创新处"),
        "technology_sought": "微生物细胞工厂、酶催化合成工艺放大，中试批次 500 L 以上",
        "description": "园区公共中试平台开放两条中试线，征集合成生物企业进场验证工艺。",
        "budget": "3000000.00",
        "matched": True,
    },
    {
        "title": "生物基材料在电子封装中的应用",
        "owner": ("enterprise", None),
        "technology_sought": "生物基可降解封装材料，耐温 150 ℃ 以上",
        "description": "以生物基材料替代部分石油基封装材料，先在一条产线试用。",
        "budget": "800000.00",
        "matched": False,
    },
]


@demo.step(order=95)
def load_future(ctx: demo.DemoContext) -> None:
    zone = ctx.areas[ZONE]
    industry = FutureIndustry.objects.get(code=INDUSTRY)
    board = Board.objects.filter(area=zone, industry=industry).first()
    if board is not None:
        return  # loaded before: the zone's staff may have changed it since
    board = services.create_board(by=ctx.by, area=zone, industry=industry, notes="演示数据：部分事项已佐证。")
    ctx.created += 1
    for item, title in DOCUMENTS:
        body = f"{title}\n\n（演示文件）\n".encode()
        services.add_proof(
            board,
            by=ctx.by,
            item=item,
            kind="document",
            title=title,
            document=ContentFile(body, name=f"{item}.txt"),
        )
        ctx.created += 1
    policy = Policy.objects.filter(area=zone, title=POLICY).first() or policy_services.create_policy(
        by=ctx.by,
        area=zone,
        title=POLICY,
        title_en="Measures supporting synthetic biology in the Shenzhen Park of Hetao",
        issuer="河套深港科技创新合作区深圳园区管理机构",
        category=Category.AWARD,
        issued_on=datetime.date(2025, 6, 1),
    )
    services.add_proof(board, by=ctx.by, item="policies", kind="policy", record=policy.pk)
    ctx.created += 2
    for enterprise in _pioneers(zone)[:2]:
        label = _high_tech_label(ctx, enterprise)
        services.add_proof(board, by=ctx.by, item="pioneers", kind="label", record=label.pk)
        ctx.created += 1
    for values in SCENARIOS:
        scenario = _scenario(ctx, zone, industry, values)
        services.add_proof(board, by=ctx.by, item="scenarios", kind="scenario", record=scenario.pk)
        ctx.created += 1


def _pioneers(zone) -> list[Enterprise]:
    return list(Enterprise.objects.in_subtree(zone).filter(industry_code__startswith="276").order_by("uscc"))


def _high_tech_label(ctx, enterprise) -> Label:
    today = timezone.localdate()
    label = enterprise.labels.filter(
        kind=LabelKind.HIGH_TECH, valid_from__lte=today, valid_to__gte=today
    ).first()
    if label is None:
        label = enterprise_services.create_label(
            by=ctx.by,
            enterprise=enterprise,
            kind=LabelKind.HIGH_TECH,
            valid_from=datetime.date(today.year - 1, 12, 1),
            valid_to=datetime.date(today.year + 2, 11, 30),
        )
        ctx.created += 1
    return label


def _scenario(ctx, zone, industry, values) -> Scenario:
    kind, name = values["owner"]
    if kind == "department":
        owner = {"owner_department": ctx.departments[(ZONE, name)]}
    else:
        other = Enterprise.objects.in_subtree(zone).exclude(industry_code__startswith="276").order_by("uscc")
        owner = {"owner_enterprise": other.first()}
    scenario = scenarios.create_scenario(
        by=ctx.by,
        area=zone,
        industry=industry,
        title=values["title"],
        description=values["description"],
        technology_sought=values["technology_sought"],
        budget=Decimal(values["budget"]),
        **owner,
    )
    ctx.created += 1
    if values["matched"]:
        scenarios.start_matching(scenario, by=ctx.by)
        found = scenarios.suggestions(scenario, ctx.by, limit=1)
        scenarios.confirm_matches(scenario, [s["enterprise"] for s in found], by=ctx.by)
        scenarios.mark_matched(scenario, by=ctx.by)
        ctx.created += 1
    return Scenario.objects.get(pk=scenario.pk) if scenario.status != ScenarioStatus.OPEN else scenario
