"""The deadline sweep: a warning on the day a reply is due, the overdue mark, escalation to the handler,
the department's heads and the zone's supervisors, each once, and nothing for paused appeals."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command

from zoneos.appeals import services
from zoneos.appeals.models import Appeal, AppealEvent, Escalation
from zoneos.appeals.services import sweeping
from zoneos.core.roles import Role
from zoneos.notifications.models import Notification
from zoneos.testing.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


def at(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=TZ)


@pytest.fixture
def signed(world):
    """AP1 (received Monday 2026-03-02 10:00, four working days to reply: due Friday 6 March 17:30),
    signed for by the handler; the other zone's AP2, the same, signed for by root."""
    services.sign_for(world.AP1, by=world.handler)
    services.sign_for(world.AP2, by=world.root)
    appeal = Appeal.objects.get(pk=world.AP1.pk)
    assert appeal.reply_due == at(2026, 3, 6, 17, 30)
    return appeal


def escalations(appeal):
    return list(
        AppealEvent.objects.filter(appeal=appeal, kind="escalate").values_list("data__level", flat=True)
    )


def test_running_the_sweep_twice_escalates_each_overdue_appeal_once(world, signed):
    after_deadline = at(2026, 3, 6, 18, 0)
    first = services.sweep(after_deadline)
    second = services.sweep(after_deadline)
    assert first["escalated_to_1"] == 2  # AP1 and the other zone's AP2
    assert sum(second.values()) == 0
    appeal = Appeal.objects.get(pk=signed.pk)
    assert appeal.overdue and appeal.escalation == Escalation.HANDLER and not appeal.supervised
    assert escalations(appeal) == [1]
    # The mark is in the history, attributed to nobody (the platform).
    entry = LogEntry.objects.get_for_object(appeal).order_by("timestamp").last()
    assert entry.actor is None and entry.changes_dict["overdue"] == [False, True]


def test_escalation_climbs_to_the_heads_and_then_the_supervisors(world, signed):
    head = UserFactory(username="head", email="head@example.cn")
    MembershipFactory(user=head, role=Role.HANDLER, department=world.D1, is_head=True)
    world.supervisor.email = "supervisor@example.cn"
    world.supervisor.save()
    services.sweep(at(2026, 3, 6, 18, 0))
    # One working day later (end of Monday 9 March): the department's heads.
    services.sweep(at(2026, 3, 9, 17, 0))
    assert Appeal.objects.get(pk=signed.pk).escalation == Escalation.HANDLER
    services.sweep(at(2026, 3, 9, 17, 31))
    assert Appeal.objects.get(pk=signed.pk).escalation == Escalation.HEADS
    assert Notification.objects.filter(recipient="head@example.cn", event="overdue").count() == 1
    # Three working days after the deadline (end of Wednesday 11 March): the zone's supervisors.
    services.sweep(at(2026, 3, 11, 18, 0))
    appeal = Appeal.objects.get(pk=signed.pk)
    assert appeal.escalation == Escalation.SUPERVISORS and appeal.supervised
    assert Notification.objects.filter(recipient="supervisor@example.cn", event="overdue").count() == 1
    assert escalations(appeal) == [1, 2, 3]
    assert appeal.alarm_at is None  # nothing more to do
    assert sum(services.sweep(at(2026, 4, 30, 18, 0)).values()) == 0


def test_an_appeal_found_long_overdue_goes_straight_to_its_rung(world, signed):
    services.sweep(at(2026, 3, 20, 9, 0))
    assert escalations(Appeal.objects.get(pk=signed.pk)) == [3]


def test_the_day_a_reply_is_due_brings_a_warning(world, signed):
    done = services.sweep(at(2026, 3, 6, 8, 0))
    assert done["warned"] == 2
    appeal = Appeal.objects.get(pk=signed.pk)
    assert appeal.warned and not appeal.overdue
    assert list(AppealEvent.objects.filter(appeal=appeal, kind="warn").values_list("kind", flat=True)) == [
        "warn"
    ]
    assert sum(services.sweep(at(2026, 3, 6, 9, 0)).values()) == 0


def test_an_unsigned_appeal_is_overdue_once_its_sign_for_time_passes(world):
    appeal = Appeal.objects.get(pk=world.AP1.pk)
    assert appeal.sign_for_due == at(2026, 3, 2, 12, 0)  # two working hours from 10:00
    services.sweep(at(2026, 3, 2, 14, 0))
    appeal.refresh_from_db()
    assert appeal.overdue and appeal.escalation == Escalation.HANDLER


def test_signing_for_late_clears_the_mark_while_the_reply_clock_still_runs(world):
    appeal = services.submit(
        by=world.enterprise, enterprise=world.E1, category="help", title="用工", description="招工难"
    )
    services.sweep(appeal.sign_for_due + datetime.timedelta(minutes=1))
    appeal.refresh_from_db()
    assert appeal.overdue
    services.sign_for(appeal, by=world.handler)
    appeal.refresh_from_db()
    assert not appeal.overdue and appeal.escalation == Escalation.NONE
    assert appeal.alarm_at is not None and appeal.alarm_at < appeal.reply_due


def test_a_paused_appeal_is_left_alone(world, signed):
    services.pause(signed, by=world.handler, reason="请补充材料")
    assert services.sweep(at(2026, 3, 20, 9, 0))["escalated_to_3"] == 1  # only AP2
    assert escalations(Appeal.objects.get(pk=signed.pk)) == []


def test_an_appeal_another_worker_wrote_meanwhile_is_not_escalated_again(world, signed, monkeypatch):
    """The write is the claim: a worker that read the due appeals, but finds them written by another
    worker when it writes, writes nothing and sends nothing."""
    now = at(2026, 3, 6, 18, 0)
    write = sweeping._write_swept
    raced: list = []

    def another_worker_first(appeals, read):
        if not raced:
            raced.append(None)
            raced[0] = services.sweep(now)  # the other worker, between this one's read and write
        return write(appeals, read)

    monkeypatch.setattr(sweeping, "_write_swept", another_worker_first)
    done = services.sweep(now)
    assert raced[0]["escalated_to_1"] == 2
    assert sum(done.values()) == 0
    assert escalations(Appeal.objects.get(pk=signed.pk)) == [1]
    assert LogEntry.objects.get_for_object(signed).filter(actor=None).count() == 1


def test_a_step_taken_while_the_sweep_runs_is_not_overwritten(world, signed, monkeypatch):
    """The handler replies between the sweep's read and its write: the reply stops the clock, and the
    sweep leaves the appeal as the reply left it."""
    now = at(2026, 3, 6, 18, 0)
    write = sweeping._write_swept

    def reply_first(appeals, read):
        services.reply(Appeal.objects.get(pk=signed.pk), by=world.handler, reply="已协调解决")
        return write(appeals, read)

    monkeypatch.setattr(sweeping, "_write_swept", reply_first)
    assert services.sweep(now)["escalated_to_1"] == 1  # AP2 only
    appeal = Appeal.objects.get(pk=signed.pk)
    assert appeal.status == "replied" and not appeal.overdue and appeal.alarm_at is None
    assert escalations(appeal) == []


def test_the_sweep_command(world, signed, capsys):
    call_command("sweep_appeals", "--now", "2026-03-06T18:00:00+08:00")
    assert "escalated_to_1" in capsys.readouterr().out
    assert Appeal.objects.get(pk=signed.pk).overdue


def test_one_digest_per_person_rather_than_a_mail_per_appeal(world, signed):
    world.handler.email = "handler@example.cn"
    world.handler.save()
    second = services.submit(
        by=world.root,
        enterprise=world.E1,
        category="help",
        title="第二件诉求",
        description="招工",
        channel="hotline",
        received_at=at(2026, 3, 2, 10, 0),
    )
    services.sign_for(second, by=world.handler)
    services.sweep(at(2026, 3, 6, 18, 0))
    (mail,) = Notification.objects.filter(recipient="handler@example.cn", event="overdue")
    assert mail.subject == "2 appeals are overdue"
    assert "用电扩容" in mail.text and "第二件诉求" in mail.text
    assert mail.url.endswith("/appeals/?overdue=true")  # the queue, filtered


def test_a_digest_of_one_appeal_links_to_its_page(world, signed):
    world.handler.email = "handler@example.cn"
    world.handler.save()
    services.sweep(at(2026, 3, 6, 18, 0))
    (mail,) = Notification.objects.filter(recipient="handler@example.cn", event="overdue")
    assert mail.subject == "1 appeal is overdue"
    assert mail.url.endswith(f"/appeals/{signed.pk}/")
