"""Two movements of one item at the same moment, each on a connection of its own, that together would
bring in more than was approved: the item's row lock makes the second wait for the first, then count
it, so one is written and the other refused (409); the balance never passes the approval.

The race needs connections that really run side by side: PostgreSQL, or SQLite on a file (the test
database in memory has one connection and table locks; run it there with a settings module that names
a file as `DATABASES["default"]["TEST"]["NAME"]`). What runs everywhere: the balance is read only
under the lock.
"""

import threading
import time
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from rest_framework.test import APIClient

from zoneos.whitelist import services
from zoneos.whitelist.models import Movement, RefusedMovement

from .world import approved

pytestmark = pytest.mark.django_db

DATABASE = settings.DATABASES["default"]
IN_MEMORY = DATABASE["ENGINE"].endswith("sqlite3") and not (DATABASE.get("TEST") or {}).get("NAME")


def test_the_balance_is_read_under_the_items_row_lock(world, monkeypatch):
    w = world
    approved(w)
    seen = []
    locked, balance = services._locked_item, services.balance

    def lock(item):
        row = locked(item)
        seen.append("lock")
        return row

    def read(item):
        seen.append("balance")
        return balance(item)

    monkeypatch.setattr(services, "_locked_item", lock)
    monkeypatch.setattr(services, "balance", read)
    services.record_movement(w.medium, by=w.root, direction="in", quantity=1)
    assert seen == ["lock", "balance"]
    assert services.Item.objects.select_for_update(of=("self",)).query.select_for_update


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(IN_MEMORY, reason="needs connections side by side (PostgreSQL, or SQLite on a file)")
def test_two_movements_racing_cannot_together_pass_the_approved_quantity(world, monkeypatch):
    w = world
    approved(w)  # the culture medium: 100 瓶 approved
    first_holds_the_row = threading.Event()
    locked = services._locked_item

    def lock_and_linger(item):
        # The first movement keeps the item's row for a moment, so that the second one certainly
        # arrives while the first transaction is open: without the lock both would read 0 in and
        # write 60 each.
        row = locked(item)
        if threading.current_thread().name == "first":
            first_holds_the_row.set()
            time.sleep(0.5)
        return row

    monkeypatch.setattr(services, "_locked_item", lock_and_linger)
    answers: dict[str, int] = {}

    def bring_in(name, user):
        try:
            client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
            client.force_authenticate(user)
            answer = client.post(
                "/api/v1/whitelist-movements/",
                {"item": w.medium.pk, "direction": "in", "quantity": "60"},
                format="json",
            )
            answers[name] = answer.status_code
        finally:
            connection.close()

    first = threading.Thread(target=bring_in, args=("first", w.enterprise), name="first")
    second = threading.Thread(target=bring_in, args=("second", w.park_staff), name="second")
    first.start()
    assert first_holds_the_row.wait(20)
    second.start()
    first.join(30)
    second.join(30)

    assert answers == {"first": 201, "second": 409}
    assert services.balance(w.medium).imported == Decimal("60")
    assert Movement.objects.filter(item=w.medium).count() == 1
    assert RefusedMovement.objects.get(item=w.medium).by == w.park_staff
