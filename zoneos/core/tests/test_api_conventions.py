"""The API conventions every module inherits: authentication, the client's language, 400 naming the
field, 409 for a blocked change, created records answered whole, lists paginated up to 1000, `within`."""

import pytest

from zoneos.areas.models import Area, Department

pytestmark = pytest.mark.django_db


def test_healthz_answers_without_login(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_the_api_needs_authentication(world, api):
    assert api().get("/api/v1/areas/").status_code == 401
    assert api().get("/api/v1/me/").status_code == 401


def test_the_api_speaks_the_language_its_client_asks_for(world, api):
    """Chinese unless Accept-Language names English; the messages follow."""
    chinese = api(world.root, language="").post("/api/v1/areas/", {"code": "", "name": "X", "kind": "zone"})
    english = api(world.root, language="en-US,en;q=0.9").post(
        "/api/v1/areas/", {"code": "", "name": "X", "kind": "zone"}
    )
    assert chinese["Content-Language"] == "zh-hans"
    assert english["Content-Language"] == "en"
    assert chinese.json()["code"] != english.json()["code"]
    assert "blank" in english.json()["code"][0]


def test_bad_input_names_the_field_and_writes_nothing(world, api):
    before = Area.objects.count()
    response = api(world.root).post("/api/v1/areas/", {"code": "", "name": "X", "kind": "castle"})
    assert response.status_code == 400
    body = response.json()
    assert set(body) >= {"code", "kind"}
    assert all(isinstance(messages, list) and messages for messages in body.values())
    assert Area.objects.count() == before


def test_an_unknown_parent_id_is_a_field_error(world, api):
    response = api(world.root).post(
        "/api/v1/areas/", {"code": "X1", "name": "X", "kind": "park", "parent": 999999}
    )
    assert response.status_code == 400 and "parent" in response.json()


def test_a_delete_blocked_by_other_records_is_a_409_and_changes_nothing(world, api):
    response = api(world.admin).delete(f"/api/v1/departments/{world.D1.pk}/")
    assert response.status_code == 409
    assert "detail" in response.json()
    assert Department.objects.filter(pk=world.D1.pk).exists()


def test_created_records_come_back_whole(world, api):
    response = api(world.admin).post(
        "/api/v1/areas/", {"code": "P6", "name": "六号园", "kind": "park", "parent": world.Z1.pk}
    )
    assert response.status_code == 201
    body = response.json()
    assert body["id"] and body["depth"] == 2 and body["kind_label"]
    assert body == api(world.admin).get(f"/api/v1/areas/{body['id']}/").json()


def test_lists_are_paginated_up_to_1000(world, api):
    client = api(world.root)
    body = client.get("/api/v1/areas/?page_size=2").json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 6 and len(body["results"]) == 2 and body["next"]
    assert len(client.get("/api/v1/areas/?page_size=5000").json()["results"]) == 6


def test_within_narrows_a_list_to_a_subtree(world, api):
    body = api(world.root).get(f"/api/v1/areas/?within={world.Z2.pk}").json()
    assert {r["code"] for r in body["results"]} == {"Z2", "P3"}


def test_an_area_can_be_moved_through_the_api_and_stays_consistent(world, api):
    client = api(world.root)
    response = client.patch(f"/api/v1/areas/{world.P2.pk}/", {"parent": world.Z2.pk})
    assert response.status_code == 200 and response.json()["parent"] == world.Z2.pk
    assert {r["code"] for r in client.get(f"/api/v1/areas/?within={world.Z2.pk}").json()["results"]} == {
        "Z2",
        "P2",
        "P3",
    }


@pytest.mark.parametrize("query", ["parent=99999999999999999999", "within=1e30", "within=-3", "parent=1.5"])
def test_an_out_of_range_id_in_a_filter_is_a_400_naming_it(world, api, query):
    response = api(world.root).get(f"/api/v1/areas/?{query}")
    assert response.status_code == 400
    assert query.split("=")[0] in response.json()


def test_an_id_too_large_for_the_database_is_not_found(world, api):
    assert api(world.root).get("/api/v1/areas/99999999999999999999/").status_code == 404


def test_an_id_too_large_for_the_database_in_a_body_is_a_field_error(world, api):
    response = api(world.root).post(
        "/api/v1/departments/", {"area": 99999999999999999999, "name": "X"}, format="json"
    )
    assert response.status_code == 400 and "area" in response.json()


def test_a_body_nested_too_deep_is_a_400_in_json_and_the_api_keeps_answering(world, api):
    client = api(world.root)
    depth = 100_000
    for path in ("/api/v1/areas/", "/api/v1/projects/"):
        response = client.generic("POST", path, "[" * depth + "]" * depth, content_type="application/json")
        assert response.status_code == 400
        assert "nested too deeply" in response.json()["detail"]
    assert client.get("/api/v1/areas/").status_code == 200
