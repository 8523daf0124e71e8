"""notify(): who is notified, that nothing leaves before the change commits (and nothing at all when it
is rolled back); delivery: sent, refused, retried with a growing wait, failed for good, claimed by one
worker only, and never raising into the request that caused it."""

import datetime
import io
import smtplib
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from zoneos.notifications import services
from zoneos.notifications.models import BACKOFF, MAX_ATTEMPTS, Channel, DeliveryStatus, Notification
from zoneos.notifications.services import deliver_now, notify

from .conftest import DUMMY, IMMEDIATE

pytestmark = pytest.mark.django_db


def channel(area, kind="wecom", address="https://q.example.cn/hook", events=("assigned",), **fields):
    name = f"{area.code}-{kind}"
    return Channel.objects.create(
        area=area, name=name, kind=kind, address=address, events=list(events), **fields
    )


def note(world, event="assigned", area=None, **fields):
    values = {"subject": "诉求已分派", "text": "请及时签收。", "url": "https://zoneos.example.cn/appeals/1/"}
    return notify(event, area=area or world.P1, **{**values, **fields})


def due_again(notification):
    """Let the wait before its next attempt pass."""
    Notification.objects.filter(pk=notification.pk).update(
        next_attempt_at=timezone.now() - datetime.timedelta(seconds=1)
    )


def reload(notification):
    return Notification.objects.get(pk=notification.pk)


@pytest.fixture
def dummy_tasks(settings):
    from django_tasks import default_task_backend

    settings.TASKS = DUMMY
    default_task_backend.clear()
    return default_task_backend


# Who is notified -----------------------------------------------------------------------------------
def test_users_emails_and_the_channels_of_the_area_and_above_are_notified(world):
    region = channel(world.R, events=["assigned", "overdue"])
    zone = channel(world.Z1, kind="email", address="duty@z1.example.cn")
    park = channel(world.P1, kind="feishu", address="https://open.feishu.cn/open-apis/bot/v2/hook/x")
    channel(world.P2)  # a sibling park: not above P1
    channel(world.Z2)  # another zone
    channel(world.Z1, kind="webhook", events=["replied"])  # not subscribed
    channel(world.Z1, kind="dingtalk", active=False)  # switched off
    world.users["leader"].email = ""
    handler, inactive = world.users["handler"], world.users["supervisor"]
    inactive.is_active = False

    made = note(
        world,
        users=[handler, world.users["leader"], inactive],
        emails=["Handler@example.org", "ops@example.cn", "not-an-address", ""],
    )

    direct = [(n.kind, n.recipient, n.user) for n in made if n.channel_id is None]
    assert direct == [("email", "handler@example.org", handler), ("email", "ops@example.cn", None)]
    assert {n.channel for n in made if n.channel_id} == {region, zone, park}
    assert {n.kind for n in made if n.channel_id} == {"wecom", "email", "feishu"}
    assert {(n.area, n.event, n.status, n.attempts) for n in made} == {(world.P1, "assigned", "pending", 0)}
    assert all(n.next_attempt_at <= timezone.now() for n in made)
    # A notification about the zone itself does not reach its parks' channels.
    assert {n.channel for n in note(world, area=world.Z1)} == {region, zone}


def test_an_unknown_event_or_an_overlong_link_is_a_programming_error(world):
    before = Notification.objects.count()
    with pytest.raises(ValueError):
        note(world, event="exploded")
    with pytest.raises(ValueError):
        note(world, url="https://x.example/" + "a" * 500)
    assert Notification.objects.count() == before


def test_the_subject_is_one_line(world):
    (made,) = note(world, subject="第一行\n第二行\r\n  第三行", emails=["a@example.cn"])
    assert made.subject == "第一行 第二行 第三行"


# After commit only ---------------------------------------------------------------------------------
def test_delivery_is_queued_once_the_change_commits(world, dummy_tasks, django_capture_on_commit_callbacks):
    channel(world.Z1)
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        made = note(world, emails=["a@example.cn"])
        assert dummy_tasks.results == []  # nothing leaves while the change may still be undone
    assert len(callbacks) == 1
    assert sorted(pk for r in dummy_tasks.results for pk in r.args) == sorted(n.pk for n in made)
    assert {r.task.name for r in dummy_tasks.results} == {"deliver"}
    assert all(r.task.run_after is None for r in dummy_tasks.results)


def test_a_rolled_back_change_sends_nothing(world, dummy_tasks, django_capture_on_commit_callbacks):
    channel(world.Z1)

    class Undone(Exception):
        pass

    before = Notification.objects.count()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Undone),
        transaction.atomic(),
    ):
        note(world, emails=["a@example.cn"])
        raise Undone
    assert callbacks == []
    assert dummy_tasks.results == []
    assert Notification.objects.count() == before


def test_a_failing_delivery_never_breaks_the_request(
    world, settings, monkeypatch, django_capture_on_commit_callbacks
):
    """With the immediate backend the delivery runs inside the commit of the request: a robot that
    fails, and even a delivery that raises, must leave the request unharmed."""
    settings.TASKS = IMMEDIATE
    channel(world.Z1, address="http://127.0.0.1:9/nobody-listens")
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        (made,) = note(world)
    made = reload(made)
    assert (made.status, made.attempts) == ("pending", 1) and "cannot reach" in made.last_error

    def explode(pk):
        raise RuntimeError("the worker broke")

    monkeypatch.setattr(services, "deliver_now", explode)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        (second,) = note(world)
    # The queueing itself failing (a backend down) is logged, not raised, and the sweep sends later.
    monkeypatch.setattr("zoneos.notifications.tasks.deliver", SimpleNamespace(enqueue=explode))
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        (third,) = note(world)
    assert [(reload(n).status, reload(n).attempts) for n in (second, third)] == [("pending", 0)] * 2


# Delivery ------------------------------------------------------------------------------------------
def test_a_robot_that_accepts_marks_it_sent(world, robot):
    channel(world.Z1, address=robot.url("/cgi-bin/webhook/send?key=k"))
    (made,) = note(world)
    result = deliver_now(made.pk)
    assert (result.status, result.attempts, result.last_error) == ("sent", 1, "")
    assert result.sent_at and result.next_attempt_at is None
    assert reload(made).status == "sent"
    (got,) = robot.received
    assert got.query == {"key": "k"} and got.body["msgtype"] == "markdown"
    assert deliver_now(made.pk).status == "sent" and len(robot.received) == 1  # a second run sends nothing


def test_a_dingtalk_channel_is_signed_with_its_current_secret(world, robot):
    from .test_senders import independent_dingtalk_sign

    dingtalk = channel(world.Z1, kind="dingtalk", address=robot.url(), secret="SECold")
    (made,) = note(world)
    Channel.objects.filter(pk=dingtalk.pk).update(secret="SECnew")  # corrected before delivery
    assert deliver_now(made.pk).status == "sent"
    (got,) = robot.received
    import urllib.parse

    assert got.query["sign"] == urllib.parse.unquote_plus(
        independent_dingtalk_sign("SECnew", int(got.query["timestamp"]))
    )
    assert abs(int(got.query["timestamp"]) / 1000 - timezone.now().timestamp()) < 60


def test_a_200_with_an_error_code_is_retried_after_a_growing_wait_then_fails(world, robot, dummy_tasks):
    channel(world.Z1, kind="dingtalk", address=robot.url())
    robot.answer = {"errcode": 310000, "errmsg": "sign not match"}
    (made,) = note(world)
    waits = []
    for attempt in range(1, MAX_ATTEMPTS + 1):
        before = timezone.now()
        result = deliver_now(made.pk)
        assert result.attempts == attempt and "310000 sign not match" in result.last_error
        if attempt < MAX_ATTEMPTS:
            assert result.status == "pending"
            waits.append(result.next_attempt_at - before)
            # The next attempt is queued for its time (the database backend supports run_after).
            queued = dummy_tasks.results[-1]
            assert queued.args == [made.pk] and queued.task.run_after == result.next_attempt_at
            assert deliver_now(made.pk).attempts == attempt  # not due yet: nothing is sent
            due_again(made)
    assert result.status == "failed" and result.next_attempt_at is None and result.sent_at is None
    assert len(robot.received) == MAX_ATTEMPTS == 5
    assert len(dummy_tasks.results) == MAX_ATTEMPTS - 1  # no attempt after the last
    for wait, expected in zip(waits, BACKOFF, strict=True):
        assert expected <= wait < expected + datetime.timedelta(seconds=30)
    assert [b.total_seconds() for b in BACKOFF] == [60, 300, 1800, 7200]
    assert reload(made).status == "failed"
    assert deliver_now(made.pk).attempts == MAX_ATTEMPTS  # failed for good: left alone


def test_without_run_after_the_sweep_makes_the_next_attempt(world, robot, settings):
    settings.TASKS = IMMEDIATE  # cannot defer a task
    channel(world.Z1, address=robot.url())
    robot.status, robot.answer = 503, "busy"
    (made,) = note(world)
    assert deliver_now(made.pk).status == "pending"
    out = io.StringIO()
    call_command("deliver_notifications", stdout=out)
    assert "0 attempt(s)" in out.getvalue()  # not due yet
    robot.status, robot.answer = 200, {"errcode": 0, "errmsg": "ok"}
    due_again(made)
    call_command("deliver_notifications", stdout=out)
    assert "1 attempt(s): 1 sent" in out.getvalue()
    assert (reload(made).status, reload(made).attempts) == ("sent", 2)


def test_the_sweep_sends_every_due_one_and_leaves_the_rest(world, robot):
    channel(world.Z1, address=robot.url())
    made = [n for _ in range(3) for n in note(world)]
    later = made[2]
    Notification.objects.filter(pk=later.pk).update(
        next_attempt_at=timezone.now() + datetime.timedelta(hours=1)
    )
    handled = services.deliver_due()
    assert sorted(n.pk for n in handled) == sorted(n.pk for n in made[:2])
    assert [reload(n).status for n in made] == ["sent", "sent", "pending"]
    assert len(robot.received) == 2


def test_an_attempt_is_claimed_by_one_worker_only(world, robot):
    channel(world.Z1, address=robot.url())
    (made,) = note(world)
    now = timezone.now()
    first, second = reload(made), reload(made)  # two workers read the same row
    assert services.claim(first, now) is True
    assert services.claim(second, now) is False  # the second claimant gets nothing
    assert reload(made).attempts == 1
    # A worker that read the row before the other's claim does not send it either.
    assert deliver_now(made.pk) is not None  # the claim moved it on: not due, left alone
    assert robot.received == []
    stale = reload(made)
    stale.attempts = 0
    Notification.objects.filter(pk=made.pk).update(next_attempt_at=now)
    assert services.claim(stale, now) is False


def test_two_sweeps_at_once_send_each_notification_once(world, robot, monkeypatch):
    """The second sweep reads the row as due, but the first one claims it in between."""
    channel(world.Z1, address=robot.url())
    (made,) = note(world)
    real_claim = services.claim

    def racing_claim(notification, now):
        if not robot.received and not getattr(racing_claim, "raced", False):
            racing_claim.raced = True
            assert deliver_now(notification.pk).status == "sent"  # the other worker, first
        return real_claim(notification, now)

    monkeypatch.setattr(services, "claim", racing_claim)
    assert deliver_now(made.pk) is None  # lost the claim
    assert len(robot.received) == 1 and reload(made).attempts == 1


def test_an_attempt_interrupted_on_the_last_try_ends_failed(world):
    channel(world.Z1)
    (made,) = note(world)
    Notification.objects.filter(pk=made.pk).update(attempts=MAX_ATTEMPTS)  # died mid-send
    assert deliver_now(made.pk).status == DeliveryStatus.FAILED


def test_a_removed_or_switched_off_channel_fails_at_once(world, robot):
    gone = channel(world.Z1, address=robot.url())
    off = channel(world.P1, address=robot.url())
    first, second = note(world)
    gone.delete()
    Channel.objects.filter(pk=off.pk).update(active=False)
    for made in (first, second):
        result = deliver_now(made.pk)
        assert (result.status, result.attempts) == ("failed", 1)
    assert "removed" in reload(first).last_error and "switched off" in reload(second).last_error
    assert robot.received == []


def test_an_unexpected_error_is_recorded_and_retried(world, monkeypatch):
    channel(world.Z1)
    (made,) = note(world)

    def broken(*args, **kwargs):
        raise KeyError("surprise")

    monkeypatch.setattr("zoneos.notifications.senders.build_request", broken)
    result = deliver_now(made.pk)
    assert (result.status, result.attempts) == ("pending", 1) and "KeyError" in result.last_error


# E-mail --------------------------------------------------------------------------------------------
def test_emails_go_through_send_mail(world, mailoutbox, settings):
    settings.DEFAULT_FROM_EMAIL = "ZoneOS <noreply@zone.example.cn>"
    channel(world.Z1, kind="email", address="duty@z1.example.cn, lead@z1.example.cn")
    made = note(world, users=[world.users["handler"]])
    for n in made:
        assert deliver_now(n.pk).status == "sent"
    assert sorted(m.to for m in mailoutbox) == [
        ["duty@z1.example.cn", "lead@z1.example.cn"],
        ["handler@example.org"],
    ]
    mail = mailoutbox[0]
    assert mail.subject == "诉求已分派" and mail.from_email == "ZoneOS <noreply@zone.example.cn>"
    assert mail.body == "请及时签收。\n\nhttps://zoneos.example.cn/appeals/1/"


def test_a_mail_server_that_refuses_is_a_failed_attempt(world, monkeypatch):
    def refuse(*args, **kwargs):
        raise smtplib.SMTPRecipientsRefused({"a@example.cn": (550, b"no such user")})

    monkeypatch.setattr("zoneos.notifications.senders.send_mail", refuse)
    (made,) = note(world, emails=["a@example.cn"])
    result = deliver_now(made.pk)
    assert (result.status, result.attempts) == ("pending", 1)
    assert "SMTPRecipientsRefused" in result.last_error


# Retry ---------------------------------------------------------------------------------------------
def test_a_failed_notification_is_sent_again_with_a_fresh_round(
    world, robot, dummy_tasks, django_capture_on_commit_callbacks
):
    channel(world.Z1, address=robot.url())
    (made,) = note(world)
    Notification.objects.filter(pk=made.pk).update(status="failed", attempts=5, last_error="HTTP 404")
    with django_capture_on_commit_callbacks(execute=True):
        again = services.retry_notification(reload(made), by=world.users["admin"])
    assert (again.status, again.attempts) == ("pending", 0)
    assert [r.args for r in dummy_tasks.results] == [[made.pk]]
    assert deliver_now(made.pk).status == "sent"
    from zoneos.core.errors import Conflict

    with pytest.raises(Conflict):
        services.retry_notification(reload(made), by=world.users["admin"])


def test_a_link_to_a_page_of_the_site_is_made_absolute(world, settings):
    settings.ZONEOS_SITE_URL = "https://zoneos.example.cn/"
    (made,) = note(world, url="/appeals/7/", emails=["a@example.cn"])
    assert made.url == "https://zoneos.example.cn/appeals/7/"
    (kept,) = note(world, url="https://elsewhere.example/x", emails=["a@example.cn"])
    assert kept.url == "https://elsewhere.example/x"
    settings.ZONEOS_SITE_URL = ""
    (bare,) = note(world, url="/appeals/7/", emails=["a@example.cn"])
    assert bare.url == "/appeals/7/"


def test_the_database_backend_runs_the_delivery_and_defers_the_retry(
    world, robot, django_capture_on_commit_callbacks
):
    """The production path: the task row written after commit, the worker's task sending it, the next
    attempt queued as a task row that waits until its time. (The task runs in the test's connection:
    `db_worker` itself closes the connection between tasks, which would end the test's transaction on
    PostgreSQL.)"""
    from django_tasks_db.models import DBTaskResult

    channel(world.Z1, kind="feishu", address=robot.url("/open-apis/bot/v2/hook/x"))
    robot.answer = {"code": 9499, "msg": "Bad Request"}
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        (made,) = note(world)
    (queued,) = DBTaskResult.objects.filter(task_path="zoneos.notifications.tasks.deliver")
    assert queued.args_kwargs["args"] == [made.pk]
    from zoneos.notifications.tasks import deliver

    deliver.call(*queued.args_kwargs["args"])
    made = reload(made)
    assert (made.status, made.attempts) == ("pending", 1) and "9499 Bad Request" in made.last_error
    retry = DBTaskResult.objects.exclude(pk=queued.pk).get(task_path="zoneos.notifications.tasks.deliver")
    assert retry.run_after == made.next_attempt_at and retry.status == "READY"
    assert len(robot.received) == 1 and robot.received[0].body["msg_type"] == "text"
