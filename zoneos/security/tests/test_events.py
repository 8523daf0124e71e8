"""Each kind of security event is written with its user, client address, user agent and path, and
writing it never fails the request."""

import pytest
from django.core import signals
from django.db import DatabaseError, close_old_connections

from zoneos.security.models import EventKind, SecurityEvent
from zoneos.security.services import create_token
from zoneos.testing.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

BROWSER = {"HTTP_USER_AGENT": "Mozilla/5.0 (X11; Linux x86_64) Chromium/120", "REMOTE_ADDR": "10.1.2.3"}


def only(kind) -> SecurityEvent:
    [event] = SecurityEvent.objects.filter(kind=kind)
    return event


def sign_in(client, username, password, path="/login/", **meta):
    return client.post(path, {"username": username, "password": password}, **{**BROWSER, **meta})


def test_a_sign_in_is_recorded_with_user_address_agent_and_path(client, world):
    assert sign_in(client, world.leader.username, TEST_PASSWORD).status_code == 302
    event = only(EventKind.SIGN_IN)
    assert (event.user, event.username, event.address) == (world.leader, world.leader.username, "10.1.2.3")
    assert event.user_agent == BROWSER["HTTP_USER_AGENT"]
    assert event.path == "/login/"


def test_a_failed_sign_in_names_the_account_tried(client, world):
    sign_in(client, world.leader.username, "wrong")
    sign_in(client, "nobody-here", "wrong")
    failed = SecurityEvent.objects.filter(kind=EventKind.SIGN_IN_FAILED).order_by("id")
    assert [(e.user, e.username, e.address) for e in failed] == [
        (world.leader, world.leader.username, "10.1.2.3"),
        (None, "nobody-here", "10.1.2.3"),
    ]
    assert "wrong" not in str([e.detail for e in failed])


def test_the_admin_sign_in_is_recorded_too(client, world):
    world.leader.is_staff = True
    world.leader.save(update_fields=["is_staff"])
    sign_in(client, world.leader.username, "wrong", path="/admin/login/")
    assert only(EventKind.SIGN_IN_FAILED).path == "/admin/login/"
    assert sign_in(client, world.leader.username, TEST_PASSWORD, path="/admin/login/").status_code == 302
    assert only(EventKind.SIGN_IN).path == "/admin/login/"


def test_the_failure_that_starts_a_lockout_is_recorded_once(client, world, settings):
    settings.LOGIN_MAX_FAILURES = 3
    for _ in range(5):
        sign_in(client, world.leader.username, "wrong")
    event = only(EventKind.LOCKOUT)
    assert (event.user, event.username, event.address) == (world.leader, world.leader.username, "10.1.2.3")
    assert event.detail == {"locked": "username", "failures": 3, "minutes": 15}


def test_an_address_lockout_is_recorded_for_the_address(client, world, settings):
    settings.LOGIN_MAX_FAILURES_PER_ADDRESS = 4
    for n in range(4):
        sign_in(client, f"guess{n}", "wrong")
    event = only(EventKind.LOCKOUT)
    assert (event.address, event.detail["locked"]) == ("10.1.2.3", "address")


def test_the_address_comes_from_the_configured_proxy_header_only(client, world, settings):
    forged = {"HTTP_X_FORWARDED_FOR": "1.1.1.1, 192.0.2.7"}
    sign_in(client, world.leader.username, "wrong", **forged)
    settings.ZONEOS_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    sign_in(client, world.leader.username, "wrong", **forged)
    failed = SecurityEvent.objects.filter(kind=EventKind.SIGN_IN_FAILED).order_by("id")
    assert [e.address for e in failed] == ["10.1.2.3", "192.0.2.7"]


def test_signing_out_is_recorded(client, world):
    client.force_login(world.leader)
    client.post("/logout/", **BROWSER)
    event = only(EventKind.SIGN_OUT)
    assert (event.user, event.address, event.path) == (world.leader, "10.1.2.3", "/logout/")


def test_an_api_refusal_is_recorded(world, api):
    refused = api(world.leader).post(
        "/api/v1/areas/", {"code": "X", "name": "新园", "kind": "park"}, format="json"
    )
    assert refused.status_code == 403
    event = only(EventKind.PERMISSION_REFUSED)
    assert (event.user, event.path, event.detail["method"]) == (world.leader, "/api/v1/areas/", "POST")


def test_a_page_refusal_is_recorded(client, world):
    client.force_login(world.leader)
    assert client.get("/users/new/", **BROWSER).status_code == 403
    event = only(EventKind.PERMISSION_REFUSED)
    assert (event.user, event.path, event.address) == (world.leader, "/users/new/", "10.1.2.3")


def test_an_export_records_who_exported_which_list_and_how_many_rows(world, api):
    answer = api(world.admin).get("/api/v1/enterprises/export/", {"as": "csv", "name": "一号"})
    lines = b"".join(answer.streaming_content).decode("utf-8-sig").strip().splitlines()
    event = only(EventKind.EXPORT)
    assert event.user == world.admin
    assert event.detail == {
        "kind": "enterprises",
        "format": "csv",
        "rows": len(lines) - 1,
        "complete": True,
        "query": "as=csv&name=%E4%B8%80%E5%8F%B7",
    }
    assert event.detail["rows"] == 2  # E1 and E3, in Z1


def test_an_xlsx_export_from_a_page_is_recorded(client, world):
    client.force_login(world.admin)
    assert client.get("/enterprises/export/", {"as": "xlsx"}).status_code == 200
    event = only(EventKind.EXPORT)
    assert (event.user, event.detail["kind"], event.detail["format"]) == (world.admin, "enterprises", "xlsx")
    assert event.detail["rows"] == 2


def test_the_appeals_export_is_recorded(client, world):
    client.force_login(world.admin)
    assert client.get("/appeals/export/").status_code == 200
    assert only(EventKind.EXPORT).detail["kind"] == "appeals"


def test_a_broken_off_download_records_what_was_sent(world, rf):
    from zoneos.enterprises.exports import enterprise_columns
    from zoneos.enterprises.models import Enterprise
    from zoneos.tabular import export

    request = rf.get("/enterprises/export/", {"as": "csv"})
    request.user = world.admin
    answer = export.response(
        Enterprise.objects.all(), enterprise_columns(), "enterprises", "csv", request=request
    )
    stream = iter(answer.streaming_content)
    next(stream), next(stream), next(stream)  # the BOM, the header and one row
    # The server closes the response; the signal it sends then would close the test's own connection.
    signals.request_finished.disconnect(close_old_connections)
    try:
        answer.close()
    finally:
        signals.request_finished.connect(close_old_connections)
    assert only(EventKind.EXPORT).detail == {
        "kind": "enterprises",
        "format": "csv",
        "rows": 1,
        "complete": False,
        "query": "as=csv",
    }
    assert only(EventKind.EXPORT).user == world.admin


def test_token_events_carry_the_user_and_token(world, api):
    created = api(world.admin).post("/api/v1/tokens/", {"name": "脚本"}, format="json").json()
    event = only(EventKind.TOKEN_CREATED)
    assert (event.user, event.detail["token"], event.detail["prefix"]) == (
        world.admin,
        created["id"],
        created["prefix"],
    )
    assert created["key"] not in str(event.detail)


def test_a_log_that_cannot_be_written_does_not_fail_the_sign_in(client, world, monkeypatch):
    def refuse(*args, **kwargs):
        raise DatabaseError("disk full")

    monkeypatch.setattr(SecurityEvent, "save", refuse)
    assert sign_in(client, world.leader.username, TEST_PASSWORD).status_code == 302
    assert client.session["_auth_user_id"] == str(world.leader.pk)
    _token, key = create_token(by=world.leader, name="x")
    assert client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 200


def test_a_name_with_a_nul_character_is_refused_before_it_is_tried(client, world, settings):
    # Control characters are refused at input (zoneos.core.text): the attempt never reaches the
    # password check, so it neither counts against the real "admin" nor locks anyone out.
    settings.LOGIN_MAX_FAILURES = 2
    for _ in range(3):
        refused = sign_in(client, "admin\x00", "wrong")
        assert refused.status_code == 400 and "username" in refused.content.decode()
    assert not SecurityEvent.objects.filter(kind__in=[EventKind.LOCKOUT, EventKind.SIGN_IN_FAILED]).exists()
    assert sign_in(client, world.admin.username, TEST_PASSWORD).status_code == 302
