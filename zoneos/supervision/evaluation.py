"""Evaluation of an area's children against each other for a month: a weighted score over four
measures, each taken against the pace of the year and capped at 100 %:

- completion: cumulative completed investment / (annual plan x time progress);
- starts: new-start key projects actually started / new-start key projects (no pace: a start is due
  by its planned date, which the status already watches);
- funds: cumulative funds in place / (annual plan x time progress);
- signing: investment projects signed since 1 January / (the year's signing target x time progress).

A measure an area has nothing to be measured on (no new starts, no signing target) drops out and the
remaining weights are scaled up, so an area is not punished for what does not apply to it. The score
is 0-100. Areas with fewer key projects than the scheme's `min_projects` are listed, unranked, as not
comparable: a park with one project that happens to be ahead is not "first".
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count

from zoneos.areas.models import Area
from zoneos.pipeline.models import Project, StageEvent
from zoneos.pipeline.stages import StageCategory

from . import progress, services
from .models import EvaluationScheme, SigningTarget

MEASURES = ("completion", "start", "funds", "signing")
ONE = Decimal(1)


@dataclass(frozen=True)
class Weights:
    completion: Decimal
    start: Decimal
    funds: Decimal
    signing: Decimal
    min_projects: int
    scheme: EvaluationScheme | None = None

    def as_dict(self) -> dict:
        return {
            "scheme": self.scheme.pk if self.scheme else None,
            "scheme_area": self.scheme.area_id if self.scheme else None,
            **{f"weight_{m}": f"{getattr(self, m):.2f}" for m in MEASURES},
            "min_projects": self.min_projects,
        }


DEFAULT = Weights(Decimal(40), Decimal(20), Decimal(20), Decimal(20), 3)


def weights_for(area: Area, year: int) -> Weights:
    """The scheme of `area` for `year`, else the nearest one above it, else the defaults."""
    ids = [*area.ancestor_ids(), area.pk]
    schemes = {s.area_id: s for s in EvaluationScheme.objects.filter(area_id__in=ids, year=year)}
    for area_id in reversed(ids):
        scheme = schemes.get(area_id)
        if scheme is not None:
            return Weights(
                scheme.weight_completion,
                scheme.weight_start,
                scheme.weight_funds,
                scheme.weight_signing,
                scheme.min_projects,
                scheme,
            )
    return DEFAULT


def _capped(value: Decimal | None) -> Decimal | None:
    return None if value is None else min(value, ONE)


def _signed_by_child(area: Area, children: list[Area], year: int, month: int) -> dict[int, int]:
    moves = (
        StageEvent.objects.filter(
            to_category=StageCategory.SIGNED,
            on__gte=datetime.date(year, 1, 1),
            on__lte=services.month_end(year, month),
            project__in=Project.objects.in_subtree(area),
        )
        .values("project__area__path")
        .annotate(n=Count("project", distinct=True))
        .order_by()
    )
    counts = {child.pk: 0 for child in children}
    for row in moves:
        for child in children:
            if row["project__area__path"].startswith(child.path):
                counts[child.pk] += row["n"]
    return counts


def _signing_targets(area: Area, children: list[Area], year: int) -> dict[int, int | None]:
    """Each child's target: its own, else the sum of its descendants' targets."""
    targets = list(
        SigningTarget.objects.in_subtree(area).filter(year=year).select_related("area").order_by("area__path")
    )
    found = {}
    for child in children:
        own = next((t.projects for t in targets if t.area_id == child.pk), None)
        if own is None:
            below = [t.projects for t in targets if t.area.path.startswith(child.path)]
            own = sum(below) if below else None
        found[child.pk] = own
    return found


def ranking(area: Area, year: int, month: int) -> dict:
    """The children of `area` scored and ranked at the end of `month`."""
    weights = weights_for(area, year)
    s = services.summary(area, year, month, listed=0)
    elapsed = progress.time_progress(year, month)
    children = list(Area.objects.filter(parent=area).order_by("code"))
    signed = _signed_by_child(area, children, year, month) if children else {}
    targets = _signing_targets(area, children, year) if children else {}
    by_id = {c["area"]: c for c in s["by_child"]}
    rows = []
    for child in children:
        figures = by_id[child.pk]
        plan = Decimal(figures["annual_plan"])
        paced = plan * elapsed
        target = targets.get(child.pk)
        measures = {
            "completion": _capped(progress.rate(Decimal(figures["completed"]), paced)),
            "start": _capped(progress.rate(figures["started"], figures["new_starts"])),
            "funds": _capped(progress.rate(Decimal(figures["funds_in_place"]), paced)),
            "signing": _capped(progress.rate(signed[child.pk], Decimal(target) * elapsed))
            if target
            else None,
        }
        applicable = {m: getattr(weights, m) for m, v in measures.items() if v is not None}
        total = sum(applicable.values(), Decimal(0))
        score = (
            sum((measures[m] * w for m, w in applicable.items()), Decimal(0)) * 100 / total
            if figures["projects"] and total
            else None
        )
        rows.append(
            {
                "area": child.pk,
                "name": child.label,
                "projects": figures["projects"],
                "annual_plan": figures["annual_plan"],
                "completed": figures["completed"],
                "completion_rate": figures["completion_rate"],
                "status": figures["status"],
                "new_starts": figures["new_starts"],
                "started": figures["started"],
                "funds_in_place": figures["funds_in_place"],
                "signed": signed[child.pk],
                "signing_target": target,
                "measures": {m: progress.four(v) for m, v in measures.items()},
                "score": None if score is None else str(score.quantize(Decimal("0.1"), ROUND_HALF_UP)),
                "comparable": figures["projects"] >= weights.min_projects,
            }
        )
    rows.sort(
        key=lambda r: (
            not r["comparable"],
            r["score"] is None,
            -Decimal(r["score"] or 0),
            r["name"],
        )
    )
    rank = 0
    for row in rows:
        if row["comparable"] and row["score"] is not None:
            rank += 1
            row["rank"] = rank
        else:
            row["rank"] = None
    return {
        "area": area.pk,
        "month": f"{year}-{month:02d}",
        "time_progress": progress.four(elapsed),
        "weights": weights.as_dict(),
        "rows": rows,
    }
