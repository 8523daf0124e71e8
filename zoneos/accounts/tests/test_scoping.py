"""What each role sees and may change, through the API a user actually calls."""

import pytest

from zoneos.accounts.models import Membership, User
from zoneos.accounts.scoping import scope
from zoneos.areas.models import Area, Department

pytestmark = pytest.mark.django_db


def codes(response):
    return {row["code"] for row in response.json()["results"]}


def test_park_staff_list_only_their_park_and_get_404_for_another(world, api):
    client = api(world.park_staff)
    assert codes(client.get("/api/v1/areas/")) == {"P1"}
    assert client.get(f"/api/v1/areas/{world.P1.pk}/").status_code == 200
    assert client.get(f"/api/v1/areas/{world.P2.pk}/").status_code == 404
    assert client.get(f"/api/v1/areas/{world.P3.pk}/").status_code == 404


def test_a_zone_role_sees_the_zone_subtree_and_nothing_of_the_next_zone(world, api):
    assert codes(api(world.leader).get("/api/v1/areas/")) == {"Z1", "P1", "P2"}
    assert api(world.leader).get(f"/api/v1/departments/{world.D2.pk}/").status_code == 404


def test_an_enterprise_user_sees_only_their_own_enterprise_and_its_park(world):
    assert set(scope(Area.objects.all(), world.enterprise).values_list("code", flat=True)) == {"P1"}
    assert not scope(Department.objects.all(), world.enterprise).exists()
    visible_users = set(scope(User.objects.all(), world.enterprise).values_list("username", flat=True))
    assert visible_users == {"enterprise"}


def test_a_user_without_memberships_sees_nothing_but_themselves(world, api):
    client = api(world.stranger)
    assert client.get("/api/v1/areas/").json()["count"] == 0
    assert [u["username"] for u in client.get("/api/v1/users/").json()["results"]] == ["stranger"]


def test_creating_an_area_under_an_area_outside_ones_scope_is_refused(world, api):
    response = api(world.admin).post(
        "/api/v1/areas/", {"code": "P7", "name": "七号园", "kind": "park", "parent": world.P3.pk}
    )
    assert response.status_code == 400
    assert "parent" in response.json()
    assert not Area.objects.filter(code="P7").exists()


def test_a_reader_who_sees_the_parent_is_still_not_allowed_to_create_under_it(world, api):
    response = api(world.leader).post(
        "/api/v1/areas/", {"code": "P7", "name": "七号园", "kind": "park", "parent": world.Z1.pk}
    )
    assert response.status_code == 403
    assert not Area.objects.filter(code="P7").exists()


def test_a_parks_admin_cannot_touch_someone_who_also_works_elsewhere(world, api):
    park_admin = User.objects.create_user("parkadmin", password="x-long-password")
    Membership.objects.create(user=park_admin, role="admin", area=world.P1)
    both = User.objects.create_user("both", password="x-long-password")
    Membership.objects.create(user=both, role="park_staff", area=world.P1)
    Membership.objects.create(user=both, role="leader", area=world.Z2)

    client = api(park_admin)
    assert client.get(f"/api/v1/users/{both.pk}/").status_code == 200  # visible through P1
    response = client.patch(f"/api/v1/users/{both.pk}/", {"password": "a-new-secret-123"})
    assert response.status_code == 403
    both.refresh_from_db()
    assert both.check_password("x-long-password")


def test_an_admin_cannot_grant_roles_outside_their_subtree(world, api):
    response = api(world.admin).post(
        "/api/v1/memberships/", {"user": world.colleague.pk, "role": "leader", "area": world.Z2.pk}
    )
    assert response.status_code == 400 and "area" in response.json()
    assert not Membership.objects.filter(user=world.colleague, area=world.Z2).exists()


def test_a_new_user_created_by_an_admin_stays_visible_to_that_admin(world, api):
    client = api(world.admin)
    created = client.post(
        "/api/v1/users/", {"username": "newbie", "password": "a-good-passphrase", "display_name": "新人"}
    ).json()
    assert created["home_area"] == world.Z1.pk
    assert client.get(f"/api/v1/users/{created['id']}/").status_code == 200
    assert api(world.outsider).get(f"/api/v1/users/{created['id']}/").status_code == 404
    membership = client.post(
        "/api/v1/memberships/", {"user": created["id"], "role": "park_staff", "area": world.P2.pk}
    )
    assert membership.status_code == 201, membership.json()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"role": "handler", "area": "Z1"}, "department"),
        ({"role": "leader", "department": "D1"}, "area"),
        ({"role": "enterprise", "area": "P1"}, "enterprise"),
        ({"role": "park_staff", "area": "Z1"}, "area"),
        ({"role": "chief", "area": "Z1"}, "role"),
    ],
)
def test_a_membership_must_fit_its_role(world, api, payload, field):
    data = {"user": world.colleague.pk}
    for key, value in payload.items():
        data[key] = value if key == "role" else (world.areas.get(value) or world.departments.get(value)).pk
    before = Membership.objects.count()
    response = api(world.root).post("/api/v1/memberships/", data)
    assert response.status_code == 400
    assert field in response.json()
    assert Membership.objects.count() == before


def test_me_describes_the_user_their_roles_and_scopes(world, api):
    body = api(world.handler).get("/api/v1/me/").json()
    assert body["username"] == "handler"
    assert body["roles"] == ["handler"]
    assert body["memberships"][0]["department"] == world.D1.pk
    assert [s["code"] for s in body["scopes"]] == ["Z1"]
