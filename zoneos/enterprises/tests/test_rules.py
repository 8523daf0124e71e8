"""The statistical rules at their boundaries."""

from decimal import Decimal

import pytest

from zoneos.enterprises.rules import above_designated_size, size_class

MILLION = Decimal(1_000_000)


@pytest.mark.parametrize(
    ("employees", "revenue", "expected"),
    [
        (1000, 400 * MILLION, "large"),
        (999, 400 * MILLION, "medium"),  # large needs both bounds: one class down
        (1000, 399 * MILLION, "medium"),
        (300, 20 * MILLION, "medium"),
        (299, 20 * MILLION, "small"),
        (20, 3 * MILLION, "small"),
        (19, 100 * MILLION, "micro"),  # micro needs only one figure below the small bounds
        (500, Decimal("2999999.99"), "micro"),
        (None, 100 * MILLION, ""),  # a missing figure gives no class
    ],
)
def test_size_classes_of_the_2017_rule_for_industry(employees, revenue, expected):
    assert size_class(employees, revenue) == expected


def test_above_designated_size_needs_industry_and_20_million_unless_set():
    assert above_designated_size("C", 20 * MILLION, None, 2025) is True
    assert above_designated_size("C", 20 * MILLION - 1, None, 2025) is False
    assert above_designated_size("D", 25 * MILLION, None, 2025) is True
    assert above_designated_size("I", 90 * MILLION, None, 2025) is False
    assert above_designated_size("I", 0, True, 2025) is True
    assert above_designated_size("C", 90 * MILLION, False, 2025) is False
    assert above_designated_size("C", 6 * MILLION, None, 2009) is True  # the 5 million rule before 2011
    assert above_designated_size("C", 6 * MILLION, None, 2011) is False
