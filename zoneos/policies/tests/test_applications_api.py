"""The applications API: creation by the enterprise or staff, steps as POSTs (403 for the wrong party,
409 for the wrong state), scoping (404 for another enterprise's), the overdue list, and the automatic
track's offers confirmed by the enterprise."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from zoneos.notifications.models import Notification
from zoneos.policies import applications as services
from zoneos.policies.applications_automatic import offer, offer_all
from zoneos.policies.models import ApplicationStatus, Budget, PolicyApplication, PolicyItem
from zoneos.policies.money import sweep

from .engine_for_applications import engine

S = ApplicationStatus
pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
BASE = "/api/v1/policy-applications/"


@pytest.fixture
def rules():
    with engine() as found:
        yield found


def test_the_enterprise_applies_submits_and_reads_its_trace(world, api, rules):
    rules.eligible.add(world.E1.pk)
    client = api(world.enterprise)
    made = client.post(
        BASE, {"item": world.PI1.pk, "enterprise": world.E1.pk, "requested_amount": "120000.00",
               "declared": {"rd_expense_2025": "3000000"}}, format="json"
    )  # fmt: skip
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["status"] == "draft" and body["year"] == TODAY.year
    assert body["allowed_actions"] == ["submit", "withdraw"]
    assert body["steps"][0]["by"] == "enterprise"
    submitted = client.post(f"{BASE}{body['id']}/submit/", {}, format="json")
    assert submitted.status_code == 200
    assert submitted.json()["trace"]["result"] == "eligible"
    assert submitted.json()["trace"]["criteria"][0]["actual"] == "60000000.00"
    again = client.post(f"{BASE}{body['id']}/submit/", {}, format="json")
    assert again.status_code == 409 and "detail" in again.json()
    assert client.post(f"{BASE}{body['id']}/accept/", {}, format="json").status_code == 403
    history = client.get(f"{BASE}{body['id']}/history/").json()["results"]
    assert {row["user"] for row in history} == {"enterprise"}


def test_an_enterprise_gets_404_for_another_enterprises_application(world, api, rules):
    other = services.create_application(by=world.park_staff, item=world.PI1, enterprise=world.E3)
    client = api(world.enterprise)
    assert client.get(f"{BASE}{other.pk}/").status_code == 404
    assert client.post(f"{BASE}{other.pk}/submit/", {}, format="json").status_code == 404
    assert other.pk not in {r["id"] for r in client.get(BASE).json()["results"]}
    refused = client.post(BASE, {"item": world.PI1.pk, "enterprise": world.E3.pk}, format="json")
    assert refused.status_code == 400 and "enterprise" in refused.json()


def test_bad_input_names_the_field(world, api, rules):
    client = api(world.enterprise)
    for body, field in (
        ({"item": world.PI1.pk, "enterprise": world.E1.pk, "requested_amount": "-1"}, "requested_amount"),
        ({"item": world.PI1.pk, "enterprise": world.E1.pk, "declared": [1, 2]}, "declared"),
        ({"item": 99999999, "enterprise": world.E1.pk}, "item"),
        ({"item": world.PI1.pk, "enterprise": world.E1.pk, "year": 1900}, "year"),
    ):
        answer = client.post(BASE, body, format="json")
        assert answer.status_code == 400 and field in answer.json(), (body, answer.content)


def test_approving_past_the_budget_answers_409_and_paying_lists_nothing_overdue(world, api, rules):
    Budget.objects.create(item=world.PI1, year=TODAY.year, amount=Decimal("100000.00"))
    application = services.create_application(
        by=world.enterprise, item=world.PI1, enterprise=world.E1, requested_amount="150000"
    )
    handler = api(world.handler)
    application = services.submit(application, by=world.enterprise)
    for step, user in (("accept", world.service_officer), ("preliminary", world.park_staff)):
        assert api(user).post(f"{BASE}{application.pk}/{step}/", {}, format="json").status_code == 200
    assert handler.post(f"{BASE}{application.pk}/review/", {}, format="json").status_code == 200
    assert handler.post(f"{BASE}{application.pk}/publicize/", {"days": 5}, format="json").status_code == 200
    early = handler.post(f"{BASE}{application.pk}/approve/", {}, format="json")
    assert early.status_code == 409 and "publicity" in early.json()["detail"]
    PolicyApplication.objects.filter(pk=application.pk).update(
        publicity_ends=TODAY - datetime.timedelta(days=1)
    )
    over = handler.post(f"{BASE}{application.pk}/approve/", {}, format="json")
    assert over.status_code == 409 and "100000.00 yuan left" in over.json()["detail"]
    approved = handler.post(f"{BASE}{application.pk}/approve/", {"approved_amount": "80000"}, format="json")
    assert approved.status_code == 200 and approved.json()["approved_amount"] == "80000.00"
    budget = api(world.admin).get("/api/v1/policy-budgets/", {"item": world.PI1.pk, "year": TODAY.year})
    row = budget.json()["results"][0]
    assert (row["committed"], row["left"]) == ("80000.00", "20000.00")
    assert [e["kind"] for e in row["ledger"]] == ["commit"]
    paid = handler.post(
        f"{BASE}{application.pk}/pay/",
        {"amount": "80000", "paid_on": TODAY.isoformat(), "voucher": "V-1"},
        format="json",
    )
    assert paid.status_code == 200 and paid.json()["status"] == "paid"
    assert paid.json()["payments"][0]["voucher"] == "V-1"


def test_the_sweep_flags_overdue_payments_once_and_lists_them(world, api, rules):
    Budget.objects.create(item=world.PI1, year=TODAY.year, amount=Decimal("500000.00"))
    application = services.create_application(by=world.enterprise, item=world.PI1, enterprise=world.E1)
    application = services.submit(application, by=world.enterprise)
    application = services.accept(application, by=world.park_staff)
    application = services.pass_preliminary(application, by=world.park_staff)
    application = services.pass_review(application, by=world.handler)
    application = services.publicize(application, by=world.handler)
    PolicyApplication.objects.filter(pk=application.pk).update(
        publicity_ends=TODAY - datetime.timedelta(days=1)
    )
    application = services.approve(PolicyApplication.objects.get(pk=application.pk), by=world.handler,
                                   approved_amount="10000")  # fmt: skip
    assert sweep(TODAY) == {"flagged": 0}
    later = application.payment_due + datetime.timedelta(days=1)
    assert sweep(later) == {"flagged": 1}
    assert sweep(later) == {"flagged": 0}
    application.refresh_from_db()
    assert application.payment_overdue
    assert application.steps.filter(kind="overdue").count() == 1
    assert Notification.objects.filter(event="overdue", user=world.handler).exists()
    late = services.pay(application, by=world.handler, amount="10000", paid_on=later)
    assert late.status == S.PAID and not late.payment_overdue
    assert late.payments.get().on_time is False
    assert late.payment_working_days >= 60  # the day after the 60th working day may be a Saturday


def test_the_overdue_filter(world, api, rules):
    PolicyApplication.objects.filter(pk=world.PA1.pk).update(
        status=S.APPROVED, approved_amount=Decimal("10"), approved_on=TODAY - datetime.timedelta(days=120),
        payment_due=TODAY - datetime.timedelta(days=30),
    )  # fmt: skip
    listed = api(world.admin).get(BASE, {"overdue": "true"}).json()["results"]
    assert [r["id"] for r in listed] == [world.PA1.pk] and listed[0]["overdue"] is True


def test_the_automatic_track_offers_the_eligible_once_and_the_enterprise_confirms(world, api, rules):
    item = PolicyItem.objects.create(
        policy=world.PI1.policy, code="T-AUTO", name="免申即享奖补", mode="automatic", department=world.D1
    )
    world.E1.service_officer = world.service_officer
    world.E1.save(update_fields=["service_officer"])
    rules.eligible.update({world.E1.pk, world.E3.pk})
    made = offer(item, on=TODAY, by=world.root)
    assert {a.enterprise_id for a in made} == {world.E1.pk, world.E3.pk}
    assert {a.status for a in made} == {S.OFFERED} and all(a.automatic and a.trace for a in made)
    assert made[0].requested_amount == Decimal("300000.00")
    assert offer_all(TODAY)["offered"] == 0  # a second run offers nothing twice
    assert Notification.objects.filter(user=world.enterprise, event="assigned").count() == 1
    digest = Notification.objects.get(user=world.service_officer, event="assigned")
    assert "1" in digest.subject
    mine = next(a for a in made if a.enterprise_id == world.E1.pk)
    client = api(world.enterprise)
    assert client.get(f"{BASE}{mine.pk}/").json()["allowed_actions"] == ["confirm", "withdraw"]
    missing = client.post(f"{BASE}{mine.pk}/confirm/", {"bank_name": "工商银行"}, format="json")
    assert missing.status_code == 400 and "bank_account" in missing.json()
    done = client.post(
        f"{BASE}{mine.pk}/confirm/",
        {"bank_name": "工商银行", "bank_account": "6222 0000 1111"},
        format="json",
    )
    assert done.status_code == 200 and done.json()["status"] == "submitted"
    assert api(world.park_staff).post(f"{BASE}{mine.pk}/confirm/", {}, format="json").status_code == 403


def test_an_item_that_is_not_automatic_is_never_offered(world, rules):
    rules.eligible.add(world.E1.pk)
    assert offer(world.PI1, on=TODAY) == []
