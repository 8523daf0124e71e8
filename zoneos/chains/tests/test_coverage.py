"""Strength and gaps: the coverage of a chain equals the hand computation in `world.py`, the zone's
strength rule changes the answer from the day it takes effect, and park staff see only their park."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from zoneos.chains import reading, services
from zoneos.chains.coverage import coverage
from zoneos.testing.factories import make_project

from .world import YEAR, build_chain

ON = datetime.date(2026, 6, 30)


def _by_code(result):
    return {row["code"]: row for row in result["links"]}


@pytest.fixture
def chain(world):
    return build_chain(world)


def test_strong_weak_and_missing_with_the_gap_score(world, chain):
    c, _car, _links, _e = chain
    result = coverage(c, world.Z1, world.admin, year=YEAR, on=ON)
    links = _by_code(result)
    assert [links[k]["strength"] for k in ("BAT", "MOT", "CHIP")] == ["strong", "weak", "missing"]
    assert links["BAT"]["enterprises"] == 3  # the deregistered one is not counted
    assert links["BAT"]["above_designated_size"] == 1
    assert links["BAT"]["high_tech"] == 2  # E1 (the world's label L1) and A3
    assert links["BAT"]["output_value"] == "312000000.00"  # 300 + 12 million yuan; D1's 500 million left out
    assert links["MOT"]["enterprises"] == 2
    assert [links[k]["gap"] for k in ("BAT", "MOT", "CHIP")] == ["0.00", "0.50", "2.00"]  # CHIP weighs double
    assert links["CHIP"]["weight"] == "2.00"
    totals = result["totals"]
    assert totals["gap_score"] == "0.6250"  # (0 + 0.5 + 2) / (1 + 1 + 2)
    assert (totals["links"], totals["strong"], totals["weak"], totals["missing"]) == (3, 1, 1, 1)
    assert totals["enterprises"] == 5
    # The parent link shows what its parts hold, and is left out of the score.
    assert links["CAR"]["enterprises"] == 5 and links["CAR"]["strength"] == "strong"


def test_the_zones_rule_changes_the_answer_from_the_day_it_takes_effect(world, chain):
    c, *_ = chain
    services.create_rule(
        by=world.admin,
        area=world.Z1,
        effective_from=datetime.date(2026, 7, 1),
        strong_enterprises=4,
        strong_above_size=1,
    )
    before = coverage(c, world.Z1, world.admin, year=YEAR, on=datetime.date(2026, 6, 30))
    after = coverage(c, world.Z1, world.admin, year=YEAR, on=datetime.date(2026, 7, 1))
    assert _by_code(before)["BAT"]["strength"] == "strong" and before["thresholds"]["strong_enterprises"] == 3
    assert _by_code(after)["BAT"]["strength"] == "weak" and after["thresholds"]["strong_enterprises"] == 4
    assert after["totals"]["gap_score"] == "0.7500"  # (0.5 + 0.5 + 2) / 4


def test_a_parks_own_rule_comes_before_its_zones(world, chain):
    c, *_ = chain
    services.create_rule(
        by=world.admin, area=world.Z1, effective_from=datetime.date(2026, 2, 1), strong_enterprises=5
    )
    services.create_rule(
        by=world.admin, area=world.P1, effective_from=datetime.date(2026, 2, 1), strong_enterprises=2
    )
    assert coverage(c, world.P1, world.admin, year=YEAR, on=ON)["thresholds"]["strong_enterprises"] == 2
    assert coverage(c, world.P2, world.admin, year=YEAR, on=ON)["thresholds"]["strong_enterprises"] == 5


def test_park_staff_see_their_parks_placements_only(world, chain):
    c, *_ = chain
    mine = _by_code(coverage(c, world.Z1, world.park_staff, year=YEAR, on=ON))
    assert mine["MOT"]["enterprises"] == 1  # S1 in P1; Q2 in P2 is not theirs to see
    assert mine["BAT"]["output_value"] == "312000000.00"


def test_projects_and_key_projects_are_counted_by_stage_and_year(world, chain):
    c, _car, links, _e = chain
    services.place(link=links["CHIP"], project=world.PR1, by=world.root)
    services.place(link=links["CHIP"], key_project=world.KP1, by=world.root)
    row = _by_code(coverage(c, world.Z1, world.admin, year=world.KP1.year, on=ON))["CHIP"]
    assert row["projects"][world.PR1.stage] == 1
    assert sum(row["projects"].values()) == 1
    assert row["key_projects"] == 1
    assert row["strength"] == "missing"  # projects are not yet enterprises of the link


def test_coverage_through_the_api(world, chain, api):
    c, *_ = chain
    body = api(world.leader).get(f"/api/v1/chains/{c.pk}/coverage/?year={YEAR}&on=2026-06-30").json()
    assert body["totals"]["gap_score"] == "0.6250"
    assert Decimal(_by_code(body)["BAT"]["output_value"]) == Decimal("312000000")
    assert api(world.leader).get(f"/api/v1/chains/{c.pk}/coverage/?year=twenty").json() == {
        "year": ["Give a year such as 2025."]
    }
    assert api(world.leader).get(f"/api/v1/chains/{c.pk}/coverage/?area={world.P3.pk}").status_code == 404
    matrix = (
        api(world.leader)
        .get(f"/api/v1/chains/coverage-matrix/?area={world.Z1.pk}&year={YEAR}&on=2026-06-30")
        .json()
    )
    row = next(r for r in matrix if r["code"] == "Z1-NEV")
    cells = {cell["area"]: cell for cell in row["areas"]}
    assert cells[world.P1.pk]["strong"] == 1 and cells[world.P2.pk]["strong"] == 0


def test_a_benchmark_share_sharpens_the_gap_by_the_location_quotient(world, chain):
    c, _car, links, _e = chain
    # The battery link makes all the chain's output here (312 million yuan), half of it nationally: a
    # quotient of 2. The motor link makes none of it here, a fifth nationally: weak by its count, but
    # with a quotient of 0 it leaves its whole weight to fill.
    services.update_link(
        links["BAT"], by=world.root, benchmark_share=Decimal("50"), benchmark_source="全国 2024"
    )
    services.update_link(links["MOT"], by=world.root, benchmark_share=Decimal("20"))
    rows = _by_code(coverage(c, world.Z1, world.admin, year=YEAR, on=ON))
    bat, mot, chip = rows["BAT"], rows["MOT"], rows["CHIP"]
    assert (bat["output_share"], bat["location_quotient"], bat["gap"]) == ("100.00", "2.00", "0.00")
    assert (mot["strength"], mot["output_share"], mot["location_quotient"], mot["gap"]) == (
        "weak",
        "0.00",
        "0.00",
        "1.00",
    )
    assert chip["location_quotient"] is None and chip["gap"] == "2.00"  # no benchmark loaded
    totals = coverage(c, world.Z1, world.admin, year=YEAR, on=ON)["totals"]
    assert totals["gap_score"] == "0.7500"  # (0 + 1 + 2) / 4, was 0.6250 without the benchmarks


def test_a_benchmark_share_is_a_per_cent(world, chain):
    _c, _car, links, _e = chain
    with pytest.raises(ValidationError) as caught:
        services.update_link(links["BAT"], by=world.root, benchmark_share=Decimal("120"))
    assert "benchmark_share" in caught.value.message_dict


def test_the_chain_and_link_pages_show_the_location_quotient(world, chain, client):
    c, _car, links, _e = chain
    client.force_login(world.admin)
    assert "lq-BAT" not in client.get(f"/chains/{c.pk}/?year={YEAR}").content.decode()  # none loaded
    services.update_link(
        links["MOT"], by=world.root, benchmark_share=Decimal("20"), benchmark_source="全国 2024"
    )
    page = client.get(f"/chains/{c.pk}/?year={YEAR}").content.decode()
    assert 'data-testid="lq-MOT"' in page and "0.00 % of the chain" not in page  # shown in Chinese
    assert "全国 2024" in page
    link = client.get(f"/chains/links/{links['MOT'].pk}/?area={world.Z1.pk}&year={YEAR}").content.decode()
    assert 'data-testid="link-lq"' in link and "text-danger" in link


@pytest.mark.parametrize("username", ["admin", "park_staff", "enterprise", "stranger", "root"])
def test_each_user_sees_in_the_one_statement_what_scope_lets_them_see(world, chain, monkeypatch, username):
    # coverage() reads the links, the cells and the projects placed in one statement narrowed to the
    # caller's subtrees; it answers what reading the cells and placements through scope() answers.
    c, _car, links, _e = chain
    in_p2 = make_project(world.P2, name="二园电机项目")
    services.place(link=links["CHIP"], project=world.PR1, by=world.root)  # P1
    services.place(link=links["MOT"], project=in_p2, by=world.root)
    services.place(link=links["CHIP"], key_project=world.KP1, by=world.root)
    user = getattr(world, username)
    fast = coverage(c, world.Z1, user, year=YEAR, on=ON)
    monkeypatch.setattr(reading, "view_paths", lambda user, model: None)
    assert coverage(c, world.Z1, user, year=YEAR, on=ON) == fast
    car = _by_code(fast)["CAR"]
    seen = {"admin": 2, "park_staff": 1, "root": 2}.get(username, 0)  # P2's project is not P1's to see
    assert (sum(car["projects"].values()), car["key_projects"]) == (seen, min(seen, 1))
    assert fast["totals"]["enterprises"] == {"admin": 5, "park_staff": 4, "root": 5}.get(username, 0)
