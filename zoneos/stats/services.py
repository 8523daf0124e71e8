"""The zone's figures: keeping the rollup current, and the overview of an area's subtree for a year.

`overview()` is the one function behind the API, the dashboard, the highlights and the tests. It
sums rollup rows in the database; the only Python loops run over areas, sections and origins (tens
of rows), never over enterprises.

Conventions, the same in the API and on the pages: counts are of active enterprises with figures in the
year; money is Decimal yuan; ratios are fractions (the API writes them as decimal strings with four
decimals).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count, Exists, F, FilteredRelation, OuterRef, Q, Subquery, Sum
from django.dispatch import receiver
from django.utils.translation import gettext as _

from zoneos.accounts.scoping import require, require_placement
from zoneos.areas.models import Area
from zoneos.audit.context import acting
from zoneos.core import industries
from zoneos.core.roles import CHANGE
from zoneos.core.rollups import OutOfStep, RollupSpec
from zoneos.core.services import apply_changes
from zoneos.enterprises.models import CapitalOrigin, Indicator, Label, LabelKind, Status
from zoneos.enterprises.services import figures_changed, figures_changing

from .models import MONEY_METRICS, Metric, Rollup, Target

COUNTS = ("enterprises", "above_designated_size", "high_tech", "specialized_sme", "little_giant")
SUMS = ("output_value", "revenue", "tax_paid", "output_comparable", "output_comparable_prev")
FOUR = Decimal("0.0001")
LABEL_COUNTS = {
    "high_tech": LabelKind.HIGH_TECH,
    "specialized_sme": LabelKind.SPECIALIZED_SME,
    "little_giant": LabelKind.LITTLE_GIANT,
}


# Keeping the rollup current ------------------------------------------------------------------------
def _cells(indicators, year: int | None):
    """Rollup cells from the given indicator rows (one grouped query): of `year`, or (None) of each
    row's own year, for the few rows of one enterprise."""
    if year is not None:
        first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        valid = Q(valid_from__lte=last) & (Q(valid_to__isnull=True) | Q(valid_to__gte=first))
        # The same enterprise's figures of the year before, joined once (at most one row: unique per year).
        indicators = indicators.filter(year=year).annotate(
            previous=FilteredRelation(
                "enterprise__indicators",
                condition=Q(
                    enterprise__indicators__year=year - 1, enterprise__indicators__output_value__isnull=False
                ),
            )
        )
        previous = "previous__output_value"
    else:
        row_year = OuterRef("year")
        valid = Q(valid_from__year__lte=row_year) & (
            Q(valid_to__isnull=True) | Q(valid_to__year__gte=row_year)
        )
        indicators = indicators.annotate(
            previous_output=Subquery(
                Indicator.objects.filter(
                    enterprise=OuterRef("enterprise"), year=row_year - 1, output_value__isnull=False
                ).values("output_value")[:1]
            )
        )
        previous = "previous_output"

    def holds(kind):
        return Exists(Label.objects.filter(valid, enterprise=OuterRef("enterprise"), kind=kind))

    comparable = Q(**{f"{previous}__isnull": False}, output_value__isnull=False)
    return (
        indicators.annotate(**{f"has_{k}": holds(v) for k, v in LABEL_COUNTS.items()})
        .values(
            of_year=F("year"),
            area_ref=F("enterprise__area_id"),
            section=F("enterprise__industry_section"),
            origin=F("enterprise__capital_origin"),
        )
        .annotate(
            n_enterprises=Count("pk"),
            n_above=Count("pk", filter=Q(above_designated_size=True)),
            **{f"n_{k}": Count("pk", filter=Q(**{f"has_{k}": True})) for k in LABEL_COUNTS},
            s_output=Sum("output_value"),
            s_revenue=Sum("revenue"),
            s_tax=Sum("tax_paid"),
            s_comparable=Sum("output_value", filter=comparable),
            s_comparable_prev=Sum(previous, filter=comparable),
        )
        .order_by()
    )


# Each rollup figure and the column of `_cells` it comes from: declared once, for the rebuild and the deltas.
FIGURES = {
    "enterprises": "n_enterprises",
    "above_designated_size": "n_above",
    "high_tech": "n_high_tech",
    "specialized_sme": "n_specialized_sme",
    "little_giant": "n_little_giant",
    "output_value": "s_output",
    "revenue": "s_revenue",
    "tax_paid": "s_tax",
    "output_comparable": "s_comparable",
    "output_comparable_prev": "s_comparable_prev",
}
SPEC = RollupSpec(
    Rollup,
    keys=("area_id", "year", "industry_section", "capital_origin"),
    figures=tuple(FIGURES),
    count="enterprises",
)


def _rollup_rows(indicators, year: int | None):
    """The rollup rows (key and figures) of `year` (None: each row's own) from these indicator rows."""
    for c in _cells(indicators, year):
        yield {
            "area_id": c["area_ref"],
            "year": c["of_year"],
            "industry_section": c["section"] or "",
            "capital_origin": c["origin"],
            **{name: c[column] or 0 for name, column in FIGURES.items()},
        }


def _lock_areas(area_ids, *, share: bool) -> None:
    """A full refresh of an area excludes the deltas of its cells while it runs (PostgreSQL)."""
    if connection.vendor != "postgresql" or not area_ids:
        return
    mode = "SHARE" if share else "UPDATE"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT 1 FROM areas_area WHERE id = ANY(%s) ORDER BY id FOR {mode}",  # noqa: S608
            [sorted(area_ids)],
        )


def refresh(area_ids: Iterable[int] | None, years: Iterable[int] | None = None) -> int:
    """Recompute the rollup of these areas (None: all) for these years (None: all). Returns cells."""
    rollup = Rollup.objects.all()
    indicators = Indicator.objects.filter(enterprise__status=Status.ACTIVE)
    if area_ids is not None:
        area_ids = [a for a in set(area_ids) if a]
        rollup = rollup.filter(area_id__in=area_ids)
        indicators = indicators.filter(enterprise__area_id__in=area_ids)
    if years is not None:
        years = sorted(set(years))
        rollup = rollup.filter(year__in=years)
    else:
        years = sorted(indicators.values_list("year", flat=True).distinct().order_by())
    with transaction.atomic():
        if area_ids is not None:
            _lock_areas(area_ids, share=False)
        else:
            with connection.cursor() as cursor:
                if connection.vendor == "postgresql":
                    cursor.execute(f"LOCK TABLE {Rollup._meta.db_table} IN SHARE ROW EXCLUSIVE MODE")
        rollup.delete()
        created = 0
        for year in years:
            cells = [Rollup(**row) for row in _rollup_rows(indicators, year)]
            Rollup.objects.bulk_create(cells, batch_size=2000)
            created += len(cells)
    return created


def contribution(enterprise_ids: Iterable[int], years: Iterable[int] | None = None) -> dict:
    """What these enterprises put into the rollup in these years (None: every year of their figures):
    the cells a full rebuild would compute from their rows alone."""
    ids = sorted(set(enterprise_ids))
    indicators = Indicator.objects.filter(enterprise__status=Status.ACTIVE, enterprise_id__in=ids)
    if years is not None:
        indicators = indicators.filter(year__in=sorted(set(years)))
    return SPEC.cells(_rollup_rows(indicators, None))


@receiver(figures_changing)
def _before_registry_change(sender, enterprise_ids, years, **kwargs) -> None:
    cells = contribution(enterprise_ids, years)
    _lock_areas({k[0] for k in cells}, share=True)
    try:
        SPEC.subtract(cells)
    except OutOfStep:
        # The rollup had not followed figures written around the services: rebuild those cells (the
        # ones already changed included) from the rows as they are, then take the part out.
        refresh({k[0] for k in cells}, {k[1] for k in cells})
        SPEC.subtract(cells)


@receiver(figures_changed)
def _follow_registry(sender, area_ids, years, enterprise_ids=None, **kwargs) -> None:
    if enterprise_ids is None:
        refresh(area_ids, years)
        return
    cells = contribution(enterprise_ids, years)
    _lock_areas({k[0] for k in cells}, share=True)
    SPEC.add(cells)


# Reading -------------------------------------------------------------------------------------------
def ratio(numerator, denominator) -> Decimal | None:
    if numerator is None or not denominator:
        return None
    return Decimal(numerator) / Decimal(denominator)


def growth(current, previous) -> Decimal | None:
    r = ratio(current, previous)
    return None if r is None else r - 1


def four(value: Decimal | None) -> str | None:
    return None if value is None else str(value.quantize(FOUR, rounding=ROUND_HALF_UP))


@dataclass
class Figures:
    enterprises: int = 0
    above_designated_size: int = 0
    high_tech: int = 0
    specialized_sme: int = 0
    little_giant: int = 0
    output_value: Decimal = Decimal(0)
    revenue: Decimal = Decimal(0)
    tax_paid: Decimal = Decimal(0)
    output_comparable: Decimal = Decimal(0)
    output_comparable_prev: Decimal = Decimal(0)
    output_value_prev: Decimal = Decimal(0)
    enterprises_prev: int = 0

    def add(self, row: dict) -> None:
        for name in (*COUNTS, *SUMS):
            if name in row:
                setattr(self, name, getattr(self, name) + (row[name] or 0))

    @property
    def has_figures(self) -> bool:
        return self.enterprises > 0

    @property
    def output_yoy(self) -> Decimal | None:
        return growth(self.output_value, self.output_value_prev) if self.enterprises_prev else None

    @property
    def output_yoy_comparable(self) -> Decimal | None:
        return growth(self.output_comparable, self.output_comparable_prev)


SUM_EXPRESSIONS = {name: Sum(name) for name in (*COUNTS, *SUMS)}


def _rows(area: Area, years: list[int], group: tuple[str, ...]):
    return (
        Rollup.objects.in_subtree(area)
        .filter(year__in=years)
        .values("year", *group)
        .annotate(**SUM_EXPRESSIONS)
        .order_by()
    )


def subtree_figures(area: Area, year: int) -> Figures:
    figures = Figures()
    for row in _rows(area, [year, year - 1], ()):
        if row["year"] == year:
            figures.add(row)
        else:
            figures.output_value_prev = row["output_value"] or Decimal(0)
            figures.enterprises_prev = row["enterprises"] or 0
    return figures


@dataclass
class Part:
    """One slice of the overview (a child area, an industry section, a capital origin)."""

    key: object
    name: str
    name_en: str
    figures: Figures = field(default_factory=Figures)


@dataclass
class Overview:
    area: Area
    year: int
    figures: Figures
    parent: Area | None
    parent_output: Decimal | None
    by_child: list[Part]
    by_industry_section: list[Part]
    by_capital_origin: list[Part]
    targets: list[dict]

    @property
    def share_of_parent(self) -> Decimal | None:
        return ratio(self.figures.output_value, self.parent_output) if self.parent_output else None


def _grouped(area: Area, year: int, column: str) -> dict:
    parts: dict = {}
    for row in _rows(area, [year, year - 1], (column,)):
        key = row[column]
        figures = parts.setdefault(key, Figures())
        if row["year"] == year:
            figures.add(row)
        else:
            figures.output_value_prev = row["output_value"] or Decimal(0)
            figures.enterprises_prev = row["enterprises"] or 0
    return parts


def _by_child(area: Area, year: int) -> list[Part]:
    children = list(Area.objects.filter(parent=area).order_by("path"))
    if not children:
        return []
    per_area = _grouped(area, year, "area__path")
    parts = [Part(child.pk, child.name, child.name_en) for child in children]
    # Enterprises hanging on the area itself, not on one of its children.
    direct = Part(area.pk, f"{area.name}（本级）", f"{area.name_en or area.name} (directly)")
    for path, figures in per_area.items():
        owner = next((p for p, c in zip(parts, children, strict=True) if path.startswith(c.path)), direct)
        owner.figures.add(vars(figures))
        owner.figures.output_value_prev += figures.output_value_prev
        owner.figures.enterprises_prev += figures.enterprises_prev
    if direct.figures.enterprises or direct.figures.enterprises_prev:
        parts.append(direct)
    return sorted(parts, key=lambda p: (-p.figures.output_value, p.name))


def _by_section(area: Area, year: int) -> list[Part]:
    names = {s.code: s for s in industries.sections()}
    parts = []
    for code, figures in _grouped(area, year, "industry_section").items():
        section = names.get(code)
        parts.append(Part(code, section.name if section else "", section.name_en if section else "", figures))
    return sorted(parts, key=lambda p: (-p.figures.output_value, p.key))


def _by_origin(area: Area, year: int) -> list[Part]:
    from django.utils import translation

    parts = []
    for code, figures in _grouped(area, year, "capital_origin").items():
        label = CapitalOrigin(code).label
        with translation.override("zh-hans"):
            zh = str(label)
        with translation.override("en"):
            en = str(label)
        parts.append(Part(code, zh, en, figures))
    return sorted(parts, key=lambda p: (-p.figures.output_value, p.key))


def _targets(area: Area, year: int, figures: Figures) -> list[dict]:
    rows = []
    for target in Target.objects.filter(area=area, year__gte=year).order_by("year", "metric"):
        actual = Decimal(getattr(figures, target.metric))  # every Metric is a Figures field
        rows.append(
            {
                "target": target,
                "actual": actual,
                "progress": ratio(actual, target.value),
                "gap": target.value - actual,
                "money": target.metric in MONEY_METRICS,
            }
        )
    return rows


def overview(area: Area, year: int) -> Overview:
    figures = subtree_figures(area, year)
    parent = area.parent
    parent_output = None
    if parent is not None:
        parent_output = subtree_figures(parent, year).output_value or None
    return Overview(
        area=area,
        year=year,
        figures=figures,
        parent=parent,
        parent_output=parent_output,
        by_child=_by_child(area, year),
        by_industry_section=_by_section(area, year),
        by_capital_origin=_by_origin(area, year),
        targets=_targets(area, year, figures),
    )


def latest_year(area: Area) -> int | None:
    return Rollup.objects.in_subtree(area).order_by("-year").values_list("year", flat=True).first()


def years_with_figures(area: Area) -> list[int]:
    return list(Rollup.objects.in_subtree(area).values_list("year", flat=True).distinct().order_by("-year"))


def series(area: Area, years: list[int]) -> list[tuple[int, Figures]]:
    """Figures of the subtree year by year (for the dashboard's trend chart)."""
    out: dict[int, Figures] = {y: Figures() for y in years}
    for row in _rows(area, years, ()):
        out[row["year"]].add(row)
    return sorted(out.items())


__all__ = ["Metric", "overview", "refresh"]


# Targets -------------------------------------------------------------------------------------------
TARGET_FIELDS = ("area", "metric", "year", "value", "note")


def _check_target(target: Target) -> None:
    errors = {}
    clash = Target.objects.filter(area=target.area, metric=target.metric, year=target.year).exclude(
        pk=target.pk
    )
    if clash.exists():
        errors["metric"] = [_("This area already has a target for this metric and year.")]
    if target.value is not None and target.value <= 0:
        errors["value"] = [_("A target is a positive number.")]
    if not 1949 <= (target.year or 0) <= 2100:
        errors["year"] = [_("Give a year between 1949 and 2100.")]
    if errors:
        raise ValidationError(errors)
    target.full_clean(validate_unique=False)


@transaction.atomic
def create_target(*, by, area: Area, metric: str, year: int, value, note: str = "") -> Target:

    require_placement(Target, area, by)
    target = Target(area=area, metric=metric, year=year, value=value, note=note)
    _check_target(target)
    with acting(by):
        target.save()
    return target


@transaction.atomic
def update_target(target: Target, *, by, **changes) -> Target:

    require(target, by, CHANGE)
    apply_changes(target, changes, TARGET_FIELDS)
    if "area" in changes:
        require_placement(Target, target.area, by)
    _check_target(target)
    with acting(by):
        target.save()
    return target


@transaction.atomic
def delete_target(target: Target, *, by) -> None:

    require(target, by, CHANGE)
    with acting(by):
        target.delete()
