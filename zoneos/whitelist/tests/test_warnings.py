"""Approvals that end within 30 days, and approvals that ended with goods still in the zone, are told to
the applicant and the zone's applying staff once; refused movements too. The pages and the API read
the same warnings live."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from zoneos.notifications.models import InboxItem
from zoneos.whitelist import services, warnings
from zoneos.whitelist.models import WhitelistApplication

from .world import approved

pytestmark = pytest.mark.django_db


def test_an_approval_ending_within_30_days_is_warned_of_once(world):
    w = world
    today = timezone.localdate()
    WhitelistApplication.objects.filter(pk__in=[w.WA4.pk, w.WA5.pk]).update(
        valid_to=today + datetime.timedelta(days=400)
    )
    application = approved(w, valid_to=today + datetime.timedelta(days=20))
    assert [a.pk for a in warnings.found(w.leader)["expiring"]] == [application.pk]
    assert warnings.found(w.outsider)["expiring"] == []  # another zone's staff
    with translation.override("en"):
        assert warnings.sweep() == {"expiring": 1, "holding": 0, "refused": 0}
    told = InboxItem.objects.filter(event="deadline_near")
    # E1's user, its park's staff, the zone's admin and service officer; not the leader, not P3's staff.
    assert set(told.values_list("user__username", flat=True)) == {
        "enterprise", "park_staff", "colleague", "admin", "service_officer",
    }  # fmt: skip
    item = told.get(user=w.enterprise)
    assert "深关白〔2026〕18号" in item.text and "in 20 days" in item.text
    assert item.url == f"/whitelist/{application.pk}/"
    assert warnings.sweep() == {"expiring": 0, "holding": 0, "refused": 0}  # told once


def test_goods_still_in_the_zone_after_the_approval_ended_are_warned_of(world):
    w = world
    today = timezone.localdate()
    application = approved(
        w, valid_from=today - datetime.timedelta(days=90), valid_to=today - datetime.timedelta(days=60)
    )
    WhitelistApplication.objects.filter(pk=application.pk).update(
        valid_to=today + datetime.timedelta(days=10)
    )
    application.refresh_from_db()
    services.record_movement(w.medium, by=w.root, direction="in", quantity=Decimal("30"))
    services.record_movement(w.spectrometer, by=w.root, direction="in", quantity=Decimal("1"))
    services.record_movement(w.spectrometer, by=w.root, direction="out", quantity=Decimal("1"))
    WhitelistApplication.objects.filter(pk=application.pk).update(valid_to=today - datetime.timedelta(days=1))
    holding = warnings.found(w.admin)["holding"]
    assert [(i.name, i.in_zone) for i in holding] == [
        ("细胞培养基", Decimal("30"))
    ]  # the spectrometer went back
    assert warnings.sweep()["holding"] == 1
    text = InboxItem.objects.get(user=w.admin, event="deadline_near").text
    assert "细胞培养基" in text and "30" in text
    # Taken out, it is no longer a warning.
    services.record_movement(w.medium, by=w.root, direction="out", quantity=Decimal("30"))
    assert warnings.found(w.admin)["holding"] == []


def test_a_refused_movement_is_a_warning_told_once(world):
    w = world
    approved(w)
    with pytest.raises(services.MovementRefused):
        services.record_movement(w.spectrometer, by=w.enterprise, direction="in", quantity=Decimal("3"))
    assert [r.quantity for r in warnings.found(w.admin)["refused"]] == [Decimal("3")]
    assert warnings.found(w.outsider)["refused"] == []
    assert warnings.sweep()["refused"] == 1
    assert warnings.sweep()["refused"] == 0


def test_the_sweep_is_a_nightly_job():
    from zoneos.scheduler.registry import jobs

    job = jobs()["whitelist.warnings"]
    assert job.at == datetime.time(3, 20)
