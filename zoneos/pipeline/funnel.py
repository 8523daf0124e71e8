"""The funnel of a set of projects: where they are, how many moved on from each stage, how long they
stayed, how big they are, and the same broken down by area, officer, capital origin and industry.

The caller passes the projects (already scoped to the user and narrowed to an area's subtree and to
the projects that became leads in a period). Counts and sums are one aggregate query over the
projects; which categories a project ever entered is a bit mask on the project, so "moved on" needs
no walk through the history. Median days come from the stays recorded on the stage moves, counted
per (category, days) in the database and read off the histogram here, which is exact and the same on
every database.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Substr
from django.utils.translation import gettext as _

from zoneos.areas.models import Area
from zoneos.core import industries
from zoneos.enterprises.models import CapitalOrigin

from .models import StageEvent
from .stages import BIT, FORWARD, ORDER, StageCategory

C = StageCategory
HUNDRED_MILLION = Decimal(100_000_000)
BILLION = Decimal(1_000_000_000)
SIGNED_OR_LATER = sum(BIT[c] for c in FORWARD[ORDER[C.SIGNED] :])
CATEGORIES = [*FORWARD, C.ON_HOLD, C.DROPPED]


def ratio(part: int, whole: int) -> str | None:
    if not whole:
        return None
    return str((Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP))


def money(value) -> str:
    return str((value or Decimal(0)).quantize(Decimal("0.01")))


def _later(category: str) -> int:
    return sum(BIT[c] for c in FORWARD[ORDER[category] + 1 :])


def median(histogram: list[tuple[int, int]]) -> float | None:
    """The median of values given as (value, how many), as percentile_cont(0.5) computes it."""
    total = sum(n for _v, n in histogram)
    if not total:
        return None
    ordered = sorted(histogram)

    def nth(k: int) -> int:  # the k-th value, 0-based
        seen = 0
        for value, n in ordered:
            seen += n
            if k < seen:
                return value
        raise IndexError(k)

    if total % 2:
        return float(nth(total // 2))
    return (nth(total // 2 - 1) + nth(total // 2)) / 2


def funnel(projects: QuerySet, area: Area | None = None) -> dict:
    active = ~Q(stage=C.DROPPED)
    aggregates: dict = {
        "total": Count("pk", filter=active),
        "investment": Sum("total_investment", filter=active),
        "over_100m": Count("pk", filter=active & Q(total_investment__gte=HUNDRED_MILLION)),
        "over_1b": Count("pk", filter=active & Q(total_investment__gte=BILLION)),
        "signed": Count("pk", filter=Q(signed_mask__gt=0)),
        "signed_investment": Sum("total_investment", filter=Q(signed_mask__gt=0)),
    }
    masks = {"signed_mask": F("entered_mask").bitand(SIGNED_OR_LATER)}
    for category in CATEGORIES:
        aggregates[f"now_{category}"] = Count("pk", filter=Q(stage=category))
        aggregates[f"sum_{category}"] = Sum("total_investment", filter=Q(stage=category))
        masks[f"in_{category}"] = F("entered_mask").bitand(BIT[category])
        aggregates[f"entered_{category}"] = Count("pk", filter=Q(**{f"in_{category}__gt": 0}))
        if category in ORDER and _later(category):
            masks[f"on_{category}"] = F("entered_mask").bitand(_later(category))
            aggregates[f"moved_{category}"] = Count(
                "pk", filter=Q(**{f"in_{category}__gt": 0, f"on_{category}__gt": 0})
            )
    totals = projects.alias(**masks).aggregate(**aggregates)

    stays: dict[str, list[tuple[int, int]]] = {}
    histogram = (
        StageEvent.objects.filter(project__in=projects.values("pk"), days__isnull=False)
        .values_list("to_category", "days")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for category, days, n in histogram:
        stays.setdefault(category, []).append((days, n))

    stages = []
    for category in CATEGORIES:
        entered = totals[f"entered_{category}"]
        moved = totals.get(f"moved_{category}")
        stages.append(
            {
                "category": category,
                "label": str(C(category).label),
                "count": totals[f"now_{category}"],
                "total_investment": money(totals[f"sum_{category}"]),
                "entered": entered,
                "moved_on": moved,
                "conversion_rate": ratio(moved, entered) if moved is not None else None,
                "median_days": median(stays.get(category, [])),
            }
        )
    return {
        "area": area.pk if area else None,
        "stages": stages,
        "total": totals["total"],
        "total_investment": money(totals["investment"]),
        "signed": totals["signed"],
        "signed_investment": money(totals["signed_investment"]),
        "over_100m": totals["over_100m"],
        "over_1b": totals["over_1b"],
        "by_area": _by_area(projects, area),
        "by_officer": _by_officer(projects),
        "by_capital_origin": _by_key(projects, "capital_origin", dict(CapitalOrigin.choices)),
        "by_industry": _by_division(projects),
    }


def _group(projects: QuerySet, *keys: str):
    return (
        projects.alias(signed_mask=F("entered_mask").bitand(SIGNED_OR_LATER))
        .values(*keys)
        .annotate(
            count=Count("pk", filter=~Q(stage=C.DROPPED)),
            investment=Sum("total_investment", filter=~Q(stage=C.DROPPED)),
            signed=Count("pk", filter=Q(signed_mask__gt=0)),
            dropped=Count("pk", filter=Q(stage=C.DROPPED)),
        )
        .order_by()
    )


def _row(key, label, count=0, investment=None, signed=0, dropped=0) -> dict:
    return {
        "key": key,
        "label": label,
        "count": count,
        "total_investment": money(investment),
        "signed": signed,
        "dropped": dropped,
    }


def _by_key(projects: QuerySet, field: str, labels: dict) -> list[dict]:
    rows = [
        _row(
            r[field],
            str(labels.get(r[field], r[field] or _("Not given"))),
            r["count"],
            r["investment"],
            r["signed"],
            r["dropped"],
        )
        for r in _group(projects, field)
    ]
    return sorted(rows, key=lambda r: (-Decimal(r["total_investment"]), str(r["key"])))


def _by_division(projects: QuerySet) -> list[dict]:
    """By GB/T 4754 division (the first two digits of the industry code)."""
    rows = []
    for r in _group(projects.annotate(division=Substr("industry_code", 1, 2)), "division"):
        industry = industries.get(r["division"]) if r["division"] else None
        label = f"{r['division']} {industry.label}" if industry else _("Not given")
        rows.append(
            _row(r["division"] or None, label, r["count"], r["investment"], r["signed"], r["dropped"])
        )
    return sorted(rows, key=lambda r: (-Decimal(r["total_investment"]), str(r["key"])))


def _by_officer(projects: QuerySet) -> list[dict]:
    rows = []
    for r in _group(projects, "owner_id", "owner__display_name", "owner__username"):
        label = r["owner__display_name"] or r["owner__username"] or _("No officer")
        rows.append(_row(r["owner_id"], label, r["count"], r["investment"], r["signed"], r["dropped"]))
    return sorted(rows, key=lambda r: (-Decimal(r["total_investment"]), str(r["label"])))


def _by_area(projects: QuerySet, area: Area | None) -> list[dict]:
    """Each child of `area` (its whole subtree), or each area with projects when no area is given."""
    grouped = list(_group(projects, "area_id", "area__path"))
    if area is not None:
        children = list(Area.objects.filter(parent=area).order_by("code"))
        if not children:
            children = [area]
    else:
        children = list(Area.objects.filter(pk__in={r["area_id"] for r in grouped}).order_by("path"))
    out = []
    for child in children:
        inside = [r for r in grouped if r["area__path"].startswith(child.path)]
        out.append(
            _row(
                child.pk,
                child.label,
                sum(r["count"] for r in inside),
                sum((r["investment"] or Decimal(0) for r in inside), Decimal(0)),
                sum(r["signed"] for r in inside),
                sum(r["dropped"] for r in inside),
            )
        )
    return out
