"""Funnel figures against hand computation, on SQLite and PostgreSQL alike."""

import datetime
from decimal import Decimal

import pytest

from zoneos.pipeline import services
from zoneos.pipeline.funnel import median
from zoneos.testing.factories import make_project

pytestmark = pytest.mark.django_db
D = datetime.date


def test_median_of_a_histogram():
    assert median([]) is None
    assert median([(5, 1)]) == 5
    assert median([(10, 1), (20, 1)]) == 15
    assert median([(3, 2), (9, 1), (1, 1)]) == 3  # 1 3 3 9
    assert median([(2, 1), (4, 1), (100, 1)]) == 4


@pytest.fixture
def fixture(world):
    """Five projects in Z1 (P1, P2) with known paths, plus the world's PR1 (P1) and PR3 (P1), leads
    since 2025-03-01; PR2 is in Z2 and never counted for Z1.

    A: lead 2025-01-01 → negotiating 01-11 (10 d) → signed 02-10 (30 d) → registered 03-12 (30 d); 5 亿
    B: lead 2025-01-01 → signed 01-21 (20 d) → land_secured 03-02 (40 d); 20 亿, P2
    C: lead 2025-02-01 → negotiating 03-03 (30 d) → dropped 04-02 (30 d); 1 亿
    D: lead 2025-02-01 → on_hold 02-11 (10 d); 0.5 亿, P2
    E: lead 2024-06-01 (before the period) → negotiating 2024-07-01 (30 d); 12 亿
    """
    root = world.users["root"]

    def make(area, name, lead_on, amount, moves, **extra):
        project = make_project(
            area,
            name=name,
            investor_name=f"{name}投资有限公司",
            lead_on=lead_on,
            total_investment=Decimal(amount),
            **extra,
        )
        for to, on in moves:
            services.transition(project, by=root, to=to, on=on, note="放弃" if to == "dropped" else "")
        return project

    officer = world.investment_officer
    return {
        "A": make(
            world.P1,
            "A",
            D(2025, 1, 1),
            "500000000",
            [("negotiating", D(2025, 1, 11)), ("signed", D(2025, 2, 10)), ("registered", D(2025, 3, 12))],
            owner=officer,
        ),
        "B": make(
            world.P2,
            "B",
            D(2025, 1, 1),
            "2000000000",
            [("signed", D(2025, 1, 21)), ("land_secured", D(2025, 3, 2))],
            capital_origin="hong_kong",
            owner=officer,
        ),
        "C": make(
            world.P1,
            "C",
            D(2025, 2, 1),
            "100000000",
            [("negotiating", D(2025, 3, 3)), ("dropped", D(2025, 4, 2))],
        ),
        "D": make(world.P2, "D", D(2025, 2, 1), "50000000", [("on_hold", D(2025, 2, 11))]),
        "E": make(world.P1, "E", D(2024, 6, 1), "1200000000", [("negotiating", D(2024, 7, 1))]),
    }


def stage(body, category):
    return next(s for s in body["stages"] if s["category"] == category)


def test_funnel_of_a_zone_in_a_period(world, api, fixture):
    body = (
        api(world.investment_officer)
        .get("/api/v1/projects/funnel/", {"area": world.Z1.pk, "from": "2025-01-01", "to": "2025-12-31"})
        .json()
    )
    # In the period: A, B, C, D and the world's PR1 and PR3 (leads since 2025-03-01, 1 亿 each). Not E.
    lead = stage(body, "lead")
    assert (lead["count"], lead["total_investment"]) == (2, "200000000.00")
    # All six entered lead; A, B, C moved on to a forward category (D only paused): 3 / 6.
    assert (lead["entered"], lead["moved_on"], lead["conversion_rate"]) == (6, 3, "0.5000")
    # Days in lead of those that left it: A 10, B 20, C 30, D 10 → median (10 + 20) / 2.
    assert lead["median_days"] == 15.0
    negotiating = stage(body, "negotiating")
    # A and C negotiated; A moved on (signed), C was dropped: 1 / 2. Stays: A 30, C 30.
    assert (negotiating["count"], negotiating["entered"], negotiating["moved_on"]) == (0, 2, 1)
    assert negotiating["conversion_rate"] == "0.5000" and negotiating["median_days"] == 30.0
    signed = stage(body, "signed")
    assert (signed["count"], signed["entered"], signed["moved_on"], signed["conversion_rate"]) == (
        0,
        2,
        2,
        "1.0000",
    )
    assert signed["median_days"] == 35.0  # A 30, B 40
    registered = stage(body, "registered")
    assert (registered["count"], registered["total_investment"], registered["median_days"]) == (
        1,
        "500000000.00",
        None,
    )
    assert stage(body, "land_secured")["count"] == 1
    assert stage(body, "on_hold")["count"] == 1 and stage(body, "dropped")["count"] == 1
    assert stage(body, "at_capacity")["conversion_rate"] is None
    # Not dropped: A, B, D, PR1, PR3 = 5; 5 + 20 + 0.5 + 1 + 1 = 27.5 亿.
    assert (body["total"], body["total_investment"]) == (5, "2750000000.00")
    assert (body["signed"], body["signed_investment"]) == (2, "2500000000.00")
    assert (body["over_100m"], body["over_1b"]) == (4, 1)  # A, B, PR1, PR3; B
    by_area = {
        r["key"]: (r["count"], r["total_investment"], r["signed"], r["dropped"]) for r in body["by_area"]
    }
    assert by_area == {
        world.P1.pk: (3, "700000000.00", 1, 1),
        world.P2.pk: (2, "2050000000.00", 1, 0),
    }
    officers = {r["key"]: (r["count"], r["signed"]) for r in body["by_officer"]}
    assert officers == {world.investment_officer.pk: (2, 2), None: (3, 0)}
    origins = {r["key"]: r["count"] for r in body["by_capital_origin"]}
    assert origins == {"domestic": 4, "hong_kong": 1}


def test_funnel_without_a_period_counts_every_lead(world, api, fixture):
    body = api(world.investment_officer).get("/api/v1/projects/funnel/", {"area": world.Z1.pk}).json()
    assert stage(body, "lead")["entered"] == 7  # E too
    assert stage(body, "negotiating")["count"] == 1  # E


def test_funnel_parameters_are_checked(world, api):
    client = api(world.investment_officer)
    assert "from" in client.get("/api/v1/projects/funnel/", {"from": "2025-13-01"}).json()
    assert "to" in client.get("/api/v1/projects/funnel/", {"from": "2025-05-01", "to": "2025-01-01"}).json()
    assert "area" in client.get("/api/v1/projects/funnel/", {"area": "x"}).json()


def test_by_area_counts_a_group_in_each_listed_area_above_it(world):
    """Without an area, every area with projects is a row and a zone's row holds its parks' groups too;
    within an area, each child holds its subtree's groups and the area's own are in no row."""
    from zoneos.pipeline.funnel import _by_area

    def group(area, n, amount):
        return {"area_id": area.pk, "mask": 0, "n": n, "investment": Decimal(amount)}

    groups = [group(world.Z1, 1, 10), group(world.P1, 2, 20), group(world.P2, 4, 40), group(world.P1, 8, 80)]
    rows = {r["key"]: (r["count"], r["total_investment"]) for r in _by_area(groups, None)}
    assert rows == {
        world.Z1.pk: (15, "150.00"),
        world.P1.pk: (10, "100.00"),
        world.P2.pk: (4, "40.00"),
    }
    rows = {r["key"]: r["count"] for r in _by_area(groups, world.Z1)}
    assert rows[world.P1.pk] == 10 and rows[world.P2.pk] == 4 and world.Z1.pk not in rows
