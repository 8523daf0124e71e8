"""Research projects in a real browser: a park's staff open a running project's dashboard from the list,
record an expenditure that takes a category over its budget and see the warning, try a budget move the
programme forbids (refused, naming the category); on a project in evaluation they score three experts,
one declares a conflict and cannot score, and the result drops the highest and the lowest; then the same
pages on a phone (390 px) in Chinese, no page wider than the phone."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def fits(page, width=390):
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


def test_park_staff_follow_spending_and_evaluation_on_the_project_page(
    live_world, live_server, page, sign_in, shot
):
    w = live_world
    sign_in("park_staff")
    page.click("[data-testid=lang-en]")
    page.goto(f"{live_server.url}/research/")
    expect(page.locator("[data-testid=project-RP2]")).to_have_count(0)  # P3's project
    page.click("[data-testid=project-RP1] a")
    expect(page.locator("[data-testid=kpi-budget]")).to_contain_text("100.00")
    expect(page.locator("[data-testid=warning-over-labour]")).to_have_count(0)

    # 25万元 of labour on top of 1万元: labour (20万元) is over budget.
    form = page.locator("[data-testid=expenditure-form]")
    form.locator("#id_category").select_option("labour")
    form.locator("#id_amount").fill("25")
    form.locator("#id_spent_on").fill("2025-09-01")
    form.locator("#id_description").fill("博士后劳务费")
    form.locator("#id_voucher_no").fill("PZ-2025-09-01")
    form.locator("[data-testid=record-expenditure]").click()
    expect(page.locator("[data-testid=expenditure-PZ-2025-09-01]")).to_be_visible()
    expect(page.locator("[data-testid=warning-over-labour]")).to_contain_text("Labour is over budget")
    expect(page.locator("[data-testid=line-labour]")).to_contain_text("over budget")
    shot("research-project-1440-en")

    # A move into equipment, which the programme says may not rise, is refused naming it.
    adjust = page.locator("[data-testid=adjustment-form]")
    adjust.locator("#id_from_category").select_option("materials")
    adjust.locator("#id_to_category").select_option("equipment")
    adjust.locator("#id_amount").fill("1")
    adjust.locator("#id_reason").fill("补充设备")
    adjust.locator("[data-testid=adjust]").click()
    refusal = page.locator(".zo-messages .alert-danger")
    expect(refusal).to_contain_text("may not rise")
    expect(refusal).to_contain_text("(equipment)")

    # The project in evaluation: three experts score, one more declares a conflict.
    page.goto(f"{live_server.url}/research/{w.RP4.pk}/")
    for name in ("甲专家", "乙专家"):
        page.fill("#id_name", name)
        page.click("[data-testid=assign-reviewer]")
    reviewers = list(w.RP4.reviewers.order_by("pk"))  # RV1, RV3, 甲, 乙
    for reviewer, top in zip((reviewers[0], reviewers[2], reviewers[3]), ("30", "20", "10"), strict=True):
        page.click(f"[data-testid=score-{reviewer.pk}]")
        scores = page.locator(f"[data-testid=score-form-{reviewer.pk}]")
        scores.locator("input[name=innovation]").fill(top)
        for code in ("feasibility", "team", "budget", "impact"):
            scores.locator(f"input[name={code}]").fill("0")
        scores.locator(f"[data-testid=save-score-{reviewer.pk}]").click()
    page.click(f"[data-testid=score-{reviewers[1].pk}]")
    page.fill(f"[data-testid=conflict-note-{reviewers[1].pk}]", "与承担单位有合作")
    page.click(f"[data-testid=declare-{reviewers[1].pk}]")
    expect(page.locator(f"[data-testid=conflict-{reviewers[1].pk}]")).to_be_visible()
    expect(page.locator(f"[data-testid=score-{reviewers[1].pk}]")).to_have_count(0)  # no score form left
    expect(page.locator("[data-testid=evaluation-result]")).to_have_text("20.00")
    expect(page.locator(f"[data-testid=dropped-{reviewers[0].pk}]")).to_contain_text("highest")
    expect(page.locator(f"[data-testid=dropped-{reviewers[3].pk}]")).to_contain_text("lowest")
    shot("research-evaluation-1440-en")

    page.set_viewport_size({"width": 390, "height": 844})
    page.click("[data-testid=lang-zh-hans]") if page.locator(
        "[data-testid=lang-zh-hans]"
    ).is_visible() else None
    for path in ("/research/", f"/research/{w.RP1.pk}/", f"/research/{w.RP4.pk}/"):
        page.goto(f"{live_server.url}{path}")
        fits(page)
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    shot("research-evaluation-390-zh")
