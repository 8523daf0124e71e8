"""An officer builds a rule in the editor with forms, tries it on an enterprise and publishes it; the
enterprise then sees the item in its policy calculator with what it lacks, in numbers."""

import datetime
from decimal import Decimal

import pytest

from zoneos.enterprises.models import Indicator
from zoneos.policies import metrics, services

pytestmark = pytest.mark.browser


def test_an_officer_publishes_a_rule_and_the_enterprise_sees_what_it_lacks(
    live_world, page, live_server, sign_in
):
    w = live_world
    Indicator.objects.update_or_create(
        enterprise=w.E1,
        year=datetime.date.today().year - 1,
        defaults={"revenue": Decimal("1000"), "main_business_revenue": Decimal("800")},
    )
    metrics.refresh(enterprise_ids=[w.E1.pk])
    policy = services.create_policy(by=w.root, area=w.Z1, title="主业奖励政策", category="award")
    item = services.create_item(
        by=w.root, policy=policy, code="main-share", name="主业突出奖励", mode="quick"
    )

    sign_in("admin")
    page.goto(f"{live_server.url}/policies/items/{item.pk}/")
    page.get_by_test_id("new-rule").click()
    page.fill("#effective_from", "2020-01-01")
    page.get_by_test_id("add-condition").click()
    page.get_by_test_id("leaf-id").fill("main_share")
    page.get_by_test_id("leaf-label").fill("主营业务收入占比不低于90%")
    page.get_by_test_id("leaf-var").select_option("main_business_share")
    page.get_by_test_id("leaf-op").select_option(">=")
    page.get_by_test_id("leaf-value").fill("0.9")
    page.get_by_test_id("benefit-kind").select_option("fixed")
    page.get_by_test_id("benefit-amount").fill("200000")
    page.get_by_test_id("try-enterprise").select_option(str(w.E1.pk))
    page.get_by_test_id("try").click()
    trace = page.get_by_test_id("trace")
    trace.wait_for()
    assert "0.8000" in trace.inner_text() and "0.9000" in trace.inner_text()
    page.get_by_test_id("publish").click()
    page.wait_for_url("**/policies/rules/*/")
    rule = item.rules.get()
    assert (rule.status, rule.published_by, rule.criteria["all"][0]["value"]) == ("published", w.admin, "0.9")

    page.context.clear_cookies()
    sign_in("enterprise")
    page.goto(f"{live_server.url}/policies/calculator/")
    row = page.get_by_test_id("calc-item-main-share")
    row.wait_for()
    text = row.inner_text()
    assert "0.8000" in text and "0.9000" in text
