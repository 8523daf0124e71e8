"""Renovations tracked as key projects: a building renovated under a key project of its park (or of an
area above), with the project's progress as supervision keeps it, on the building's page, the key
project's page and the space page; refused at the field that is wrong; in the history."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from zoneos.space import figures, services
from zoneos.space.models import Renovation
from zoneos.supervision import services as supervision
from zoneos.supervision.models import KeyProject

pytestmark = pytest.mark.django_db


def client_for(user, language="en") -> Client:
    client = Client()
    client.cookies["zoneos_language"] = language
    client.force_login(user)
    return client


def test_a_renovation_shows_its_key_projects_progress_as_supervision_reports_it(world):
    """KP1 (P1, 2025, annual plan 1,200,000,000 yuan) reports 300,000,000 completed by March: in December
    2026 the 2025 project stands at its December row, 300,000,000, 25.0 % of the plan."""
    supervision.submit_report(world.KP1, by=world.root, month="2025-03", completed=Decimal("300000000"))
    found = figures.renovations(world.park_staff, building=world.BD1, on=datetime.date(2026, 12, 4))
    row = next(r for r in found["rows"] if r.pk == world.RN1.pk)
    assert row.figure.month == 12
    assert row.figure.completed == Decimal("300000000.00")
    assert row.figure.completion_rate == Decimal("0.25")
    # This year's totals count this year's key projects only (the world's are of 2025).
    assert (found["projects"], found["floor_area_m2"]) == (0, Decimal("0"))
    in_2025 = figures.renovations(world.park_staff, world.P1, on=datetime.date(2025, 6, 30))
    assert (in_2025["projects"], in_2025["floor_area_m2"]) == (2, Decimal("6000.00"))
    assert {r.pk for r in in_2025["rows"]} == {world.RN1.pk, world.RN3.pk}  # not P3's RN2


def test_the_key_project_must_be_the_buildings_parks_or_above_it_and_the_area_fit(world):
    with pytest.raises(ValidationError) as error:
        services.create_renovation(world.BD3, by=world.root, key_project=world.KP2, floor_area_m2=100)
    assert list(error.value.message_dict) == ["key_project"]  # KP2 is park 3's
    with pytest.raises(ValidationError) as error:
        services.create_renovation(world.BD3, by=world.root, key_project=world.KP1, floor_area_m2=9000)
    assert "8000" in error.value.message_dict["floor_area_m2"][0]  # at most the building's 8,000 m²
    with pytest.raises(ValidationError) as error:
        services.create_renovation(world.BD1, by=world.root, key_project=world.KP1, floor_area_m2=100)
    assert list(error.value.message_dict) == ["key_project"]  # KP1 already tracks BD1
    zone_project = KeyProject.objects.create(
        year=2026, name="一号区旧厂房改造", area=world.Z1, kind="new_start", annual_plan=Decimal("5e8")
    )
    made = services.create_renovation(
        world.BD3, by=world.root, key_project=zone_project, floor_area_m2=Decimal("8000"), purpose="incubator"
    )
    assert made.building == world.BD3
    assert Renovation.objects.filter(building=world.BD3).count() == 1


def test_the_api_refuses_a_bad_renovation_naming_the_field_and_writes_nothing(world, api):
    client = api(world.park_staff)
    answer = client.post(
        "/api/v1/space-renovations/",
        {"building": world.BD3.pk, "key_project": world.KP1.pk, "floor_area_m2": "-5"},
        format="json",
    )
    assert answer.status_code == 400 and list(answer.json()) == ["floor_area_m2"]
    assert not Renovation.objects.filter(building=world.BD3).exists()
    done = client.patch(f"/api/v1/space-renovations/{world.RN1.pk}/", {"purpose": "office"}, format="json")
    assert done.status_code == 200 and done.json()["year"] == 2025
    history = client.get(f"/api/v1/space-renovations/{world.RN1.pk}/history/").json()["results"]
    assert history[0]["changes"]["purpose"] == ["research", "office"]
    assert history[0]["user"] == world.park_staff.username


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_building_and_the_key_project_show_the_renovation(world, language):
    staff = client_for(world.park_staff, language)
    building = staff.get(f"/space/buildings/{world.BD1.pk}/").content.decode()
    assert f'data-testid="renovation-{world.RN1.pk}"' in building
    assert world.KP1.name in building and f'href="/space/renovations/{world.RN1.pk}/edit/"' in building
    project = staff.get(f"/supervision/projects/{world.KP1.pk}/").content.decode()
    assert 'data-testid="key-project-renovations"' in project and world.BD1.name in project
    assert ("改造" in project) == (language == "zh-hans")
    # A leader reads the renovation but keeps no space: no edit link; another park's staff see none.
    leader = client_for(world.leader, language).get(f"/space/buildings/{world.BD1.pk}/").content.decode()
    assert f'data-testid="renovation-{world.RN1.pk}"' in leader and "/renovations/" not in leader.split(
        'data-testid="renovations"'
    )[1].split("</table>")[0].replace(f"renovation-{world.RN1.pk}", "")
    outsider = client_for(world.outsider).get(f"/supervision/projects/{world.KP4.pk}/").content.decode()
    assert world.BD2.name in outsider and world.BD1.name not in outsider


def test_tracking_a_renovation_through_the_page_form(world):
    staff = client_for(world.park_staff)
    form = staff.get(f"/space/buildings/{world.BD3.pk}/renovations/new/").content.decode()
    assert world.KP1.name in form and world.KP2.name not in form  # park 3's project is not offered
    wrong = staff.post(
        f"/space/buildings/{world.BD3.pk}/renovations/new/",
        {"key_project": world.KP1.pk, "floor_area_m2": "9999", "purpose": "research"},
    )
    assert "At most the building" in wrong.content.decode()
    done = staff.post(
        f"/space/buildings/{world.BD3.pk}/renovations/new/",
        {"key_project": world.KP1.pk, "floor_area_m2": "2500", "purpose": "incubator"},
    )
    assert done.status_code == 302
    assert Renovation.objects.get(building=world.BD3).floor_area_m2 == Decimal("2500.00")
    assert (
        client_for(world.leader).get(f"/space/buildings/{world.BD3.pk}/renovations/new/").status_code == 403
    )


@pytest.mark.parametrize(
    "year, today, month",
    [
        (2025, datetime.date(2026, 12, 4), 12),  # a past year: its December
        (2026, datetime.date(2026, 12, 4), 11),  # this year: the last month that has ended
        (2026, datetime.date(2027, 1, 5), 12),  # December has just ended
        (2026, datetime.date(2026, 1, 20), 1),  # nothing has ended yet: January's row
    ],
)
def test_the_month_a_renovations_progress_is_read_at(year, today, month):
    assert figures.progress_month(year, today) == month
