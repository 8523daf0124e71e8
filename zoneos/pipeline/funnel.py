"""The funnel of a set of projects: where they are, how many moved on from each stage, how long they
stayed, how big they are, and the same broken down by area, officer, capital origin and industry.

Two sources give the same figures. Without a period, the funnel cells of the areas the user sees
(`funnel_cells`, kept by every write of a project) are summed: a region's funnel reads a few thousand
cells instead of every project. With a period (the projects that became leads in it), or for a user
whose view of projects is not a set of area subtrees, the projects themselves are read: which
categories a project ever entered is a bit mask on the project and the days it spent in each category
it left are columns on it, so three aggregate queries over the projects give every figure: by stage
(with the mask, the capital origin and the size counts), by area, officer and industry division
(with the mask's dropped and signed bits), and the median days per category. On PostgreSQL they go
as one UNION ALL, whose branches the database runs side by side on parallel workers; SQLite, which
has no percentile, gets (days, count) histograms whose median is the same exact value.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import EmptyResultSet
from django.db import connections, transaction
from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import Substr
from django.utils.translation import gettext as _

from zoneos.accounts.models import User
from zoneos.accounts.scoping import scope, view_paths
from zoneos.areas.models import Area
from zoneos.core import industries
from zoneos.core.roles import VIEW
from zoneos.enterprises.models import CapitalOrigin

from .funnel_cells import (
    BILLION,
    HUNDRED_MILLION,
    NO_OWNER,
    OUTCOME_BITS,
    SIGNED_OR_LATER,
    FunnelDays,
    FunnelKeeper,
    FunnelStage,
)
from .models import Project
from .stages import BIT, DAYS_FIELD, FORWARD, ORDER, StageCategory

C = StageCategory
CATEGORIES = [*FORWARD, C.ON_HOLD, C.DROPPED]
DAYS = list(DAYS_FIELD.values())
# The breakdowns of the projects' outcomes: the key in a funnel group, the column of a keeper cell.
KEEPER_KEYS = {"area_id": "area_id", "owner_id": "owner_key", "division": "division"}
COLUMNS = [
    "stage",
    "entered_mask",
    "capital_origin",
    "area_id",
    "owner_id",
    "division",
    "total_investment",
    *DAYS,
]

# The three queries, over the projects' SELECT as `p`. The constants are the module's own, not input.
BY_STAGE = f"""SELECT 1, stage, entered_mask, capital_origin, NULL, NULL, NULL,
    COUNT(*), SUM(total_investment),
    COUNT(*) FILTER (WHERE total_investment >= {HUNDRED_MILLION}),
    COUNT(*) FILTER (WHERE total_investment >= {BILLION}), {{medians_none}}
    FROM ({{sql}}) AS p GROUP BY stage, entered_mask, capital_origin"""  # noqa: S608
BY_KEEPER = f"""SELECT 2, NULL, entered_mask & {OUTCOME_BITS}, NULL, area_id, owner_id, division,
    COUNT(*), SUM(total_investment), NULL, NULL, {{medians_none}}
    FROM ({{sql}}) AS p GROUP BY entered_mask & {OUTCOME_BITS}, area_id, owner_id, division"""  # noqa: S608
MEDIANS = """SELECT 3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, ARRAY[{percentiles}]
    FROM ({sql}) AS p"""
HISTOGRAM = """SELECT {index}, NULL, NULL, NULL, NULL, NULL, NULL, COUNT(*), {days}, NULL, NULL, NULL
    FROM ({sql}) AS p WHERE {days} IS NOT NULL GROUP BY {days}"""


def ratio(part: int, whole: int) -> str | None:
    if not whole:
        return None
    return str((Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP))


def amount(value) -> Decimal:
    """A sum as the database gave it, in yuan to the fen (SQLite sums decimals as floats)."""
    if isinstance(value, float):
        return Decimal(repr(value)).quantize(Decimal("0.01"))
    return Decimal(value or 0)


def money(value) -> str:
    return str(Decimal(value or 0).quantize(Decimal("0.01")))


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


def _queries(projects: QuerySet) -> tuple[list[tuple], bool]:
    """The rows of the three queries, and whether the medians came as percentiles (PostgreSQL)."""
    inner = projects.order_by().annotate(division=Substr("industry_code", 1, 2)).values(*COLUMNS)
    connection = connections[projects.db]
    try:
        sql, params = inner.query.get_compiler(projects.db).as_sql()
    except EmptyResultSet:  # a caller who may see no project at all
        return [], False
    postgres = connection.vendor == "postgresql"
    if postgres:
        percentiles = ", ".join(f"percentile_cont(0.5) WITHIN GROUP (ORDER BY {d})" for d in DAYS)
        parts = [
            BY_STAGE.format(sql=sql, medians_none="NULL::float8[]"),
            BY_KEEPER.format(sql=sql, medians_none="NULL::float8[]"),
            MEDIANS.format(sql=sql, percentiles=percentiles),
        ]
    else:
        parts = [
            BY_STAGE.format(sql=sql, medians_none="NULL"),
            BY_KEEPER.format(sql=sql, medians_none="NULL"),
        ]
        parts += [HISTOGRAM.format(index=10 + i, days=d, sql=sql) for i, d in enumerate(DAYS)]
    query = " UNION ALL ".join(parts)
    with transaction.atomic(using=projects.db), connection.cursor() as cursor:
        if postgres:
            # For this one query: JIT compiling costs more than it saves, and the groups' hash
            # tables (a few thousand rows) fit in memory, so nothing spills to disk.
            cursor.execute("SET LOCAL jit = off")
            cursor.execute("SET LOCAL work_mem = '64MB'")
        cursor.execute(query, tuple(params) * len(parts))
        return cursor.fetchall(), postgres


def funnel_for(user, area: Area | None = None, start=None, end=None) -> dict:
    """The funnel of the projects `user` sees (in `area`'s subtree; that became leads between `start`
    and `end`), from the funnel cells when they can answer, else from the projects."""
    paths = view_paths(user, Project)
    if paths is not None and start is None and end is None:
        return funnel_of_areas(paths, area)
    projects = scope(Project.objects.all(), user, VIEW)
    if area is not None:
        projects = projects.in_subtree(area)
    if start:
        projects = projects.filter(lead_on__gte=start)
    if end:
        projects = projects.filter(lead_on__lte=end)
    return funnel(projects, area)


def funnel(projects: QuerySet, area: Area | None = None) -> dict:
    """The funnel of these projects, read from the projects themselves."""
    rows, percentiles = _queries(projects)
    by_stage = [
        {
            "stage": r[1],
            "mask": r[2],
            "origin": r[3],
            "n": r[7],
            "investment": amount(r[8]),
            "big": r[9],
            "huge": r[10],
        }
        for r in rows
        if r[0] == 1
    ]
    by_keeper = [
        {
            "mask": r[2],
            "area_id": r[4],
            "owner_id": r[5],
            "division": r[6],
            "n": r[7],
            "investment": amount(r[8]),
        }
        for r in rows
        if r[0] == 2
    ]
    if percentiles:
        found = next((r[11] for r in rows if r[0] == 3), None) or [None] * len(DAYS)
        medians = {d: (None if m is None else float(m)) for d, m in zip(DAYS, found, strict=True)}
    else:
        histograms = defaultdict(list)
        for r in rows:
            if r[0] >= 10:
                histograms[DAYS[r[0] - 10]].append((r[8], r[7]))
        medians = {d: median(histograms[d]) for d in DAYS}
    return _figures(by_stage, {key: _collapse(by_keeper, key) for key in KEEPER_KEYS}, medians, area)


def funnel_of_areas(paths: list[str], area: Area | None = None) -> dict:
    """The funnel of every project in the subtrees `paths` (and in `area`'s, when given), summed from
    the funnel cells: the same figures as `funnel()` over those projects."""
    where = Q(pk__in=[])
    for path in paths:
        where |= Q(area__path__startswith=path)
    if area is not None:
        where &= Q(area__path__startswith=area.path)
    by_stage = [
        {
            "stage": r["stage"],
            "mask": r["mask"],
            "origin": r["origin"],
            "n": r["n"],
            "investment": amount(r["investment"]),
            "big": r["big"],
            "huge": r["huge"],
        }
        for r in FunnelStage.objects.filter(where)
        .values("stage", "mask", "origin")
        .annotate(n=Sum("projects"), investment=Sum("investment"), big=Sum("big"), huge=Sum("huge"))
        .order_by()
    ]
    keepers = FunnelKeeper.objects.filter(where)
    by_keeper = {
        key: [
            {
                "mask": r["outcome"],
                key: (r[column] if r[column] != NO_OWNER else None) if column == "owner_key" else r[column],
                "n": r["n"],
                "investment": amount(r["investment"]),
            }
            for r in keepers.values("outcome", column)
            .annotate(n=Sum("projects"), investment=Sum("investment"))
            .order_by()
        ]
        for key, column in KEEPER_KEYS.items()
    }
    histograms = defaultdict(list)
    days = FunnelDays.objects.filter(where).values("category", "days").annotate(n=Sum("projects")).order_by()
    for r in days.values_list("category", "days", "n"):
        histograms[DAYS_FIELD[r[0]]].append((r[1], r[2]))
    medians = {d: median(histograms[d]) for d in DAYS}
    return _figures(by_stage, by_keeper, medians, area)


def _collapse(groups: list[dict], key: str) -> list[dict]:
    """The groups summed per outcome and `key` alone."""
    out: dict = {}
    for g in groups:
        cell = out.setdefault((g["mask"], g[key]), {"mask": g["mask"], key: g[key], "n": 0, "investment": 0})
        cell["n"] += g["n"]
        cell["investment"] += g["investment"]
    return list(out.values())


def _figures(
    by_stage: list[dict], by_keeper: dict[str, list[dict]], medians: dict, area: Area | None
) -> dict:
    """The funnel from the groups of its projects, whichever source summed them: `by_stage` per stage,
    categories entered and capital origin; `by_keeper[key]` per outcome and each of KEEPER_KEYS."""

    def total(name="n", where=lambda r: True, rows=by_stage):
        return sum(r[name] for r in rows if where(r))

    of_stage = _by(by_stage, "stage")  # a stage's own groups, read without passing over all of them

    def active(r):
        return r["stage"] != C.DROPPED

    def signed(r):
        return r["mask"] & SIGNED_OR_LATER

    stages = []
    for category in CATEGORIES:
        bit = BIT[category]
        entered = total(where=lambda r, b=bit: r["mask"] & b)
        moved = None
        if category in ORDER and _later(category):
            later = _later(category)
            moved = total(where=lambda r, b=bit, lt=later: r["mask"] & b and r["mask"] & lt)
        stages.append(
            {
                "category": category,
                "label": str(C(category).label),
                "count": total(rows=of_stage[category]),
                "total_investment": money(total("investment", rows=of_stage[category])),
                "entered": entered,
                "moved_on": moved,
                "conversion_rate": ratio(moved, entered) if moved is not None else None,
                "median_days": medians.get(DAYS_FIELD.get(category)),
            }
        )
    return {
        "area": area.pk if area else None,
        "stages": stages,
        "total": total(where=active),
        "total_investment": money(total("investment", where=active)),
        "signed": total(where=signed),
        "signed_investment": money(total("investment", where=signed)),
        "over_100m": total("big", where=active),
        "over_1b": total("huge", where=active),
        "by_area": _by_area(by_keeper["area_id"], area),
        "by_officer": _by_officer(by_keeper["owner_id"]),
        "by_capital_origin": _rows(by_stage, "origin", dict(CapitalOrigin.choices)),
        "by_industry": _rows(by_keeper["division"], "division", _division_names()),
    }


def _row(key, label, rows: list[dict]) -> dict:
    """A breakdown row from the groups of one key (each group knows its projects' outcome bits)."""
    dropped = BIT[C.DROPPED]
    return {
        "key": key,
        "label": str(label),
        "count": sum(r["n"] for r in rows if not r["mask"] & dropped),
        "total_investment": money(
            sum((r["investment"] for r in rows if not r["mask"] & dropped), Decimal(0))
        ),
        "signed": sum(r["n"] for r in rows if r["mask"] & SIGNED_OR_LATER),
        "dropped": sum(r["n"] for r in rows if r["mask"] & dropped),
    }


def _sorted(rows: list[dict]) -> list[dict]:
    return sorted(rows, key=lambda r: (-Decimal(r["total_investment"]), -r["count"], str(r["key"])))


def _by(groups: list[dict], field: str) -> dict:
    """The groups of each value of `field`."""
    out: dict = defaultdict(list)
    for g in groups:
        out[g[field]].append(g)
    return out


def _rows(groups: list[dict], field: str, labels: dict) -> list[dict]:
    return _sorted(
        [
            _row(key or None, labels.get(key) or _("Not given"), rows)
            for key, rows in _by(groups, field).items()
        ]
    )


def _division_names() -> dict:
    return {
        code: f"{code} {industry.label}" for code, industry in industries.table().items() if len(code) == 2
    }


def _by_officer(groups: list[dict]) -> list[dict]:
    by_owner = _by(groups, "owner_id")
    names = {u.pk: str(u) for u in User.objects.filter(pk__in=[k for k in by_owner if k])}
    return _sorted([_row(key, names.get(key) or _("No officer"), rows) for key, rows in by_owner.items()])


def _by_area(groups: list[dict], area: Area | None) -> list[dict]:
    """Each child of `area` (its whole subtree), or each area with projects when no area is given."""
    paths = dict(Area.objects.filter(pk__in=[g["area_id"] for g in groups]).values_list("pk", "path"))
    if area is not None:
        children = list(Area.objects.filter(parent=area).order_by("code")) or [area]
    else:
        children = list(Area.objects.filter(pk__in=paths).order_by("path"))
    # Each group to the children above its area, matched once per area rather than once per group
    # and child (a funnel of the whole zone has thousands of groups on a few dozen areas).
    under = {pk: [c.pk for c in children if path.startswith(c.path)] for pk, path in paths.items()}
    of_child: dict = {child.pk: [] for child in children}
    for g in groups:
        for pk in under[g["area_id"]]:
            of_child[pk].append(g)
    return [_row(child.pk, child.label, of_child[child.pk]) for child in children]
