"""Budgets and money figures: the ledger, the figures per area and year (by department and category,
median working days to payment, on-time rate), and two approvals at once on PostgreSQL never
overspending a budget."""

import contextlib
import datetime
import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from zoneos.core.errors import Conflict
from zoneos.policies import applications as services
from zoneos.policies import money
from zoneos.policies.models import ApplicationStatus, Budget, PolicyApplication
from zoneos.policies.money_figures import median, money_figures
from zoneos.testing.factories import EnterpriseFactory

from .engine_for_applications import engine

S = ApplicationStatus
TODAY = timezone.localdate()


@pytest.fixture
def rules():
    with engine() as found:
        yield found


def django_client(user):
    from django.test import Client

    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def in_publicity(world, enterprise, amount="100000"):
    application = services.create_application(
        by=world.root, item=world.PI1, enterprise=enterprise, requested_amount=amount
    )
    for verb in (services.submit, services.accept, services.pass_preliminary, services.pass_review,
                 services.publicize):  # fmt: skip
        application = verb(application, by=world.root)
    PolicyApplication.objects.filter(pk=application.pk).update(
        publicity_ends=TODAY - datetime.timedelta(days=1)
    )
    return PolicyApplication.objects.get(pk=application.pk)


@pytest.mark.django_db
def test_a_budget_cannot_drop_below_what_is_committed_nor_be_deleted_once_used(world, rules):
    budget = money.save_budget(by=world.admin, item=world.PI1, year=TODAY.year, amount="200000")
    services.approve(in_publicity(world, world.E1), by=world.root, approved_amount="150000")
    with pytest.raises(Conflict):
        money.save_budget(by=world.admin, item=world.PI1, year=TODAY.year, amount="100000", budget=budget)
    with pytest.raises(Conflict):
        money.delete_budget(budget, by=world.admin)
    assert money.save_budget(
        by=world.admin, item=world.PI1, year=TODAY.year, amount="150000", budget=budget
    ).left == Decimal("0.00")


def test_the_median_of_counted_values():
    assert median({}) is None
    assert median({3: 1}) == Decimal("3.0")
    assert median({2: 1, 4: 1}) == Decimal("3.0")
    assert median({10: 3, 50: 1}) == Decimal("10.0")


@pytest.mark.django_db
def test_figures_per_area_and_year(world, api, rules):
    Budget.objects.create(item=world.PI1, year=TODAY.year, amount=Decimal("1000000.00"))
    on_time = services.approve(in_publicity(world, world.E1), by=world.root, approved_amount="100000")
    services.pay(on_time, by=world.root, amount="100000")
    late = services.approve(in_publicity(world, world.E3), by=world.root, approved_amount="50000")
    PolicyApplication.objects.filter(pk=late.pk).update(payment_due=TODAY - datetime.timedelta(days=1))
    in_publicity(world, EnterpriseFactory(area=world.P1))  # not approved: counted, not benefited

    f = money_figures(world.Z1, TODAY.year)
    assert (f["policies"], f["items"], f["enterprises_benefited"], f["applications"]) == (1, 1, 2, 3)
    assert (f["approved_amount"], f["paid_amount"]) == ("150000.00", "100000.00")
    assert (f["payments_due"], f["paid_on_time"], f["overdue"]) == (2, 1, 1)
    assert f["on_time_rate"] == "0.5000" and f["median_days_to_payment"] == "0.0"
    assert f["budget"] == {"budgets": 1, "amount": "1000000.00", "committed": "150000.00",
                           "disbursed": "100000.00", "left": "850000.00"}  # fmt: skip
    assert [d["label"] for d in f["by_department"]] == [world.D1.label]
    assert f["by_category"][0]["label"] == "Award or subsidy"
    assert money_figures(world.P2, TODAY.year)["applications"] == 0

    from zoneos.reports.briefing import policy_money

    briefed = policy_money(world.Z1, TODAY.year)  # the monthly briefing's section reads the same figures
    assert briefed["approved_amount"] == "150000.00"
    assert briefed["by_department"][0]["on_time_text"] == "50.0%"
    from zoneos.stats.services import years_with_figures

    shown = years_with_figures(world.Z1)[0]  # the year the statistics dashboard opens on
    Budget.objects.get_or_create(item=world.PI3, year=shown, defaults={"amount": Decimal("10.00")})
    page = django_client(world.leader).get("/dashboard/", {"area": world.Z1.pk})
    assert page.status_code == 200 and b"policy-money-card" in page.content

    answer = api(world.leader).get("/api/v1/policy-applications/figures/", {"area": world.Z1.pk})
    assert answer.status_code == 200 and answer.json()["approved_amount"] == "150000.00"
    assert (
        api(world.leader).get("/api/v1/policy-applications/figures/", {"area": world.Z2.pk}).status_code
        == 404
    )
    assert api(world.enterprise).get("/api/v1/policy-applications/figures/").status_code == 404
    bad = api(world.leader).get("/api/v1/policy-applications/figures/", {"year": "20x6"})
    assert bad.status_code == 400 and "year" in bad.json()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs row locks across connections (PostgreSQL); SQLite serialises whole writes",
)
def test_two_approvals_at_once_never_overspend(rules):
    from zoneos.testing.world import build_world

    world = build_world()
    Budget.objects.create(item=world.PI1, year=TODAY.year, amount=Decimal("150000.00"))
    first, second = in_publicity(world, world.E1), in_publicity(world, world.E3)
    locked = money._locked_budget
    both_read = threading.Barrier(2, timeout=10)

    def lock_slowly(application):
        # Each approval reaches the budget at the same moment: without the lock both would see
        # 150,000 left and both commit 100,000.
        with contextlib.suppress(threading.BrokenBarrierError):
            both_read.wait()
        return locked(application)

    answers = {}

    def approve(name, application):
        try:
            services.approve(application, by=world.root, approved_amount="100000")
            answers[name] = "approved"
        except Conflict:
            answers[name] = "refused"
        finally:
            connection.close()

    money._locked_budget = lock_slowly
    try:
        threads = [threading.Thread(target=approve, args=(n, a)) for n, a in (("a", first), ("b", second))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
    finally:
        money._locked_budget = locked
    assert sorted(answers.values()) == ["approved", "refused"]
    budget = Budget.objects.get(item=world.PI1, year=TODAY.year)
    assert budget.committed == Decimal("100000.00") <= budget.amount
    assert PolicyApplication.objects.filter(status=S.APPROVED).count() == 1
