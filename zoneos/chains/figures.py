"""Chain figures for the pages of the modules below: "601 chain projects: 80 new-energy vehicle, 77
electronic information..." on the investment funnel, key projects by chain on supervision's summary,
and the sentence of the data highlights. Each reads the placements the caller sees in the area (all the
areas they see when none is chosen); a project placed on several links of a chain counts once for it.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from zoneos.accounts.scoping import scope
from zoneos.core import navigation
from zoneos.core.roles import VIEW
from zoneos.pipeline.stages import ACTIVE, BIT

from .models import Chain, Placement
from .targets import LANDED_CATEGORIES

LANDED_MASK = sum(BIT[c] for c in LANDED_CATEGORIES)


def _placements(user, area):
    placements = scope(Placement.objects.all(), user, VIEW)
    return placements.in_subtree(area) if area is not None else placements


def chain_projects(user, area) -> dict:
    """Investment projects on the chains: {"total": distinct projects on any chain, "chains": [{chain,
    projects, landed, investment}]}, largest first. Dropped projects are left out."""
    rows = (
        _placements(user, area)
        .filter(project__isnull=False, project__stage__in=ACTIVE)
        .values_list("link__chain_id", "project_id", "project__entered_mask", "project__total_investment")
    )
    per_chain: dict[int, dict[int, tuple]] = defaultdict(dict)
    for chain, project, mask, investment in rows:
        per_chain[chain][project] = (mask, investment)
    names = {c.pk: c for c in Chain.objects.filter(pk__in=per_chain)}
    chains = [
        {
            "chain": names[pk],
            "projects": len(projects),
            "landed": sum(1 for mask, _i in projects.values() if mask & LANDED_MASK),
            "investment": sum((i or Decimal("0") for _m, i in projects.values()), Decimal("0")),
        }
        for pk, projects in per_chain.items()
    ]
    chains.sort(key=lambda r: (-r["projects"], r["chain"].code))
    total = len({p for projects in per_chain.values() for p in projects})
    return {"total": total, "chains": chains}


def chain_key_projects(user, area, year: int) -> list[dict]:
    """Key projects of `year` on each chain, with their annual plan: [{chain, projects, annual_plan}]."""
    rows = (
        _placements(user, area)
        .filter(key_project__isnull=False, key_project__year=year)
        .values_list("link__chain_id", "key_project_id", "key_project__annual_plan")
    )
    per_chain: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for chain, key_project, plan in rows:
        per_chain[chain][key_project] = plan or Decimal("0")
    names = {c.pk: c for c in Chain.objects.filter(pk__in=per_chain)}
    out = [
        {"chain": names[pk], "projects": len(plans), "annual_plan": sum(plans.values(), Decimal("0"))}
        for pk, plans in per_chain.items()
    ]
    return sorted(out, key=lambda r: (-r["projects"], r["chain"].code))


def sentence(figures: dict) -> str:
    """ "601 chain projects: 80 new-energy vehicles, 77 ..." in the active language ("" for none)."""
    if not figures["total"]:
        return ""
    comma = ", " if (get_language() or "").startswith("en") else "、"
    parts = comma.join(f"{r['chain'].label} {r['projects']}" for r in figures["chains"][:5])
    return _("%(n)s chain projects: %(parts)s.") % {"n": figures["total"], "parts": parts}


def funnel_panel(request, context):
    figures = chain_projects(request.user, context.get("area"))
    if not figures["total"]:
        return None
    return {"template": "chains/_funnel_panel.html", "figures": figures, "sentence": sentence(figures)}


def summary_panel(request, context):
    rows = chain_key_projects(request.user, context.get("area"), context["year"])
    if not rows:
        return None
    return {"template": "chains/_summary_panel.html", "rows": rows, "year": context["year"]}


def project_panel(request, context):
    """A project's page: the chains and links it is placed on, and the target it came from."""
    project = context["object"]
    placed = list(
        scope(Placement.objects.filter(project=project), request.user, VIEW).select_related("link__chain")
    )
    target = getattr(project, "chain_candidate", None) if placed else None
    if not placed:
        return None
    return {"template": "chains/_project_panel.html", "placements": placed, "target": target}


navigation.panel(funnel_panel, order=10, page="pipeline:funnel")
navigation.panel(project_panel, order=10, page="pipeline:detail")
navigation.panel(summary_panel, order=10, page="supervision:summary")
