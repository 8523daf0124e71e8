"""A chain's cells: what the enterprises placed on it add to each link in each area, kept exact in the
transaction that writes a placement, an enterprise's status or area, its yearly figures or its labels,
so that a chain's coverage over a province is a sum over a few thousand cells instead of a pass over
every placed enterprise and its figures (bench/chains.py).

An active enterprise placed on a chain counts once on every link it sits on and every link above them
(its *nodes*), and once on the chain as a whole (node 0), in the area of its placements:
- `ChainMembers` (chain, node, area): enterprises, of which chain leaders (a leader's placement on the
  link or below it);
- `ChainYear` (… , year): the enterprises with figures that year (`reporting`), of which above
  designated size, and their output value;
- `ChainLabel` (… , kind, first year, last year): the enterprises holding a label group (high-tech;
  specialised: specialised SME or little giant) over those years, an enterprise's overlapping labels
  merged, so a year's count is a sum over the cells whose years hold it. An open validity ends in 9999.

`parts()` is the one definition of an enterprise's part; the writers take the part out before a change
and put it back after it (`zoneos.core.rollups`), `refresh()` recomputes the cells of some chains or
areas from the rows, and coverage as the chain stood on a past day computes the same cells in memory
from the placements made before it. A placement hangs on its enterprise's area: an enterprise that
moves takes its placements (and its part) with it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.db import models, transaction
from django.db.models.signals import post_delete

from zoneos.areas.models import AreaBoundQuerySet
from zoneos.core.rollups import Cells, OutOfStep, RollupSpec
from zoneos.enterprises.models import LabelKind

WHOLE_CHAIN = 0
OPEN = 9999
# The label groups a coverage counts, each with the label kinds that make it (enterprises.LabelKind).
LABEL_GROUPS = {
    "high_tech": (LabelKind.HIGH_TECH,),
    "specialized": (LabelKind.SPECIALIZED_SME, LabelKind.LITTLE_GIANT),
}
BATCH = 2000
LEADER = "leader"  # models.Role.LEADER (that module imports this one)


class _Cell(models.Model):
    chain = models.ForeignKey("chains.Chain", on_delete=models.CASCADE, related_name="+", db_index=False)
    node = models.PositiveIntegerField()  # a link's id, WHOLE_CHAIN for the chain as a whole
    area = models.ForeignKey("areas.Area", on_delete=models.CASCADE, related_name="+", db_index=False)

    area_path = "area__path"
    objects = AreaBoundQuerySet.as_manager()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.chain_id}/{self.node}@{self.area_id}"


class ChainMembers(_Cell):
    enterprises = models.PositiveIntegerField(default=0)
    leaders = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["chain", "node", "area"], name="chainmembers_cell")]


class ChainYear(_Cell):
    year = models.PositiveSmallIntegerField()
    reporting = models.PositiveIntegerField(default=0)
    above = models.PositiveIntegerField(default=0)
    output = models.DecimalField(max_digits=24, decimal_places=2, default=Decimal(0))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["chain", "year", "node", "area"], name="chainyear_cell")
        ]


class ChainLabel(_Cell):
    kind = models.CharField(max_length=16)
    first_year = models.PositiveSmallIntegerField()
    last_year = models.PositiveSmallIntegerField()
    enterprises = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["chain", "node", "area", "kind", "first_year", "last_year"], name="chainlabel_cell"
            )
        ]


MEMBERS = RollupSpec(ChainMembers, ("chain_id", "node", "area_id"), ("enterprises", "leaders"), "enterprises")
YEARS = RollupSpec(
    ChainYear, ("chain_id", "node", "area_id", "year"), ("reporting", "above", "output"), "reporting"
)
LABELS = RollupSpec(
    ChainLabel,
    ("chain_id", "node", "area_id", "kind", "first_year", "last_year"),
    ("enterprises",),
    "enterprises",
)
SPECS = (MEMBERS, YEARS, LABELS)
NAMED = {"members": MEMBERS, "years": YEARS, "labels": LABELS}


# The one definition of an enterprise's part ---------------------------------------------------------
def merged(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Year spans joined where they overlap or touch: each year held once."""
    out: list[list[int]] = []
    for first, last in sorted(spans):
        if out and first <= out[-1][1] + 1:
            out[-1][1] = max(out[-1][1], last)
        else:
            out.append([first, last])
    return [(a, b) for a, b in out]


def parts(placements, figures, labels, parents) -> tuple[Cells, Cells, Cells]:
    """The cells of these placements of active enterprises.

    `placements`: (enterprise, link, chain, area, role) rows; `figures`: {enterprise: [(year, above,
    output)]}; `labels`: {enterprise: {group: [(first year, last year)]}}; `parents`: {link: parent}.
    """
    members: Cells = defaultdict(lambda: {"enterprises": 0, "leaders": 0})
    years: Cells = defaultdict(lambda: {"reporting": 0, "above": 0, "output": Decimal(0)})
    spans: Cells = defaultdict(lambda: {"enterprises": 0})
    nodes: dict[tuple, set[int]] = defaultdict(set)
    leading: dict[tuple, set[int]] = defaultdict(set)
    for enterprise, link, chain, area, role in placements:
        above = with_ancestors(link, parents)
        nodes[(enterprise, chain, area)] |= above
        if role == LEADER:
            leading[(enterprise, chain, area)] |= above
    for (enterprise, chain, area), held in nodes.items():
        leaders = leading.get((enterprise, chain, area), ())
        mine_figures = figures.get(enterprise, ())
        mine_labels = labels.get(enterprise, {})
        for node in held:
            cell = members[(chain, node, area)]
            cell["enterprises"] += 1
            cell["leaders"] += node in leaders
            for year, is_above, output in mine_figures:
                cell = years[(chain, node, area, year)]
                cell["reporting"] += 1
                cell["above"] += bool(is_above)
                cell["output"] += output or 0
            for group, held_spans in mine_labels.items():
                for first, last in held_spans:
                    spans[(chain, node, area, group, first, last)]["enterprises"] += 1
    return dict(members), dict(years), dict(spans)


def with_ancestors(link: int, parents: dict[int, int | None]) -> set[int]:
    out, seen = {WHOLE_CHAIN}, link
    while seen is not None and seen not in out:
        out.add(seen)
        seen = parents.get(seen)
    return out


# Reading the rows -----------------------------------------------------------------------------------
def compute(placements) -> tuple[Cells, Cells, Cells]:
    """The cells of the enterprise placements in this Placement queryset, from the rows as they are."""
    from zoneos.enterprises.models import Indicator, Label, Status

    rows = list(
        placements.filter(enterprise__isnull=False, enterprise__status=Status.ACTIVE).values_list(
            "enterprise_id", "link_id", "link__chain_id", "area_id", "role"
        )
    )
    if not rows:
        return {}, {}, {}
    parents = link_parents({r[2] for r in rows})
    enterprises = sorted({r[0] for r in rows})
    figures: dict[int, list] = defaultdict(list)
    labels: dict[int, dict] = defaultdict(lambda: defaultdict(list))
    group_of = {kind: group for group, kinds in LABEL_GROUPS.items() for kind in kinds}
    for start in range(0, len(enterprises), BATCH):
        batch = enterprises[start : start + BATCH]
        for e, year, above, output in Indicator.objects.filter(enterprise_id__in=batch).values_list(
            "enterprise_id", "year", "above_designated_size", "output_value"
        ):
            figures[e].append((year, above, output))
        for e, kind, valid_from, valid_to in Label.objects.filter(
            enterprise_id__in=batch, kind__in=list(group_of)
        ).values_list("enterprise_id", "kind", "valid_from", "valid_to"):
            labels[e][group_of[kind]].append((valid_from.year, valid_to.year if valid_to else OPEN))
    merged_labels = {e: {g: merged(s) for g, s in groups.items()} for e, groups in labels.items()}
    return parts(rows, figures, merged_labels, parents)


def link_parents(chain_ids) -> dict[int, int | None]:
    from .models import Link

    return dict(Link.objects.filter(chain_id__in=sorted(chain_ids)).values_list("pk", "parent_id"))


def contribution(enterprise_ids: Iterable[int]) -> tuple[Cells, Cells, Cells]:
    from .models import Placement

    ids = sorted(set(enterprise_ids))
    if not ids:
        return {}, {}, {}
    return compute(Placement.objects.filter(enterprise_id__in=ids))


# Keeping them ---------------------------------------------------------------------------------------
def take_out(part: tuple) -> None:
    """Take a part out of the cells, before the rows change. Cells that had not followed rows written
    around the writers are rebuilt from the rows first (the part is still in the rows then) and the
    part taken out again."""
    try:
        for spec, cells in zip(SPECS, part, strict=True):
            spec.subtract(cells)
    except OutOfStep:
        refresh(areas={k[2] for cells in part for k in cells})
        for spec, cells in zip(SPECS, part, strict=True):
            spec.subtract(cells)


def put_in(part: tuple) -> None:
    """Put a part into the cells, after the rows changed."""
    for spec, cells in zip(SPECS, part, strict=True):
        spec.add(cells)


def follow_enterprise_areas(enterprise_ids: Iterable[int] | None = None, areas=None) -> set[int]:
    """Move the placements of these enterprises (or those in these areas, or of their enterprises;
    neither: all) to their enterprise's area. Returns the areas placements left and entered."""
    from django.db.models import Q

    from zoneos.enterprises.models import Enterprise

    from .models import Placement

    placed = Placement.objects.filter(enterprise__isnull=False)
    if enterprise_ids is not None:
        placed = placed.filter(enterprise_id__in=sorted(set(enterprise_ids)))
    elif areas is not None:
        areas = sorted({a for a in areas if a})
        placed = placed.filter(Q(area_id__in=areas) | Q(enterprise__area_id__in=areas))
    stray = placed.exclude(area_id=models.F("enterprise__area_id"))
    moves = list(stray.values_list("pk", "area_id", "enterprise_id"))
    if not moves:
        return set()
    homes = dict(Enterprise.objects.filter(pk__in={m[2] for m in moves}).values_list("pk", "area_id"))
    by_home: dict[int, list[int]] = defaultdict(list)
    for pk, _area, enterprise in moves:
        by_home[homes[enterprise]].append(pk)
    for home, pks in by_home.items():
        Placement.objects.filter(pk__in=pks).update(area_id=home)
    return {m[1] for m in moves} | set(by_home)


@transaction.atomic
def refresh(*, chains: Iterable[int] | None = None, areas: Iterable[int] | None = None) -> int:
    """Recompute the cells of these chains (or of these areas; neither: all) from the rows; how many
    cells there are now."""
    from .models import Placement

    placements = Placement.objects.all()
    where: dict = {}
    if chains is not None:
        where["chain_id__in"] = sorted(set(chains))
        placements = placements.filter(link__chain_id__in=where["chain_id__in"])
    if areas is not None:
        where["area_id__in"] = sorted({a for a in areas if a})
        placements = placements.filter(area_id__in=where["area_id__in"])
    written = 0
    for spec, cells in zip(SPECS, compute(placements), strict=True):
        spec.model.objects.filter(**where)._raw_delete(spec.model.objects.db)
        spec.model.objects.bulk_create(
            [spec.model(**dict(zip(spec.keys, k, strict=True)), **v) for k, v in cells.items()],
            batch_size=BATCH,
        )
        written += len(cells)
    return written


def rebuild() -> int:
    """Every cell from the rows (`manage.py rebuild_rollups chain_*`), placements moved to their
    enterprise's area first."""
    with transaction.atomic():
        follow_enterprise_areas()
        return refresh()


# Following the registry: an enterprise's status, area, figures and labels ---------------------------
def _before_registry_change(sender, enterprise_ids, **kwargs) -> None:
    take_out(contribution(enterprise_ids))


def _after_registry_change(sender, area_ids=None, enterprise_ids=None, **kwargs) -> None:
    if enterprise_ids is not None:
        follow_enterprise_areas(enterprise_ids)
        put_in(contribution(enterprise_ids))
    elif area_ids is None:  # the whole registry (the demo)
        rebuild()
    else:  # an import: the areas it wrote, and those its enterprises left or entered
        refresh(areas={*area_ids, *follow_enterprise_areas(areas=area_ids)})


def _enterprise_deleted(sender, instance, **kwargs) -> None:
    """An enterprise deleted (a record entered by mistake) took its placements with it: its area's
    cells are recomputed."""
    refresh(areas=[instance.area_id])


def connect() -> None:
    """Follow the registry (called when the app is ready; the registry does not know chains)."""
    from zoneos.enterprises.models import Enterprise
    from zoneos.enterprises.services import figures_changed, figures_changing

    figures_changing.connect(_before_registry_change, dispatch_uid="chain-cells-before")
    figures_changed.connect(_after_registry_change, dispatch_uid="chain-cells-after")
    post_delete.connect(_enterprise_deleted, sender=Enterprise, dispatch_uid="chain-cells-enterprise")
