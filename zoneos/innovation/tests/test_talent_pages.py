"""The talent pages: park staff add a talent, a team and the services each received in the browser's
forms; a refusal of the service shows next to the field it names and writes nothing; each change is in
the record's history with its author; a park's staff reach only their park's talents, and those who only
read see no button to add or edit."""

import datetime
import html as html_lib
import re
from decimal import Decimal

import pytest

from zoneos.innovation import talent_services
from zoneos.innovation.models import Talent, TalentService, TalentTeam
from zoneos.testing.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


def _field_error(html: str, name: str) -> str:
    """The error shown under the form field `name` (the text of its invalid-feedback)."""
    block = re.search(rf'name="{name}".*?invalid-feedback d-block">([^<]*)<', html, re.S)
    return html_lib.unescape(block.group(1)) if block else ""


@pytest.fixture
def staff(world, client):
    client.force_login(world.park_staff)
    client.cookies["zoneos_language"] = "en"
    return client


def test_park_staff_add_a_talent_and_a_team_of_another_enterprise_is_refused_at_the_team(world, staff):
    w = world
    e3 = w.E3
    form = {
        "enterprise": e3.pk,
        "team": w.TT1.pk,
        "name": "周博士",
        "category": "doctor",
        "field": "储能材料",
    }
    refused = staff.post("/innovation/talents/new/", form)
    assert refused.status_code == 200 and list(refused.context["form"].errors) == ["team"]
    assert "Choose a team of the talent's enterprise." in _field_error(refused.content.decode(), "team")
    assert not Talent.objects.filter(name="周博士").exists()

    created = staff.post("/innovation/talents/new/", {**form, "team": ""})
    talent = Talent.objects.get(name="周博士")
    assert created.status_code == 302 and created["Location"] == f"/innovation/talents/{talent.pk}/"
    page = staff.get(created["Location"]).content.decode()
    assert "Doctor or postdoctoral researcher" in page and e3.name in page
    assert 'data-testid="edit-talent"' in page and 'data-testid="record-service"' in page

    edited = staff.post(f"/innovation/talents/{talent.pk}/edit/", {**form, "team": "", "title": "首席科学家"})
    assert edited.status_code == 302
    talent.refresh_from_db()
    assert talent.title == "首席科学家" and talent.field == "储能材料"
    history = staff.get(f"/innovation/talents/{talent.pk}/", {"tab": "history"}).content.decode()
    assert history.count("(park_staff)") == 2 and "首席科学家" in history


def test_a_service_is_recorded_from_the_talents_page_in_wan_and_a_negative_amount_refused(world, staff):
    w = world
    url = f"/innovation/talents/{w.TA1.pk}/services/new/"
    form = {"kind": "subsidy", "received_on": "2026-02-01", "amount": "-5"}
    refused = staff.post(url, form)
    assert list(refused.context["form"].errors) == ["amount"]
    assert "Cannot be negative." in _field_error(refused.content.decode(), "amount")
    assert not TalentService.objects.filter(talent=w.TA1, kind="subsidy").exists()

    saved = staff.post(url, {**form, "amount": "30"})  # 万元, the screen's unit
    service = TalentService.objects.get(talent=w.TA1, kind="subsidy")
    assert saved["Location"] == f"/innovation/talents/{w.TA1.pk}/"
    assert service.amount == Decimal("300000") and service.enterprise == w.E1
    page = staff.get(saved["Location"]).content.decode()
    assert f'data-testid="service-{service.pk}"' in page and "Living or settling-in subsidy" in page

    staff.post(f"/innovation/talent-services/{service.pk}/edit/", {**form, "amount": "30", "notes": "已兑现"})
    service.refresh_from_db()
    assert service.notes == "已兑现" and service.amount == Decimal("300000")
    assert service.talent == w.TA1  # the recipient stays the page's


def test_a_team_is_added_and_receives_a_service_on_its_own_page(world, staff):
    w = world
    created = staff.post(
        "/innovation/teams/new/",
        {
            "enterprise": w.E1.pk,
            "name": "固态电池创新团队",
            "level": "municipal",
            "leader": "陈明远",
            "members": "6",
        },
    )
    team = TalentTeam.objects.get(name="固态电池创新团队")
    assert created["Location"] == f"/innovation/teams/{team.pk}/" and team.members == 6
    talent_services.update_talent(Talent.objects.get(pk=w.TA3.pk), by=w.park_staff, team=team)
    staff.post(f"/innovation/teams/{team.pk}/services/new/", {"kind": "funding", "received_on": "2026-03-01"})
    page = staff.get(f"/innovation/teams/{team.pk}/").content.decode()
    assert "Project funding" in page and w.TA3.name in page and "led by 陈明远" in page
    assert TalentService.objects.get(team=team).talent is None
    staff.post(
        f"/innovation/teams/{team.pk}/edit/",
        {"enterprise": w.E1.pk, "name": "固态电池创新团队", "level": "provincial", "leader": "陈明远"},
    )
    history = staff.get(f"/innovation/teams/{team.pk}/", {"tab": "history"}).content.decode()
    assert "(park_staff)" in history and "Provincial" in history


def test_park_staff_reach_only_their_parks_talents(world, client):
    w = world
    elsewhere = EnterpriseFactory(area=w.P2, name="二号园企业")  # Z1's other park
    other = talent_services.create_talent(
        by=w.root, enterprise=elsewhere, name="二号园博士", category="doctor"
    )
    client.force_login(w.park_staff)
    for record in (other, w.TA2):
        assert client.get(f"/innovation/talents/{record.pk}/").status_code == 404
        assert client.get(f"/innovation/talents/{record.pk}/edit/").status_code == 404
        assert client.get(f"/innovation/talents/{record.pk}/services/new/").status_code == 404
    assert client.get(f"/innovation/teams/{w.TT2.pk}/").status_code == 404
    assert client.get(f"/innovation/talent-services/{w.TS2.pk}/edit/").status_code == 404
    listed = client.get("/innovation/talents/").content.decode()
    assert other.name not in listed and w.TA1.name in listed
    # The form offers only the park's enterprises; another's, posted anyway, is refused at the field.
    form = client.get("/innovation/talents/new/").content.decode()
    assert w.E1.name in form and elsewhere.name not in form and w.E2.name not in form
    posted = client.post(
        "/innovation/talents/new/", {"enterprise": elsewhere.pk, "name": "越权", "category": "doctor"}
    )
    assert list(posted.context["form"].errors) == ["enterprise"]
    # The zone's admin reaches both parks.
    client.force_login(w.admin)
    assert client.get(f"/innovation/talents/{other.pk}/edit/").status_code == 200


def test_who_only_reads_sees_no_button_and_may_not_open_the_forms(world, client):
    w = world
    client.force_login(w.leader)
    listed = client.get("/innovation/talents/").content.decode()
    assert 'data-testid="new-talent"' not in listed and 'data-testid="new-team"' not in listed
    page = client.get(f"/innovation/talents/{w.TA1.pk}/").content.decode()
    assert w.TA1.name in page and 'data-testid="edit-talent"' not in page
    assert 'data-testid="record-service"' not in page and f'data-testid="edit-service-{w.TS1.pk}"' not in page
    for url in (
        "/innovation/talents/new/",
        "/innovation/teams/new/",
        f"/innovation/talents/{w.TA1.pk}/edit/",
        f"/innovation/talents/{w.TA1.pk}/services/new/",
        f"/innovation/talent-services/{w.TS1.pk}/edit/",
    ):
        assert client.get(url).status_code == 403, url
    assert client.post(f"/innovation/talents/{w.TA1.pk}/services/new/", {"kind": "other"}).status_code == 403
    assert not TalentService.objects.filter(kind="other").exists()
    client.force_login(w.park_staff)
    listed = client.get("/innovation/talents/").content.decode()
    assert 'data-testid="new-talent"' in listed and 'data-testid="new-team"' in listed


def test_a_talent_moved_to_another_enterprise_takes_its_services_along(world, staff):
    w = world
    talent_services.record_service(
        by=w.park_staff, talent=w.TA3, kind="housing", received_on=datetime.date(2026, 1, 5)
    )
    staff.post(
        f"/innovation/talents/{w.TA3.pk}/edit/",
        {"enterprise": w.E3.pk, "name": w.TA3.name, "category": "provincial"},
    )
    assert set(TalentService.objects.filter(talent=w.TA3).values_list("enterprise", flat=True)) == {w.E3.pk}
