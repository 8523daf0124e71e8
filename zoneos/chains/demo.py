"""The demo's chains: Zhaoqing's new-energy-vehicle and energy-storage chains and Huizhou's laser and
additive chain, adopted from the shipped templates, with the zone's enterprises and investment projects
placed where their industry fits (the suggestions, confirmed) and a chain leader on each. A link nobody
in the zone fits stays missing; one with few or small enterprises is weak. Each chain has targets from
outside the zone for its gaps (one already supplies the chain leader), and the first is already a lead
in the zone's first park."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from zoneos.areas.models import AreaKind
from zoneos.core import demo
from zoneos.pipeline.models import Project
from zoneos.supervision.models import KeyProject

from . import services, suggestions
from .models import Chain, Placement, Role

M = Decimal("1000000")
# Targets per chain: (name, short name, province, city, industry code, revenue in millions of yuan,
# labels, link codes, supplies the chain leader). Fictional enterprises.
TARGETS = {
    "ZQ-NEV": [
        (
            "深圳芯驰半导体科技有限公司",
            "芯驰",
            "广东",
            "深圳",
            "3973",
            1800,
            ["little_giant", "high_tech"],
            ["CHIP"],
            False,
        ),
        (
            "无锡华晶功率器件股份有限公司",
            "华晶",
            "江苏",
            "无锡",
            "3972",
            650,
            ["specialized_sme", "high_tech"],
            ["CHIP"],
            False,
        ),
        ("常州正极材料科技有限公司", "", "江苏", "常州", "3985", 2400, ["listed"], ["MAT"], True),
        ("合肥智驾软件有限公司", "", "安徽", "合肥", "6513", 120, ["high_tech"], ["SOFT"], False),
        ("宁波汽配精工有限公司", "", "浙江", "宁波", "3670", 350, ["specialized_sme"], ["PARTS"], False),
        ("苏州快充科技有限公司", "", "江苏", "苏州", "3823", 90, ["innovative_sme"], ["CHARGE"], False),
    ],
    "HZ-LASER": [
        (
            "武汉光谷激光器件有限公司",
            "",
            "湖北",
            "武汉",
            "3976",
            900,
            ["little_giant"],
            ["OPTO", "LASER"],
            False,
        ),
        (
            "西安金属粉末科技有限公司",
            "",
            "陕西",
            "西安",
            "3985",
            260,
            ["specialized_sme", "high_tech"],
            ["POWDER"],
            True,
        ),
    ],
}

# Benchmark shares (per cent of the chain's output value) for the links of one demo chain, so that its
# page shows location quotients. Illustrative figures for the demo, labelled as such, not statistics.
BENCHMARKS = {
    "ZQ-NEV": {"MAT": 14, "CHIP": 9, "CELL": 24, "DRIVE": 11, "PARTS": 16, "SOFT": 4, "OEM": 18, "CHARGE": 4},
}
BENCHMARK_SOURCE = "演示数据（示意）"

# (template, the zone's code for its copy, zone, enterprises placed per link at most)
ADOPTED = [
    ("TPL-NEV", "ZQ-NEV", "ZQ-XNY", 8),
    ("TPL-ESS", "ZQ-ESS", "ZQ-XNY", 4),
    ("TPL-LASER", "HZ-LASER", "HZ-ZK", 8),
]


@demo.step(order=85)
def load_chains(ctx: demo.DemoContext) -> None:
    for template_code, code, zone_code, per_link in ADOPTED:
        zone = ctx.areas[zone_code]
        if Chain.objects.filter(code=code).exists():
            continue  # adopted and filled by an earlier load: the zone's staff may have changed it since
        chain = services.adopt(Chain.objects.get(code=template_code), area=zone, code=code, by=ctx.by)
        ctx.created += 1 + chain.links.count()
        found = suggestions.suggest(chain, zone, ctx.by, per_link=per_link)
        pairs = [(s["link"], s["enterprise"]) for s in found]
        suggestions.confirm(pairs, by=ctx.by)
        ctx.created += len(pairs)
        _place_projects(ctx, chain, zone)
        _place_key_projects(ctx, chain, zone)
        _date_placements(chain)
        _name_leaders(ctx, chain)
        _targets(ctx, chain, zone)
        _chief(ctx, chain, zone)
        _benchmarks(ctx, chain)


def _benchmarks(ctx, chain) -> None:
    for code, share in BENCHMARKS.get(chain.code, {}).items():
        link = chain.links.get(code=code)
        services.update_link(
            link, by=ctx.by, benchmark_share=Decimal(share), benchmark_source=BENCHMARK_SOURCE
        )
        ctx.updated += 1


def _place_projects(ctx, chain, zone) -> None:
    for link in chain.links.exclude(industry_codes=[]):
        fits = Q()
        for code in link.industry_codes:
            fits |= Q(industry_code__startswith=code)
        placed = Placement.objects.filter(link=link, project__isnull=False).values("project_id")
        for project in (
            Project.objects.in_subtree(zone).filter(fits).exclude(pk__in=placed).order_by("pk")[:3]
        ):
            services.place(link=link, project=project, by=ctx.by)
            ctx.created += 1


def _place_key_projects(ctx, chain, zone) -> None:
    """Key projects sit on the link their name speaks of (电池, 电机, 充换电...)."""
    for link in chain.links.exclude(keywords=[]):
        named = Q()
        for word in link.keywords:
            named |= Q(name__contains=word)
        for key_project in KeyProject.objects.in_subtree(zone).filter(named).order_by("-year", "pk")[:3]:
            if not Placement.objects.filter(link=link, key_project=key_project).exists():
                services.place(link=link, key_project=key_project, by=ctx.by)
                ctx.created += 1


def _name_leaders(ctx, chain) -> None:
    """The placed enterprise with the largest registered capital on the chain's heaviest link leads."""
    if Placement.objects.filter(link__chain=chain, role=Role.LEADER).exists():
        return
    for link in chain.links.order_by("-weight", "position"):
        placement = (
            Placement.objects.filter(link=link, enterprise__isnull=False)
            .order_by("-enterprise__registered_capital", "pk")
            .first()
        )
        if placement is not None:
            services.update_placement(placement, by=ctx.by, role=Role.LEADER)
            ctx.updated += 1
            return


def _targets(ctx, chain, zone) -> None:
    links = {link.code: link for link in chain.links.all()}
    leader = Placement.objects.filter(link__chain=chain, role=Role.LEADER, enterprise__isnull=False).first()
    made = []
    for name, short, province, city, code, revenue, labels, codes, supplies in TARGETS.get(chain.code, []):
        made.append(
            services.create_candidate(
                by=ctx.by,
                chain=chain,
                name=name,
                short_name=short,
                province=province,
                city=city,
                industry_code=code,
                revenue=revenue * M,
                labels=labels,
                links=[links[c] for c in codes if c in links],
                supplies=[leader.enterprise] if supplies and leader else [],
            )
        )
    ctx.created += len(made)
    park = zone.children.filter(kind=AreaKind.PARK).order_by("code").first()
    if made and park is not None:
        first = made[0]
        services.make_lead(first, link=first.links.first(), area=park, by=ctx.by)
        ctx.created += 1


def _date_placements(chain) -> None:
    """The demo's enterprises were on their links long before the demo was loaded (a gap filled this
    year is judged against 1 January); a project sits on its link from its lead date."""
    placed = Placement.objects.filter(link__chain=chain)
    since = datetime.datetime(timezone.localdate().year - 2, 1, 1, tzinfo=datetime.UTC)
    placed.filter(enterprise__isnull=False).update(created_at=since)
    for placement in placed.filter(project__isnull=False).select_related("project"):
        lead = placement.project.lead_on
        placement.created_at = datetime.datetime(lead.year, lead.month, lead.day, tzinfo=datetime.UTC)
        placement.save(update_fields=["created_at"])


def _chief(ctx, chain, zone) -> None:
    """The zone's leader heads its first chain, with the zone's first department leading the work."""
    leader = ctx.users.get("leader")
    if leader is None or Chain.objects.filter(area=zone, chief__isnull=False).exists():
        return
    if not leader.memberships.filter(area__path__startswith=zone.path).exists():
        return
    services.update_chain(
        chain,
        by=ctx.by,
        chief=leader,
        chief_title="管委会副主任",
        lead_department=zone.departments.order_by("name").first(),
    )
    ctx.updated += 1
