"""Innovation points equal the hand computation, explained per indicator; the ranking reads a fixed
number of queries and only what the caller sees; brackets are refused naming their place."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zoneos.accounts.scoping import scope
from zoneos.enterprises.models import Enterprise, Label
from zoneos.innovation import points, services
from zoneos.innovation.models import PointsSystem
from zoneos.testing.factories import EnterpriseFactory

from .conftest import figures

pytestmark = pytest.mark.django_db
D = Decimal


def explained(score):
    return [
        (line.indicator.variable, line.value, line.bracket, line.points, line.weighted)
        for line in score.lines
    ]


def test_points_equal_the_hand_computation_with_the_explanation_per_indicator(scored):
    """A, 2024 (scored on 2025-01-01 by the Z1 system):
    R&D expense 4,000,000 → bracket 1 [1,000,000, 5,000,000) = 6 points × 1 = 6.00;
    R&D ratio 4,000,000 / 50,000,000 = 0.08 → bracket 2 [0.06, ∞) = 10 × 2 = 20.00;
    invention patents 6 → bracket 2 [5, ∞) = 8 × 1.5 = 12.00;
    R&D staff share 15 / 100 = 0.15 → bracket 1 [0.1, 0.2) = 5 × 1 = 5.00;
    revenue growth 50,000,000 / 40,000,000 − 1 = 0.25 → bracket 2 [0.2, ∞) = 6 × 1 = 6.00;
    high-tech label held on 2025-01-01 → 10 × 1 = 10.00;
    equity financing (declared, verified) 12,000,000 → bracket 1 [10,000,000, ∞) = 5 × 1 = 5.00;
    total 6 + 20 + 12 + 5 + 6 + 10 + 5 = 64.00.

    B, 2024: R&D expense 200,000 → bracket 0 = 2 × 1 = 2.00; R&D ratio 0.02 → bracket 0 = 0; patents 0
    → bracket 0 = 0; staff share 2 / 50 = 0.04 → bracket 0 = 0; growth unknown (no 2023 revenue) = 0;
    no label = 0; financing not declared = 0; total 2.00.

    Beside them in Z1, the world's E1 holds a high-tech label (10.00) and no R&D figures, E3 nothing (0):
    ranked A 1, E1 2, B 3, E3 4."""
    w = scored
    a = points.points_for(w.a, 2024)
    assert a.total == D("64.00")
    assert explained(a) == [
        ("rd_expense", D("4000000"), 1, D("6"), D("6.00")),
        ("rd_ratio", D("0.08"), 2, D("10"), D("20.00")),
        ("invention_patents", D("6"), 2, D("8"), D("12.00")),
        ("rd_staff_share", D("0.15"), 1, D("5"), D("5.00")),
        ("revenue_growth", D("0.25"), 2, D("6"), D("6.00")),
        ("label_high_tech", True, None, D("10"), D("10.00")),
        ("equity_financing_2y", D("12000000"), 1, D("5"), D("5.00")),
    ]
    row = a.lines[1].as_dict()
    assert row["bracket"] == {"index": 2, "from": "0.06", "to": None, "points": 10}
    assert row["weight"] == D("2.000")
    b = points.points_for(w.b, 2024)
    assert b.total == D("2.00")
    growth = b.lines[4]
    assert (growth.value, growth.points) == (None, D("0"))
    assert growth.missing == ["revenue 2023"]
    # The ranking reads the same definition in bulk and agrees, best first.
    system, ranked = points.ranking(w.Z1, 2024, Enterprise.objects.all())
    assert system == w.system
    by_name = {s.enterprise.pk: s for s in ranked}
    assert [(s.enterprise.pk, s.rank, s.total) for s in ranked] == [
        (w.a.pk, 1, D("64.00")),
        (w.E1.pk, 2, D("10.00")),
        (w.b.pk, 3, D("2.00")),
        (w.E3.pk, 4, D("0")),
    ]
    assert explained(by_name[w.a.pk]) == explained(a)
    assert explained(by_name[w.b.pk]) == explained(b)


def test_an_indicator_whose_variable_was_withdrawn_scores_nothing_and_the_ranking_still_opens(scored, client):
    """A stored indicator can outlive its variable (withdrawn from the registry in a later release): it
    scores 0, says which figure it lacks, and the ranking page and API still answer."""
    w = scored
    w.system.indicators.filter(variable="invention_patents").update(variable="withdrawn_figure")
    a = points.points_for(w.a, 2024)
    assert a.total == D("52.00")  # 64 less the 12 of the patents
    line = next(ln for ln in a.lines if ln.indicator.variable == "withdrawn_figure")
    assert (line.value, line.points, line.missing) == (None, D("0"), ["withdrawn_figure"])
    client.force_login(w.root)
    assert client.get("/innovation/points/", {"area": w.Z1.pk, "year": 2024}).status_code == 200
    assert client.get("/api/v1/innovation-points/", {"area": w.Z1.pk, "year": 2024}).status_code == 200


def test_the_newest_system_in_force_applies(scored):
    w = scored
    services.create_system(
        by=w.root,
        area=w.Z1,
        name="2027版",
        effective_from=datetime.date(2027, 1, 1),
        indicators=[
            {
                "variable": "invention_patents",
                "weight": D("1"),
                "brackets": [{"from": 0, "to": None, "points": 1}],
            }
        ],
    )
    assert points.system_for(w.P1, points.day_of(2024)) == w.system
    assert points.system_for(w.P1, points.day_of(2026)).name == "2027版"
    assert points.system_for(w.Z2, points.day_of(2024)).area == w.Z2  # the world's IS2


def test_the_ranking_reads_a_fixed_number_of_queries(scored):
    w = scored

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            points.ranking(w.Z1, 2024, scope(Enterprise.objects.all(), w.admin))
        return len(queries)

    count()  # the caller's memberships are read once and kept
    before = count()
    assert before <= 6  # the system with its indicators, the enterprises, figures, labels, declared facts
    for i in range(6):
        e = EnterpriseFactory(area=w.P2)
        figures(e, 2024, revenue=1000000 + i, rd_expense=10000, employees=10, rd_staff=1)
        Label.objects.create(enterprise=e, kind="high_tech", valid_from=datetime.date(2023, 1, 1))
    assert count() == before


def test_another_zones_staff_rank_nothing_of_this_zone(scored):
    w = scored
    from zoneos.testing.factories import MembershipFactory, UserFactory

    other = UserFactory(username="z2-admin")
    MembershipFactory(user=other, role="admin", area=w.Z2)
    _system, ranked = points.ranking(w.Z1, 2024, scope(Enterprise.objects.all(), other))
    assert ranked == []
    assert not scope(PointsSystem.objects.filter(area=w.Z1), other).exists()


@pytest.mark.parametrize(
    ("brackets", "place"),
    [
        (
            [{"from": 0, "to": 10, "points": 1}, {"from": 5, "to": 20, "points": 2}],
            "$.indicators[0].brackets[1].from",
        ),
        (
            [{"from": 0, "to": 10, "points": 1}, {"from": 20, "to": 10, "points": 2}],
            "$.indicators[0].brackets[1].to",
        ),
        (
            [{"from": 0, "to": None, "points": 1}, {"from": 20, "to": 30, "points": 2}],
            "$.indicators[0].brackets[0].to",
        ),
        ([{"from": 0, "to": 10, "points": "many"}], "$.indicators[0].brackets[0].points"),
        ([{"from": 0, "to": 10, "points": 1}, "x"], "$.indicators[0].brackets[1]"),
        ([], "$.indicators[0].brackets"),
    ],
)
def test_brackets_are_refused_naming_their_place(world, brackets, place):
    with pytest.raises(ValidationError) as refused:
        services.create_system(
            by=world.root,
            area=world.Z1,
            name="错",
            effective_from=datetime.date(2030, 1, 1),
            indicators=[{"variable": "invention_patents", "weight": D("1"), "brackets": brackets}],
        )
    messages = refused.value.message_dict["indicators"]
    assert any(m.startswith(place + ":") for m in messages), messages
    assert not PointsSystem.objects.filter(name="错").exists()


def test_an_indicator_names_only_a_variable_of_the_registry(world):
    with pytest.raises(ValidationError) as refused:
        services.create_system(
            by=world.root,
            area=world.Z1,
            name="错",
            effective_from=datetime.date(2030, 1, 1),
            indicators=[
                {"variable": "talents", "weight": D("1"), "brackets": [{"from": 0, "to": None, "points": 1}]},
                {"variable": "label_listed", "weight": D("1")},
                {
                    "variable": "industry_code",
                    "weight": D("1"),
                    "brackets": [{"from": 0, "to": None, "points": 1}],
                },
            ],
        )
    messages = refused.value.message_dict["indicators"]
    assert messages[0].startswith("$.indicators[0].variable: Unknown variable talents")
    assert messages[1].startswith("$.indicators[1].label_points:")
    assert messages[2].startswith("$.indicators[2].variable:")


def test_the_demo_system_scores_and_a_second_load_changes_nothing(world):
    from zoneos.core.demo import DemoContext
    from zoneos.innovation.demo import load_innovation
    from zoneos.innovation.models import Consent

    PointsSystem.objects.filter(area=world.Z1).delete()  # the world's IS1 and IS3
    ctx = DemoContext(by=world.root, areas={"FS-GX": world.Z1, "FS-GX-NH": world.P1})
    load_innovation(ctx)
    first = (PointsSystem.objects.count(), Consent.objects.count())
    load_innovation(ctx)
    assert (PointsSystem.objects.count(), Consent.objects.count()) == first
    assert PointsSystem.objects.get(area=world.Z1, name__contains="2025").indicators.count() == 7
