"""Space's pages, server side, in English and Chinese: what each user sees, and that the forms write
through the services with their errors shown at the field they name."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from zoneos.pipeline import services as pipeline
from zoneos.space import services
from zoneos.space.models import Building, Lease, Parcel, Unit

pytestmark = pytest.mark.django_db


def client_for(user, language="en") -> Client:
    client = Client()
    client.cookies["zoneos_language"] = language
    client.force_login(user)
    return client


def page(client, url, status=200) -> str:
    answer = client.get(url)
    assert answer.status_code == status, (url, answer.status_code)
    return answer.content.decode()


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_space_page_shows_the_parks_vacancy_and_the_leases_ending_soon(world, language):
    today = timezone.localdate()
    services.update_lease(world.LS1, by=world.root, ends_on=today + datetime.timedelta(days=20))
    staff = client_for(world.park_staff, language)
    text = page(staff, "/space/")
    assert 'data-testid="park-P1"' in text and 'data-testid="vacancy-P1"' in text
    assert 'data-testid="vacancy-P3"' not in text
    assert f'data-testid="expiring-{world.LS1.pk}"' in text and world.E1.name in text
    assert ">50.0%<" in text  # UN1 leased, UN3 vacant: half the floor area
    admin = page(client_for(world.admin, language), f"/space/?area={world.Z1.pk}")
    assert 'data-testid="vacancy-Z1"' in admin  # the zone's rollup
    # The page is in the language asked for (the catalogue's words, such as its "Area" column).
    assert ('<html lang="zh-CN">' in text) == (language == "zh-hans")
    assert ("<th>区域</th>" in text) == (language == "zh-hans")


def test_who_may_open_the_space_pages(world):
    page(client_for(world.enterprise), "/space/", 403)
    page(client_for(world.stranger), "/space/", 403)
    assert Client().get("/space/").status_code == 302
    page(client_for(world.park_staff), f"/space/?area={world.Z2.pk}", 404)
    page(client_for(world.park_staff), f"/space/buildings/{world.BD2.pk}/", 404)
    page(client_for(world.park_staff), f"/space/parcels/{world.PC2.pk}/", 404)
    page(client_for(world.leader), f"/space/buildings/{world.BD1.pk}/units/new/", 403)  # reads, keeps not
    page(client_for(world.park_staff), f"/space/buildings/{world.BD2.pk}/units/new/", 404)
    page(client_for(world.leader), "/space/parcels/new/", 403)
    menu = page(client_for(world.park_staff), "/")
    assert 'href="/space/"' in menu
    assert 'href="/space/"' not in page(client_for(world.enterprise), "/")


def test_the_parcel_list_filters_by_status_use_and_size(world):
    services.create_parcel(by=world.root, area=world.P1, code="SMALL", area_mu=Decimal("10"))
    services.create_parcel(by=world.root, area=world.P1, code="RD", area_mu=Decimal("70"), land_use="rd")
    services.update_parcel(world.PC3, by=world.root, status="supplied", project=world.PR1)
    staff = client_for(world.park_staff)
    listed = page(staff, "/space/parcels/?status=reserve&min_mu=50")
    assert 'data-testid="parcel-PC1"' in listed and 'data-testid="parcel-RD"' in listed
    assert 'data-testid="parcel-SMALL"' not in listed and 'data-testid="parcel-PC3"' not in listed
    by_use = page(staff, "/space/parcels/?land_use=rd")
    assert 'data-testid="parcel-RD"' in by_use and 'data-testid="parcel-PC1"' not in by_use
    assert "60.00" in page(staff, "/space/parcels/")  # PC1's 40,000 m² in 亩
    assert 'data-testid="parcel-PC2"' not in page(client_for(world.park_staff), "/space/parcels/")


def test_a_building_page_lists_its_units_and_who_leases_each(world):
    text = page(client_for(world.park_staff), f"/space/buildings/{world.BD1.pk}/")
    assert 'data-testid="tenant-UN1"' in text and world.E1.name in text
    assert 'data-testid="vacant-UN3"' in text
    assert f'href="/space/units/{world.UN3.pk}/leases/new/"' in text
    history = page(client_for(world.park_staff), f"/space/buildings/{world.BD1.pk}/?tab=history")
    assert "history" in history
    assert "BD1" in page(client_for(world.park_staff), "/space/buildings/")


def test_adding_a_parcel_in_mu_and_seeing_the_errors_at_their_fields(world):
    staff = client_for(world.park_staff)
    assert 'name="size_unit"' in page(staff, "/space/parcels/new/")
    form = {"area": world.P1.pk, "code": "NEW-1", "land_use": "industrial", "size": "50", "size_unit": "mu"}
    made = staff.post("/space/parcels/new/", {**form, "status": "reserve"})
    parcel = Parcel.objects.get(code="NEW-1")
    assert made.status_code == 302 and made["Location"] == f"/space/parcels/{parcel.pk}/"
    assert parcel.area_m2 == Decimal("33333.33")
    again = staff.post("/space/parcels/new/", {**form, "status": "reserve"}).content.decode()
    assert "This park has a parcel with this code." in again
    reserve = staff.post(
        "/space/parcels/new/", {**form, "code": "NEW-2", "status": "reserve", "project": world.PR1.pk}
    ).content.decode()
    assert "Land in reserve is not supplied to a project yet" in reserve
    edited = staff.post(
        f"/space/parcels/{parcel.pk}/edit/", {**form, "size": "60000", "size_unit": "m2", "status": "reserve"}
    )
    assert edited.status_code == 302
    parcel.refresh_from_db()
    assert parcel.area_m2 == Decimal("60000") and parcel.area_mu == Decimal("90.00")


def test_adding_a_building_a_unit_and_a_lease_through_the_pages(world):
    staff = client_for(world.park_staff)
    made = staff.post(
        "/space/buildings/new/",
        {
            "area": world.P1.pk,
            "code": "INC",
            "name": "孵化楼",
            "kind": "incubator",
            "floors": 6,
            "floor_area_m2": "9000",
        },
    )
    building = Building.objects.get(code="INC")
    assert made.status_code == 302 and made["Location"] == f"/space/buildings/{building.pk}/"
    too_high = staff.post(
        f"/space/buildings/{building.pk}/units/new/", {"code": "701", "floor": 7, "floor_area_m2": "300"}
    )
    assert "Give a floor from 1 to 6" in too_high.content.decode()
    staff.post(
        f"/space/buildings/{building.pk}/units/new/", {"code": "601", "floor": 6, "floor_area_m2": "300"}
    )
    unit = Unit.objects.get(building=building, code="601")
    today = timezone.localdate()
    lease = {
        "tenant": world.E3.pk,
        "starts_on": today.isoformat(),
        "ends_on": (today + datetime.timedelta(days=700)).isoformat(),
        "monthly_rent": "1.2",
    }
    done = staff.post(f"/space/units/{unit.pk}/leases/new/", lease)
    assert done.status_code == 302
    signed = Lease.objects.get(unit=unit)
    assert signed.monthly_rent == Decimal("12000.00")  # typed in 万元
    clash = staff.post(
        f"/space/units/{unit.pk}/leases/new/", {**lease, "tenant": world.E1.pk}
    ).content.decode()
    assert "leases of a unit cannot overlap" in clash
    text = page(staff, f"/space/buildings/{building.pk}/")
    assert 'data-testid="tenant-601"' in text and world.E3.name in text
    # The tenant must be an enterprise of the zone the user sees: Z2's is not offered.
    assert world.E2.name not in page(staff, f"/space/units/{unit.pk}/leases/new/")
    edit = staff.post(
        f"/space/leases/{signed.pk}/edit/",
        {**lease, "ends_on": (today - datetime.timedelta(days=1)).isoformat()},
    )
    assert "A lease ends on or after the day it starts." in edit.content.decode()


def test_a_projects_page_shows_the_space_that_fits(world):
    staff = client_for(world.investment_officer)
    assert 'data-testid="project-space"' not in page(staff, f"/projects/{world.PR1.pk}/")
    pipeline.update_project(world.PR1, by=world.root, land_mu=Decimal("50"), floor_space_m2=Decimal("800"))
    text = page(staff, f"/projects/{world.PR1.pk}/")
    assert 'data-testid="matched-parcel-PC1"' in text and 'data-testid="matched-unit-BD1-UN3"' in text
    assert "min_mu=50" in text
    assert 'data-testid="project-space"' in page(
        client_for(world.investment_officer, "zh-hans"), f"/projects/{world.PR1.pk}/"
    )
    # The project form takes the needs.
    form = page(staff, f"/projects/{world.PR1.pk}/edit/")
    assert 'name="floor_space_m2"' in form and 'name="floor_load"' in form and 'name="clear_height"' in form
