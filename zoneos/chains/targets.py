"""Targets for replenishing a chain (补链): which candidates outside the zone could fill a link, ranked
with the reasons for each rank, and which gaps the projects the zone landed filled.

The rank is the sum of the points of each reason that holds, declared once in `FACTORS`; the page, the
API and the attraction map all read the same reasons. A candidate is a target for a link when it fits
the link or a link below it: listed for it, its industry code within the link's codes, or one of the
link's keywords in its name.

A project lands when it first enters a stage from `LANDED` on (registered in the zone and beyond). A
landed project fills a gap when its link was missing or weak on the first day of the year it landed
in (the placements made before that day, the strength rule then in force).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zoneos.accounts.scoping import scope
from zoneos.appeals.models import Appeal, Visit
from zoneos.core.money import format_money
from zoneos.core.roles import VIEW
from zoneos.enterprises.models import LabelKind
from zoneos.pipeline.models import Project, StageEvent
from zoneos.pipeline.names import investor_key
from zoneos.pipeline.stages import FORWARD, ORDER, StageCategory

from . import coverage as cover
from .models import Candidate, Chain, Link, Placement, Role, Strength

LANDED = StageCategory.REGISTERED
LANDED_CATEGORIES = tuple(c.value for c in FORWARD[ORDER[LANDED] :])
LARGE_REVENUE = Decimal("1000000000")  # 10 亿元
ABOVE_SIZE_REVENUE = Decimal("20000000")  # 2000 万元, the industrial threshold (DOMAIN.md)


@dataclass(frozen=True)
class Factor:
    points: int
    text: object  # a lazy translation, formatted with the reason's details


# Every reason a target ranks, with its points: the one declaration the rank and its reasons come from.
FACTORS = {
    "for_link": Factor(40, _("Listed for this link")),
    "industry": Factor(25, _("Industry %(code)s fits the link")),
    "keyword": Factor(10, _("Its name mentions “%(word)s”")),
    "supplies": Factor(30, _("Already supplies our chain leader %(name)s")),
    "mentioned": Factor(20, _("Named by our chain leader %(name)s in %(where)s")),
    LabelKind.LITTLE_GIANT.value: Factor(25, LabelKind.LITTLE_GIANT.label),
    LabelKind.SPECIALIZED_SME.value: Factor(15, LabelKind.SPECIALIZED_SME.label),
    LabelKind.HIGH_TECH.value: Factor(10, LabelKind.HIGH_TECH.label),
    LabelKind.LISTED.value: Factor(10, LabelKind.LISTED.label),
    LabelKind.INNOVATIVE_SME.value: Factor(5, LabelKind.INNOVATIVE_SME.label),
    "large": Factor(20, _("Revenue of %(revenue)s")),
    "above_size": Factor(10, _("Revenue of %(revenue)s")),
}
FITS = ("for_link", "industry", "keyword")


def _reason(key: str, **details) -> dict:
    factor = FACTORS[key]
    return {
        "factor": key,
        "points": factor.points,
        "text": str(factor.text) % details if details else str(factor.text),
    }


def _below(link: Link) -> list[Link]:
    """The link and every link below it in its chain."""
    links = list(Link.objects.filter(chain_id=link.chain_id))
    children = defaultdict(list)
    for other in links:
        children[other.parent_id].append(other)
    out, stack = [], [link]
    while stack:
        current = stack.pop()
        out.append(current)
        stack.extend(children.get(current.pk, ()))
    return out


def _fit(candidate: Candidate, links: list[Link], listed: set[int]) -> list[dict]:
    reasons = []
    if listed & {link.pk for link in links}:
        reasons.append(_reason("for_link"))
    code, section = candidate.industry_code, candidate.industry_section
    for link in links:
        for prefix in link.industry_codes:
            if (section == prefix) if prefix.isalpha() else (code and code.startswith(prefix)):
                reasons.append(_reason("industry", code=code or section))
                break
        else:
            continue
        break
    words = [w for link in links for w in link.keywords if w and w in candidate.name]
    if words:
        reasons.append(_reason("keyword", word=words[0]))
    return reasons


def leaders(chain: Chain, area, user) -> dict[int, str]:
    """{enterprise id: name} of the chain's leaders placed in `area` that `user` sees."""
    rows = (
        scope(
            Placement.objects.filter(link__chain=chain, role=Role.LEADER, enterprise__isnull=False),
            user,
            VIEW,
        )
        .in_subtree(area)
        .values_list("enterprise_id", "enterprise__name")
    )
    return dict(rows)


def mentions(chain: Chain, area, user, candidates) -> dict[int, list[dict]]:
    """Candidates named in the visits and appeals of the chain's leaders: {candidate: [reasons]}."""
    chiefs = leaders(chain, area, user)
    if not chiefs:
        return {}
    names = {}
    for candidate in candidates:
        keys = {investor_key(candidate.name), candidate.short_name.strip()}
        names[candidate.pk] = {k for k in keys if len(k) >= 2}
    texts = [
        (enterprise, str(_("a visit")), summary)
        for enterprise, summary in scope(
            Visit.objects.filter(enterprise_id__in=chiefs), user, VIEW
        ).values_list("enterprise_id", "summary")
    ]
    texts += [
        (enterprise, str(_("an appeal")), f"{title}\n{description}")
        for enterprise, title, description in scope(
            Appeal.objects.filter(enterprise_id__in=chiefs), user, VIEW
        ).values_list("enterprise_id", "title", "description")
    ]
    out: dict[int, list[dict]] = defaultdict(list)
    for candidate in candidates:
        seen = set()
        for enterprise, where, text in texts:
            if enterprise not in seen and any(key in text for key in names[candidate.pk]):
                seen.add(enterprise)
                out[candidate.pk].append(_reason("mentioned", name=chiefs[enterprise], where=where))
    return out


def rank(link: Link, area, user, *, open_only: bool = True) -> list[dict]:
    """The candidates for `link` (and the links below it) in `area`'s chain, best first: each with its
    points, its reasons and, once turned into a lead, its project."""
    chain = link.chain
    links = _below(link)
    query = scope(Candidate.objects.filter(chain=chain), user, VIEW).prefetch_related("links", "supplies")
    if open_only:
        query = query.filter(project__isnull=True)
    candidates = list(query.select_related("project"))
    chiefs = leaders(chain, area, user)
    named = mentions(chain, area, user, candidates)
    out = []
    for candidate in candidates:
        listed = {link.pk for link in candidate.links.all()}
        reasons = _fit(candidate, links, listed)
        if not reasons:
            continue
        reasons += [_reason("supplies", name=e.name) for e in candidate.supplies.all() if e.pk in chiefs]
        reasons += named.get(candidate.pk, [])
        reasons += [_reason(label) for label in candidate.labels if label in FACTORS and label not in FITS]
        if candidate.revenue is not None and candidate.revenue >= ABOVE_SIZE_REVENUE:
            size = "large" if candidate.revenue >= LARGE_REVENUE else "above_size"
            reasons.append(_reason(size, revenue=format_money(candidate.revenue, "large")))
        out.append(
            {
                "candidate": candidate,
                "points": sum(r["points"] for r in reasons),
                "reasons": reasons,
                "project": candidate.project,
            }
        )
    out.sort(key=lambda t: (-t["points"], t["candidate"].name))
    return out


def landings(projects) -> dict[int, datetime.date]:
    """{project: the day it landed} of the projects that have."""
    rows = (
        StageEvent.objects.filter(project__in=projects, to_category__in=LANDED_CATEGORIES)
        .values("project_id")
        .annotate(on=Min("on"))
    )
    return {row["project_id"]: row["on"] for row in rows}


def gaps_filled(chain: Chain, area, user, *, year: int) -> list[dict]:
    """The gaps the projects placed on the chain filled in `year`: each landed project whose link was
    missing or weak on 1 January, with that strength and the link's strength today."""
    placed = list(
        scope(Placement.objects.filter(link__chain=chain, project__isnull=False), user, VIEW)
        .in_subtree(area)
        .select_related("project", "link")
    )
    landed = landings([p.project_id for p in placed])
    this_year = [p for p in placed if landed.get(p.project_id) and landed[p.project_id].year == year]
    if not this_year:
        return []
    start = datetime.date(year, 1, 1)
    before = cover.coverage(chain, area, user, year=year - 1, on=start, placed_before=start)
    now = cover.coverage(
        chain, area, user, year=cover.latest_year(timezone.localdate()), on=timezone.localdate()
    )
    then = {row["link"]: row["strength"] for row in before["links"]}
    today = {row["link"]: row["strength"] for row in now["links"]}
    return [
        {
            "link": p.link,
            "project": p.project,
            "landed_on": landed[p.project_id],
            "before": then[p.link_id],
            "now": today[p.link_id],
        }
        for p in sorted(this_year, key=lambda p: (landed[p.project_id], p.pk))
        if then[p.link_id] in (Strength.MISSING, Strength.WEAK)
    ]


def followed(chain: Chain, user) -> list[dict]:
    """The chain's targets turned into leads, each with its project's stage and landing day."""
    candidates = list(
        scope(Candidate.objects.filter(chain=chain, project__isnull=False), user, VIEW)
        .select_related("project__area")
        .prefetch_related("links")
        .order_by("-project__lead_on", "name")
    )
    visible = set(
        scope(Project.objects.filter(pk__in=[c.project_id for c in candidates]), user, VIEW).values_list(
            "pk", flat=True
        )
    )
    landed = landings(visible)
    return [
        {
            "candidate": c,
            "project": c.project,
            "landed_on": landed.get(c.project_id),
            "links": list(c.links.all()),
        }
        for c in candidates
        if c.project_id in visible
    ]
