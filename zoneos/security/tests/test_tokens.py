"""API tokens: stored as a hash, shown once, expiring, revoked by their owner or the owner's admin, and
still sent as `Authorization: Token <key>`."""

import datetime
import hashlib

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from zoneos.core.roles import Role
from zoneos.security.models import ApiToken, EventKind, SecurityEvent
from zoneos.security.services import create_token
from zoneos.testing.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def with_key(key: str) -> APIClient:
    return APIClient(HTTP_AUTHORIZATION=f"Token {key}", HTTP_ACCEPT_LANGUAGE="en")


def test_the_database_keeps_the_hash_and_the_prefix_never_the_secret(world, api):
    created = api(world.admin).post("/api/v1/tokens/", {"name": "报表系统"}, format="json")
    assert created.status_code == 201, created.content
    key = created.json()["key"]
    assert len(key) == 40
    token = ApiToken.objects.get(pk=created.json()["id"])
    assert token.hash == hashlib.sha256(key.encode()).hexdigest()
    assert token.prefix == key[:8] == created.json()["prefix"]
    stored = [str(v) for v in ApiToken.objects.filter(pk=token.pk).values_list().get()]
    assert not any(key in value for value in stored)


def test_the_secret_is_shown_once_and_never_again(world, api):
    client = api(world.admin)
    key = client.post("/api/v1/tokens/", {"name": "报表系统"}, format="json").json()["key"]
    token = ApiToken.objects.get()
    for answer in (client.get("/api/v1/tokens/"), client.get(f"/api/v1/tokens/{token.pk}/")):
        assert answer.status_code == 200
        assert key not in answer.content.decode()
        assert b'"key"' not in answer.content
    assert client.get(f"/api/v1/tokens/{token.pk}/").json()["state"] == "active"


def test_clients_keep_sending_the_token_header(world):
    _token, key = create_token(by=world.leader, name="大屏")
    me = with_key(key).get("/api/v1/me/")
    assert me.status_code == 200
    assert me.json()["username"] == world.leader.username
    assert with_key("0" * 40).get("/api/v1/me/").status_code == 401


def test_a_new_token_lives_90_days_unless_another_date_is_chosen(world, api):
    before = timezone.now()
    answer = api(world.admin).post("/api/v1/tokens/", {"name": "默认"}, format="json").json()
    expires = datetime.datetime.fromisoformat(answer["expires_at"])
    assert datetime.timedelta(days=90) <= expires - before < datetime.timedelta(days=90, minutes=1)
    chosen = (timezone.now() + datetime.timedelta(days=10)).replace(microsecond=0)
    answer = api(world.admin).post(
        "/api/v1/tokens/", {"name": "短期", "expires_at": chosen.isoformat()}, format="json"
    )
    assert datetime.datetime.fromisoformat(answer.json()["expires_at"]) == chosen


def _in_days(days: int) -> str:
    return (timezone.now() + datetime.timedelta(days=days)).isoformat()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        (lambda: {"name": "长期", "expires_at": _in_days(400)}, "expires_at"),
        (lambda: {"name": "过去", "expires_at": _in_days(-1)}, "expires_at"),
        (lambda: {"name": "  "}, "name"),
        (lambda: {}, "name"),
    ],
)
def test_a_bad_name_or_end_date_is_400_naming_the_field(world, api, payload, field):
    answer = api(world.admin).post("/api/v1/tokens/", payload(), format="json")
    assert answer.status_code == 400
    assert field in answer.json()
    assert not ApiToken.objects.exists()


def test_the_longest_life_is_a_setting(world, api, settings):
    settings.ZONEOS_API_TOKEN_MAX_DAYS = 30
    too_long = (timezone.now() + datetime.timedelta(days=31)).isoformat()
    answer = api(world.admin).post("/api/v1/tokens/", {"name": "x", "expires_at": too_long}, format="json")
    assert answer.status_code == 400
    assert "30" in answer.json()["expires_at"][0]


def test_an_expired_token_is_401_saying_so(world):
    token, key = create_token(by=world.admin, name="旧系统")
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - datetime.timedelta(hours=1))
    answer = with_key(key).get("/api/v1/me/")
    assert answer.status_code == 401
    assert "expired" in answer.json()["detail"]
    event = SecurityEvent.objects.get(kind=EventKind.TOKEN_REFUSED)
    assert (event.user, event.detail["reason"], event.detail["prefix"]) == (world.admin, "expired", key[:8])


def test_a_revoked_token_is_401_saying_so(world, api):
    token, key = create_token(by=world.admin, name="旧系统")
    assert api(world.admin).post(f"/api/v1/tokens/{token.pk}/revoke/").status_code == 200
    answer = with_key(key).get("/api/v1/me/")
    assert answer.status_code == 401
    assert "revoked" in answer.json()["detail"]


def test_the_owner_revokes_their_token(world, api):
    token, key = create_token(by=world.leader, name="大屏")
    answer = api(world.leader).post(f"/api/v1/tokens/{token.pk}/revoke/")
    assert answer.status_code == 200
    assert answer.json()["state"] == "revoked"
    assert answer.json()["revoked_by"] == world.leader.username
    token.refresh_from_db()
    assert token.revoked_at is not None and token.revoked_by == world.leader
    again = api(world.leader).post(f"/api/v1/tokens/{token.pk}/revoke/")
    assert again.status_code == 409


def test_the_admin_of_the_owners_area_lists_and_revokes_it(world, api):
    token, key = create_token(by=world.colleague, name="园区对接")
    admin = api(world.admin)
    listed = admin.get("/api/v1/tokens/", {"user": world.colleague.pk}).json()["results"]
    assert [row["id"] for row in listed] == [token.pk]
    assert admin.post(f"/api/v1/tokens/{token.pk}/revoke/").status_code == 200
    assert with_key(key).get("/api/v1/me/").status_code == 401
    event = SecurityEvent.objects.get(kind=EventKind.TOKEN_REVOKED)
    assert (event.user, event.detail["owner"]) == (world.admin, world.colleague.username)


def test_another_areas_admin_neither_sees_nor_revokes_it(world, api):
    other_admin = UserFactory(username="z2admin")
    MembershipFactory(user=other_admin, role=Role.ADMIN, area=world.Z2)
    token, key = create_token(by=world.colleague, name="园区对接")
    client = api(other_admin)
    assert client.get("/api/v1/tokens/").json()["results"] == []
    assert client.get(f"/api/v1/tokens/{token.pk}/").status_code == 404
    assert client.post(f"/api/v1/tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert with_key(key).get("/api/v1/me/").status_code == 200


def test_an_area_admin_does_not_reach_a_superusers_token_nor_a_colleague_without_admin_rights(world, api):
    token, _key = create_token(by=world.root, name="运维")
    assert api(world.admin).post(f"/api/v1/tokens/{token.pk}/revoke/").status_code == 404
    colleague_token, _key = create_token(by=world.colleague, name="园区对接")
    assert api(world.leader).get(f"/api/v1/tokens/{colleague_token.pk}/").status_code == 404


def test_a_token_cannot_create_another_token(world):
    _token, key = create_token(by=world.admin, name="脚本")
    answer = with_key(key).post("/api/v1/tokens/", {"name": "续期"}, format="json")
    assert answer.status_code == 403
    assert ApiToken.objects.count() == 1


def test_use_is_stamped_and_logged_at_most_once_a_minute(world):
    token, key = create_token(by=world.admin, name="脚本")
    client = with_key(key)
    for _ in range(3):
        assert client.get("/api/v1/me/").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert SecurityEvent.objects.filter(kind=EventKind.TOKEN_USED).count() == 1
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now() - datetime.timedelta(minutes=2))
    client.get("/api/v1/me/")
    used = SecurityEvent.objects.filter(kind=EventKind.TOKEN_USED)
    assert used.count() == 2
    assert {e.user for e in used} == {world.admin}
    assert all(e.path == "/api/v1/me/" and e.address == "127.0.0.1" for e in used)


def test_creation_and_revocation_are_in_the_history_with_the_hash_masked(world, api):
    created = api(world.admin).post("/api/v1/tokens/", {"name": "报表系统"}, format="json").json()
    api(world.admin).post(f"/api/v1/tokens/{created['id']}/revoke/")
    token = ApiToken.objects.get()
    entries = list(LogEntry.objects.get_for_object(token).order_by("timestamp"))
    assert [e.actor for e in entries] == [world.admin, world.admin]
    assert token.hash not in str(entries[0].changes)


def test_the_command_line_creates_a_token_for_an_integration_account(world, capsys):
    call_command("create_api_token", world.enterprise.username, "--name", "Open311", "--days", "30")
    key = capsys.readouterr().out.strip()
    assert with_key(key).get("/api/v1/me/").json()["username"] == world.enterprise.username
    assert ApiToken.objects.get().name == "Open311"


class _Editor:
    """What the data migration uses of a schema editor."""

    connection = connection

    @staticmethod
    def quote_name(name):
        return connection.ops.quote_name(name)

    @staticmethod
    def execute(sql):
        with connection.cursor() as cursor:
            cursor.execute(sql)


def test_drf_tokens_of_an_earlier_release_keep_working_hashed_and_their_table_is_dropped(world):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("zoneos.security.migrations.0002_hash_earlier_tokens")
    key = "9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b"
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, created timestamp with time zone, "
            "user_id bigint NOT NULL)"
            if connection.vendor == "postgresql"
            else "CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, created datetime, user_id int)"
        )
        cursor.execute(
            "INSERT INTO authtoken_token (key, created, user_id) VALUES (%s, %s, %s)",
            [
                key,
                timezone.now() if connection.vendor == "postgresql" else "2025-01-02 03:04:05",
                world.leader.pk,
            ],
        )
    migration.hash_earlier_tokens(apps, _Editor())
    assert "authtoken_token" not in connection.introspection.table_names()
    token = ApiToken.objects.get()
    assert (token.user, token.prefix, token.name) == (world.leader, key[:8], "Earlier token")
    assert token.hash == hashlib.sha256(key.encode()).hexdigest()
    assert with_key(key).get("/api/v1/me/").json()["username"] == world.leader.username
    migration.hash_earlier_tokens(apps, _Editor())  # a database without the table: nothing to do
    assert ApiToken.objects.count() == 1


def test_a_request_with_a_token_used_this_minute_costs_one_query(world, django_assert_num_queries):
    from django.test import RequestFactory

    from zoneos.security.services import authenticate_key

    _token, key = create_token(by=world.admin, name="脚本")
    request = RequestFactory().get("/api/v1/me/")
    authenticate_key(key, request)  # the first use of the minute: stamped and logged
    with django_assert_num_queries(1):  # the token with its user, nothing written
        assert authenticate_key(key, request)[0] == world.admin
