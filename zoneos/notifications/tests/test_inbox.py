"""The inbox: a notification appears in the inbox of its recipients and nobody else's (pages, bell and
API), whether or not they have an e-mail address; it is marked read one by one or all at once; its link
opens the record; and a user who turns e-mail off for an event still finds it in the inbox."""

import pytest
from django.test import Client

from zoneos.appeals import services as appeals
from zoneos.notifications import inbox
from zoneos.notifications.models import ChannelKind, InboxItem, Notification
from zoneos.notifications.services import notify
from zoneos.testing.world import ALL_USERS

pytestmark = pytest.mark.django_db
INBOX = "/api/v1/inbox/"


@pytest.fixture(autouse=True)
def _empty_inboxes(world):
    # The world's appeals were assigned as it was built, which told the handler: start from nothing.
    InboxItem.objects.all().delete()


def page_client(user, language="en"):
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def tell_handler(world, subject="一号企业的诉求待签收"):
    return notify(
        "assigned", area=world.Z1, subject=subject, text="请签收", url="/appeals/1/", users=[world.handler]
    )


def test_a_notification_appears_in_the_inbox_of_its_recipient_and_nobody_elses(world, api):
    world.handler.email = ""  # no e-mail address: the inbox still has it
    world.handler.save()
    tell_handler(world)
    for name in ALL_USERS:
        mine = api(world.users[name]).get(INBOX).json()
        subjects = [row["subject"] for row in mine["results"]]
        assert subjects == (["一号企业的诉求待签收"] if name == "handler" else []), name
        page = page_client(world.users[name]).get("/inbox/").content.decode()
        assert ("一号企业的诉求待签收" in page) is (name == "handler"), name
    item = InboxItem.objects.get()
    # Another user's notification is out of reach, read or marked.
    assert api(world.admin).get(f"{INBOX}{item.pk}/").status_code == 404
    assert api(world.admin).post(f"{INBOX}{item.pk}/read/").status_code == 404
    assert page_client(world.admin).post(f"/inbox/{item.pk}/read/").status_code == 404
    assert page_client(world.admin).get(f"/inbox/{item.pk}/read/").status_code == 404
    item.refresh_from_db()
    assert item.read_at is None
    assert api(None).get(INBOX).status_code == 401


def test_an_appeals_step_reaches_the_enterprises_inbox_as_well_as_its_mailbox(world, api):
    appeal = world.AP1
    appeals.assign(appeal, by=world.admin, department=world.D1, handler=world.handler)
    got = [r["subject"] for r in api(world.handler).get(INBOX).json()["results"]]
    assert got and appeal.title in got[0]
    assert api(world.enterprise).get(INBOX).json()["count"] == 0
    assert InboxItem.objects.filter(user=world.handler, url=appeal.get_absolute_url()).exists()


def test_the_bell_counts_the_unread_and_marking_read_one_and_all(world, api):
    tell_handler(world, "第一条")
    tell_handler(world, "第二条")
    client = page_client(world.handler)
    home = client.get("/inbox/").content.decode()
    assert 'data-testid="inbox-unread">2<' in home
    first = InboxItem.objects.get(subject="第一条")
    # Opening it from the list marks it read and goes to the record.
    opened = client.get(f"/inbox/{first.pk}/read/")
    assert opened.status_code == 302 and opened.url == "/appeals/1/"
    assert 'data-testid="inbox-unread">1<' in client.get("/inbox/").content.decode()
    unread = client.get("/inbox/?unread=1").content.decode()
    assert "第二条" in unread and "第一条" not in unread
    assert client.post("/inbox/read-all/").status_code == 302
    assert 'data-testid="inbox-unread"' not in client.get("/inbox/").content.decode()
    assert inbox.unread_count(world.handler) == 0
    # The API marks read too.
    tell_handler(world, "第三条")
    third = InboxItem.objects.get(subject="第三条")
    marked = api(world.handler).post(f"{INBOX}{third.pk}/read/")
    assert marked.status_code == 200 and marked.json()["read"] is True
    tell_handler(world, "第四条")
    assert api(world.handler).get(f"{INBOX}?unread=true").json()["count"] == 1
    assert api(world.handler).post(f"{INBOX}read-all/").json() == {"marked": 1}


def test_turning_email_off_for_an_event_keeps_the_inbox(world, api):
    client = api(world.handler)
    assert client.get(f"{INBOX}preferences/").json()["email"]["assigned"] is True
    changed = client.put(f"{INBOX}preferences/", {"email": {"assigned": False}}, format="json")
    assert changed.status_code == 200 and changed.json()["email"]["assigned"] is False
    assert changed.json()["email"]["overdue"] is True
    bad = client.put(f"{INBOX}preferences/", {"email": {"nonsense": False}}, format="json")
    assert bad.status_code == 400 and "email" in bad.json()
    tell_handler(world)
    assert not Notification.objects.filter(kind=ChannelKind.EMAIL, user=world.handler).exists()
    assert InboxItem.objects.filter(user=world.handler).count() == 1
    # Other events still e-mail; another user's choice is their own.
    notify("overdue", area=world.Z1, subject="逾期", text="", users=[world.handler])
    assert Notification.objects.filter(kind=ChannelKind.EMAIL, user=world.handler, event="overdue").exists()
    assert api(world.admin).get(f"{INBOX}preferences/").json()["email"]["assigned"] is True


def test_the_preferences_page_saves_the_choice(world):
    client = page_client(world.handler, "zh-hans")
    page = client.get("/inbox/preferences/")
    assert page.status_code == 200 and "通知设置" in page.content.decode()
    saved = client.post("/inbox/preferences/", {"assigned": "on", "overdue": "on"})
    assert saved.status_code == 302
    assert inbox.preferences(world.handler) == {
        "assigned": True,
        "deadline_near": False,
        "overdue": True,
        "replied": False,
        "paused": False,
    }


def test_a_rolled_back_change_leaves_no_inbox_trace(world):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        tell_handler(world)
        raise RuntimeError
    assert not InboxItem.objects.exists()
