"""The chain's cells stay exactly what a rebuild from the rows writes through every kind of write that
changes a coverage (placements, an enterprise's figures, labels, status and park, a link moved or
deleted, an enterprise deleted, an import), and the coverage read from them equals the coverage counted
from the placements themselves, for the zone's staff and a park's."""

import datetime
from decimal import Decimal

import pytest

from zoneos.accounts.scoping import scope
from zoneos.chains import cells, services
from zoneos.chains import coverage as counts
from zoneos.chains.coverage import coverage
from zoneos.chains.models import Placement
from zoneos.core import rollups
from zoneos.core.roles import VIEW
from zoneos.enterprises import services as registry
from zoneos.enterprises.models import Enterprise, Indicator, Status
from zoneos.enterprises.services import figures_changed
from zoneos.testing.factories import EnterpriseFactory

from .world import YEAR, build_chain

ON = datetime.date(2026, 6, 30)


def kept_and_rebuilt() -> tuple[list, list]:
    return rollups.kept_and_rebuilt(cells.SPECS, cells.rebuild)


def check(world, chain, year=YEAR):
    kept, rebuilt = kept_and_rebuilt()
    for spec, k, r in zip(cells.SPECS, kept, rebuilt, strict=True):
        assert k == r, spec.model.__name__
    for user, area in ((world.admin, world.Z1), (world.park_staff, world.P1)):
        placements = scope(Placement.objects.filter(link__chain=chain).in_subtree(area), user, VIEW)
        kept = {k: v for k, v in counts._stored([(chain, area)], user, year).items() if v["enterprises"]}
        assert kept == counts.counted_from_rows(placements, year)
    return {row["code"]: row for row in coverage(chain, world.Z1, world.admin, year=year, on=ON)["links"]}


@pytest.fixture
def chain(world):
    return build_chain(world)


def test_figures_labels_status_and_park_keep_the_cells(world, chain):
    c, _car, links, e = chain
    assert check(world, c)["BAT"]["enterprises"] == 3

    # A small motor maker reports its figures, grows above designated size, then corrects its output.
    figures = registry.create_indicator(
        by=world.root, enterprise=e["S1"], year=YEAR, output_value=Decimal("25000000.00")
    )
    registry.update_indicator(figures, by=world.root, above_designated_size_set=True)
    mot = check(world, c)["MOT"]
    assert (mot["above_designated_size"], mot["output_value"]) == (1, "25000000.00")

    # Two labels over overlapping years count the enterprise once a year; deleting one keeps the other.
    giant = registry.create_label(
        by=world.root,
        enterprise=e["S1"],
        kind="little_giant",
        valid_from=datetime.date(2023, 3, 1),
        valid_to=datetime.date(2024, 12, 31),
    )
    registry.create_label(
        by=world.root, enterprise=e["S1"], kind="specialized_sme", valid_from=datetime.date(2024, 5, 1)
    )
    assert [check(world, c, year)["MOT"]["specialized"] for year in (2022, 2023, 2024, 2025)] == [0, 1, 1, 1]
    registry.delete_label(giant, by=world.root)
    assert [check(world, c, year)["MOT"]["specialized"] for year in (2023, 2024)] == [0, 1]

    # Deregistered, it leaves every link; back in business, it returns.
    registry.update_enterprise(e["A3"], by=world.root, status=Status.DEREGISTERED)
    assert check(world, c)["BAT"]["enterprises"] == 2
    registry.update_enterprise(e["A3"], by=world.root, status=Status.ACTIVE)
    assert check(world, c)["BAT"]["enterprises"] == 3

    # Q2 moves from park P2 to P1: its placement follows it, and P1's staff now see it.
    registry.update_enterprise(e["Q2"], by=world.root, area=world.P1)
    assert Placement.objects.get(enterprise=e["Q2"]).area == world.P1
    check(world, c)
    mine = coverage(c, world.P1, world.park_staff, year=YEAR, on=ON)
    assert {r["code"]: r["enterprises"] for r in mine["links"]}["MOT"] == 2


def test_placements_and_the_link_tree_keep_the_cells(world, chain):
    c, car, links, e = chain
    leader = services.place(link=links["MOT"], enterprise=e["A2"], by=world.root, role="leader")
    rows = check(world, c)
    # A2 sits on two links below CAR: counted once there, as its leader.
    assert (rows["MOT"]["enterprises"], rows["MOT"]["leaders"], rows["CAR"]["enterprises"]) == (3, 1, 5)
    assert rows["CAR"]["leaders"] == 1
    services.update_placement(leader, by=world.root, role="key")
    assert check(world, c)["CAR"]["leaders"] == 0
    services.remove_placement(leader, by=world.root)
    assert check(world, c)["MOT"]["enterprises"] == 2

    # MOT taken out from under CAR: CAR now holds only BAT's enterprises.
    services.update_link(links["MOT"], by=world.root, parent=None)
    assert check(world, c)["CAR"]["enterprises"] == 3
    services.delete_link(links["BAT"], by=world.root)
    rows = check(world, c)
    assert "BAT" not in rows and rows["CAR"]["enterprises"] == 0
    assert coverage(c, world.Z1, world.admin, year=YEAR, on=ON)["totals"]["enterprises"] == 2


def test_an_enterprise_deleted_and_an_import_keep_the_cells(world, chain):
    c, _car, links, e = chain
    mistaken = EnterpriseFactory(area=world.P1, name="误录电机有限公司")
    services.place(link=links["MOT"], enterprise=mistaken, by=world.root)
    assert check(world, c)["MOT"]["enterprises"] == 3
    registry.delete_enterprise(mistaken, by=world.root)
    assert check(world, c)["MOT"]["enterprises"] == 2

    # An import writes rows in bulk and then announces the areas it wrote.
    Indicator.objects.create(
        enterprise=e["Q2"], year=YEAR, output_value=Decimal("7000000.00"), above_designated_size=True
    )
    Enterprise.objects.filter(pk=e["S1"].pk).update(area=world.P2)
    figures_changed.send(Enterprise, area_ids={world.P1.pk, world.P2.pk}, years={YEAR})
    assert Placement.objects.get(enterprise=e["S1"]).area_id == world.P2.pk
    rows = check(world, c)
    assert (rows["MOT"]["above_designated_size"], rows["MOT"]["output_value"]) == (1, "7000000.00")


def test_rows_written_around_the_writers_are_found_and_repaired(world, chain):
    c, _car, links, e = chain
    # A placement written in the database shell: the cells do not hold it ...
    [stray] = Placement.objects.bulk_create(
        [Placement(link=links["CHIP"], enterprise=e["S1"], area=world.P1)]
    )
    kept, rebuilt = kept_and_rebuilt()
    assert kept != rebuilt
    # ... and the next write of S1's placements finds S1's part not where it should be: the area's cells
    # are recomputed from the rows before the part is taken out.
    services.remove_placement(stray, by=world.root)
    rows = check(world, c)
    assert (rows["MOT"]["enterprises"], rows["CHIP"]["enterprises"]) == (2, 0)


def test_the_chain_as_it_stood_on_a_past_day(world, chain):
    c, _car, links, e = chain
    newcomer = EnterpriseFactory(area=world.P1, name="新来电机有限公司")
    late = services.place(link=links["MOT"], enterprise=newcomer, by=world.root)
    moved = services.place(link=links["CHIP"], enterprise=e["S1"], by=world.root)  # S1 was on MOT
    day = datetime.date(2026, 3, 1)
    Placement.objects.filter(link__chain=c).update(
        created_at=datetime.datetime(2026, 1, 5, tzinfo=datetime.UTC)
    )
    Placement.objects.filter(pk__in=[late.pk, moved.pk]).update(
        created_at=datetime.datetime(2026, 4, 1, tzinfo=datetime.UTC)
    )
    then = {
        r["code"]: r for r in coverage(c, world.Z1, world.admin, year=YEAR, on=ON, placed_before=day)["links"]
    }
    now = {r["code"]: r for r in coverage(c, world.Z1, world.admin, year=YEAR, on=ON)["links"]}
    assert (now["MOT"]["enterprises"], now["CHIP"]["enterprises"], now["CAR"]["enterprises"]) == (3, 1, 6)
    assert (then["MOT"]["enterprises"], then["CHIP"]["enterprises"], then["CAR"]["enterprises"]) == (2, 0, 5)
    assert then["CHIP"]["strength"] == "missing" and now["CHIP"]["strength"] == "weak"
