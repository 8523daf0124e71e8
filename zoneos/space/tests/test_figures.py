"""The must-show of space: a project needing 50 亩 is matched to the parcels that fit (and not to smaller
or supplied ones, nor to another zone's), and a unit leased to an enterprise shows in its park's vacancy
figures and in the zone's rollup. Vacancy is read in a fixed number of queries."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from zoneos.pipeline import services as pipeline
from zoneos.space import figures, services
from zoneos.space.models import Unit
from zoneos.testing.factories import make_project

from .world import build_space

pytestmark = pytest.mark.django_db


@pytest.fixture
def space(world):
    return build_space(world)


def need(world, **needs):
    project = make_project(world.P1, name="智能装备项目", investor_name="某装备有限公司")
    return pipeline.update_project(project, by=world.root, **needs)


def test_a_project_needing_50_mu_is_matched_to_the_parcels_that_fit(space):
    w = space
    project = need(w, land_mu=Decimal("50"))
    found = figures.match(project, w.investment_officer)
    # Smallest sufficient first: exactly 50 亩, then 55 亩 in P2, then the world's 60 亩 PC1 and PC3 (by
    # code). Not the 49.99 亩 parcel, not the 90 亩 one already supplied, not Z2's PC2.
    assert [p.code for p in found["parcels"]] == ["P1-50", "P2-55", "PC1", "PC3"]
    assert [p.spare_mu for p in found["parcels"]] == [Decimal(x) for x in ("0.00", "5.00", "10.00", "10.00")]
    assert found["zone"] == w.Z1
    assert found["units"] == []  # it asks for no floor space
    # Land supplied to a project leaves the reserve; land returned to it comes back.
    services.update_parcel(w.records["P1-50"], by=w.root, status="supplied", project=project)
    assert [p.code for p in figures.match(project, w.root)["parcels"]] == ["P2-55", "PC1", "PC3"]


def test_the_match_reads_only_what_the_caller_sees(space):
    w = space
    project = need(w, land_mu=Decimal("50"))
    # P1's park staff see P1's parcels, not P2's.
    assert [p.code for p in figures.match(project, w.park_staff)["parcels"]] == ["P1-50", "PC1", "PC3"]


def test_units_are_matched_on_floor_space_load_and_height(space):
    w = space
    project = need(w, floor_space_m2=Decimal("1000"))
    # Free units of the zone at least 1,000 m², smallest first: UN3 (1,000, P1), G1 (1,500), T1 (2,000);
    # G2 is leased from today, UN1 until 2027.
    assert [u.code for u in figures.match(project, w.root)["units"]] == ["UN3", "G1", "T1"]
    project = pipeline.update_project(project, by=w.root, floor_load=Decimal("10"))
    assert [u.code for u in figures.match(project, w.root)["units"]] == ["G1"]  # its own 15 kN/m²
    project = pipeline.update_project(project, by=w.root, floor_load=None, clear_height=Decimal("6"))
    assert [u.code for u in figures.match(project, w.root)["units"]] == ["G1", "T1"]  # T1: the building's 6 m
    # A unit whose next lease is already signed is not free for the project.
    services.create_lease(
        w.T1,
        by=w.root,
        tenant=w.E3,
        starts_on=timezone.localdate() + datetime.timedelta(days=90),
        ends_on=timezone.localdate() + datetime.timedelta(days=400),
    )
    assert [u.code for u in figures.match(project, w.root)["units"]] == ["G1"]


def test_a_project_without_needs_gets_nothing(space):
    found = figures.match(space.PR1, space.root)
    assert found["parcels"] == [] and found["units"] == []


def rows(result, key="parks"):
    return {r["area"].code: r for r in result[key]}


def test_a_leased_unit_counts_in_its_parks_vacancy_and_the_zones_rollup(space):
    w = space
    before = figures.vacancy(w.admin)
    p1, z1 = rows(before)["P1"], rows(before, "rollups")["Z1"]
    assert (p1["units"], p1["leased"], p1["vacant"]) == (2, 1, 1)  # UN1 leased, UN3 vacant
    assert (p1["leased_m2"], p1["vacant_m2"], p1["vacancy_rate"]) == (
        Decimal("1000"),
        Decimal("1000"),
        Decimal("0.5"),
    )
    assert (z1["units"], z1["leased"], z1["floor_area_m2"], z1["leased_m2"]) == (
        5,
        2,
        Decimal("6700"),
        Decimal("2200"),
    )
    assert z1["vacancy_rate"] == Decimal("0.6716")
    assert "P3" not in rows(before) and "Z2" not in rows(before, "rollups")
    assert "R" not in rows(before, "rollups")  # the admin of Z1 does not see all of R

    services.create_lease(
        w.UN3,
        by=w.park_staff,
        tenant=w.E1,
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + datetime.timedelta(days=365),
    )
    after = figures.vacancy(w.admin)
    p1, z1 = rows(after)["P1"], rows(after, "rollups")["Z1"]
    assert (p1["leased"], p1["vacant"], p1["vacancy_rate"]) == (2, 0, Decimal("0"))
    assert (z1["leased"], z1["leased_m2"], z1["vacancy_rate"]) == (3, Decimal("3200"), Decimal("0.5224"))
    assert after["totals"]["leased"] == 3
    # Tomorrow's lease does not count today; yesterday's vacancy did not hold it.
    yesterday = figures.vacancy(w.admin, on=timezone.localdate() - datetime.timedelta(days=1))
    assert rows(yesterday)["P1"]["leased"] == 1


def test_vacancy_by_caller_and_area(space):
    w = space
    root = figures.vacancy(w.root)
    assert set(rows(root)) == {"P1", "P2", "P3"} and set(rows(root, "rollups")) == {"R", "Z1", "Z2"}
    assert rows(root, "rollups")["R"]["units"] == 6
    staff = figures.vacancy(w.park_staff)  # P1's staff: their park, no zone rollup
    assert set(rows(staff)) == {"P1"} and staff["rollups"] == []
    assert figures.vacancy(w.outsider)["totals"]["units"] == 1  # P3's staff: UN2 only
    assert figures.vacancy(w.enterprise)["parks"] == []
    narrowed = figures.vacancy(w.root, w.Z1)
    assert set(rows(narrowed)) == {"P1", "P2"} and set(rows(narrowed, "rollups")) == {"Z1"}


def test_vacancy_runs_the_same_queries_for_one_park_as_for_many(space, django_assert_num_queries):
    w = space
    w.admin._zoneos_memberships = None
    figures.vacancy(w.admin)  # the memberships are read once per user
    with django_assert_num_queries(2):
        figures.vacancy(w.admin)
    for n in range(5):
        building = services.create_building(
            by=w.root, area=w.P2 if n % 2 else w.P1, code=f"X{n}", name="厂房", floor_area_m2=Decimal("900")
        )
        for floor in (1, 2):
            services.create_unit(building, by=w.root, code=f"U{floor}", floor=1, floor_area_m2=Decimal("100"))
    assert Unit.objects.count() > 15
    with django_assert_num_queries(2):
        result = figures.vacancy(w.admin)
    assert rows(result, "rollups")["Z1"]["units"] == 15


def test_leases_ending_within_60_days(space):
    w = space
    today = timezone.localdate()
    soon = services.create_lease(
        w.UN3,
        by=w.root,
        tenant=w.E1,
        starts_on=today - datetime.timedelta(days=300),
        ends_on=today + datetime.timedelta(days=60),
    )
    services.create_lease(
        w.G1,
        by=w.root,
        tenant=w.E1,
        starts_on=today - datetime.timedelta(days=300),
        ends_on=today + datetime.timedelta(days=61),
    )
    assert list(figures.expiring(w.root)) == [soon]
    assert list(figures.expiring(w.park_staff)) == [soon]
    assert list(figures.expiring(w.outsider)) == []
    assert list(figures.expiring(w.root, w.P2)) == []
