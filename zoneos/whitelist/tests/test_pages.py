"""The whitelist's pages as their users meet them: the list with its warnings, an application's page
with its balances and the forms of the steps the user may take, a movement beyond the approval refused
at its field with nothing written, the researchers with their documents masked for whoever need not see
them, and the forms that add items and researchers; each role sees what its scope allows."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from zoneos.whitelist import workflow
from zoneos.whitelist.models import Item, Movement, WhitelistApplication

from .world import approved, drafted

pytestmark = pytest.mark.django_db


def browser(user):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    client.cookies["zoneos_language"] = "en"
    return client


def test_the_list_shows_the_applications_in_scope_and_the_days_warnings(world):
    w = world
    WhitelistApplication.objects.filter(pk=w.WA4.pk).update(
        valid_to=timezone.localdate() + datetime.timedelta(days=5)
    )
    page = browser(w.leader).get("/whitelist/")
    assert page.status_code == 200
    text = page.content.decode()
    assert (
        f'data-testid="application-{w.WA1.pk}"' in text
        and f'data-testid="application-{w.WA2.pk}"' not in text
    )
    assert f'data-testid="warning-expiring-{w.WA4.pk}"' in text
    assert 'data-testid="new-application"' not in text  # leaders read; they do not apply
    own = browser(w.enterprise).get("/whitelist/").content.decode()
    assert f'data-testid="application-{w.WA1.pk}"' in own and 'data-testid="new-application"' in own
    elsewhere = browser(w.outsider).get("/whitelist/").content.decode()  # P3's staff: E2's applications
    assert (
        f'data-testid="application-{w.WA2.pk}"' in elsewhere
        and f'data-testid="application-{w.WA1.pk}"' not in elsewhere
    )


def test_an_application_page_shows_balances_and_the_zones_steps(world):
    w = world
    application = drafted(w)
    workflow.submit(application, by=w.enterprise)
    as_admin = browser(w.admin).get(f"/whitelist/{application.pk}/").content.decode()
    assert 'data-testid="step-zone_approve"' in as_admin and 'data-testid="step-return"' in as_admin
    as_applicant = browser(w.enterprise).get(f"/whitelist/{application.pk}/").content.decode()
    assert 'data-testid="step-zone_approve"' not in as_applicant
    assert browser(w.outsider).get(f"/whitelist/{application.pk}/").status_code == 404
    returned = browser(w.admin).post(f"/whitelist/{application.pk}/", {"step": "return", "opinion": ""})
    assert returned.status_code == 400 and b"Say what is to be changed." in returned.content
    done = browser(w.admin).post(f"/whitelist/{application.pk}/", {"step": "zone_approve", "opinion": "同意"})
    assert done.status_code == 302
    assert WhitelistApplication.objects.get(pk=application.pk).status == "zone_approved"


def test_a_movement_beyond_the_approval_is_refused_at_its_field_and_nothing_is_written(world):
    w = world
    application = approved(w)
    client = browser(w.park_staff)
    url = f"/whitelist/{application.pk}/"
    today = timezone.localdate().isoformat()
    body = {"movement": "1", "item": w.spectrometer.pk, "direction": "in", "on": today, "quantity": "2"}
    assert client.post(url, body).status_code == 302
    page = client.get(url).content.decode()
    assert f'data-testid="in-zone-{w.spectrometer.pk}">2' in page
    refused = client.post(url, {**body, "quantity": "1"})
    assert refused.status_code == 409
    assert b"beyond the 2" in refused.content and b"invalid-feedback" in refused.content
    assert Movement.objects.filter(item=w.spectrometer).count() == 1
    assert b'data-testid="refusals"' in refused.content


def test_researchers_documents_are_masked_for_whoever_need_not_see_them(world):
    w = world
    assert "HWE112345" in browser(w.admin).get("/whitelist/entities/").content.decode()
    shown = browser(w.leader).get("/whitelist/entities/").content.decode()
    assert "HWE112345" not in shown and "H******45" in shown
    assert w.WE2.name not in shown  # another zone's


def test_the_applicant_adds_an_item_and_a_researcher_through_the_forms(world):
    w = world
    client = browser(w.enterprise)
    bad = client.post(
        f"/whitelist/{w.WA1.pk}/items/new/",
        {"category": "reagent", "name": "抗体", "hs_code": "30021", "quantity": "5", "unit": "支"},
    )
    assert bad.status_code == 200 and b"10 digits" in bad.content
    made = client.post(
        f"/whitelist/{w.WA1.pk}/items/new/",
        {
            "category": "reagent",
            "name": "抗体",
            "hs_code": "3002150090",
            "quantity": "5",
            "unit": "支",
            "value": "3000",
        },
    )
    assert made.status_code == 302
    item = Item.objects.get(application=w.WA1, name="抗体")
    assert item.value == Decimal("3000") and item.hs_code == "3002150090"
    added = client.post(
        "/whitelist/entities/new/",
        {
            "kind": "researcher",
            "name": "吴家豪",
            "region": "MO",
            "id_type": "mo_id",
            "id_number": "1234567(8)",
            "enterprise": w.E1.pk,
        },
    )
    assert added.status_code == 302
    assert browser(w.leader).get("/whitelist/new/").status_code == 403


def test_the_customs_sheet_downloads_from_the_page(world):
    w = world
    answer = browser(w.admin).get(f"/whitelist/{w.WA4.pk}/customs.xlsx")
    assert answer.status_code == 200 and answer["Content-Disposition"].endswith('.xlsx"')
    assert browser(w.outsider).get(f"/whitelist/{w.WA4.pk}/customs.xlsx").status_code == 404
