"""The pages of applications and money: a new application, its page with the step forms the user may
take (and only those), the reviewer's queue, the lists for an item and an enterprise, and the money
dashboard; another enterprise's application is 404."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from zoneos.policies import applications as services
from zoneos.policies.models import ApplicationStatus, Budget, PolicyApplication

from .engine_for_applications import engine

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def rules():
    with engine() as found:
        yield found


def client_for(user, language="en"):
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def test_the_enterprise_applies_and_submits_through_the_pages(world, rules):
    rules.eligible.add(world.E1.pk)
    client = client_for(world.enterprise)
    form = client.get(f"/policies/applications/new/?item={world.PI1.pk}")
    assert form.status_code == 200 and world.E3.name not in form.content.decode()  # its own enterprise only
    refused = client.post("/policies/applications/new/", {"item": world.PI1.pk, "enterprise": world.E3.pk})
    assert refused.status_code == 400
    made = client.post(
        "/policies/applications/new/",
        {
            "item": world.PI1.pk,
            "enterprise": world.E1.pk,
            "requested_amount": "120000",
            "statement": "研发投入",
        },
    )
    assert made.status_code == 302
    application = PolicyApplication.objects.get(item=world.PI1, enterprise=world.E1, year=TODAY.year)
    page = client.get(made["Location"]).content.decode()
    assert 'data-testid="take-submit"' in page and 'data-testid="take-accept"' not in page
    assert client.post(made["Location"], {"step": "submit"}).status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    page = client.get(made["Location"]).content.decode()
    assert (
        'data-testid="trace"' in page and "6000.00 万元" in page
    )  # the frozen revenue, in the screen's unit
    assert client.post(made["Location"], {"step": "submit"}).status_code == 302  # refused: a message
    assert client.post(made["Location"], {"step": "nonsense"}).status_code == 400


def test_another_enterprises_application_is_404(world, rules):
    other = services.create_application(by=world.park_staff, item=world.PI1, enterprise=world.E3)
    client = client_for(world.enterprise)
    assert client.get(f"/policies/applications/{other.pk}/").status_code == 404
    assert client.get(f"/policies/applications/{world.PA2.pk}/").status_code == 404
    assert client.get(f"/policies/applications/?enterprise={world.E3.pk}").status_code == 404


def test_the_reviewers_queue_holds_what_waits_on_them(world, rules):
    application = services.submit(
        services.create_application(by=world.enterprise, item=world.PI1, enterprise=world.E1),
        by=world.enterprise,
    )
    queue = client_for(world.service_officer).get("/policies/review/").content.decode()
    assert f'data-testid="queue-{application.pk}"' in queue
    assert (
        f'data-testid="queue-{application.pk}"'
        in client_for(world.handler).get("/policies/review/").content.decode()
    )
    services.accept(application, by=world.service_officer)
    queue = client_for(world.service_officer).get("/policies/review/").content.decode()
    assert f'data-testid="queue-{application.pk}"' in queue  # it may still reject or return it
    assert "暂无待办" in client_for(world.enterprise).get("/policies/review/").content.decode()


def test_a_reviewer_takes_a_step_with_an_opinion_and_errors_are_shown(world, rules):
    application = services.submit(
        services.create_application(by=world.enterprise, item=world.PI1, enterprise=world.E1),
        by=world.enterprise,
    )
    client = client_for(world.handler, "zh-hans")
    url = f"/policies/applications/{application.pk}/"
    missing = client.post(url, {"step": "reject", "reason": ""})
    assert missing.status_code == 400 and "请填写不予通过的理由" in missing.content.decode()
    assert client.post(url, {"step": "reject", "reason": "不符合条件"}).status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REJECTED and application.steps.last().by == world.handler


def test_the_lists_and_the_money_dashboard(world, rules):
    Budget.objects.create(item=world.PI1, year=TODAY.year, amount=Decimal("500000"))
    PolicyApplication.objects.filter(pk=world.PA1.pk).update(
        status=ApplicationStatus.APPROVED, year=TODAY.year, approved_amount=Decimal("1000"),
        approved_on=TODAY - datetime.timedelta(days=120), payment_due=TODAY - datetime.timedelta(days=20),
    )  # fmt: skip
    client = client_for(world.admin)
    for url in (
        f"/policies/applications/?item={world.PI1.pk}",
        f"/policies/applications/?enterprise={world.E1.pk}",
    ):
        page = client.get(url).content.decode()
        assert f'data-testid="application-{world.PA1.pk}"' in page and f"overdue-{world.PA1.pk}" in page
    overdue = client.get("/policies/applications/?overdue=1").content.decode()
    assert f'data-testid="application-{world.PA1.pk}"' in overdue
    money = client.get("/policies/money/", {"area": world.Z1.pk})
    assert money.status_code == 200
    body = money.content.decode()
    assert 'data-testid="money-overdue"' in body and world.E1.name in body and "money-data" in body
    assert client.get("/policies/money/", {"area": world.Z2.pk}).status_code == 404
    assert "无权查看全区汇总数据" in client_for(world.enterprise).get("/policies/money/").content.decode()
