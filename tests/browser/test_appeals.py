"""The service desk in a real browser: an enterprise submits an appeal, the department's handler signs
for it and replies, the enterprise rates the reply, and the service dashboard counts it."""

import re

import pytest
from playwright.sync_api import expect

from zoneos.appeals.models import Appeal, RoutingRule

pytestmark = pytest.mark.browser


def sign_in_english(page, sign_in, username):
    page.context.clear_cookies()  # sign out whoever was in
    sign_in(username)
    page.click("[data-testid=lang-en]")


def test_an_appeal_from_submission_to_a_satisfied_rating(live_world, live_server, page, sign_in, shot):
    w = live_world
    # Utilities appeals of park P1 go to the handler's department.
    RoutingRule.objects.create(area=w.P1, category="utilities", department=w.D1)
    dashboard = f"{live_server.url}/appeals/dashboard/?area={w.Z1.pk}"

    sign_in_english(page, sign_in, "admin")
    page.goto(dashboard)
    expect(page.locator("[data-testid=kpi-total]")).to_have_text("1")
    expect(page.locator("[data-testid=kpi-satisfaction]")).to_have_text("—")
    expect(page.locator("[data-testid=kpi-rated]")).to_have_text("0 of 0 ratings")

    # The enterprise submits its appeal online.
    sign_in_english(page, sign_in, "enterprise")
    page.goto(f"{live_server.url}/appeals/")
    page.click("[data-testid=new-appeal]")
    page.click("[data-testid=submit-appeal]")
    expect(page.locator("[data-testid=error-category]")).to_have_text("Choose a category.")
    page.select_option("#id_category", "utilities")
    page.fill("#id_title", "Power capacity for the new line")
    page.fill("#id_description", "The second production line needs 2,000 kVA more from March.")
    shot("appeals-submit")
    page.click("[data-testid=submit-appeal]")
    expect(page.locator("[data-testid=appeal-status]")).to_have_text("Assigned")
    expect(page.locator("[data-testid=appeal-department]")).to_contain_text(w.D1.display_name("en"))
    appeal = Appeal.objects.get(title="Power capacity for the new line")
    url = f"{live_server.url}/appeals/{appeal.pk}/"
    assert page.url == url

    # The department's handler finds it in the queue, signs for it and replies.
    sign_in_english(page, sign_in, "handler")
    page.goto(f"{live_server.url}/appeals/")
    expect(page.locator(f"[data-testid=appeal-{appeal.pk}]")).to_contain_text(
        "Power capacity for the new line"
    )
    expect(page.locator("[data-testid=appeal-table] tbody tr")).to_have_count(2)  # with the world's AP1
    page.fill("[data-testid=appeal-search]", "Power")  # htmx narrows the table as one types
    expect(page.locator("[data-testid=appeal-table] tbody tr")).to_have_count(1)
    assert "q=Power" in page.url
    shot("appeals-queue")
    page.click(f"[data-testid=appeal-{appeal.pk}] a")
    expect(page.locator("[data-testid=clock]")).to_contain_text("left to")
    page.click("[data-testid=do-sign_for]")
    expect(page.locator("[data-testid=appeal-status]")).to_have_text("Signed for")
    page.click("[data-testid=tab-reply]")
    page.click("[data-testid=do-reply]")
    expect(page.locator("[data-testid=error-reply-reply]")).to_have_text("Write the reply to the enterprise.")
    page.click("[data-testid=tab-reply]")
    page.fill("#id_reply-reply", "The supply bureau adds a 2,500 kVA transformer on 10 March.")
    page.click("[data-testid=do-reply]")
    expect(page.locator("[data-testid=appeal-status]")).to_have_text("Replied")
    expect(page.locator("[data-testid=clock]")).to_have_text(re.compile("Replied on time"))

    # The enterprise confirms the reply and rates it.
    sign_in_english(page, sign_in, "enterprise")
    page.goto(url)
    expect(page.locator("[data-testid=appeal-reply]")).to_contain_text("2,500 kVA transformer")
    page.get_by_text("Satisfied", exact=True).click()
    page.fill("#id_evaluate-comment", "Thank you.")
    shot("appeals-detail")
    page.click("[data-testid=do-evaluate]")
    expect(page.locator("[data-testid=appeal-status]")).to_have_text("Evaluated")
    expect(page.locator("[data-testid=appeal-rating]")).to_contain_text("Satisfied")
    expect(page.locator("[data-testid=timeline] li")).to_have_count(
        5
    )  # submitted, assigned, signed, replied, rated

    # The dashboard counts the reply and the rating.
    sign_in_english(page, sign_in, "admin")
    page.goto(dashboard)
    expect(page.locator("[data-testid=kpi-total]")).to_have_text("2")
    # Replied on time, beside the world's AP1 still open long past its reply deadline: late, so 1 of 2.
    expect(page.locator("[data-testid=kpi-on-time]")).to_have_text("50.0%")
    expect(page.locator("[data-testid=kpi-satisfaction]")).to_have_text("100.0%")
    expect(page.locator("[data-testid=kpi-rated]")).to_have_text("1 of 1 ratings")
    expect(page.locator("[data-testid=chart-categories] canvas")).to_have_count(1)
    shot("appeals-dashboard")
