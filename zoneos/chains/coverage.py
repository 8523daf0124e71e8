"""Strength and gaps of a chain in an area: for each link, what the caller sees placed on it and on
the links below it (active enterprises, how many are above designated size, high-tech, specialised;
their output value; investment projects by stage; key projects), its strength and its gap.

- `missing`: no active enterprise placed; `strong`: at least the rule's number of active enterprises,
  of which at least its number above designated size; `weak` otherwise. The rule is the newest in
  force on the day asked for, of the area or the nearest area above it (`rule_for`); none: 3 and 1.
- A link's gap is its weight (doubled for a bottleneck) times 1 when missing, 0.5 when weak and 0 when
  strong; where a national or provincial benchmark share of the link is loaded, at least what its
  location quotient (its share of the chain's output here over that share) falls short of 1
  (`gap_factor`). The chain's gap score is Σ gap / Σ weight over the leaf links (a parent link is
  judged by its parts; counting it too would count them twice).

The counts are read from the chain's cells (`zoneos.chains.cells`, kept by every writer), through
`scope()` as the placements are: park staff see their park's placements and figures only. The links,
their cells and the projects placed on them come in one statement (`reading`), the cells narrowed to
the areas `scope()`'s policy lets the caller see (`view_paths`). The chain as it stood on a past day
(`placed_before`) is the kept counts less the part of the enterprises placed since, plus their part
from their earlier placements (computed from the rows, by the same definition).
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import DecimalField, F, IntegerField, Max, Q, Sum, Value
from django.utils.translation import get_language

from zoneos.accounts.scoping import scope
from zoneos.areas.models import subtree_q
from zoneos.core.models import BilingualName
from zoneos.core.roles import VIEW
from zoneos.enterprises.models import Indicator
from zoneos.pipeline.stages import StageCategory
from zoneos.policies.scoping import ancestor_paths

from . import cells, reading
from .cells import ChainLabel, ChainMembers, ChainYear
from .models import STRENGTH_GAP, Chain, Link, Placement, Strength, StrengthRule, effective_weight

FOUR = Decimal("0.0001")
STAGES = tuple(s.value for s in StageCategory)
NO_PROJECTS = dict.fromkeys(STAGES, 0)
LINK_COLUMNS = (
    "chain_id", "code", "parent_id", "name", "name_en", "segment", "weight", "bottleneck", "position",
    "benchmark_share",
)  # fmt: skip


@dataclass  # not frozen: a frozen dataclass is built six times slower, and a coverage builds one a link
class LinkRow(BilingualName):
    """What a coverage reads of a link (LINK_COLUMNS after its pk), without a model instance."""

    pk: int
    chain_id: int
    code: str
    parent_id: int | None
    name: str
    name_en: str
    segment: str
    weight: Decimal
    bottleneck: bool
    position: int
    benchmark_share: Decimal | None

    @property
    def effective_weight(self) -> Decimal:
        return effective_weight(self.weight, self.bottleneck)


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
    return {
        area.pk: _thresholds(next((r for r in rules if area.path.startswith(r.area.path)), None))
        for area in areas
    }


def _thresholds(rule: StrengthRule | None) -> Thresholds:
    return Thresholds(rule.strong_enterprises, rule.strong_above_size, rule) if rule else Thresholds()


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
    read = reading.read(pairs, user, year, on, projects=placed_before is None)
    if read is None:  # the caller's scope is not a union of subtrees: the cells through scope()
        by_chain, counted, placed = _links(pairs), _stored_by_scope(pairs, user, year), None
        thresholds = rules_for([a for _c, a in pairs], on)
    else:
        by_chain = defaultdict(list, {c: [LinkRow(*row) for row in rows] for c, rows in read.links.items()})
        counted, placed = read.counted, read.projects
        thresholds = {area: _thresholds(rule) for area, rule in read.rules.items()}
    if placed is None:
        where = Q()
        for chain, area in pairs:
            where |= Q(link__chain=chain) & subtree_q(Placement, area)
        placements = scope(Placement.objects.filter(where), user, VIEW)
        if placed_before is not None:
            counted = _as_it_stood(counted, placements, placed_before, year)
            placements = placements.filter(created_at__date__lt=placed_before)
        placed = _placed_projects(placements, year)
    parents = {link.pk: link.parent_id for rows in by_chain.values() for link in rows}
    projects, key_projects = _projects(placed, parents)
    return {
        chain.pk: _chain_coverage(
            chain,
            area,
            by_chain[chain.pk],
            counted,
            projects,
            key_projects,
            thresholds[area.pk],
            year,
            on,
        )
        for chain, area in pairs
    }


def location_quotient(output, chain_output, benchmark_share):
    """The link's share of the chain's output value here (per cent) and that share over the benchmark
    share (the location quotient: 1 means as present here as in the country or province); None where
    no benchmark is loaded or the chain has no output here."""
    if not chain_output:
        return None, None
    share = Decimal(output) * 100 / Decimal(chain_output)
    if benchmark_share is None:
        return share, None
    return share, share / benchmark_share


def gap_factor(strength: str, quotient: Decimal | None) -> Decimal:
    """What a link leaves to fill: 1 missing, 0.5 weak, 0 strong; where a benchmark share is loaded, at
    least what its location quotient falls short of 1 (a strong link with a quotient of 0.3 leaves 0.7:
    enough enterprises, but a fraction of the output such a link has elsewhere)."""
    factor = STRENGTH_GAP[strength]
    if quotient is None or strength == Strength.MISSING:
        return factor
    return max(factor, 1 - min(quotient, Decimal(1)))


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


def _chain_coverage(chain, area, links, counted, projects, key_projects, thresholds, year, on) -> dict:
    links = tree_order(links)
    rows = []
    parents = {link.parent_id for link in links}
    leaves = {link.pk for link in links if link.pk not in parents}
    total_gap, total_weight = Decimal("0"), Decimal("0")
    whole = counted.get((chain.pk, cells.WHOLE_CHAIN), NOTHING)
    chain_output = whole["output"]
    language = get_language()  # once, not once a link
    for link in links:
        found = counted.get((chain.pk, link.pk), NOTHING)
        strength = thresholds.judge(found["enterprises"], found["above"])
        share, quotient = location_quotient(found["output"], chain_output, link.benchmark_share)
        weight = effective_weight(link.weight, link.bottleneck)
        gap = weight * gap_factor(strength, quotient)
        if link.pk in leaves:
            total_gap += gap
            total_weight += weight
        stages = projects.get(link.pk)
        staged = dict(NO_PROJECTS) if stages is None else {stage: stages.get(stage, 0) for stage in STAGES}
        rows.append(
            {
                "link": link.pk,
                "code": link.code,
                "name": link.display_name(language),
                "parent": link.parent_id,
                "segment": link.segment,
                "weight": f"{weight:.2f}",
                "bottleneck": link.bottleneck,
                "enterprises": found["enterprises"],
                "above_designated_size": found["above"],
                "high_tech": found["high_tech"],
                "specialized": found["specialized"],
                "leaders": found["leaders"],
                "output_value": f"{found['output']:.2f}",
                "projects": staged,
                "key_projects": key_projects.get(link.pk, 0),
                "strength": strength,
                "benchmark_share": None if link.benchmark_share is None else f"{link.benchmark_share:.3f}",
                "output_share": None if share is None else f"{share:.2f}",
                "location_quotient": None if quotient is None else f"{quotient:.2f}",
                "gap": f"{gap:.2f}",
            }
        )
    score = (total_gap / total_weight).quantize(FOUR) if total_weight else None
    counted = [r for r in rows if r["link"] in leaves]
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
            "enterprises": whole["enterprises"],
            "gap": f"{total_gap:.2f}",
            "weight": f"{total_weight:.2f}",
            "gap_score": None if score is None else f"{score}",
        },
    }


NOTHING = {"enterprises": 0, "leaders": 0, "above": 0, "output": Decimal(0), "high_tech": 0, "specialized": 0}


def _counted() -> dict:
    return defaultdict(lambda: dict(NOTHING))


def _links(pairs) -> dict[int, list[LinkRow]]:
    by_chain: dict[int, list[LinkRow]] = defaultdict(list)
    links = Link.objects.filter(chain__in=[c for c, _a in pairs]).values_list("pk", *LINK_COLUMNS)
    for values in links.order_by("position", "code"):
        link = LinkRow(*values)
        by_chain[link.chain_id].append(link)
    return by_chain


def _stored(pairs, user, year: int) -> dict[tuple[int, int], dict]:
    """{(chain, link or WHOLE_CHAIN): figures} summed from the kept cells the caller sees (`cells`)."""
    read = reading.read(pairs, user, year, projects=False)
    return _stored_by_scope(pairs, user, year) if read is None else read.counted


def _stored_by_scope(pairs, user, year: int) -> dict[tuple[int, int], dict]:
    """`_stored` through `scope()` itself, for a caller whose scope is not a union of subtrees: the
    three kinds of cell read by one statement."""

    def read(model, kind, **where):
        condition = Q()
        for chain, area in pairs:
            condition |= Q(chain=chain) & subtree_q(model, area)
        rows = scope(model.objects.filter(condition, **where), user, VIEW).order_by()
        return rows.values("chain_id", "node", tag=kind)

    zero = Value(0, output_field=IntegerField())
    members = read(ChainMembers, Value("members")).annotate(
        a=Sum("enterprises"), b=Sum("leaders"), c=Value(Decimal(0), output_field=DecimalField())
    )
    years = read(ChainYear, Value("year"), year=year).annotate(a=Sum("above"), b=zero, c=Sum("output"))
    spans = read(ChainLabel, F("kind"), first_year__lte=year, last_year__gte=year)
    spans = spans.annotate(a=Sum("enterprises"), b=zero, c=Value(Decimal(0), output_field=DecimalField()))
    out = _counted()
    for chain, node, tag, a, b, c in members.union(years, spans, all=True).values_list(
        "chain_id", "node", "tag", "a", "b", "c"
    ):
        found = out[(chain, node)]
        if tag == "members":
            found["enterprises"], found["leaders"] = a, b
        elif tag == "year":
            found["above"], found["output"] = a, c or Decimal(0)
        else:
            found[tag] = a
    return out


def _as_it_stood(counted, placements, placed_before: datetime.date, year: int) -> dict:
    """The counts as the chain stood before `placed_before`: the part of the enterprises placed since
    then is taken out of the kept counts and their part from their earlier placements put back."""
    recent = placements.filter(enterprise__isnull=False, created_at__date__gte=placed_before)
    enterprises = set(recent.values_list("enterprise_id", flat=True))
    if not enterprises:
        return counted
    theirs = placements.filter(enterprise_id__in=sorted(enterprises))
    now = counted_from_rows(theirs, year)
    then = counted_from_rows(theirs.filter(created_at__date__lt=placed_before), year)
    out = _counted()
    for key in counted.keys() | now.keys() | then.keys():
        found = out[key]
        for name in NOTHING:
            found[name] = (
                counted.get(key, NOTHING)[name] - now.get(key, NOTHING)[name] + then.get(key, NOTHING)[name]
            )
    return out


def counted_from_rows(placements, year: int) -> dict[tuple[int, int], dict]:
    """What `_stored` reads from the kept cells, computed from these placements' rows instead."""
    return _summed(cells.compute(placements), year)


def _summed(parts, year: int) -> dict[tuple[int, int], dict]:
    """The sums of cells computed in memory."""
    members, years, labels = parts
    out = _counted()
    for (chain, node, _area), cell in members.items():
        found = out[(chain, node)]
        found["enterprises"] += cell["enterprises"]
        found["leaders"] += cell["leaders"]
    for (chain, node, _area, of_year), cell in years.items():
        if of_year == year:
            out[(chain, node)]["above"] += cell["above"]
            out[(chain, node)]["output"] += cell["output"]
    for (chain, node, _area, kind, first, last), cell in labels.items():
        if first <= year <= last:
            out[(chain, node)][kind] += cell["enterprises"]
    return out


def _placed_projects(placements, year: int) -> list[tuple]:
    """(link, project, its stage, key project) of the investment projects and key projects of `year`
    among these placements."""
    return list(
        placements.filter(enterprise__isnull=True)
        .filter(Q(project__isnull=False) | Q(key_project__year=year))
        .order_by()
        .values_list("link_id", "project_id", "project__stage", "key_project_id")
    )


def _projects(rows, parents: dict) -> tuple[dict[int, dict[str, int]], dict[int, int]]:
    """The investment projects placed on each link or below it, by stage, and the key projects; a
    project placed on two links below one counts once there. `rows`: `_placed_projects`' rows;
    `parents`: {link: parent}."""
    staged: dict[int, dict[int, str]] = defaultdict(dict)
    keyed: dict[int, set[int]] = defaultdict(set)
    for link, project, stage, key_project in rows:
        for node in cells.with_ancestors(link, parents) - {cells.WHOLE_CHAIN}:
            if project is not None:
                staged[node][project] = stage
            else:
                keyed[node].add(key_project)
    projects = {node: Counter(found.values()) for node, found in staged.items()}
    return projects, {node: len(found) for node, found in keyed.items()}


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
