"""The rule editor's benefit with forms: an amount by the bracket of a figure and a sum of parts are
built, tried and published without typing JSON, and an existing rule's benefit loads back into the
forms unchanged."""

import datetime
import json
from decimal import Decimal

import pytest

from zoneos.enterprises.models import Indicator
from zoneos.policies import metrics, services

from .test_policies import new_item, start_rule

pytestmark = pytest.mark.browser

# The demo's growth award (demo.py, fs-growth): 200,000 / 500,000 / 1,000,000 yuan by revenue.
DEMO_BRACKETS = {
    "brackets": {
        "by": "revenue",
        "brackets": [
            {"upto": "100000000", "amount": {"fixed": "200000"}},
            {"upto": "500000000", "amount": {"fixed": "500000"}},
            {"amount": {"fixed": "1000000"}},
        ],
    }
}
BUILT = {
    "sum": [
        {
            "brackets": {
                "by": "revenue",
                "brackets": [
                    {"upto": "50000000", "amount": {"fixed": "100000"}},
                    {"upto": "200000000", "amount": {"fixed": "300000"}},
                    {"amount": {"rate": "0.005", "var": "revenue"}},
                ],
            }
        },
        {"min": [{"rate": "0.1", "var": "rd_expense"}, {"fixed": "200000"}]},
    ]
}


def english(page, live_server, language="en"):
    page.context.add_cookies([{"name": "zoneos_language", "value": language, "url": live_server.url}])


def test_an_officer_builds_a_benefit_by_bracket_and_a_sum(live_world, page, live_server, sign_in):
    """A sum of two parts: 100,000 / 300,000 yuan / 0.5 % of revenue by the revenue's bracket, plus
    10 % of R&D expense capped at 200,000 yuan. E1 (80 million revenue, 3 million R&D) falls in the
    middle bracket: 300,000 + 200,000 = 500,000 yuan."""
    w = live_world
    Indicator.objects.update_or_create(
        enterprise=w.E1,
        year=datetime.date.today().year - 1,
        defaults={"revenue": Decimal("80000000"), "rd_expense": Decimal("3000000")},
    )
    metrics.refresh(enterprise_ids=[w.E1.pk])
    item = new_item(w, "growth-award", "增长奖励", "增长奖励政策")

    sign_in("admin")
    english(page, live_server)
    start_rule(page, live_server, item, "revenue", "revenue")
    page.get_by_test_id("leaf-value").fill("1")
    page.get_by_test_id("benefit-kind").select_option("sum")
    parts = page.get_by_test_id("benefit-part")
    parts.nth(0).get_by_test_id("benefit-kind").select_option("brackets")
    page.get_by_test_id("benefit-by").select_option("revenue")
    page.get_by_test_id("benefit-add-bracket").click()
    brackets = page.get_by_test_id("benefit-bracket")
    assert brackets.count() == 3
    uptos = page.get_by_test_id("benefit-upto")
    # Bounds that do not rise are refused, naming the bracket.
    uptos.nth(0).fill("200000000")
    uptos.nth(1).fill("50000000")
    brackets.nth(0).get_by_test_id("benefit-amount").fill("100000")
    brackets.nth(1).get_by_test_id("benefit-amount").fill("300000")
    brackets.nth(2).get_by_test_id("benefit-kind").select_option("rate")
    brackets.nth(2).get_by_test_id("benefit-rate").fill("0.005")
    brackets.nth(2).get_by_test_id("benefit-var").select_option("revenue")
    second = parts.nth(1)
    second.get_by_test_id("benefit-kind").select_option("rate")
    second.get_by_test_id("benefit-rate").fill("0.1")
    second.get_by_test_id("benefit-var").select_option("rd_expense")
    second.get_by_test_id("benefit-cap").fill("200000")
    page.get_by_test_id("publish").click()
    errors = page.get_by_test_id("rule-errors")
    errors.wait_for()
    assert "$.sum[0].brackets[1]: Upper bounds must rise" in errors.inner_text()
    assert not item.rules.exists()

    # The refused draft comes back in the forms; the bounds are put right.
    uptos = page.get_by_test_id("benefit-upto")
    assert uptos.nth(0).input_value() == "200000000"
    uptos.nth(0).fill("50000000")
    uptos.nth(1).fill("200000000")
    page.get_by_test_id("try-enterprise").select_option(str(w.E1.pk))
    page.get_by_test_id("try").click()
    trace = page.get_by_test_id("trace")
    trace.wait_for()
    assert "Estimate 50.00 ten thousand yuan" in trace.inner_text()
    page.get_by_test_id("publish").click()
    page.wait_for_url("**/policies/rules/*/")
    rule = item.rules.get()
    assert rule.status == "published"
    assert rule.benefit == BUILT


def test_an_existing_benefit_opens_in_the_forms(live_world, page, live_server, sign_in):
    """The demo's growth award opens with its three brackets in the forms, and a capped rate with its
    cap; what the forms write back is the stored benefit, unchanged."""
    w = live_world
    item = new_item(w, "fs-growth", "规上工业企业增长奖励", "增长奖励政策")
    capped = {"min": [{"rate": "2000", "var": "rd_staff"}, {"fixed": "500000"}]}
    rules = [
        services.create_rule(
            by=w.root,
            item=item,
            effective_from=datetime.date(2020 + n, 1, 1),
            effective_to=datetime.date(2020 + n, 12, 31),
            criteria={
                "all": [
                    {"id": "big", "label": "规上", "var": "above_designated_size", "op": "==", "value": True}
                ]
            },
            benefit=benefit,
        )
        for n, benefit in enumerate((DEMO_BRACKETS, capped, BUILT))
    ]

    sign_in("admin")
    english(page, live_server)
    page.goto(f"{live_server.url}/policies/rules/{rules[0].pk}/")
    page.get_by_test_id("benefit-bracket").first.wait_for()
    assert page.get_by_test_id("benefit-kind").first.input_value() == "brackets"
    assert page.get_by_test_id("benefit-by").input_value() == "revenue"
    uptos = page.get_by_test_id("benefit-upto")
    assert [uptos.nth(i).input_value() for i in range(uptos.count())] == ["100000000", "500000000"]
    amounts = page.get_by_test_id("benefit-amount")
    assert [amounts.nth(i).input_value() for i in range(amounts.count())] == ["200000", "500000", "1000000"]
    assert "Above the last bound" in page.get_by_test_id("benefit-bracket").nth(2).inner_text()
    assert json.loads(page.input_value("#benefit-json")) == DEMO_BRACKETS

    page.goto(f"{live_server.url}/policies/rules/{rules[1].pk}/")
    page.get_by_test_id("benefit-cap").wait_for()
    assert page.get_by_test_id("benefit-kind").input_value() == "rate"
    assert page.get_by_test_id("benefit-rate").input_value() == "2000"
    assert page.get_by_test_id("benefit-var").input_value() == "rd_staff"
    assert page.get_by_test_id("benefit-cap").input_value() == "500000"
    assert json.loads(page.input_value("#benefit-json")) == capped

    page.goto(f"{live_server.url}/policies/rules/{rules[2].pk}/")
    page.get_by_test_id("benefit-part").first.wait_for()
    assert page.get_by_test_id("benefit-part").count() == 2
    assert page.get_by_test_id("benefit-bracket").count() == 3
    assert json.loads(page.input_value("#benefit-json")) == BUILT


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_benefit_forms_fit_a_desktop_and_a_phone(live_world, page, live_server, sign_in, shot, language):
    w = live_world
    item = new_item(w, "fs-growth", "规上工业企业增长奖励", "增长奖励政策")
    rule = services.create_rule(
        by=w.root,
        item=item,
        effective_from=datetime.date(2020, 1, 1),
        criteria={
            "all": [{"id": "big", "label": "规上", "var": "above_designated_size", "op": "==", "value": True}]
        },
        benefit=BUILT,
    )
    sign_in("admin")
    english(page, live_server, language)
    for width, height in ((1440, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"{live_server.url}/policies/rules/{rule.pk}/")
        page.get_by_test_id("benefit-part").first.wait_for()
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, (width, overflow)
        page.get_by_test_id("benefit-editor").scroll_into_view_if_needed()
        shot(f"policies-benefit-{language}-{width}")
