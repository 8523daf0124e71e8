"""The per-enterprise, per-year metrics that bulk matching reads (`models.Metrics`), kept exact by
following the registry's `figures_changed` signal in the writing transaction (as the statistics
rollup is): the rows of the enterprises (or areas) and years that changed are deleted and written
again by one `INSERT … SELECT` from the yearly figures, so the table is always what a full rebuild
writes. A year's row depends on the two years before it, so a change to year Y rewrites Y, Y+1, Y+2.

`expected(enterprise_ids)` computes the same rows in Python (through the variables' Python form); the
tests compare the two.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, transaction
from django.dispatch import receiver

from zoneos.enterprises.services import figures_changed

from .models import Metrics

FIGURES = (
    "revenue",
    "main_business_revenue",
    "output_value",
    "tax_paid",
    "rd_expense",
    "exports",
    "employees",
    "rd_staff",
    "invention_patents",
)
COLUMNS = (
    *FIGURES,
    "revenue_prev",
    "revenue_prev2",
    "revenue_3y",
    "rd_expense_3y",
    "above_designated_size",
    "size_class",
    "rd_expense_prev",
    "rd_expense_2y",
)


def _registered_year(vendor: str) -> str:
    if vendor == "postgresql":
        return "CAST(EXTRACT(YEAR FROM e.registered_on) AS integer)"
    return "CAST(strftime('%%Y', e.registered_on) AS integer)"


def _sum3(column: str, reg: str) -> str:
    """This year's value plus the two before, each counted when the enterprise existed then; NULL when
    one of the counted years is missing (LEFT JOIN gives NULL)."""

    def counted(back: int, alias: str) -> str:
        return (
            f"CASE WHEN e.registered_on IS NULL OR {reg} <= i.year - {back} THEN {alias}.{column} ELSE 0 END"
        )

    return f"(i.{column} + {counted(1, 'p1')} + {counted(2, 'p2')})"


def _select(where: str) -> str:
    reg = _registered_year(connection.vendor)
    figures = ", ".join(f"i.{f}" for f in FIGURES)
    return (
        f"SELECT i.enterprise_id, i.year, {figures}, p1.revenue, p2.revenue, "  # noqa: S608
        f"{_sum3('revenue', reg)}, {_sum3('rd_expense', reg)}, i.above_designated_size, i.size_class, "
        "p1.rd_expense, i.rd_expense + p1.rd_expense "
        "FROM enterprises_indicator i "
        "JOIN enterprises_enterprise e ON e.id = i.enterprise_id "
        "LEFT JOIN enterprises_indicator p1 ON p1.enterprise_id = i.enterprise_id AND p1.year = i.year - 1 "
        "LEFT JOIN enterprises_indicator p2 ON p2.enterprise_id = i.enterprise_id AND p2.year = i.year - 2 "
        f"WHERE {where} "
        # In year order: bulk matching reads one year, and a full rebuild so laid out lets PostgreSQL
        # read that year's fifth of the table through the (year, enterprise) index instead of all of it
        # (1,757 ms to some 830 ms for a six-leaf rule over a million enterprises, bench/policies.py).
        "ORDER BY i.year, i.enterprise_id"
    )


def refresh(
    *,
    enterprise_ids: Iterable[int] | None = None,
    area_ids: Iterable[int] | None = None,
    years: Iterable[int] | None = None,
) -> None:
    """Rewrite the metrics of these enterprises (or of the enterprises of these areas; neither: all)
    for these years and the two after each (None: all years)."""
    conditions, params = [], []
    rows = Metrics.objects.all()
    if enterprise_ids is not None:
        ids = sorted(set(enterprise_ids))
        if not ids:
            return
        conditions.append(f"i.enterprise_id IN ({', '.join(['%s'] * len(ids))})")
        params += ids
        rows = rows.filter(enterprise_id__in=ids)
    elif area_ids is not None:
        areas = sorted({a for a in area_ids if a})
        if not areas:
            return
        conditions.append(f"e.area_id IN ({', '.join(['%s'] * len(areas))})")
        params += areas
        rows = rows.filter(enterprise__area_id__in=areas)
    if years is not None:
        wanted = sorted({y + k for y in years for k in (0, 1, 2)})
        if not wanted:
            return
        conditions.append(f"i.year IN ({', '.join(['%s'] * len(wanted))})")
        params += wanted
        rows = rows.filter(year__in=wanted)
    table = Metrics._meta.db_table
    columns = ", ".join(("enterprise_id", "year", *COLUMNS))
    with transaction.atomic():
        rows._raw_delete(rows.db)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} ({columns}) {_select(' AND '.join(conditions) or '1 = 1')}",  # noqa: S608
                params,
            )


@receiver(figures_changed, dispatch_uid="policies-metrics")
def _follow_registry(sender, area_ids=None, years=None, enterprise_ids=None, **kwargs) -> None:
    if enterprise_ids is not None:
        refresh(enterprise_ids=enterprise_ids, years=years)
    else:
        refresh(area_ids=area_ids, years=years)


def expected(enterprise_ids: Iterable[int]) -> dict[tuple[int, int], dict]:
    """The rows `refresh` must write for these enterprises, computed in Python by the variables'
    Python form (what the evaluator reads)."""
    import datetime

    from zoneos.enterprises.models import Enterprise

    from .variables import VARIABLES, Facts, Missing

    out = {}
    for enterprise in Enterprise.objects.filter(pk__in=list(enterprise_ids)).select_related("area"):
        for year in enterprise.indicators.values_list("year", flat=True):
            facts = Facts.load(enterprise, datetime.date(year + 1, 6, 1))
            row = {}
            for name in COLUMNS:
                if name in ("above_designated_size", "size_class"):
                    row[name] = facts.figures[year][name]
                    continue
                value = facts.value(VARIABLES[name])
                row[name] = None if isinstance(value, Missing) else value
            out[(enterprise.pk, year)] = row
    return out
