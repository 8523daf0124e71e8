"""The demo's policy money on whatever items exist: applications in every state, payments on time, in
instalments and late, an overdue one flagged, budgets never overspent; a second load adds nothing."""

from decimal import Decimal

import pytest
from django.db.models import Count

from zoneos.core import demo
from zoneos.policies.demo_money import load_policy_money
from zoneos.policies.models import Budget, Payment, PolicyApplication, PolicyItem
from zoneos.testing.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


def test_the_demo_shows_every_state_and_late_and_on_time_payments(world):
    for n in range(4):
        EnterpriseFactory(area=world.P1, name=f"示范企业{n}")
        PolicyItem.objects.create(
            policy=world.PI1.policy, code=f"DEMO-{n}", name=f"示范事项{n}", department=world.D1
        )
    ctx = demo.DemoContext(by=world.root, users={"handler": world.handler, "parkstaff": world.park_staff})
    load_policy_money(ctx)
    states = set(
        PolicyApplication.objects.exclude(pk__in=[world.PA1.pk, world.PA2.pk]).values_list(
            "status", flat=True
        )
    )
    assert states >= {"draft", "submitted", "accepted", "returned", "preliminary", "review", "publicity",
                      "approved", "rejected", "paid", "closed"}  # fmt: skip
    assert Payment.objects.filter(on_time=False).exists() and Payment.objects.filter(on_time=True).exists()
    assert PolicyApplication.objects.filter(payment_overdue=True).exists()
    # Instalments: 80 % first, then the rest, together the approved amount.
    instalments = PolicyApplication.objects.annotate(n=Count("payments")).filter(n__gte=2)
    assert instalments.exists()
    for application in instalments:
        first, *rest = application.payments.order_by("id").values_list("amount", flat=True)
        assert first == (application.approved_amount * Decimal("0.8")).quantize(Decimal("0.01"))
        assert first + sum(rest) == application.approved_amount == application.paid_amount
    for budget in Budget.objects.all():
        assert budget.disbursed <= budget.committed <= budget.amount
    authors = set(PolicyApplication.objects.values_list("steps__by__username", flat=True))
    assert {"handler", "park_staff"} <= authors
    before = PolicyApplication.objects.count()
    load_policy_money(demo.DemoContext(by=world.root))
    assert PolicyApplication.objects.count() == before
