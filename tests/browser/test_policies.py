"""An officer builds a rule in the editor with forms, tries it on an enterprise and publishes it; the
enterprise then sees the item in its policy calculator with what it lacks, in numbers."""

import datetime
from decimal import Decimal

import pytest

from zoneos.enterprises.models import Indicator
from zoneos.policies import metrics, services

pytestmark = pytest.mark.browser


def new_item(w, code: str, name: str, title: str):
    policy = services.create_policy(by=w.root, area=w.Z1, title=title, category="award")
    return services.create_item(by=w.root, policy=policy, code=code, name=name, mode="quick")


def last_year_figures(w, figures: dict) -> None:
    """E1's figures of last year, with the metrics that matching reads."""
    Indicator.objects.update_or_create(enterprise=w.E1, year=datetime.date.today().year - 1, defaults=figures)
    metrics.refresh(enterprise_ids=[w.E1.pk])


def start_rule(page, live_server, item, leaf_id: str, var: str) -> None:
    """The admin opens a new draft for `item` from 2020 and adds one condition on `var`."""
    page.goto(f"{live_server.url}/policies/items/{item.pk}/")
    page.get_by_test_id("new-rule").click()
    page.fill("#effective_from", "2020-01-01")
    page.get_by_test_id("add-condition").click()
    page.get_by_test_id("leaf-id").fill(leaf_id)
    page.get_by_test_id("leaf-var").select_option(var)


def test_an_officer_publishes_a_rule_and_the_enterprise_sees_what_it_lacks(
    live_world, page, live_server, sign_in
):
    w = live_world
    last_year_figures(w, {"revenue": Decimal("1000"), "main_business_revenue": Decimal("800")})
    item = new_item(w, "main-share", "主业突出奖励", "主业奖励政策")

    sign_in("admin")
    start_rule(page, live_server, item, "main_share", "main_business_share")
    page.get_by_test_id("leaf-label").fill("主营业务收入占比不低于90%")
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


def test_an_officer_sets_a_threshold_by_bracket_in_the_editor(live_world, page, live_server, sign_in):
    """The 5 / 4 / 3 % R&D tiers by revenue, built with forms: the trace shows the bracket that applies
    to the enterprise's revenue, and the published version holds the three brackets in order."""
    w = live_world
    year = datetime.date.today().year - 1
    for back in range(3):
        Indicator.objects.update_or_create(
            enterprise=w.E1,
            year=year - back,
            defaults={"revenue": Decimal("80000000"), "rd_expense": Decimal("3600000")},
        )
    metrics.refresh(enterprise_ids=[w.E1.pk])
    item = new_item(w, "rd-tiers", "研发投入分档奖励", "研发投入奖励")

    sign_in("admin")
    start_rule(page, live_server, item, "rd_ratio", "rd_ratio_3y")
    page.get_by_test_id("leaf-threshold-kind").select_option("scale")
    page.get_by_test_id("scale-by").select_option("revenue")
    page.get_by_test_id("add-bracket").click()
    uptos, values = page.get_by_test_id("bracket-upto"), page.get_by_test_id("bracket-value")
    uptos.nth(0).fill("50000000")
    values.nth(0).fill("0.05")
    uptos.nth(1).fill("200000000")
    values.nth(1).fill("0.04")
    values.nth(2).fill("0.03")
    page.get_by_test_id("try-enterprise").select_option(str(w.E1.pk))
    page.get_by_test_id("try").click()
    trace = page.get_by_test_id("trace")
    trace.wait_for()
    # 80 million falls in the middle bracket: 4 % required, 4.5 % held.
    assert "0.0450" in trace.inner_text() and "0.0400" in trace.inner_text()
    page.get_by_test_id("publish").click()
    page.wait_for_url("**/policies/rules/*/")
    leaf = item.rules.get().criteria["all"][0]
    assert leaf["scale"] == {
        "by": "revenue",
        "brackets": [
            {"upto": "50000000", "value": "0.05"},
            {"upto": "200000000", "value": "0.04"},
            {"value": "0.03"},
        ],
    }
    assert "value" not in leaf


def test_an_officer_sets_minimums_per_group_of_a_score(live_world, page, live_server, sign_in):
    """A score whose parts fall in groups with their own minimums (创新能力 at least 10), built with
    forms: the group is named and given its minimum, a part is put in it, and the total alone no
    longer carries the enterprise through; the published version holds the groups and the parts'."""
    w = live_world
    last_year_figures(w, {"revenue": Decimal("80000000"), "rd_expense": Decimal("100000")})
    item = new_item(w, "sme-score", "创新型中小企业评价", "中小企业梯度培育")

    sign_in("admin")
    start_rule(page, live_server, item, "scale", "revenue")
    page.get_by_test_id("node-kind").first.select_option("score")  # the root becomes a score, empty
    page.get_by_test_id("score-min").fill("10")
    page.get_by_test_id("add-condition").click()
    page.get_by_test_id("add-condition").click()
    ids, variables, values = (page.get_by_test_id(t) for t in ("leaf-id", "leaf-var", "leaf-value"))
    ids.nth(0).fill("scale")
    variables.nth(0).select_option("revenue")
    values.nth(0).fill("1000")
    ids.nth(1).fill("rd")
    variables.nth(1).select_option("rd_expense")
    values.nth(1).fill("1000000")
    page.get_by_test_id("add-score-group").click()
    page.get_by_test_id("group-name").fill("创新能力")
    page.get_by_test_id("group-name").press("Tab")  # renamed when the field is left
    page.get_by_test_id("group-min").fill("10")
    page.get_by_test_id("part-group").nth(1).select_option("创新能力")
    page.get_by_test_id("try-enterprise").select_option(str(w.E1.pk))
    page.get_by_test_id("try").click()
    trace = page.get_by_test_id("trace")
    trace.wait_for()
    # 10 points in all (the revenue), but none in 创新能力: not eligible.
    assert trace.locator(".text-bg-danger").first.is_visible()
    page.get_by_test_id("publish").click()
    page.wait_for_url("**/policies/rules/*/")
    score = item.rules.get().criteria
    assert score["groups"] == {"创新能力": "10"}
    assert [part.get("group") for part in score["score"]] == [None, "创新能力"]
