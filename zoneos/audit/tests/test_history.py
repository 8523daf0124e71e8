"""Every create, update and delete of areas, departments, users and memberships is in history with
its author, in the API's `{at, user, action, changes}` shape and on the record's page."""

import pytest
from auditlog.models import LogEntry

from zoneos.accounts.models import Membership, User
from zoneos.areas.models import Area, Department

pytestmark = pytest.mark.django_db


def history(client, resource, pk):
    response = client.get(f"/api/v1/{resource}/{pk}/history/")
    assert response.status_code == 200
    return response.json()["results"]


def test_an_area_created_then_renamed_shows_both_changes_with_their_author(world, api):
    client = api(world.admin)
    area = client.post(
        "/api/v1/areas/", {"code": "P5", "name": "五号园", "kind": "park", "parent": world.Z1.pk}
    )
    pk = area.json()["id"]
    client.patch(f"/api/v1/areas/{pk}/", {"name": "五号科技园"})

    rows = history(client, "areas", pk)
    assert [r["action"] for r in rows] == ["update", "create"]
    assert {r["user"] for r in rows} == {"admin"}
    assert rows[0]["changes"] == {"name": ["五号园", "五号科技园"]}
    assert rows[1]["changes"]["code"] == [None, "P5"]
    assert rows[1]["changes"]["parent"] == [None, world.Z1.pk]
    assert set(rows[1]["changes"]) == {"code", "name", "name_en", "aliases", "kind", "parent"}  # own columns


def test_a_deleted_department_leaves_its_delete_in_history(world, api):
    client = api(world.admin)
    client.delete(f"/api/v1/departments/{world.D3.pk}/")
    assert not Department.objects.filter(pk=world.D3.pk).exists()
    entry = LogEntry.objects.get_for_object(world.D3).get(action=LogEntry.Action.DELETE)
    assert entry.actor == world.admin
    assert entry.changes["name"] == ["规划建设局", None]


def test_user_changes_are_attributed_and_the_password_never_shown(world, api):
    client = api(world.admin)
    client.patch(
        f"/api/v1/users/{world.colleague.pk}/", {"display_name": "同事", "password": "fresh-pass-456"}
    )
    row = history(client, "users", world.colleague.pk)[0]
    assert row["user"] == "admin" and row["action"] == "update"
    assert row["changes"]["display_name"][1] == "同事"
    assert "fresh-pass-456" not in str(row["changes"])
    before, after = row["changes"]["password"]
    assert before != after and "*" in after


def test_deleting_a_user_deactivates_them_and_keeps_them_as_an_author(world, api):
    client = api(world.admin)
    assert client.delete(f"/api/v1/users/{world.colleague.pk}/").status_code == 204
    world.colleague.refresh_from_db()
    assert world.colleague.is_active is False
    row = history(client, "users", world.colleague.pk)[0]
    assert row["changes"]["is_active"] == [True, False] and row["user"] == "admin"


def test_membership_create_update_delete_are_in_history(world, api):
    client = api(world.admin)
    pk = client.post(
        "/api/v1/memberships/", {"user": world.colleague.pk, "role": "leader", "area": world.P2.pk}
    ).json()["id"]
    client.patch(f"/api/v1/memberships/{pk}/", {"role": "supervisor"})
    assert [r["action"] for r in history(client, "memberships", pk)] == ["update", "create"]
    membership = Membership.objects.get(pk=pk)
    client.delete(f"/api/v1/memberships/{pk}/")
    actions = list(LogEntry.objects.get_for_object(membership).values_list("action", "actor__username"))
    assert (LogEntry.Action.DELETE, "admin") in actions


def test_token_authenticated_changes_are_attributed_to_the_token_owner(world, client):
    from zoneos.security.services import create_token

    _token, key = create_token(by=world.admin, name="history")
    response = client.post(
        "/api/v1/departments/",
        {"area": world.P2.pk, "name": "园区办"},
        headers={"Authorization": f"Token {key}"},
        content_type="application/json",
    )
    assert response.status_code == 201
    entry = LogEntry.objects.get_for_object(Department.objects.get(pk=response.json()["id"])).get()
    assert entry.actor == world.admin


def test_history_is_out_of_reach_like_its_record(world, api):
    assert api(world.park_staff).get(f"/api/v1/areas/{world.P3.pk}/history/").status_code == 404


def test_admin_back_office_edits_are_attributed_too(world, client):
    world.root.set_password("root-pass-789")
    world.root.save()
    client.force_login(world.root)
    response = client.post(
        f"/admin/areas/area/{world.P2.pk}/change/",
        {"code": "P2", "name": "二号园（改）", "name_en": "", "kind": "park", "parent": world.Z1.pk},
    )
    assert response.status_code == 302
    entry = LogEntry.objects.get_for_object(Area.objects.get(pk=world.P2.pk)).first()
    assert entry.actor == world.root and entry.changes["name"][1] == "二号园（改）"
    assert User.objects.filter(pk=world.root.pk).exists()


def _openapi_3_0_to_json_schema(node, components):
    """A schema of the OpenAPI document as JSON Schema: references inlined, `nullable` as a null type."""
    if isinstance(node, list):
        return [_openapi_3_0_to_json_schema(n, components) for n in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        return _openapi_3_0_to_json_schema(components[node["$ref"].rsplit("/", 1)[1]], components)
    out = {k: _openapi_3_0_to_json_schema(v, components) for k, v in node.items() if k != "nullable"}
    if node.get("nullable") and "type" in out:
        out["type"] = [out["type"], "null"]
    return out


def test_a_many_to_many_change_reads_as_before_and_after_as_the_api_documents(world, api):
    """A fund's focus chains changed: the history endpoint gives `[before, after]` pairs (the names
    removed, the names added) and its answer is valid against the OpenAPI document's own schema."""
    import jsonschema
    from drf_spectacular.generators import SchemaGenerator

    w = world
    client = api(w.investment_officer)
    changed = client.patch(f"/api/v1/funds/{w.FD1.pk}/", {"focus_chains": [w.CN3.pk]}, format="json")
    assert changed.status_code == 200, changed.content
    answer = client.get(f"/api/v1/funds/{w.FD1.pk}/history/").json()
    chains = [e["changes"]["focus_chains"] for e in answer["results"] if "focus_chains" in e["changes"]]
    assert [None, [str(w.CN3)]] in chains and [[str(w.CN1)], None] in chains
    for entry in answer["results"]:
        assert all(isinstance(v, list) and len(v) == 2 for v in entry["changes"].values()), entry

    document = SchemaGenerator().get_schema(request=None, public=True)
    components = document["components"]["schemas"]
    documented = document["paths"]["/api/v1/funds/{id}/history/"]["get"]["responses"]["200"]["content"]
    schema = _openapi_3_0_to_json_schema(documented["application/json"]["schema"], components)
    jsonschema.validate(answer, schema, format_checker=jsonschema.FormatChecker())
