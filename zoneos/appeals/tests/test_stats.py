"""The desk's on-time rate and ranking: an open appeal past its reply deadline counts as late, so a
department cannot look punctual by leaving appeals unanswered."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from zoneos.appeals import services, stats
from zoneos.appeals.models import Appeal, Category, Status

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def appeal(world, department, *, state: str) -> Appeal:
    """An appeal of `department` that is "late_open" (still owed, reply deadline passed),
    "open" (still owed, deadline ahead), "on_time" or "late" (replied)."""
    now = timezone.now()
    made = services.submit(
        by=world.root,
        enterprise=world.E1,
        category=Category.HELP,
        channel="hotline",
        title="用电扩容",
        description="申请增加变压器容量",
    )
    fields = {"department": department, "reply_due": now + 3 * DAY}
    if state == "late_open":
        fields.update(status=Status.IN_PROGRESS, reply_due=now - 2 * DAY, overdue=True)
    elif state in ("on_time", "late"):
        fields.update(status=Status.REPLIED, replied_at=now - DAY, replied_on_time=state == "on_time")
    Appeal.objects.filter(pk=made.pk).update(**fields)
    return made


def board(*appeals) -> stats.Dashboard:
    return stats.dashboard(Appeal.objects.filter(pk__in=[a.pk for a in appeals]))


def test_two_overdue_open_appeals_and_one_on_time_reply_are_one_in_three(world):
    made = [
        appeal(world, world.D1, state="late_open"),
        appeal(world, world.D1, state="late_open"),
        appeal(world, world.D1, state="on_time"),
    ]
    dept = board(*made).by_department[0]
    assert (dept.replied, dept.on_time, dept.late_open, dept.due) == (1, 1, 2, 3)
    assert str(dept.on_time_rate) == "0.3333"  # not 1.0000 (1 of 1 replies)
    figures = board(*made).as_dict()
    assert (figures["on_time"], figures["due"], figures["on_time_rate"]) == (1, 3, "0.3333")


def test_an_open_appeal_before_its_deadline_or_waiting_on_the_enterprise_is_not_yet_late(world):
    ahead = appeal(world, world.D1, state="open")
    waiting = appeal(world, world.D1, state="open")
    # Its deadline passed during the wait on the enterprise, while the clock stood still.
    Appeal.objects.filter(pk=waiting.pk).update(
        paused_at=timezone.now() - 5 * DAY, reply_due=timezone.now() - 2 * DAY
    )
    replied = appeal(world, world.D1, state="late")
    dept = board(ahead, waiting, replied).by_department[0]
    assert (dept.due, dept.on_time, str(dept.on_time_rate)) == (1, 0, "0.0000")


def test_the_ranking_puts_the_department_that_lets_appeals_lapse_below_one_that_replies(world):
    lapsing = [
        appeal(world, world.D1, state="late_open"),
        appeal(world, world.D1, state="late_open"),
        appeal(world, world.D1, state="on_time"),
    ]
    replying = [appeal(world, world.D2, state="on_time"), appeal(world, world.D2, state="late")]
    silent = [appeal(world, world.D3, state="late_open")]
    ranking = board(*lapsing, *replying, *silent).ranking()
    assert [(f.key, str(f.on_time_rate)) for f in ranking] == [
        (world.D2.pk, "0.5000"),
        (world.D1.pk, "0.3333"),
        (world.D3.pk, "0.0000"),  # never replied, yet ranked: its appeals are late
    ]


def test_the_dashboard_page_says_what_the_rate_is_of(world):
    for state in ("late_open", "late_open", "on_time"):
        appeal(world, world.D1, state=state)
    client = Client()
    client.force_login(world.admin)
    client.post("/i18n/setlang/", {"language": "en"})
    body = client.get(f"/appeals/dashboard/?area={world.Z1.pk}").content.decode()
    # World's own AP1 (received in March, never answered) is late too: 1 on time of 4 due.
    assert 'data-testid="kpi-on-time">25.0%' in body
    assert "1 of 4 due, overdue open ones as late" in body
