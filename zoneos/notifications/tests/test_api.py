"""The API of channels and notifications: admins of an area keep its channels (the secret written, never
read back, never in the history), bad input is named, other roles see nothing, and a failed
notification can be sent again."""

import pytest
from auditlog.models import LogEntry
from django.utils import timezone

from zoneos.notifications.models import Channel, Event, Notification
from zoneos.testing.world import ALL_USERS

from .conftest import DUMMY

pytestmark = [pytest.mark.django_db, pytest.mark.urls("zoneos.notifications.tests.urls")]
CHANNELS = "/api/v1/notification-channels/"
NOTIFICATIONS = "/api/v1/notifications/"
ADMINS = {"admin", "root"}


def dingtalk(world, **fields):
    return {
        "area": world.Z1.pk,
        "name": "一号区督办群",
        "kind": "dingtalk",
        "address": "https://oapi.dingtalk.com/robot/send?access_token=abc",
        "secret": "SECfirst",
        **fields,
    }


def errors(response) -> dict:
    assert response.status_code == 400, response.content
    return response.json()


# Channels ------------------------------------------------------------------------------------------
def test_an_admin_creates_a_channel_and_its_secret_is_never_shown(world, api):
    admin = api(world.users["admin"])
    created = admin.post(CHANNELS, dingtalk(world), format="json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert "secret" not in body and body["has_secret"] is True and body["secret_changed_at"]
    assert body["events"] == list(Event.values)  # all events unless chosen
    assert (body["kind"], body["active"], body["area"]) == ("dingtalk", True, world.Z1.pk)
    channel = Channel.objects.get(pk=body["id"])
    assert channel.secret == "SECfirst"
    assert "SECfirst" not in admin.get(f"{CHANNELS}{channel.pk}/").content.decode()
    assert "SECfirst" not in admin.get(CHANNELS).content.decode()
    history = admin.get(f"{CHANNELS}{channel.pk}/history/").json()["results"]
    assert [(h["user"], h["action"]) for h in history] == [("admin", "create")]
    assert "secret" not in history[0]["changes"] and "secret_changed_at" in history[0]["changes"]
    assert "SECfirst" not in str(LogEntry.objects.get_for_object(channel).values())


def test_the_secret_stays_unless_written_and_its_change_is_in_the_history(world, api):
    admin = api(world.users["admin"])
    channel_id = admin.post(CHANNELS, dingtalk(world), format="json").json()["id"]
    url = f"{CHANNELS}{channel_id}/"
    first_change = Channel.objects.get(pk=channel_id).secret_changed_at

    renamed = admin.patch(url, {"name": "督办群", "events": ["overdue", "assigned"]}, format="json")
    assert renamed.status_code == 200, renamed.content
    assert renamed.json()["events"] == ["assigned", "overdue"]  # in the order of the events
    assert Channel.objects.get(pk=channel_id).secret == "SECfirst"

    assert admin.patch(url, {"secret": "SECsecond"}, format="json").json()["has_secret"] is True
    channel = Channel.objects.get(pk=channel_id)
    assert channel.secret == "SECsecond" and channel.secret_changed_at > first_change
    history = admin.get(f"{url}history/").json()["results"]
    assert any("secret_changed_at" in h["changes"] for h in history if h["action"] == "update")
    assert all("secret" not in h["changes"] for h in history)
    assert "SECsecond" not in str(list(LogEntry.objects.get_for_object(channel).values()))

    assert admin.patch(url, {"secret": ""}, format="json").json()["has_secret"] is False
    assert admin.patch(url, {"secret": "SECthird"}, format="json").status_code == 200
    # A kind that does not sign drops the secret.
    to_wecom = admin.patch(
        url,
        {"kind": "wecom", "address": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k"},
        format="json",
    )
    assert to_wecom.status_code == 200 and to_wecom.json()["has_secret"] is False
    assert admin.delete(url).status_code == 204
    assert (
        LogEntry.objects.filter(object_pk=str(channel_id), action=LogEntry.Action.DELETE).get().actor
        == (world.users["admin"])
    )


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (
            {"kind": "email", "address": "duty@z1, lead@z1.example.cn", "secret": ""},
            "address",
            "is not an e-mail address",
        ),
        ({"kind": "email", "address": " , ", "secret": ""}, "address", "Enter one or more e-mail addresses"),
        ({"address": "ftp://robot.example.cn/send"}, "address", "starting with https:// or http://"),
        ({"address": "not a url"}, "address", "starting with https:// or http://"),
        ({"kind": "wecom"}, "secret", "Only DingTalk and Feishu robots take a signing secret."),
        ({"kind": "email", "address": "a@example.cn"}, "secret", "Only DingTalk and Feishu"),
        ({"events": ["assigned", "exploded"]}, "events", "Choose one or more of: assigned, deadline_near"),
        ({"events": []}, "events", "Choose one or more of"),
        ({"events": "assigned"}, "events", "Choose one or more of"),
        ({"kind": "sms"}, "kind", "is not a valid choice"),
        ({"name": "  "}, "name", ""),
        ({"area": None}, "area", ""),
        ({"area": 2**40}, "area", ""),
    ],
)
def test_bad_input_is_named(world, api, change, field, message):
    response = api(world.users["admin"]).post(CHANNELS, dingtalk(world, **change), format="json")
    body = errors(response)
    assert list(body) == [field], body
    assert message in " ".join(body[field])
    assert not Channel.objects.exists()


def test_several_mistakes_are_named_together_and_in_chinese(world, api):
    payload = dingtalk(world, kind="wecom", address="http://", events=["x"])
    assert set(errors(api(world.users["admin"]).post(CHANNELS, payload, format="json"))) == {
        "address",
        "secret",
        "events",
    }
    chinese = api(world.users["admin"], language="zh-hans").post(
        CHANNELS, dingtalk(world, events=[]), format="json"
    )
    assert list(errors(chinese)) == ["events"]


def test_an_email_channel_keeps_its_addresses_tidy(world, api):
    response = api(world.users["admin"]).post(
        CHANNELS,
        {
            "area": world.P1.pk,
            "name": "园区办",
            "kind": "email",
            "address": "a@p1.example.cn; b@p1.example.cn,",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["address"] == "a@p1.example.cn, b@p1.example.cn"
    assert response.json()["has_secret"] is False


@pytest.mark.parametrize("caller", [*ALL_USERS, "anonymous"])
def test_only_admins_read_and_keep_channels_within_their_subtree(world, api, channels, caller):
    client = api(None if caller == "anonymous" else world.users[caller])
    inside, outside = channels["CH1"], channels["CH2"]
    listing = client.get(CHANNELS)
    detail = client.get(f"{CHANNELS}{inside.pk}/")
    history = client.get(f"{CHANNELS}{inside.pk}/history/")
    created = client.post(CHANNELS, dingtalk(world), format="json")
    created_outside = client.post(CHANNELS, dingtalk(world, area=world.Z2.pk), format="json")
    changed = client.patch(f"{CHANNELS}{inside.pk}/", {"name": "改名"}, format="json")
    changed_outside = client.patch(f"{CHANNELS}{outside.pk}/", {"name": "改名"}, format="json")
    if caller == "anonymous":
        assert {r.status_code for r in (listing, detail, history, created, changed)} == {401}
        return
    ids = {row["id"] for row in listing.json()["results"]}
    admin = caller in ADMINS
    assert listing.status_code == 200
    assert (inside.pk in ids) == admin and (outside.pk in ids) == (caller == "root")
    assert detail.status_code == history.status_code == (200 if admin else 404)
    assert client.get(f"{CHANNELS}{outside.pk}/").status_code == (200 if caller == "root" else 404)
    assert created.status_code == (201 if admin else 403)
    if caller == "admin":
        assert list(errors(created_outside)) == ["area"]
        assert changed_outside.status_code == 404
    assert changed.status_code == (200 if admin else 403)
    deleted = client.delete(f"{CHANNELS}{inside.pk}/")
    assert deleted.status_code == (204 if admin else 403)


def test_a_park_admin_keeps_the_parks_channels_not_the_zones(world, api, channels):
    from zoneos.testing.factories import MembershipFactory, UserFactory

    park_admin = UserFactory(username="park-admin")
    MembershipFactory(user=park_admin, role="admin", area=world.P1)
    client = api(park_admin)
    assert client.get(f"{CHANNELS}{channels['CH1'].pk}/").status_code == 404  # the zone's channel
    assert list(errors(client.post(CHANNELS, dingtalk(world), format="json"))) == ["area"]
    assert client.post(CHANNELS, dingtalk(world, area=world.P1.pk), format="json").status_code == 201


# Notifications -------------------------------------------------------------------------------------
def make(world, area, status="pending", event="assigned", **fields):
    fields.setdefault("recipient", "a@example.cn")
    values = {"subject": "诉求已分派", "kind": "email", "next_attempt_at": timezone.now()}
    return Notification.objects.create(area=area, event=event, status=status, **values, **fields)


@pytest.mark.parametrize("caller", [*ALL_USERS, "anonymous"])
def test_admins_read_the_notifications_of_their_subtree(world, api, caller):
    inside, outside = make(world, world.P1), make(world, world.P3)
    client = api(None if caller == "anonymous" else world.users[caller])
    listing = client.get(NOTIFICATIONS)
    if caller == "anonymous":
        assert listing.status_code == client.get(f"{NOTIFICATIONS}{inside.pk}/").status_code == 401
        assert client.post(f"{NOTIFICATIONS}{inside.pk}/retry/").status_code == 401
        return
    ids = {row["id"] for row in listing.json()["results"]}
    admin = caller in ADMINS
    assert (inside.pk in ids) == admin and (outside.pk in ids) == (caller == "root")
    assert client.get(f"{NOTIFICATIONS}{inside.pk}/").status_code == (200 if admin else 404)
    assert client.get(f"{NOTIFICATIONS}{outside.pk}/").status_code == (200 if caller == "root" else 404)
    # Not failed: 409 for those who see it, 404 for the others.
    assert client.post(f"{NOTIFICATIONS}{inside.pk}/retry/").status_code == (409 if admin else 404)
    assert client.post(f"{NOTIFICATIONS}{outside.pk}/retry/").status_code == (
        409 if caller == "root" else 404
    )
    assert client.delete(f"{NOTIFICATIONS}{inside.pk}/").status_code == 405
    assert client.post(NOTIFICATIONS, {}, format="json").status_code == 405


def test_the_list_filters_by_status_and_event(world, api, channels):
    sent = make(world, world.P1, status="sent", event="replied")
    failed = make(world, world.Z1, status="failed", event="overdue", channel=channels["CH1"], recipient="")
    pending = make(world, world.P2)
    client = api(world.users["admin"])

    def ids(**query):
        return [row["id"] for row in client.get(NOTIFICATIONS, query).json()["results"]]

    assert sorted(ids()) == sorted([sent.pk, failed.pk, pending.pk])
    assert ids(status="failed") == [failed.pk]
    assert ids(event="replied") == [sent.pk]
    assert ids(status="pending", event="assigned") == [pending.pk]
    assert ids(within=world.P1.pk) == [sent.pk]
    row = client.get(f"{NOTIFICATIONS}{failed.pk}/").json()
    assert (row["channel"], row["channel_name"], row["target"], row["kind"]) == (
        channels["CH1"].pk, "一号区值班群", "一号区值班群", "email"
    )  # fmt: skip
    assert list(errors(client.get(NOTIFICATIONS, {"status": "lost"}))) == ["status"]
    assert list(errors(client.get(NOTIFICATIONS, {"event": "exploded"}))) == ["event"]


def test_a_failed_notification_is_queued_again(world, api, settings, django_capture_on_commit_callbacks):
    from django_tasks import default_task_backend

    settings.TASKS = DUMMY
    default_task_backend.clear()
    failed = make(world, world.P1, status="failed", attempts=5, last_error="HTTP 404 Not Found")
    client = api(world.users["admin"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{NOTIFICATIONS}{failed.pk}/retry/")
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["attempts"]) == ("pending", 0)
    assert [r.args[0] for r in default_task_backend.results] == [failed.pk]
    again = client.post(f"{NOTIFICATIONS}{failed.pk}/retry/")
    assert again.status_code == 409
    assert again.json() == {"detail": "Only a failed notification can be sent again."}


# The OpenAPI document ------------------------------------------------------------------------------
def spectacular(tmp_path, urlconf: str, *options: str) -> dict:
    import yaml
    from django.core.management import call_command

    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", *options, "--urlconf", urlconf, "--file", str(out))
    return yaml.safe_load(out.read_text())


def test_the_document_describes_the_routes_without_a_warning(tmp_path):
    # --fail-on-warn: drf-spectacular could describe every endpoint, field and parameter.
    document = spectacular(tmp_path, "zoneos.notifications.tests.only_urls", "--fail-on-warn")
    paths = {path: item for path, item in document["paths"].items() if path.startswith("/api/")}
    assert set(paths) == {
        "/api/v1/notification-channels/",
        "/api/v1/notification-channels/{id}/",
        "/api/v1/notification-channels/{id}/history/",
        "/api/v1/notifications/",
        "/api/v1/notifications/{id}/",
        "/api/v1/notifications/{id}/retry/",
    }
    assert set(paths["/api/v1/notifications/{id}/retry/"]) == {"post"}
    assert "409" in paths["/api/v1/notifications/{id}/retry/"]["post"]["responses"]
    assert set(paths["/api/v1/notifications/{id}/"]) == {"get"}
    schemas = document["components"]["schemas"]
    assert "secret" not in schemas["Channel"]["properties"]
    assert schemas["ChannelRequest"]["properties"]["secret"]["writeOnly"] is True
    parameters = {p["name"] for p in paths["/api/v1/notifications/"]["get"]["parameters"]}
    assert {"status", "event", "area", "within", "page", "page_size"} <= parameters


def test_the_routes_add_no_warning_to_the_projects_document(tmp_path, capsys):
    """Beside every other app's enums (a choice set may have one name only)."""
    document = spectacular(tmp_path, "zoneos.notifications.tests.urls")
    captured = capsys.readouterr()
    warnings = [line for line in (captured.out + captured.err).splitlines() if line.startswith("Warning")]
    mine = [w for w in warnings if any(f'"{name}"' in w for name in ("kind", "event", "events"))]
    mine += [w for w in warnings if any(n in w for n in ("ChannelKind", "Event", "NotificationStatus"))]
    assert mine == []
    schemas = document["components"]["schemas"]
    assert schemas["ChannelKindEnum"]["enum"] == ["email", "wecom", "dingtalk", "feishu", "webhook"]
    assert schemas["NotificationStatusEnum"]["enum"] == ["pending", "sent", "failed"]


# Django admin --------------------------------------------------------------------------------------
def test_the_admin_shows_channels_without_their_secret_and_retries_failed_ones(world, client, channels):
    client.force_login(world.root)
    dingtalk_channel = channels["CH2"]
    assert client.get("/admin/notifications/channel/").status_code == 200
    page = client.get(f"/admin/notifications/channel/{dingtalk_channel.pk}/change/")
    assert page.status_code == 200 and "SECtwo" not in page.content.decode()
    failed = make(world, world.P1, status="failed", attempts=5)
    sent = make(world, world.P1, status="sent")
    assert client.get("/admin/notifications/notification/").status_code == 200
    response = client.post(
        "/admin/notifications/notification/",
        {"action": "retry", "_selected_action": [failed.pk, sent.pk]},
    )
    assert response.status_code == 302
    assert Notification.objects.get(pk=failed.pk).status == "pending"
    assert Notification.objects.get(pk=sent.pk).status == "sent"
