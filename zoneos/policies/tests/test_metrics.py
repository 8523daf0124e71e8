"""The metrics table bulk matching reads stays what the variables' Python form computes, through the
registry's own writers: figures added, revised and deleted, and an enterprise's founding date moved
(which decides which of the three years count)."""

import datetime
from decimal import Decimal

from zoneos.enterprises import services as registry
from zoneos.policies import metrics
from zoneos.policies.models import Metrics

from .helpers import make_enterprise


def _table(ids) -> dict:
    rows = Metrics.objects.filter(enterprise_id__in=ids).values("enterprise_id", "year", *metrics.COLUMNS)
    return {(r.pop("enterprise_id"), r.pop("year")): r for r in rows}


def test_the_table_follows_every_writer_of_figures(world):
    w = world
    a = make_enterprise(w.Z1, registered_on=datetime.date(2019, 5, 1))
    b = make_enterprise(w.Z1, registered_on=datetime.date(2023, 8, 1))
    made = {}
    for enterprise in (a, b):
        for year, revenue in ((2022, "1000000"), (2023, "2500000"), (2024, "4000000")):
            made[(enterprise.pk, year)] = registry.create_indicator(
                by=w.root,
                enterprise=enterprise,
                year=year,
                revenue=Decimal(revenue),
                main_business_revenue=Decimal(revenue) * Decimal("0.8"),
                rd_expense=Decimal(revenue) / 20,
                employees=40,
                rd_staff=6,
            )
    ids = [a.pk, b.pk]
    assert _table(ids) == metrics.expected(ids)
    assert _table(ids)[(a.pk, 2024)]["revenue_3y"] == Decimal("7500000")
    # b was founded in 2023: its three-year sum for 2024 counts 2023 and 2024 only.
    assert _table(ids)[(b.pk, 2024)]["revenue_3y"] == Decimal("6500000")

    registry.update_indicator(made[(a.pk, 2023)], by=w.root, revenue=Decimal("3000000"))
    registry.delete_indicator(made[(b.pk, 2022)], by=w.root)
    registry.update_enterprise(b, by=w.root, registered_on=datetime.date(2021, 1, 1))
    assert _table(ids) == metrics.expected(ids)
    assert _table(ids)[(a.pk, 2024)]["revenue_3y"] == Decimal("8000000")
    # Founded in 2021 now, b should have 2022's figures: gone, so its three-year sums are unknown.
    assert _table(ids)[(b.pk, 2024)]["revenue_3y"] is None
