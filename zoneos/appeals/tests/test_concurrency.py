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
    locked = services._locked

    def lock_and_linger(appeal):
        # The first handler keeps the row locked for a moment, so that the second one's request
        # certainly arrives while the first transaction is still open.
        row = locked(appeal)
        if threading.current_thread().name == "first":
            first_holds_the_row.set()
            time.sleep(0.5)
        return row

    monkeypatch.setattr(services, "_locked", lock_and_linger)
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
