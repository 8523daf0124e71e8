"""The security log: read by admins (their users' events) and superusers (all), filtered, exported as
csv and xlsx, and purged after its retention, which is never less than 180 days."""

import datetime
import io

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook

from zoneos.security.apps import SecurityConfig
from zoneos.security.models import EventKind, SecurityEvent
from zoneos.security.services import purge_old_events

pytestmark = pytest.mark.django_db


def event(kind=EventKind.SIGN_IN, user=None, username=None, days_ago=0, address="10.0.0.1", **fields):
    return SecurityEvent.objects.create(
        kind=kind,
        user=user,
        username=username if username is not None else (user.username if user else ""),
        address=address,
        at=timezone.now() - datetime.timedelta(days=days_ago),
        **fields,
    )


@pytest.fixture
def logged(world):
    """A sign-in of a colleague in P1, one of an outsider in P3, a failure under an unknown name."""
    return {
        "colleague": event(user=world.colleague),
        "outsider": event(user=world.outsider, address="192.0.2.9"),
        "unknown": event(EventKind.SIGN_IN_FAILED, username="ghost", address="192.0.2.9"),
    }


def ids(answer) -> set[int]:
    return {row["id"] for row in answer.json()["results"]}


def test_an_admin_reads_the_events_of_their_areas_users_only(world, api, logged):
    answer = api(world.admin).get("/api/v1/security-events/")
    assert answer.status_code == 200
    assert logged["colleague"].pk in ids(answer)
    assert not {logged["outsider"].pk, logged["unknown"].pk} & ids(answer)
    assert api(world.admin).get(f"/api/v1/security-events/{logged['outsider'].pk}/").status_code == 404


def test_a_superuser_reads_every_event(world, api, logged):
    assert {e.pk for e in logged.values()} <= ids(api(world.root).get("/api/v1/security-events/"))


@pytest.mark.parametrize("role", ["leader", "supervisor", "park_staff", "enterprise", "stranger"])
def test_other_roles_are_refused_the_log(world, api, client, logged, role):
    assert api(world.users[role]).get("/api/v1/security-events/").status_code == 403
    client.force_login(world.users[role])
    assert client.get("/security/events/").status_code == 403
    assert client.get("/security/events/export/").status_code == 403


def test_the_log_filters_by_kind_user_address_and_dates(world, api, logged):
    old = event(user=world.colleague, days_ago=40)
    client = api(world.root)
    assert ids(client.get("/api/v1/security-events/", {"kind": "sign_in_failed"})) == {logged["unknown"].pk}
    assert ids(client.get("/api/v1/security-events/", {"user": "ghost"})) == {logged["unknown"].pk}
    by_id = ids(client.get("/api/v1/security-events/", {"user": str(world.colleague.pk)}))
    assert by_id == {logged["colleague"].pk, old.pk}
    assert ids(client.get("/api/v1/security-events/", {"address": "192.0.2."})) == {
        logged["outsider"].pk,
        logged["unknown"].pk,
    }
    since = (timezone.localdate() - datetime.timedelta(days=41)).isoformat()
    until = (timezone.localdate() - datetime.timedelta(days=39)).isoformat()
    assert ids(client.get("/api/v1/security-events/", {"since": since, "until": until})) == {old.pk}
    bad = client.get("/api/v1/security-events/", {"since": "yesterday"})
    assert bad.status_code == 400 and "since" in bad.json()


def test_the_page_lists_and_exports_the_filtered_log(world, client, logged):
    client.force_login(world.root)
    page = client.get("/security/events/", {"kind": "sign_in_failed"})
    assert page.status_code == 200
    assert "ghost" in page.content.decode() and world.outsider.username not in page.content.decode()
    csv = client.get("/security/events/export/", {"kind": "sign_in_failed", "as": "csv"})
    text = b"".join(csv.streaming_content).decode("utf-8-sig")
    assert len(text.strip().splitlines()) == 2 and "ghost" in text and "192.0.2.9" in text
    xlsx = client.get("/security/events/export/", {"as": "xlsx"})
    rows = list(load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active.values)
    assert len(rows) == 1 + 3 + 2  # the header, the three events, the sign-in and the csv export
    exports = SecurityEvent.objects.filter(kind=EventKind.EXPORT, user=world.root).order_by("id")
    assert [(e.detail["kind"], e.detail["format"]) for e in exports] == [
        ("security-events", "csv"),
        ("security-events", "xlsx"),
    ]


def test_the_page_reads_in_chinese(world, client, logged):
    client.force_login(world.root)
    page = client.get("/security/events/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "安全日志" in page and "登录失败" in page


def test_the_log_is_read_only_in_the_back_office(world, client, logged):
    client.force_login(world.root)
    assert client.get("/admin/security/securityevent/").status_code == 200
    assert client.get("/admin/security/securityevent/add/").status_code == 403
    change = f"/admin/security/securityevent/{logged['unknown'].pk}/change/"
    client.post(change, {"username": "someone-else"})
    assert SecurityEvent.objects.get(pk=logged["unknown"].pk).username == "ghost"


def test_purging_keeps_the_retention_and_never_less_than_180_days(world, settings):
    settings.ZONEOS_SECURITY_LOG_DAYS = 180
    kept = [event(days_ago=1), event(days_ago=179)]
    event(days_ago=181)
    event(days_ago=400)
    assert purge_old_events() == 2
    assert set(SecurityEvent.objects.values_list("pk", flat=True)) == {e.pk for e in kept}
    settings.ZONEOS_SECURITY_LOG_DAYS = 365
    assert purge_old_events() == 0


def test_a_retention_under_180_days_is_refused_at_start_and_by_the_purge(settings):
    from django.apps import apps

    event(days_ago=200)
    settings.ZONEOS_SECURITY_LOG_DAYS = 90
    with pytest.raises(ImproperlyConfigured, match="180"):
        SecurityConfig.ready(apps.get_app_config("security"))
    with pytest.raises(ImproperlyConfigured, match="180"):
        purge_old_events()
    assert SecurityEvent.objects.count() == 1


def test_the_purge_command_says_how_many_it_deleted(settings, capsys):
    settings.ZONEOS_SECURITY_LOG_DAYS = 200
    event(days_ago=201)
    event(days_ago=10)
    call_command("purge_security_events")
    assert capsys.readouterr().out.strip() == "1 security events older than 200 days deleted."
