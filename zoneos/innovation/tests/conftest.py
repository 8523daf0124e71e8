"""The fixture of innovation points' tests: a Z1 system of seven indicators and two scored enterprises."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from zoneos.enterprises.models import Indicator, Label
from zoneos.innovation import services
from zoneos.innovation.models import PointsSystem
from zoneos.policies.models import DeclaredFact
from zoneos.testing.factories import EnterpriseFactory

D = Decimal
INDICATORS = [
    {"variable": "rd_expense", "weight": D("1"), "brackets": [
        {"from": 0, "to": 1000000, "points": 2},
        {"from": 1000000, "to": 5000000, "points": 6},
        {"from": 5000000, "to": None, "points": 10},
    ]},
    {"variable": "rd_ratio", "weight": D("2"), "brackets": [
        {"from": None, "to": "0.03", "points": 0},
        {"from": "0.03", "to": "0.06", "points": 5},
        {"from": "0.06", "to": None, "points": 10},
    ]},
    {"variable": "invention_patents", "weight": D("1.5"), "brackets": [
        {"from": 0, "to": 1, "points": 0},
        {"from": 1, "to": 5, "points": 4},
        {"from": 5, "to": None, "points": 8},
    ]},
    {"variable": "rd_staff_share", "weight": D("1"), "brackets": [
        {"from": 0, "to": "0.1", "points": 0},
        {"from": "0.1", "to": "0.2", "points": 5},
        {"from": "0.2", "to": None, "points": 10},
    ]},
    {"variable": "revenue_growth", "weight": D("1"), "brackets": [
        {"from": None, "to": 0, "points": 0},
        {"from": 0, "to": "0.2", "points": 3},
        {"from": "0.2", "to": None, "points": 6},
    ]},
    {"variable": "label_high_tech", "weight": D("1"), "label_points": D("10")},
    {"variable": "equity_financing_2y", "weight": D("1"), "brackets": [
        {"from": 0, "to": 10000000, "points": 2},
        {"from": 10000000, "to": None, "points": 5},
    ]},
]  # fmt: skip


def figures(enterprise, year, **values):
    return Indicator.objects.create(enterprise=enterprise, year=year, **{k: D(v) for k, v in values.items()})


@pytest.fixture
def scored(world):
    """A points system of Z1 from 2025-01-01 (it scores 2024) and two enterprises of P1 with 2024
    figures: A (a high-tech enterprise with 2023 figures and a verified equity financing) and B."""
    w = world
    PointsSystem.objects.filter(area=w.Z1).delete()  # the world's IS1 and IS3
    system = services.create_system(
        by=w.root,
        area=w.Z1,
        name="一号高新区创新积分",
        effective_from=datetime.date(2025, 1, 1),
        indicators=INDICATORS,
    )
    a = EnterpriseFactory(area=w.P1, name="甲创新科技有限公司", uscc="91110108MA01AB3CX1")
    b = EnterpriseFactory(area=w.P1, name="乙制造有限公司", uscc="91440305MA5FXK7Q1W")
    figures(a, 2023, revenue=40000000)
    figures(a, 2024, revenue=50000000, rd_expense=4000000, invention_patents=6, employees=100, rd_staff=15)
    figures(b, 2024, revenue=10000000, rd_expense=200000, invention_patents=0, employees=50, rd_staff=2)
    Label.objects.create(enterprise=a, kind="high_tech", valid_from=datetime.date(2023, 1, 1))
    DeclaredFact.objects.create(
        enterprise=a,
        variable="equity_financing_2y",
        year=2024,
        value=D("12000000"),
        verified_at=timezone.now(),
    )
    w.system, w.a, w.b = system, a, b
    return w
