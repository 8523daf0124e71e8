"""Research programmes in the browser, server side: a zone's admin creates and edits a programme with its
budget rules through the services the API calls (the shares typed in per cent, 15 stored as 0.15, shown
"15 %"), the refusals come back beside the field they name, the history names the author and shows the
shares in per cent, the API keeps fractions, and each role sees and may write what the programme's
scoping policy says."""

from decimal import Decimal

import pytest
from django.test import Client

from zoneos.audit.history import display_rows
from zoneos.research.models import Programme

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


def field_block(html: str, name: str) -> str:
    """The part of the form that belongs to one field: from its input to the next field's block."""
    start = html.index(f'name="{name}"')
    end = html.find('<div class="mb-3">', start)
    return html[start : end if end > 0 else len(html)]


def form_for(world, **changes) -> dict:
    form = {
        "area": world.Z1.pk, "code": "KJ-2026", "name": "2026年度科技计划", "year": "2026",
        "frozen": ["equipment", "indirect"], "pi_share": "15", "indirect_cap": "20",
        "criteria": "innovation | 创新性 | 40\nteam | 团队 | 30\nimpact | 效益 | 30", "notes": "",
    }  # fmt: skip
    return {**form, **changes}


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_an_admin_creates_a_programme_with_its_budget_rules_from_the_page(world, language):
    admin = client_for(world.admin, language)
    assert 'data-testid="new-programme"' in page(admin, "/research/programmes/")
    blank = page(admin, "/research/programmes/new/")
    assert "innovation | 创新性 Innovation | 30" in blank  # the default criteria to start from
    answer = admin.post("/research/programmes/new/", form_for(world))
    programme = Programme.objects.get(code="KJ-2026")
    assert answer.status_code == 302 and answer["Location"] == f"/research/programmes/{programme.pk}/"
    assert (programme.area, programme.year, programme.frozen) == (world.Z1, 2026, ["equipment", "indirect"])
    assert (programme.pi_share, programme.indirect_cap) == (Decimal("0.1500"), Decimal("0.2000"))
    assert programme.criteria == [
        {"code": "innovation", "name": "创新性", "max": 40},
        {"code": "team", "name": "团队", "max": 30},
        {"code": "impact", "name": "效益", "max": 30},
    ]
    shown = page(admin, programme.get_absolute_url())
    assert 'data-testid="pi-share">15 % ' in shown and 'data-testid="indirect-cap">20 % ' in shown
    assert 'data-testid="edit-programme"' in shown
    assert '<td class="text-end">15 %</td>' in page(admin, "/research/programmes/")
    assert ('<html lang="zh-CN">' in shown) == (language == "zh-hans")


def test_the_services_refusals_come_back_beside_the_field_they_name(world):
    admin = client_for(world.admin)
    share = admin.post("/research/programmes/new/", form_for(world, pi_share="150"))  # per cent: 1.5
    assert share.status_code == 200
    assert "Give a share from 0 % to 100 %" in field_block(share.content.decode(), "pi_share")
    assert 'name="pi_share" value="150"' in share.content.decode()  # what was typed stays
    cap = admin.post("/research/programmes/new/", form_for(world, indirect_cap="-5"))
    assert "Give a share from 0 % to 100 %" in field_block(cap.content.decode(), "indirect_cap")
    criteria = admin.post("/research/programmes/new/", form_for(world, criteria="innovation | 创新性 | lots"))
    assert "maximum points (1-1000)" in field_block(criteria.content.decode(), "criteria")
    taken = admin.post("/research/programmes/new/", form_for(world, code=world.RG1.code))
    assert "This area has a programme with this code." in field_block(taken.content.decode(), "code")
    assert not Programme.objects.filter(code="KJ-2026").exists()


def test_editing_the_rules_is_in_the_history_with_its_author(world):
    admin = client_for(world.admin)
    url = f"/research/programmes/{world.RG1.pk}/edit/"
    assert 'value="equipment" id="id_frozen_0" checked' in page(admin, url)
    changed = form_for(world, code=world.RG1.code, name=world.RG1.name, year="2025", frozen=["labour"])
    assert admin.post(url, changed).status_code == 302
    world.RG1.refresh_from_db()
    assert world.RG1.frozen == ["labour"] and world.RG1.pi_share == Decimal("0.1500")
    history = page(admin, f"/research/programmes/{world.RG1.pk}/?tab=history")
    assert f"({world.admin.username})" in history and "labour" in history


def test_who_sees_programmes_and_who_may_write_them(world):
    staff = client_for(world.park_staff)
    listed = page(staff, "/research/programmes/")
    assert 'data-testid="programme-RG1"' in listed and 'data-testid="programme-RG2"' not in listed
    assert 'data-testid="new-programme"' not in listed  # park staff keep projects, not programmes
    assert 'data-testid="edit-programme"' not in page(staff, f"/research/programmes/{world.RG1.pk}/")
    page(staff, "/research/programmes/new/", 403)
    page(staff, f"/research/programmes/{world.RG1.pk}/edit/", 403)
    assert staff.post("/research/programmes/new/", form_for(world)).status_code == 403
    page(client_for(world.leader), "/research/programmes/new/", 403)
    page(client_for(world.admin), f"/research/programmes/{world.RG2.pk}/", 404)  # another zone's
    page(client_for(world.admin), f"/research/programmes/{world.RG2.pk}/edit/", 404)
    page(client_for(world.enterprise), "/research/programmes/", 403)
    page(client_for(world.enterprise), f"/research/programmes/{world.RG1.pk}/", 404)
    assert 'data-testid="programmes-link"' not in page(client_for(world.enterprise), "/research/")
    assert Client().get("/research/programmes/").status_code == 302


def test_a_share_typed_in_per_cent_is_stored_as_a_fraction_and_read_in_per_cent(world):
    """10 typed is 0.1 stored (not 10, which the rules would refuse, nor 0.001); the form gives it back as
    10, the page and the project's page show "10 %", and the history "15 %" → "10 %", not "0.1500"."""
    admin = client_for(world.admin)
    url = f"/research/programmes/{world.RG1.pk}/edit/"
    edit = page(admin, url)
    assert 'name="pi_share" value="10"' in edit and 'name="indirect_cap" value="20"' in edit
    world.RG1.pi_share = Decimal("0.15")
    world.RG1.save()
    changed = form_for(world, code=world.RG1.code, name=world.RG1.name, pi_share="10", indirect_cap="12.5")
    assert admin.post(url, changed).status_code == 302
    world.RG1.refresh_from_db()
    assert (world.RG1.pi_share, world.RG1.indirect_cap) == (Decimal("0.1000"), Decimal("0.1250"))
    shown = page(admin, world.RG1.get_absolute_url())
    assert 'data-testid="pi-share">10 % ' in shown and 'data-testid="indirect-cap">12.5 % ' in shown
    project = page(admin, f"/research/{world.RP1.pk}/")
    assert "The PI moves up to 10 % of the total alone" in project and "at most 12.5 %." in project
    rows = [
        (str(f["name"]), f["before"], f["after"])
        for r in display_rows(world.RG1, world.admin)
        for f in r["fields"]
    ]
    assert ("share a PI may move alone", "15 %", "10 %") in rows
    assert ("indirect cost cap", "20 %", "12.5 %") in rows
    history = page(admin, f"/research/programmes/{world.RG1.pk}/?tab=history")
    assert "0.1500" not in history and "0.1250" not in history


def test_the_api_keeps_fractions_and_refuses_10_naming_the_field(world, api):
    client = api(world.admin)
    read = client.get(f"/api/v1/research-programmes/{world.RG1.pk}/").json()
    assert (read["pi_share"], read["indirect_cap"]) == ("0.1000", "0.2000")
    for field in ("pi_share", "indirect_cap"):
        answer = client.patch(f"/api/v1/research-programmes/{world.RG1.pk}/", {field: "10"}, format="json")
        assert answer.status_code == 400 and list(answer.json()) == [field]
    changed = client.patch(
        f"/api/v1/research-programmes/{world.RG1.pk}/", {"pi_share": "0.15"}, format="json"
    )
    assert changed.status_code == 200 and changed.json()["pi_share"] == "0.1500"
    world.RG1.refresh_from_db()
    assert (world.RG1.pi_share, world.RG1.indirect_cap) == (Decimal("0.15"), Decimal("0.2"))
