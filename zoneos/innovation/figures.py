"""Figures of innovation platforms and funds, each defined once and read by the pages, the API, the
chain page's panel and (later) the dashboard: platforms by level in an area, the recognitions ending
soon, and what funds invested, exited and still hold. Counted by the database, in a fixed number of
queries whatever the number of rows."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Count, DecimalField, ExpressionWrapper, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from zoneos.accounts.scoping import scope
from zoneos.core.roles import VIEW

from .fund_models import Exit, Fund, FundKind, Investment
from .platform_models import EXPIRING_DAYS, LEVEL_COLOR, Platform, PlatformLevel

ZERO = Decimal("0")
MONEY = DecimalField(max_digits=20, decimal_places=2)
SUMMED = ("size", "invested", "exited", "remaining", "proceeds")


def count_by_level(platforms) -> dict:
    """`platforms` counted by level, every level listed (national first, zero included), with the
    total: `{"levels": [{"level", "label", "color", "count"}], "total"}`. One query."""
    counts = dict(platforms.order_by().values_list("level").annotate(n=Count("pk")))
    levels = [
        {"level": lv.value, "label": lv.label, "color": LEVEL_COLOR[lv], "count": counts.get(lv.value, 0)}
        for lv in PlatformLevel
    ]
    return {"levels": levels, "total": sum(row["count"] for row in levels)}


def platforms_by_level(area, *, on: datetime.date | None = None, user=None) -> dict:
    """The platforms of `area`'s subtree in force on `on` (default today) by level (`count_by_level`).
    With `user`, only the platforms they see."""
    on = on or timezone.localdate()
    platforms = Platform.objects.in_subtree(area).in_force(on)
    if user is not None:
        platforms = scope(platforms, user, VIEW)
    return count_by_level(platforms)


def expiring(platforms, *, on: datetime.date | None = None, days: int = EXPIRING_DAYS):
    """Of `platforms` (already scoped), those whose recognition ends within `days` days, soonest first."""
    on = on or timezone.localdate()
    return platforms.expiring(on, days).select_related("area").order_by("valid_to", "pk")


def _exited(outer: str):
    return Coalesce(
        Subquery(
            Exit.objects.filter(**{outer: OuterRef("pk")})
            .order_by()
            .values(outer)
            .annotate(total=Sum("amount"))
            .values("total")[:1],
            output_field=MONEY,
        ),
        Value(ZERO),
        output_field=MONEY,
    )


def _less(a: str, b: str):
    return ExpressionWrapper(F(a) - F(b), output_field=MONEY)


def with_totals(funds):
    """`funds` annotated with `invested` (the investments' cost), `exited` (the cost exited), `remaining`
    (invested less exited), `proceeds` and `investment_count`, in yuan."""
    invested = Coalesce(
        Subquery(
            Investment.objects.filter(fund=OuterRef("pk"))
            .order_by()
            .values("fund")
            .annotate(total=Sum("amount"))
            .values("total")[:1],
            output_field=MONEY,
        ),
        Value(ZERO),
        output_field=MONEY,
    )
    proceeds = Coalesce(
        Subquery(
            Exit.objects.filter(investment__fund=OuterRef("pk"))
            .order_by()
            .values("investment__fund")
            .annotate(total=Sum("proceeds"))
            .values("total")[:1],
            output_field=MONEY,
        ),
        Value(ZERO),
        output_field=MONEY,
    )
    count = Subquery(
        Investment.objects.filter(fund=OuterRef("pk"))
        .order_by()
        .values("fund")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return funds.annotate(
        invested=invested,
        exited=_exited("investment__fund"),
        proceeds=proceeds,
        investment_count=Coalesce(count, Value(0)),
    ).annotate(remaining=_less("invested", "exited"))


def investments_with_exits(investments):
    """`investments` annotated with `exited` (the cost exited) and `remaining` (amount less exited)."""
    return investments.annotate(exited=_exited("investment")).annotate(remaining=_less("amount", "exited"))


def totals(funds) -> dict:
    """The sums over `funds` annotated by `with_totals`: size, invested, exited, remaining, proceeds
    and the number of funds."""
    rows = list(funds)
    sums = {key: sum((getattr(f, key) or ZERO for f in rows), ZERO) for key in SUMMED}
    return {**sums, "count": len(rows)}


def funds_for_chain(chain, user):
    """The funds that focus on `chain` that `user` sees, industry funds first, with their totals."""
    funds = scope(Fund.objects.filter(focus_chains=chain), user, VIEW).select_related("area")
    return with_totals(funds).order_by("kind", "name")


def chains_without_industry_fund(chains):
    """Of `chains`, those no industry fund focuses on."""
    return chains.exclude(Q(innovation_funds__kind=FundKind.INDUSTRY)).distinct()
