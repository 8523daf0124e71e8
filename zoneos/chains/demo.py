"""The demo's chains: Zhaoqing's new-energy-vehicle and energy-storage chains and Huizhou's laser and
additive chain, adopted from the shipped templates, with the zone's enterprises and investment projects
placed where their industry fits (the suggestions, confirmed) and a chain leader on each. A link nobody
in the zone fits stays missing; one with few or small enterprises is weak."""

from __future__ import annotations

from django.db.models import Q

from zoneos.core import demo
from zoneos.pipeline.models import Project

from . import services, suggestions
from .models import Chain, Placement, Role

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
        _name_leaders(ctx, chain)


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
