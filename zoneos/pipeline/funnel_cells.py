"""The funnel's cells: what every project adds to its area's funnel, kept exact in the transaction that
writes the project, so that the funnel of a whole region is a sum over a few thousand cells instead of
a pass over every project.

A project adds one to three kinds of cell of its area:
- `FunnelStage` (stage, categories ever entered, capital origin): count, investment, over 100 million,
  over 1 billion;
- `FunnelKeeper` (the reached-signing and dropped bits, officer, industry division): count, investment;
- `FunnelDays` (category, days): one per category it has left, the days it stayed there (the
  histograms whose medians are the funnel's median days).

`Project.save()` and `delete()` take the project's old part out of its cells and put the new one in
(`account`), reading the old one under the row's lock, so every writer (services, imports, the admin)
keeps the cells; `manage.py rebuild_rollups funnel_*` repairs them after rows were written around the
model (bulk loads). A project's cells hold no period, so a funnel of the leads of a period reads the
projects themselves (`zoneos.pipeline.funnel`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.conf import settings
from django.db import models, transaction
from django.db.models import Count, F, Q, Sum, Value
from django.db.models.functions import Coalesce, Substr
from django.db.models.signals import pre_delete
from django.dispatch import receiver

from zoneos.core.rollups import Cells, RollupSpec

from .stages import BIT, DAYS_FIELD, FORWARD, ORDER, StageCategory

C = StageCategory
HUNDRED_MILLION = 100_000_000
BILLION = 1_000_000_000
SIGNED_OR_LATER = sum(BIT[c] for c in FORWARD[ORDER[C.SIGNED] :])
# The bits of the mask the breakdowns need: whether a project reached signing, whether it was dropped.
OUTCOME_BITS = SIGNED_OR_LATER | BIT[C.DROPPED]
NO_OWNER = 0
# What a project's part depends on: a write that changes none of these leaves its cells alone.
SOURCE_FIELDS = (
    "area_id",
    "stage",
    "entered_mask",
    "capital_origin",
    "owner_id",
    "industry_code",
    "total_investment",
    *DAYS_FIELD.values(),
)


class FunnelStage(models.Model):
    area = models.ForeignKey("areas.Area", on_delete=models.CASCADE, related_name="+", db_index=False)
    stage = models.CharField(max_length=24)
    mask = models.PositiveIntegerField()
    origin = models.CharField(max_length=16)
    projects = models.PositiveIntegerField(default=0)
    investment = models.DecimalField(max_digits=24, decimal_places=2, default=Decimal(0))
    big = models.PositiveIntegerField(default=0)
    huge = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["area", "stage", "mask", "origin"], name="funnelstage_cell")
        ]

    def __str__(self) -> str:
        return f"{self.area_id} {self.stage} {self.mask} {self.origin}"


class FunnelKeeper(models.Model):
    area = models.ForeignKey("areas.Area", on_delete=models.CASCADE, related_name="+", db_index=False)
    outcome = models.PositiveIntegerField()
    owner_key = models.PositiveIntegerField()  # the officer's id, 0 for none (a key is never null)
    division = models.CharField(max_length=2)
    projects = models.PositiveIntegerField(default=0)
    investment = models.DecimalField(max_digits=24, decimal_places=2, default=Decimal(0))

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["area", "outcome", "owner_key", "division"], name="funnelkeeper_cell"
            )
        ]

    def __str__(self) -> str:
        return f"{self.area_id} {self.outcome} {self.owner_key} {self.division}"


class FunnelDays(models.Model):
    area = models.ForeignKey("areas.Area", on_delete=models.CASCADE, related_name="+", db_index=False)
    category = models.CharField(max_length=24)
    days = models.PositiveIntegerField()
    projects = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["area", "category", "days"], name="funneldays_cell")]

    def __str__(self) -> str:
        return f"{self.area_id} {self.category} {self.days}"


STAGES = RollupSpec(
    FunnelStage,
    keys=("area_id", "stage", "mask", "origin"),
    figures=("projects", "investment", "big", "huge"),
    count="projects",
)
KEEPERS = RollupSpec(
    FunnelKeeper,
    keys=("area_id", "outcome", "owner_key", "division"),
    figures=("projects", "investment"),
    count="projects",
)
DAYS = RollupSpec(FunnelDays, keys=("area_id", "category", "days"), figures=("projects",), count="projects")
NAMED = {"stages": STAGES, "keepers": KEEPERS, "days": DAYS}  # as `rebuild_rollups funnel_<name>` calls them
SPECS = tuple(NAMED.values())


def parts(project: Mapping) -> tuple[list[dict], list[dict], list[dict]]:
    """A project's part of each kind of cell (its values as a dict of SOURCE_FIELDS)."""
    investment = project["total_investment"] or Decimal(0)
    area = project["area_id"]
    stage = {
        "area_id": area,
        "stage": project["stage"],
        "mask": project["entered_mask"],
        "origin": project["capital_origin"],
        "projects": 1,
        "investment": investment,
        "big": int(investment >= HUNDRED_MILLION),
        "huge": int(investment >= BILLION),
    }
    keeper = {
        "area_id": area,
        "outcome": project["entered_mask"] & OUTCOME_BITS,
        "owner_key": project["owner_id"] or NO_OWNER,
        "division": (project["industry_code"] or "")[:2],
        "projects": 1,
        "investment": investment,
    }
    days = [
        {"area_id": area, "category": category, "days": project[name], "projects": 1}
        for category, name in DAYS_FIELD.items()
        if project[name] is not None
    ]
    return [stage], [keeper], days


def cells_of(projects: Iterable[Mapping]) -> tuple[Cells, Cells, Cells]:
    found = [parts(p) for p in projects]
    return tuple(spec.cells(row for p in found for row in p[i]) for i, spec in enumerate(SPECS))


def account(before: Iterable[Mapping], after: Iterable[Mapping], using: str = "default") -> None:
    """Move the difference between the projects' parts before and after a write into the cells."""
    old, new = cells_of(before), cells_of(after)
    for spec, was, now in zip(SPECS, old, new, strict=True):
        spec.apply(spec.difference(now, was), using)


def values(project) -> dict:
    """The project's values as the database will hold them (an amount to the fen)."""
    found = {name: getattr(project, name) for name in SOURCE_FIELDS}
    amount = found["total_investment"]
    if amount is not None:
        found["total_investment"] = Decimal(amount).quantize(Decimal("0.01"))
    return found


def grouped(projects: models.QuerySet) -> tuple[Cells, Cells, Cells]:
    """The cells of these projects, summed by the database (for the rebuild and its check)."""
    investment = Coalesce(Sum("total_investment"), Value(Decimal(0)), output_field=models.DecimalField())
    stage = projects.values("area_id", "stage", mask=F("entered_mask"), origin=F("capital_origin"))
    stage = stage.annotate(
        projects=Count("pk"),
        investment=investment,
        big=Count("pk", filter=Q(total_investment__gte=HUNDRED_MILLION)),
        huge=Count("pk", filter=Q(total_investment__gte=BILLION)),
    ).order_by()
    keeper = (
        projects.annotate(
            outcome=F("entered_mask").bitand(OUTCOME_BITS),
            owner_key=Coalesce("owner_id", Value(NO_OWNER)),
            division=Substr("industry_code", 1, 2),
        )
        .values("area_id", "outcome", "owner_key", "division")
        .annotate(projects=Count("pk"), investment=investment)
        .order_by()
    )
    days: list[dict] = []
    for category, name in DAYS_FIELD.items():
        rows = (
            projects.filter(**{f"{name}__isnull": False})
            .values("area_id", days=F(name))
            .annotate(projects=Count("pk"))
            .order_by()
        )
        days.extend({**r, "category": category} for r in rows)
    return STAGES.cells(stage), KEEPERS.cells(keeper), DAYS.cells(days)


@transaction.atomic
def rebuild(spec: RollupSpec | None = None, *, projects=None, models_of=None) -> int:
    """Recompute the cells (of one kind, or all) from the projects; how many there are. A migration
    passes its historical `projects` queryset and `models_of(spec)`, the historical cell model."""
    if projects is None:
        from .models import Project

        projects = Project.objects.all()
    written = 0
    for each, cells in zip(SPECS, grouped(projects), strict=True):
        if spec is not None and each is not spec:
            continue
        model = models_of(each) if models_of else each.model
        model.objects.all().delete()
        model.objects.bulk_create(
            [model(**dict(zip(each.keys, k, strict=True)), **v) for k, v in cells.items()], batch_size=2000
        )
        written += len(cells)
    return written


@receiver(pre_delete, sender=settings.AUTH_USER_MODEL, dispatch_uid="funnel_cells_officer_deleted")
def officer_deleted(sender, instance, using, **kwargs):
    """Deleting a user sets their projects' officer to none in SQL, around `Project.save()`: their
    keeper cells move to "no officer" with them."""
    cells = KEEPERS.rows(using, owner_key=instance.pk)
    if cells:
        KEEPERS.subtract(cells, using)
        moved: Cells = {}
        for (area, outcome, _owner, division), figures in cells.items():
            key = (area, outcome, NO_OWNER, division)
            moved[key] = {n: moved.get(key, {}).get(n, 0) + v for n, v in figures.items()}
        KEEPERS.add(moved, using)
