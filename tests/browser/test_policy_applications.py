"""Policy applications in a real browser: the enterprise applies and submits, the window accepts, the
park and the department review, the department publicizes, approves and pays in two instalments; the
enterprise sees its application paid, the money dashboard counts it. Screenshots of each page at
1440 and 390 px, in Chinese and English."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from zoneos.enterprises.models import Indicator
from zoneos.policies import metrics
from zoneos.policies import services as catalogue
from zoneos.policies.models import Budget, PolicyApplication

pytestmark = pytest.mark.browser
TODAY = timezone.localdate()


def _prepare(w):
    Indicator.objects.create(enterprise=w.E1, year=TODAY.year - 1, revenue=Decimal("80000000"))
    metrics.refresh(enterprise_ids=[w.E1.pk])
    leaf = {"id": "revenue", "label": "营业收入", "var": "revenue", "op": ">=", "value": "50000000"}
    rule = catalogue.create_rule(
        by=w.root,
        item=w.PI1,
        effective_from=datetime.date(TODAY.year, 1, 1),
        criteria={"all": [leaf]},
        benefit={"fixed": "200000"},
    )
    catalogue.publish_rule(rule, by=w.root)
    Budget.objects.create(item=w.PI1, year=TODAY.year, amount=Decimal("1000000"))


def _step(page, name, **fields):
    for field, value in fields.items():
        page.fill(f"[data-testid=step-{name}] [name={field}]", value)
    # Each step posts and redirects back to the application: wait for that page before the next
    # action, or the next fill or reload races the navigation still under way.
    with page.expect_navigation():
        page.click(f"[data-testid=take-{name}]")


def _as(page, live_server, user, url, sign_in):
    page.context.clear_cookies()
    sign_in(user)
    page.click("[data-testid=lang-en]")
    page.goto(f"{live_server.url}{url}")


def test_an_application_goes_from_submission_to_payment(live_world, live_server, page, sign_in, shot):
    w = live_world
    _prepare(w)
    _as(page, live_server, "enterprise", f"/policies/applications/new/?item={w.PI1.pk}", sign_in)
    page.fill("[data-testid=application-amount]", "200000")
    page.fill("[data-testid=application-statement]", "上年度营业收入8000万元，研发投入持续增长。")
    page.click("[data-testid=save-application]")
    expect(page.locator("[data-testid=application-status]")).to_have_text("Draft")
    _step(page, "submit")
    expect(page.locator("[data-testid=application-status]")).to_have_text("Submitted")
    expect(page.locator("[data-testid=trace-result]")).to_have_text("eligible")
    expect(page.locator("[data-testid=trace]")).to_contain_text(
        "8,000.00 ten thousand yuan"
    )  # the frozen revenue, in the screen's unit
    application = PolicyApplication.objects.get(item=w.PI1, enterprise=w.E1, year=TODAY.year)
    url = f"/policies/applications/{application.pk}/"

    _as(page, live_server, "service_officer", "/policies/review/", sign_in)
    expect(page.locator(f"[data-testid=queue-{application.pk}]")).to_be_visible()
    shot("policy-review-queue-1440-en")
    page.goto(f"{live_server.url}{url}")
    _step(page, "accept", opinion="材料齐全，予以受理。")
    expect(page.locator("[data-testid=application-status]")).to_have_text("Accepted")

    _as(page, live_server, "park_staff", url, sign_in)
    _step(page, "preliminary", opinion="园区初审通过。")
    expect(page.locator("[data-testid=application-status]")).to_have_text("Passed preliminary review")

    _as(page, live_server, "handler", url, sign_in)
    _step(page, "review", opinion="部门复审通过。")
    _step(page, "publicize", days="5")
    expect(page.locator("[data-testid=application-status]")).to_have_text("In publicity")
    expect(page.locator("[data-testid=take-approve]")).to_have_count(0)  # not before the publicity ends
    _step(page, "object", objection="匿名来信：研发费用归集存疑。")
    # The five working days of publicity pass.
    PolicyApplication.objects.filter(pk=application.pk).update(
        publicity_ends=TODAY - datetime.timedelta(days=1)
    )
    page.reload()
    _step(page, "approve", approved_amount="18", opinion="经核查异议不成立，核减后核准。")
    expect(page.locator("[data-testid=application-status]")).to_have_text("Approved")
    _step(page, "pay", amount="14.4", voucher="记账凭证-2026-118")
    expect(page.locator("[data-testid=paid-amount]")).to_contain_text("14.40 ten thousand yuan")
    _step(page, "pay", amount="3.6", voucher="记账凭证-2026-131")
    expect(page.locator("[data-testid=application-status]")).to_have_text("Paid")
    expect(page.locator("[data-testid=timeline] li")).to_have_count(10)
    shot("policy-application-1440-en")
    page.set_viewport_size({"width": 390, "height": 844})
    shot("policy-application-390-en")
    page.set_viewport_size({"width": 1440, "height": 900})

    _as(page, live_server, "admin", f"/policies/money/?area={w.Z1.pk}", sign_in)
    expect(page.locator("[data-testid=kpi-paid]")).to_contain_text(
        "18.00"
    )  # 180,000 yuan in the screen's unit, ten thousand yuan
    expect(page.locator("[data-testid=chart-departments] canvas")).to_have_count(1)
    shot("policy-money-1440-en")
    page.set_viewport_size({"width": 390, "height": 844})
    shot("policy-money-390-en")
    page.set_viewport_size({"width": 1440, "height": 900})
    page.click("[data-testid=lang-zh-hans]")
    page.goto(f"{live_server.url}{url}")
    expect(page.locator("[data-testid=application-status]")).to_have_text("已拨付")
    shot("policy-application-1440-zh")
    page.goto(f"{live_server.url}/policies/money/?area={w.Z1.pk}")
    shot("policy-money-1440-zh")
    page.goto(f"{live_server.url}/policies/applications/?item={w.PI1.pk}")
    shot("policy-applications-1440-zh")
    page.set_viewport_size({"width": 390, "height": 844})
    shot("policy-applications-390-zh")
    page.goto(f"{live_server.url}/policies/review/")
    shot("policy-review-queue-390-zh")
