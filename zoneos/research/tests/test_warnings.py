"""The nightly sweep: a project's warnings are told once to the staff of its area, again only when a new
one appears (or one clears and comes back)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from zoneos.notifications.models import Notification
from zoneos.research import warnings
from zoneos.research.models import Expenditure, ResearchProject
from zoneos.scheduler.registry import jobs

pytestmark = pytest.mark.django_db
LATE = datetime.date(2026, 12, 31)  # two thirds of RP1's period gone, 6 % of its budget spent


def test_a_warning_is_told_once_to_the_park_staff_and_again_when_a_new_one_appears(world):
    ResearchProject.objects.exclude(pk__in=[world.RP1.pk, world.RP2.pk]).delete()
    mine = Notification.objects.filter(user=world.park_staff)
    with translation.override("en"):
        assert warnings.sweep(LATE) == {"warned": 2}  # RP1 (P1) and RP2 (P3) lag
        assert mine.count() == 1 and "Spending lags time" in mine.get().text  # P1's only
        before = Notification.objects.count()
        assert warnings.sweep(LATE) == {"warned": 0}  # nothing new
        assert Notification.objects.count() == before
        Expenditure.objects.create(
            project=world.RP1, category="labour", amount=Decimal("300000"),
            spent_on=datetime.date(2025, 6, 1), description="劳务", voucher_no="PZ-OVER",
        )  # fmt: skip
        assert warnings.sweep(LATE) == {"warned": 1}  # labour over budget, and still lagging
    world.RP1.refresh_from_db()
    assert world.RP1.warned == "lag,over:labour"
    latest = mine.order_by("-pk").first()
    assert "Labour is over budget" in latest.text and "Spending lags" not in latest.text  # only what is new


def test_the_sweep_is_a_nightly_job():
    job = jobs()["research.warnings"]
    assert job.every == 86400 and job.function.__module__ == "zoneos.research.schedule"
