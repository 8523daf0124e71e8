"""Two writers changing one cell of the statistics' rollup at the same moment both count: the second
waits for the first's row and adds to what it wrote (PostgreSQL, each on a connection of its own)."""

import threading
from decimal import Decimal

import pytest
from django.db import connection, transaction

from zoneos.enterprises import services as registry
from zoneos.stats import services
from zoneos.stats.models import Rollup
from zoneos.stats.tests.test_rollup_deltas import maintained_and_rebuilt

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs two connections writing at once (PostgreSQL)"
    ),
]


def test_two_writers_adding_to_one_cell_at_once_both_count(world):
    """Two enterprises of one park get their figures at the same moment, each in a transaction of its
    own: the first holds its transaction open after adding to the cell; the second adds to the same cell
    meanwhile (it waits for the row); both end up in the cell."""
    by = world.root
    first, second, third = (
        registry.create_enterprise(by=by, name=name, area=world.P1, industry_code="3612")
        for name in ("甲", "乙", "丙")
    )
    registry.create_indicator(by=by, enterprise=third, year=2030, output_value=Decimal(1))  # the cell
    registry.create_indicator(by=by, enterprise=second, year=2029, output_value=Decimal(5))
    holding = threading.Event()
    errors = []

    def enter(enterprise, output, hold):
        try:
            with transaction.atomic():
                output_value = Decimal(output)
                registry.create_indicator(by=by, enterprise=enterprise, year=2030, output_value=output_value)
                if hold:
                    holding.set()
                    threading.Event().wait(0.5)
        except Exception as exc:  # noqa: BLE001  (reported by the assertion below)
            errors.append(exc)
        finally:
            connection.close()

    a = threading.Thread(target=enter, args=(first, 100, True))
    b = threading.Thread(target=enter, args=(second, 30, False))
    a.start()
    assert holding.wait(10)
    b.start()
    a.join(20)
    b.join(20)
    assert errors == []
    cell = Rollup.objects.get(area=world.P1, year=2030, industry_section="C", capital_origin="domestic")
    assert (cell.enterprises, cell.output_value) == (3, 131)
    assert services.SPEC.rows() == maintained_and_rebuilt()[1]
