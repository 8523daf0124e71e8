"""Statistical rules applied to an enterprise's yearly figures, each kept with the rule it comes from.

- Above designated size (规模以上工业): an industrial enterprise (sections B, C, D) with main business
  revenue of at least 20 million yuan (5 million before 2011), unless the figures say otherwise
  explicitly.
- Size class (统计上大中小微型企业划分办法(2017), the row for industry): large, medium and small must
  reach the lower bound of both employees and revenue, otherwise the enterprise drops a class;
  micro needs only one of them below the small bounds.

Thresholds are data with the year of their rule, so a revised rule is added beside the old one.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from zoneos.core.industries import INDUSTRIAL_SECTIONS

from .models import SizeClass


@dataclass(frozen=True)
class AboveSizeRule:
    since: int
    main_business_revenue: Decimal


# 1998-2010: 5 million yuan (until 2006 also every state-owned enterprise; ownership is not recorded
# here, so the revenue test alone applies); since 2011: 20 million yuan.
ABOVE_SIZE_RULES = [AboveSizeRule(1998, Decimal("5000000")), AboveSizeRule(2011, Decimal("20000000"))]


@dataclass(frozen=True)
class SizeBand:
    size: str
    employees: int
    revenue: Decimal  # yuan


# Industry row of the 2017 rule: (class, minimum employees, minimum revenue in yuan), largest first.
SIZE_RULE_2017_INDUSTRY = [
    SizeBand(SizeClass.LARGE, 1000, Decimal("400000000")),
    SizeBand(SizeClass.MEDIUM, 300, Decimal("20000000")),
    SizeBand(SizeClass.SMALL, 20, Decimal("3000000")),
]


def above_designated_size(section: str, main_business_revenue, explicit: bool | None, year: int) -> bool:
    if explicit is not None:
        return explicit
    if section not in INDUSTRIAL_SECTIONS or main_business_revenue is None:
        return False
    rule = next((r for r in reversed(ABOVE_SIZE_RULES) if r.since <= year), None)
    return rule is not None and main_business_revenue >= rule.main_business_revenue


def size_class(employees: int | None, revenue) -> str:
    """The size class, or "" when a figure the rule needs is missing."""
    if employees is None or revenue is None:
        return ""
    for band in SIZE_RULE_2017_INDUSTRY:
        if employees >= band.employees and revenue >= band.revenue:
            return band.size
    return SizeClass.MICRO
