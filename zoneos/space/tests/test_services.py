"""Writing space through the services: what is refused (with the field named, nothing written), who
may write, the 亩 conversion, and the history each write leaves with its author."""

import datetime
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError

from zoneos.space import services
from zoneos.space.measures import SQUARE_METRES_PER_MU, m2_from_mu, mu_from_m2
from zoneos.space.models import Lease, Parcel, Unit
from zoneos.testing.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def refused(field, call, *args, **kwargs):
    with pytest.raises(ValidationError) as caught:
        call(*args, **kwargs)
    assert field in caught.value.message_dict, caught.value.message_dict
    return caught.value.message_dict[field]


def test_a_mu_is_ten_thousand_fifteenths_of_a_square_metre():
    assert (SQUARE_METRES_PER_MU.numerator, SQUARE_METRES_PER_MU.denominator) == (2000, 3)
    assert m2_from_mu(Decimal("1")) == Decimal("666.67")
    assert m2_from_mu(Decimal("50")) == Decimal("33333.33")
    assert mu_from_m2(Decimal("33333.33")) == Decimal("50.00")
    assert mu_from_m2(Decimal("40000")) == Decimal("60.00")
    assert m2_from_mu(None) is None and mu_from_m2("") is None


def test_a_parcel_is_given_in_mu_or_square_metres(world):
    in_mu = services.create_parcel(by=world.park_staff, area=world.P1, code="A-1", area_mu=Decimal("50"))
    assert in_mu.area_m2 == Decimal("33333.33") and in_mu.area_mu == Decimal("50.00")
    in_m2 = services.create_parcel(by=world.park_staff, area=world.P1, code="A-2", area_m2=Decimal("6666.70"))
    assert in_m2.area_mu == Decimal("10.00")
    both = services.create_parcel(
        by=world.park_staff, area=world.P1, code="A-3", area_m2=Decimal("33333.33"), area_mu=Decimal("50")
    )
    assert both.area_m2 == Decimal("33333.33")
    assert refused(
        "area_mu", services.create_parcel, by=world.root, area=world.P1, code="A-4", area_m2=1, area_mu=50
    )
    services.update_parcel(in_mu, by=world.park_staff, area_mu=Decimal("80"))
    in_mu.refresh_from_db()
    assert in_mu.area_m2 == Decimal("53333.33")


def test_bad_parcels_are_refused_naming_the_field(world):
    create = services.create_parcel
    assert refused("area_m2", create, by=world.root, area=world.P1, code="X")
    assert refused("area_m2", create, by=world.root, area=world.P1, code="X", area_m2=Decimal("0"))
    assert refused("area_mu", create, by=world.root, area=world.P1, code="X", area_mu="-3")
    assert refused("area", create, by=world.root, area=world.R, code="X", area_m2=Decimal("1"))
    assert refused("code", create, by=world.root, area=world.P1, code="PC1", area_m2=Decimal("1"))
    assert refused("land_use", create, by=world.root, area=world.P1, code="X", area_m2=1, land_use="farm")
    assert refused(
        "plot_ratio", create, by=world.root, area=world.P1, code="X", area_m2=1, plot_ratio=Decimal("0")
    )
    assert refused("project", create, by=world.root, area=world.P1, code="X", area_m2=1, project=world.PR1)
    assert refused(
        "project",
        create,
        by=world.root,
        area=world.P1,
        code="X",
        area_m2=1,
        status="supplied",
        project=world.PR2,
    )
    assert not Parcel.objects.filter(code="X").exists()
    # The same code in another park is another parcel.
    assert create(by=world.root, area=world.P2, code="PC1", area_m2=Decimal("1")).area == world.P2


def test_a_parcel_moves_from_reserve_to_supplied_to_built(world):
    parcel = world.PC1
    services.update_parcel(parcel, by=world.investment_officer, status="supplied", project=world.PR1)
    # Land back in reserve is no project's: the supply fell through.
    assert refused(
        "project", services.update_parcel, parcel, by=world.root, status="reserve", project=world.PR1
    )
    services.update_parcel(parcel, by=world.root, status="reserve")
    parcel.refresh_from_db()
    assert (parcel.status, parcel.project) == ("reserve", None)
    assert refused("status", services.update_parcel, parcel, by=world.root, status="built")
    services.update_parcel(parcel, by=world.root, status="supplied", project=world.PR1)
    services.update_parcel(parcel, by=world.root, status="built")
    assert refused("status", services.update_parcel, parcel, by=world.root, status="supplied")


def test_only_the_parks_keepers_write_its_space(world):
    with pytest.raises(PermissionDenied):
        services.create_parcel(by=world.leader, area=world.P1, code="L", area_m2=Decimal("1"))
    with pytest.raises(PermissionDenied):  # park staff of P1 keep P1, not P2
        services.create_parcel(by=world.park_staff, area=world.P2, code="L", area_m2=Decimal("1"))
    with pytest.raises(PermissionDenied):
        services.update_building(world.BD2, by=world.admin, name="改名")
    with pytest.raises(PermissionDenied):
        services.create_unit(world.BD2, by=world.park_staff, code="U", floor=1, floor_area_m2=Decimal("5"))
    with pytest.raises(PermissionDenied):
        services.create_lease(
            world.UN2, by=world.park_staff, tenant=world.E2, starts_on=D(2030, 1, 1), ends_on=D(2030, 2, 1)
        )
    assert services.create_unit(world.BD1, by=world.park_staff, code="U", floor=2, floor_area_m2=Decimal("5"))


def test_bad_buildings_and_units_are_refused_naming_the_field(world):
    create = services.create_building
    fields = {"area": world.P1, "code": "B", "name": "厂房", "floor_area_m2": Decimal("100")}
    assert refused("floor_area_m2", create, by=world.root, **{**fields, "floor_area_m2": Decimal("-1")})
    assert refused("floors", create, by=world.root, **fields, floors=0)
    assert refused("floor_load_kn", create, by=world.root, **fields, floor_load_kn=Decimal("0"))
    assert refused("clear_height_m", create, by=world.root, **fields, clear_height_m=Decimal("-2"))
    assert refused("parcel", create, by=world.root, **fields, parcel=world.PC2)  # another park's
    assert refused("code", create, by=world.root, **{**fields, "code": "BD1"})
    assert refused("kind", create, by=world.root, **fields, kind="castle")
    unit = services.create_unit
    assert refused(
        "floor_area_m2", unit, world.BD1, by=world.root, code="U", floor=1, floor_area_m2=Decimal("0")
    )
    assert refused(
        "floor_area_m2", unit, world.BD1, by=world.root, code="U", floor=1, floor_area_m2=Decimal("9000")
    )
    assert refused("floor", unit, world.BD1, by=world.root, code="U", floor=5, floor_area_m2=Decimal("10"))
    assert refused("floor", unit, world.BD1, by=world.root, code="U", floor=0, floor_area_m2=Decimal("10"))
    assert refused("code", unit, world.BD1, by=world.root, code="UN1", floor=1, floor_area_m2=Decimal("10"))
    assert refused("building", services.update_unit, world.UN1, by=world.root, building=world.BD3)
    assert refused("floors", services.update_building, world.BD1, by=world.root, floors=0)
    basement = unit(world.BD1, by=world.root, code="B1", floor=-1, floor_area_m2=Decimal("10"))
    assert basement.floor == -1
    assert not Unit.objects.filter(code="U").exists()


def test_a_unit_takes_the_buildings_load_and_height_unless_it_has_its_own(world):
    services.update_building(
        world.BD1, by=world.root, floor_load_kn=Decimal("8"), clear_height_m=Decimal("6")
    )
    world.BD1.refresh_from_db()
    plain = services.create_unit(world.BD1, by=world.root, code="P", floor=2, floor_area_m2=Decimal("10"))
    heavy = services.create_unit(
        world.BD1, by=world.root, code="H", floor=1, floor_area_m2=Decimal("10"), floor_load_kn=Decimal("15")
    )
    assert (plain.load, plain.height) == (Decimal("8"), Decimal("6"))
    assert (heavy.load, heavy.height) == (Decimal("15"), Decimal("6"))


def test_leases_of_a_unit_never_overlap(world):
    """UN1 is leased to E1 from 2025-01-01 to 2027-12-31 (LS1) and in 2028 (LS3)."""
    lease = services.create_lease
    starting_inside = refused(
        "starts_on",
        lease,
        world.UN1,
        by=world.root,
        tenant=world.E3,
        starts_on=D(2027, 6, 1),
        ends_on=D(2029, 1, 1),
    )
    assert "2025-01-01" in starting_inside[0] and world.E1.name in starting_inside[0]
    assert refused(
        "ends_on",
        lease,
        world.UN1,
        by=world.root,
        tenant=world.E3,
        starts_on=D(2024, 1, 1),
        ends_on=D(2025, 1, 1),
    )
    assert refused(
        "ends_on",
        lease,
        world.UN1,
        by=world.root,
        tenant=world.E3,
        starts_on=D(2024, 1, 1),
        ends_on=D(2030, 1, 1),
    )
    assert refused("starts_on", services.update_lease, world.LS3, by=world.root, starts_on=D(2027, 12, 31))
    # The day after another lease ends is free; a lease of another unit is no matter.
    after = lease(world.UN1, by=world.root, tenant=world.E3, starts_on=D(2029, 1, 1), ends_on=D(2029, 12, 31))
    assert lease(world.UN3, by=world.root, tenant=world.E3, starts_on=D(2025, 1, 1), ends_on=D(2027, 1, 1))
    services.update_lease(after, by=world.root, ends_on=D(2030, 6, 30))  # a lease does not overlap itself
    assert Lease.objects.filter(unit=world.UN1).count() == 3


def test_bad_leases_are_refused_naming_the_field(world):
    lease = services.create_lease
    fields = {"tenant": world.E3, "starts_on": D(2030, 1, 1), "ends_on": D(2030, 12, 31)}
    assert refused("ends_on", lease, world.UN3, by=world.root, **{**fields, "ends_on": D(2029, 12, 31)})
    assert refused("tenant", lease, world.UN3, by=world.root, **{**fields, "tenant": world.E2})  # in zone Z2
    assert refused("tenant", lease, world.UN3, by=world.park_staff, **{**fields, "tenant": world.E2})
    assert refused("monthly_rent", lease, world.UN3, by=world.root, **fields, monthly_rent=Decimal("-1"))
    assert refused("unit", services.update_lease, world.LS1, by=world.root, unit=world.UN3)
    assert refused("warned_on", services.update_lease, world.LS1, by=world.root, warned_on=D(2026, 1, 1))
    assert not Lease.objects.filter(unit=world.UN3).exists()
    # An enterprise of another park of the zone may lease here; the lease to it ends on its first day.
    p2 = EnterpriseFactory(area=world.P2, name="二号园企业")
    one_day = lease(world.UN3, by=world.root, tenant=p2, starts_on=D(2030, 1, 1), ends_on=D(2030, 1, 1))
    assert one_day.status_on(D(2030, 1, 1)) == "active" and one_day.status_on(D(2030, 1, 2)) == "ended"


def test_every_write_is_in_the_history_with_its_author(world):
    parcel = services.create_parcel(by=world.park_staff, area=world.P1, code="H-1", area_mu=Decimal("20"))
    services.update_parcel(parcel, by=world.investment_officer, name="东片地块")
    lease = services.create_lease(
        world.UN3, by=world.park_staff, tenant=world.E3, starts_on=D(2030, 1, 1), ends_on=D(2030, 12, 31)
    )
    services.update_lease(lease, by=world.admin, monthly_rent=Decimal("20000"))
    entries = LogEntry.objects.get_for_object(parcel).order_by("timestamp", "pk")
    assert [(e.action, e.actor.username) for e in entries] == [(0, "park_staff"), (1, "investment_officer")]
    assert entries[1].changes_dict["name"] == ["", "东片地块"]
    changes = LogEntry.objects.get_for_object(lease).order_by("timestamp", "pk")
    assert [e.actor.username for e in changes] == ["park_staff", "admin"]
    assert "monthly_rent" in changes[1].changes_dict
    pk = lease.pk
    services.delete_lease(lease, by=world.park_staff)
    deleted = LogEntry.objects.get_for_model(Lease).filter(object_id=pk, action=LogEntry.Action.DELETE)
    assert deleted.get().actor == world.park_staff
