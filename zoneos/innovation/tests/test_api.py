"""Innovation points' own routes walked by every caller (the ranking, the bank's file), what a bank
receives (only the enterprises consenting to it, that day), consents given and withdrawn by the
enterprise itself, and the page; the resources themselves are in tests/test_permission_matrix.py."""

import datetime
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from zoneos.core.roles import Role
from zoneos.innovation import services
from zoneos.innovation.models import Consent
from zoneos.testing.factories import EnterpriseFactory
from zoneos.testing.world import ALL_USERS

pytestmark = pytest.mark.django_db
STAFF = {r.value for r in Role} - {Role.ENTERPRISE.value}
EXPORTERS = {Role.ADMIN.value, Role.SERVICE_OFFICER.value}
BANK = "示范银行"


def sheet(response):
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [list(row) for row in book.active.iter_rows(values_only=True)]


@pytest.mark.parametrize("caller", [*ALL_USERS, None])
def test_every_caller_on_the_ranking_and_the_bank_file(world, api, caller):
    w = world
    client = api(w.users[caller] if caller else None)
    ranking = client.get("/api/v1/innovation-points/", {"area": w.Z1.pk, "year": 2024})
    other = client.get("/api/v1/innovation-points/", {"area": w.Z2.pk, "year": 2024})
    export = client.get(
        "/api/v1/innovation-points/bank-export/", {"area": w.Z1.pk, "year": 2024, "bank": BANK}
    )
    if caller is None:
        assert {ranking.status_code, other.status_code, export.status_code} == {401}
        return
    root = caller == "root"
    # A zone's ranking: its staff (a department's handlers too: their department is the zone's); park
    # staff and strangers reach no zone.
    zone_staff = root or caller in STAFF - {Role.PARK_STAFF.value}
    assert ranking.status_code == (200 if zone_staff else 404), ranking.content
    assert other.status_code == (200 if root else 404)
    assert export.status_code == (200 if root or caller in EXPORTERS else 404)
    if zone_staff:
        body = ranking.json()
        assert body["system"]["id"] == w.IS1.pk
        assert {r["enterprise"] for r in body["results"]} == {w.E1.pk, w.E3.pk}
        assert body["results"][0]["indicators"][0]["variable"] == "invention_patents"


def test_a_bank_receives_only_the_enterprises_consenting_to_it_that_day(scored, api):
    """A consents to the bank; B withdrew today; C consented to another bank; D consents from tomorrow;
    E1 (the world's CS1) consents too. The file: A and E1, with their points, ranks and indicators."""
    w = scored
    today = timezone.localdate()
    c = EnterpriseFactory(area=w.P1, name="丙有限公司")
    d = EnterpriseFactory(area=w.P1, name="丁有限公司")
    services.give_consent(by=w.root, enterprise=w.a, bank=BANK, given_on=today - datetime.timedelta(days=30))
    withdrawn = services.give_consent(
        by=w.root, enterprise=w.b, bank=BANK, given_on=datetime.date(2025, 3, 1)
    )
    services.withdraw_consent(withdrawn, by=w.root, on=today)
    services.give_consent(by=w.root, enterprise=c, bank="另一银行", given_on=datetime.date(2025, 3, 1))
    services.give_consent(by=w.root, enterprise=d, bank=BANK, given_on=today + datetime.timedelta(days=1))
    response = api(w.admin).get(
        "/api/v1/innovation-points/bank-export/", {"area": w.Z1.pk, "year": 2024, "bank": BANK}
    )
    assert response.status_code == 200
    rows = sheet(response)
    assert rows[0][:4] == ["USCC", "Enterprise", "Innovation points", "Rank"]
    assert len(rows[0]) == 4 + 7  # a column per indicator
    assert [r[1] for r in rows[1:]] == ["甲创新科技有限公司", w.E1.name]
    assert rows[1][:4] == ["91110108MA01AB3CX1", "甲创新科技有限公司", 64, 1]
    assert rows[1][4:] == [6, 20, 12, 5, 6, 10, 5]
    assert api(w.admin).get("/api/v1/innovation-points/bank-export/", {"area": w.Z1.pk}).status_code == 400


def test_the_ranking_is_paginated_and_explained(scored, api):
    w = scored
    body = (
        api(w.leader)
        .get("/api/v1/innovation-points/", {"area": w.Z1.pk, "year": 2024, "page_size": 2})
        .json()
    )
    assert body["count"] == 4 and body["next"] and body["year"] == 2024
    first = body["results"][0]
    assert (first["enterprise"], first["rank"], first["total"]) == (w.a.pk, 1, "64.00")
    assert first["indicators"][1]["bracket"] == {"index": 2, "from": "0.06", "to": None, "points": 10}
    assert first["indicators"][1]["weighted"] == "20.00"


def test_brackets_refused_by_the_api_name_their_place(world, api):
    response = api(world.admin).post(
        "/api/v1/innovation-systems/",
        {
            "area": world.Z1.pk,
            "name": "错",
            "effective_from": "2030-01-01",
            "indicators": [
                {
                    "variable": "rd_ratio",
                    "weight": "1",
                    "brackets": [{"from": 0, "to": 0.1, "points": 1}, {"from": 0.05, "to": 1, "points": 2}],
                }
            ],
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["indicators"][0].startswith("$.indicators[0].brackets[1].from:")


def test_an_enterprise_gives_and_withdraws_its_own_consent_only(world, api):
    w = world
    client = api(w.enterprise)
    given = client.post(
        "/api/v1/innovation-consents/",
        {"enterprise": w.E1.pk, "bank": "另一银行", "given_on": "2026-01-01"},
        format="json",
    )
    assert given.status_code == 201, given.content
    consent = Consent.objects.get(pk=given.json()["id"])
    assert consent.recorded_by == w.enterprise
    withdrawn = client.patch(
        f"/api/v1/innovation-consents/{consent.pk}/", {"withdrawn_on": "2026-02-01"}, format="json"
    )
    assert withdrawn.status_code == 200
    assert withdrawn.json()["withdrawn_on"] == "2026-02-01"
    other = client.post(
        "/api/v1/innovation-consents/",
        {"enterprise": w.E3.pk, "bank": "另一银行", "given_on": "2026-01-01"},
        format="json",
    )
    assert other.status_code == 400 and "enterprise" in other.json()
    overlapping = api(w.admin).post(
        "/api/v1/innovation-consents/",
        {"enterprise": w.E1.pk, "bank": BANK, "given_on": "2026-01-01"},
        format="json",
    )
    assert overlapping.status_code == 400 and "bank" in overlapping.json()
    history = api(w.admin).get(f"/api/v1/innovation-consents/{consent.pk}/history/").json()
    assert [e["action"] for e in history["results"]][-1] == "create"


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_page_ranks_with_the_breakdown_and_the_bank_file(scored, client, language):
    w = scored
    client.force_login(w.admin)
    page = client.get("/innovation/points/", {"area": w.Z1.pk, "year": 2024}, HTTP_ACCEPT_LANGUAGE=language)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="points-ranking"' in html and "64.00" in html and "<details" in html
    assert 'data-testid="bank-export"' in html
    client.force_login(w.users["enterprise"])
    assert client.get("/innovation/points/").status_code == 403
