"""Two handlers sign for the same appeal at the same moment, each on a connection of their own: the row
lock lets exactly one through; the other waits, then finds the appeal signed for (409)."""

import threading
import time

import pytest
from auditlog.models import LogEntry
from django.db import connection
from rest_framework.test import APIClient

from zoneos.appeals import services
from zoneos.appeals.models import Appeal, AppealEvent
from zoneos.appeals.services import steps
from zoneos.core.roles import Role
from zoneos.testing.factories import MembershipFactory, UserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs row locks across connections (PostgreSQL); SQLite serialises whole writes",
    ),
]


def test_two_handlers_signing_for_at_once_one_wins(world, monkeypatch):
    colleague = UserFactory(username="handler2")
    MembershipFactory(user=colleague, role=Role.HANDLER, department=world.D1)
    first_holds_the_row = threading.Event()
    locked = steps._locked

    def lock_and_linger(appeal):
        # The first handler keeps the row locked for a moment, so that the second one's request
        # certainly arrives while the first transaction is still open.
        row = locked(appeal)
        if threading.current_thread().name == "first":
            first_holds_the_row.set()
            time.sleep(0.5)
        return row

    monkeypatch.setattr(steps, "_locked", lock_and_linger)
    answers: dict[str, int] = {}

    def sign_for(name, user):
        try:
            client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
            client.force_authenticate(user)
            answers[name] = client.post(f"/api/v1/appeals/{world.AP1.pk}/sign_for/").status_code
        finally:
            connection.close()

    first = threading.Thread(target=sign_for, args=("first", world.handler), name="first")
    second = threading.Thread(target=sign_for, args=("second", colleague), name="second")
    first.start()
    assert first_holds_the_row.wait(10)
    second.start()
    first.join(20)
    second.join(20)

    assert answers == {"first": 200, "second": 409}
    appeal = Appeal.objects.get(pk=world.AP1.pk)
    assert appeal.status == "signed_for" and appeal.handler == world.handler
    assert AppealEvent.objects.filter(appeal=appeal, kind="sign_for").count() == 1
    signed = [
        e
        for e in LogEntry.objects.get_for_object(appeal)
        if e.changes_dict.get("status", [None, None])[1] == "signed_for"
    ]
    assert len(signed) == 1 and signed[0].actor == world.handler


def test_two_sweeps_at_once_escalate_each_appeal_once(world):
    """Two workers sweep the same hour at the same moment, each on its own connection, in small batches
    so that they interleave: every overdue appeal gets one escalation, one history entry and one place
    in the history."""
    import datetime
    from zoneinfo import ZoneInfo

    for n in range(30):
        services.submit(
            by=world.root,
            enterprise=world.E1,
            category="help",
            title=f"用电增容 {n}",
            description="申请增容",
            received_at=datetime.datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")),
        )
    now = datetime.datetime(2026, 3, 20, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    due = Appeal.objects.filter(alarm_at__lte=now).count()
    assert due >= 32
    start = threading.Barrier(2)
    done: dict[str, dict] = {}

    def worker(name):
        try:
            start.wait(10)
            done[name] = services.sweep(now, batch=4)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert sum(sum(d.values()) for d in done.values()) == due
    per_appeal = {}
    for appeal_id in AppealEvent.objects.filter(kind="escalate").values_list("appeal_id", flat=True):
        per_appeal[appeal_id] = per_appeal.get(appeal_id, 0) + 1
    assert len(per_appeal) == due and set(per_appeal.values()) == {1}
    assert not Appeal.objects.filter(alarm_at__lte=now).exists()
    swept = LogEntry.objects.get_for_model(Appeal).filter(actor=None, changes__has_key="escalation")
    assert swept.count() == due
