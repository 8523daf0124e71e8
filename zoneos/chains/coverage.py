"""Strength and gaps of a chain in an area: for each link, what the caller sees placed on it and on
the links below it (active enterprises, how many are above designated size, high-tech, specialised;
their output value; investment projects by stage; key projects), its strength and its gap.

- `missing`: no active enterprise placed; `strong`: at least the rule's number of active enterprises,
  of which at least its number above designated size; `weak` otherwise. The rule is the newest in
  force on the day asked for, of the area or the nearest area above it (`rule_for`); none: 3 and 1.
- A link's gap is its weight (doubled for a bottleneck) times 1 when missing, 0.5 when weak and 0 when
  strong. The chain's gap score is Σ gap / Σ weight over the leaf links (a parent link is judged by
  its parts; counting it too would count them twice).

Placements are read through `scope()`: park staff see their park's placements and figures only.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Exists, FilteredRelation, Max, OuterRef, Q

from zoneos.accounts.scoping import scope
from zoneos.areas.models import subtree_q
from zoneos.core.roles import VIEW
from zoneos.enterprises.models import Indicator, Label, LabelKind, Status
from zoneos.pipeline.stages import StageCategory
from zoneos.policies.scoping import ancestor_paths

from .models import STRENGTH_GAP, Chain, Link, Placement, Role, Strength, StrengthRule

FOUR = Decimal("0.0001")
SPECIALIZED = (LabelKind.SPECIALIZED_SME, LabelKind.LITTLE_GIANT)


@dataclass(frozen=True)
class Thresholds:
    strong_enterprises: int = 3
    strong_above_size: int = 1
    rule: StrengthRule | None = None

    def judge(self, enterprises: int, above: int) -> str:
        if enterprises == 0:
            return Strength.MISSING
        if enterprises >= self.strong_enterprises and above >= self.strong_above_size:
            return Strength.STRONG
        return Strength.WEAK


def rule_for(area, on: datetime.date) -> Thresholds:
    """The rule in force on `on` for `area`: its own newest, else the nearest area above it."""
    return rules_for([area], on)[area.pk]


def rules_for(areas, on: datetime.date) -> dict[int, Thresholds]:
    """`rule_for` of each area, in one query."""
    paths = {p for area in areas for p in ancestor_paths(area.path)}
    rules = list(
        StrengthRule.objects.filter(area__path__in=paths, effective_from__lte=on)
        .select_related("area")
        .order_by("-area__depth", "-effective_from")
    )
    out = {}
    for area in areas:
        mine = next((r for r in rules if area.path.startswith(r.area.path)), None)
        out[area.pk] = (
            Thresholds(mine.strong_enterprises, mine.strong_above_size, mine) if mine else Thresholds()
        )
    return out


def latest_year(on: datetime.date) -> int:
    """The latest year with figures, not after `on`'s year (last year's figures come in this year)."""
    return Indicator.objects.filter(year__lte=on.year).aggregate(year=Max("year"))["year"] or on.year


def coverage(chain: Chain, area, user, *, year: int, on: datetime.date, placed_before=None) -> dict:
    return coverages([(chain, area)], user, year=year, on=on, placed_before=placed_before)[chain.pk]


def coverages(pairs, user, *, year: int, on: datetime.date, placed_before=None) -> dict[int, dict]:
    """`coverage` of each (chain, area) pair, in a fixed number of queries however many there are.
    `placed_before` (a date) counts only what was placed before that day: the chain as it stood then."""
    pairs = list(pairs)
    if not pairs:
        return {}
    by_chain: dict[int, list[Link]] = defaultdict(list)
    for link in Link.objects.filter(chain__in=[c for c, _a in pairs]).order_by("position", "code"):
        by_chain[link.chain_id].append(link)
    where = Q()
    for chain, area in pairs:
        where |= Q(link__chain=chain) & subtree_q(Placement, area)
    placements = scope(Placement.objects.filter(where), user, VIEW)
    if placed_before is not None:
        placements = placements.filter(created_at__date__lt=placed_before)
    enterprises = _enterprise_facts(placements, year)
    projects = _projects(placements)
    key_projects = _key_projects(placements, year)
    thresholds = rules_for([a for _c, a in pairs], on)
    return {
        chain.pk: _chain_coverage(
            chain,
            area,
            by_chain[chain.pk],
            enterprises,
            projects,
            key_projects,
            thresholds[area.pk],
            year,
            on,
        )
        for chain, area in pairs
    }


def tree_order(links: list[Link]) -> list[Link]:
    """Each link followed by the links below it (depth first), siblings by position and code."""
    children = defaultdict(list)
    for link in sorted(links, key=lambda x: (x.position, x.code)):
        children[link.parent_id].append(link)
    out, stack = [], list(reversed(children[None]))
    while stack:
        link = stack.pop()
        out.append(link)
        stack.extend(reversed(children.get(link.pk, [])))
    return out


def _chain_coverage(chain, area, links, enterprises, projects, key_projects, thresholds, year, on) -> dict:
    links = tree_order(links)
    below = _subtrees(links)
    rows = []
    leaves = {link.pk for link in links if not any(other.parent_id == link.pk for other in links)}
    total_gap, total_weight = Decimal("0"), Decimal("0")
    for link in links:
        inside = below[link.pk]
        facts = {e: f for pk in inside for e, f in enterprises.get(pk, {}).items()}
        above = sum(1 for f in facts.values() if f["above"])
        strength = thresholds.judge(len(facts), above)
        weight = link.effective_weight
        gap = weight * STRENGTH_GAP[strength]
        if link.pk in leaves:
            total_gap += gap
            total_weight += weight
        stages: dict[str, int] = defaultdict(int)
        for pk in inside:
            for stage, n in projects.get(pk, {}).items():
                stages[stage] += n
        rows.append(
            {
                "link": link.pk,
                "code": link.code,
                "name": link.label,
                "parent": link.parent_id,
                "segment": link.segment,
                "weight": f"{weight:.2f}",
                "bottleneck": link.bottleneck,
                "enterprises": len(facts),
                "above_designated_size": above,
                "high_tech": sum(1 for f in facts.values() if f["high_tech"]),
                "specialized": sum(1 for f in facts.values() if f["specialized"]),
                "leaders": sum(1 for f in facts.values() if f["leader"]),
                "output_value": f"{sum((f['output'] for f in facts.values()), Decimal('0')):.2f}",
                "projects": {s.value: stages.get(s.value, 0) for s in StageCategory},
                "key_projects": sum(key_projects.get(pk, 0) for pk in inside),
                "strength": strength,
                "gap": f"{gap:.2f}",
            }
        )
    score = (total_gap / total_weight).quantize(FOUR) if total_weight else None
    counted = [r for r in rows if r["link"] in leaves]
    chain_links = {link.pk for link in links}
    return {
        "chain": chain.pk,
        "area": area.pk,
        "year": year,
        "on": on.isoformat(),
        "thresholds": {
            "strong_enterprises": thresholds.strong_enterprises,
            "strong_above_size": thresholds.strong_above_size,
            "rule": thresholds.rule.pk if thresholds.rule else None,
        },
        "links": rows,
        "totals": {
            "links": len(counted),
            "strong": sum(1 for r in counted if r["strength"] == Strength.STRONG),
            "weak": sum(1 for r in counted if r["strength"] == Strength.WEAK),
            "missing": sum(1 for r in counted if r["strength"] == Strength.MISSING),
            "enterprises": len({e for pk, facts in enterprises.items() if pk in chain_links for e in facts}),
            "gap": f"{total_gap:.2f}",
            "weight": f"{total_weight:.2f}",
            "gap_score": None if score is None else f"{score}",
        },
    }


def _subtrees(links: list[Link]) -> dict[int, list[int]]:
    """Each link's own pk and those of every link below it."""
    children = defaultdict(list)
    for link in links:
        children[link.parent_id].append(link.pk)
    out = {}
    for link in links:
        seen, stack = [], [link.pk]
        while stack:
            pk = stack.pop()
            seen.append(pk)
            stack.extend(children.get(pk, ()))
        out[link.pk] = seen
    return out


def _enterprise_facts(placements, year: int) -> dict[int, dict[int, dict]]:
    """{link: {enterprise: facts}} of the active enterprises placed, with their figures of `year` (one
    join on the year's figures, as a DBA would write it; the labels valid that year by EXISTS)."""
    valid = Label.valid_in_year_q(year)
    labels = Label.objects.filter(valid, enterprise=OuterRef("enterprise_id"))
    rows = (
        placements.filter(enterprise__isnull=False, enterprise__status=Status.ACTIVE)
        .annotate(
            figures=FilteredRelation(
                "enterprise__indicators", condition=Q(enterprise__indicators__year=year)
            ),
            high_tech=Exists(labels.filter(kind=LabelKind.HIGH_TECH)),
            specialized=Exists(labels.filter(kind__in=SPECIALIZED)),
        )
        .values_list(
            "link_id",
            "enterprise_id",
            "figures__above_designated_size",
            "figures__output_value",
            "high_tech",
            "specialized",
            "role",
        )
    )
    out: dict[int, dict[int, dict]] = defaultdict(dict)
    for link, enterprise, above, output, high_tech, specialized, role in rows:
        out[link][enterprise] = {
            "above": bool(above),
            "output": output or Decimal("0"),
            "high_tech": high_tech,
            "specialized": specialized,
            "leader": role == Role.LEADER,
        }
    return out


def _projects(placements) -> dict[int, dict[str, int]]:
    out: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for link, stage in placements.filter(project__isnull=False).values_list("link_id", "project__stage"):
        out[link][stage] += 1
    return out


def _key_projects(placements, year: int) -> dict[int, int]:
    out: dict[int, int] = defaultdict(int)
    for (link,) in placements.filter(key_project__isnull=False, key_project__year=year).values_list(
        "link_id"
    ):
        out[link] += 1
    return out


def matrix(chains, parks, user, *, year: int, on: datetime.date) -> list[dict]:
    """Chains × parks: each chain's gap score and strong/weak/missing counts in each park."""
    chains, parks = list(chains), list(parks)
    results = {}
    # One coverage per park (a chain appears once per call: the results are keyed by chain).
    for park in parks:
        for pk, result in coverages([(c, park) for c in chains], user, year=year, on=on).items():
            results[(pk, park.pk)] = result["totals"]
    return [
        {
            "chain": chain.pk,
            "code": chain.code,
            "name": chain.label,
            "areas": [
                {
                    "area": park.pk,
                    **{
                        k: results[(chain.pk, park.pk)][k] for k in ("strong", "weak", "missing", "gap_score")
                    },
                }
                for park in parks
            ],
        }
        for chain in chains
    ]
