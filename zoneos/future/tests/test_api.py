"""The future-industry API: a board's items, readiness and missing items; a proof added as a document
(multipart) or as a record; a scenario's suggestions, confirmation and unmatching walked by every
caller. The resources themselves and the scenario's steps are in tests/test_permission_matrix.py."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zoneos.core.roles import Role
from zoneos.testing.world import ALL_USERS

pytestmark = pytest.mark.django_db
EVERY = {r.value for r in Role}
KEEPERS = {Role.ADMIN.value, Role.INVESTMENT_OFFICER.value, Role.PARK_STAFF.value, "root"}


def test_a_board_reads_its_ten_items_with_readiness_and_missing(world, api):
    w = world
    body = api(w.admin).get(f"/api/v1/future-boards/{w.FB1.pk}/").json()
    assert body["readiness"] == "0.2000" and body["proved"] == 2
    assert "roadmap" in body["missing"] and "plan" not in body["missing"]
    items = {i["key"]: i for i in body["items"]}
    assert len(items) == 10
    assert items["plan"]["proofs"] == [
        {
            "id": w.FP3.pk,
            "kind": "chain",
            "record": w.CN1.pk,
            "title": "CN1产业链",
            "counts": True,
            "document": None,
        }
    ]
    assert items["fund"]["waiting"] == []  # innovation keeps the funds: nothing waits for a kind
    listed = api(w.admin).get("/api/v1/future-boards/").json()["results"]
    assert {b["id"]: b["readiness"] for b in listed} == {w.FB1.pk: "0.2000", w.FB3.pk: "0.0000"}


def test_a_document_proof_is_uploaded_and_downloaded_through_the_boards_scope(world, api, client):
    w = world
    answer = api(w.investment_officer).post(
        "/api/v1/future-proofs/",
        {
            "board": w.FB1.pk,
            "item": "roadmap",
            "kind": "document",
            "title": "技术路线图",
            "document": SimpleUploadedFile("roadmap.pdf", b"%PDF-1.4 roadmap"),
        },
        format="multipart",
    )
    assert answer.status_code == 201, answer.content
    url = answer.json()["document_url"]
    client.force_login(w.park_staff)  # reads the zone's board
    assert b"".join(client.get(url).streaming_content) == b"%PDF-1.4 roadmap"
    client.force_login(w.enterprise)
    assert client.get(url).status_code == 404
    empty = api(w.admin).post(
        "/api/v1/future-proofs/",
        {
            "board": w.FB1.pk,
            "item": "roadmap",
            "kind": "document",
            "title": "空",
            "document": SimpleUploadedFile("e.pdf", b""),
        },
        format="multipart",
    )
    assert empty.status_code == 400 and "document" in empty.json()


@pytest.mark.parametrize("caller", [*ALL_USERS, None])
def test_every_caller_on_a_scenarios_matching(world, api, caller):
    w = world
    client = api(w.users[caller] if caller else None)
    answers = {
        "suggestions": client.get(f"/api/v1/future-scenarios/{w.SC1.pk}/suggestions/"),
        "other": client.get(f"/api/v1/future-scenarios/{w.SC2.pk}/suggestions/"),
    }
    confirm = client.post(
        f"/api/v1/future-scenarios/{w.SC1.pk}/confirm/", {"enterprises": [w.E1.pk]}, format="json"
    )
    confirm_other = client.post(
        f"/api/v1/future-scenarios/{w.SC2.pk}/confirm/", {"enterprises": [w.E2.pk]}, format="json"
    )
    unmatch = client.post(
        f"/api/v1/future-scenarios/{w.SC1.pk}/unmatch/", {"enterprise": w.E1.pk}, format="json"
    )
    if caller is None:
        assert {r.status_code for r in [*answers.values(), confirm, unmatch]} == {401}
        return
    root = caller == "root"
    readers = root or caller in EVERY
    assert answers["suggestions"].status_code == (200 if readers else 404)
    assert answers["other"].status_code == (200 if root else 404)
    if readers:  # the zone's enterprises that fit, as far as the caller sees them
        assert [s["enterprise"] for s in answers["suggestions"].json()] == [w.E1.pk]
    # Confirming writes: a caller without a keeper's role is refused before the scenario is looked up.
    keeper = caller in KEEPERS
    assert confirm.status_code == (200 if keeper else 403), confirm.content
    assert confirm_other.status_code == (200 if root else 404 if keeper else 403)
    if keeper:
        assert [m["enterprise"] for m in confirm.json()["matches"]] == [w.E1.pk]
        assert confirm.json()["matches"][0]["reasons"] == ["「科技」"]
    assert unmatch.status_code == (200 if keeper else 403)
    if keeper:
        assert unmatch.json()["matches"] == []


def test_a_scenarios_steps_answer_409_from_the_wrong_state_and_400_naming_the_note(world, api):
    w = world
    client = api(w.park_staff)
    assert client.post(f"/api/v1/future-scenarios/{w.SC1.pk}/start-pilot/").status_code == 409
    refused = client.post(f"/api/v1/future-scenarios/{w.SC1.pk}/withdraw/", {"note": ""}, format="json")
    assert refused.status_code == 400 and "note" in refused.json()
    moved = client.post(f"/api/v1/future-scenarios/{w.SC1.pk}/start-matching/")
    assert moved.status_code == 200 and moved.json()["status"] == "matching"
    assert "match" not in moved.json()["allowed_actions"]  # nobody confirmed yet
    assert client.post(f"/api/v1/future-scenarios/{w.SC1.pk}/match/").status_code == 409
