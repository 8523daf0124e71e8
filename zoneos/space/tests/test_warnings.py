"""Leases ending within 60 days are told to the park's staff, once: in their inbox (and by e-mail and
the area's channels, as every warning), claimed so that a second sweep says nothing again."""

import datetime

import pytest
from django.utils import timezone, translation

from zoneos.notifications.models import InboxItem, Notification
from zoneos.space import services, warnings
from zoneos.space.models import Lease

pytestmark = pytest.mark.django_db


@pytest.fixture
def ending(world):
    """LS1 (UN1 to E1, in P1) ends in 45 days; LS3 (its 2028 lease) is moved away; LS2 (P3) in 90 days."""
    today = timezone.localdate()
    services.update_lease(world.LS1, by=world.root, ends_on=today + datetime.timedelta(days=45))
    services.update_lease(world.LS2, by=world.root, ends_on=today + datetime.timedelta(days=90))
    services.delete_lease(world.LS3, by=world.root)
    return world


def test_park_staff_are_warned_once_of_a_lease_ending_soon(ending):
    w = ending
    with translation.override("en"):
        assert warnings.sweep() == {"warned": 1}
    items = InboxItem.objects.filter(event="deadline_near")
    # P1's park staff (and the colleague who works there too); not P3's, not the zone's other roles.
    assert sorted(items.values_list("user__username", flat=True)) == ["colleague", "park_staff"]
    item = items.get(user=w.park_staff)
    assert item.area == w.P1 and item.subject == f"1 lease in {w.P1.name} ends within 60 days"
    assert w.E1.name in item.text and "UN1" in item.text and item.url == f"/space/?area={w.P1.pk}#expiring"
    assert Lease.objects.get(pk=w.LS1.pk).warned_on == timezone.localdate()
    assert warnings.sweep() == {"warned": 0}  # told once
    assert InboxItem.objects.filter(event="deadline_near").count() == 2


def test_a_renewed_lease_is_not_warned_of_and_a_moved_end_is_warned_of_again(ending):
    w = ending
    today = timezone.localdate()
    renewal = services.create_lease(
        w.UN1,
        by=w.root,
        tenant=w.E1,
        starts_on=today + datetime.timedelta(days=46),
        ends_on=today + datetime.timedelta(days=800),
    )
    assert warnings.sweep() == {"warned": 0}  # the unit is let again after it
    services.delete_lease(renewal, by=w.root)
    assert warnings.sweep() == {"warned": 1}
    services.update_lease(w.LS1, by=w.park_staff, ends_on=today + datetime.timedelta(days=50))
    assert Lease.objects.get(pk=w.LS1.pk).warned_on is None
    assert warnings.sweep() == {"warned": 1}
    assert InboxItem.objects.filter(user=w.park_staff, event="deadline_near").count() == 2


def test_the_zones_channel_hears_of_it_too(ending):
    w = ending
    w.CH1.events = ["deadline_near"]
    w.CH1.save()
    warnings.sweep()
    assert Notification.objects.filter(channel=w.CH1, event="deadline_near").count() == 1


def test_the_sweep_is_a_daily_job():
    from zoneos.scheduler.registry import jobs

    job = jobs()["space.lease_warnings"]
    assert job.at == datetime.time(2, 50)
