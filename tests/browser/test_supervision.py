"""Key-project supervision in a real browser: enter a month's completed investment in the plan table
and see the status change on the summary dashboard."""

import io
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from zoneos.supervision import services

pytestmark = pytest.mark.browser


def test_enter_a_month_and_see_the_status_change(live_world, live_server, page, sign_in, shot):
    w = live_world
    project = services.create_key_project(
        by=w.root, year=2025, name="激光装备产业园", area=w.P2, kind="continuing", annual_plan=Decimal(1200)
    )
    sign_in("supervisor")
    page.click("[data-testid=lang-en]")
    page.goto(f"{live_server.url}/supervision/?area={w.P2.pk}&month=2025-03")
    # Nothing reported by March: 0 % against a time progress of 25 %.
    expect(page.locator("[data-testid=kpi-time]")).to_have_text("25.0%")
    expect(page.locator("[data-testid=status]")).to_have_text("Yellow warning")

    page.goto(f"{live_server.url}/supervision/plan/?month=2025-03")
    page.fill(f"[data-testid=entry-{project.pk}]", "300元")  # the screen is in 亿元
    page.click(f"[data-testid=save-{project.pk}]")
    expect(page.locator(f"[data-testid=row-status-{project.pk}]")).to_have_text("25.0%")
    shot("supervision-plan")
    page.goto(f"{live_server.url}/supervision/?area={w.P2.pk}&month=2025-03")
    expect(page.locator("[data-testid=kpi-rate]")).to_have_text("25.0%")
    expect(page.locator("[data-testid=status]")).to_have_text("Ahead of time progress")
    expect(page.locator("[data-testid=headline]")).to_contain_text("ahead of time progress by 0.0 points")
    # A park has no sub-areas: no (empty) chart card; its zone draws its parks.
    expect(page.locator("[data-testid=chart-children]")).to_have_count(0)
    shot("supervision-summary")
    # The month's briefing as PDF, with the figures the dashboard shows.
    with page.expect_download() as info:
        page.click("[data-testid=briefing-pdf]")
    download = info.value
    assert download.suggested_filename == "briefing-P2-2025-03.pdf"
    with open(download.path(), "rb") as handle:
        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(handle.read())).pages)
    assert "25.0%" in text and "ahead of time progress by 0.0 points" in " ".join(text.split())

    # A locked month refuses the entry inline and keeps the figure.
    services.lock_month(by=w.root, area=w.Z1, month="2025-04")
    page.goto(f"{live_server.url}/supervision/plan/?month=2025-04")
    expect(page.locator(f"[data-testid=entry-{project.pk}]")).to_have_count(0)


def test_rank_the_parks_and_follow_an_order(live_world, live_server, page, sign_in, shot):
    from zoneos.workdays.calendar import add_working_days

    w = live_world
    for index, park in enumerate((w.P1, w.P1, w.P1, w.P2)):
        project = services.create_key_project(
            by=w.root,
            year=2025,
            name=f"评价项目{index}",
            area=park,
            kind="continuing",
            annual_plan=Decimal(1200),
        )
        services.submit_report(project, by=w.root, month="2025-03", completed=Decimal(300 + 100 * index))
    sign_in("supervisor")
    page.click("[data-testid=lang-en]")
    page.goto(f"{live_server.url}/supervision/ranking/?area={w.Z1.pk}&month=2025-03")
    # P2 holds one key project: listed, scored, but not comparable and not ranked.
    expect(page.locator(f"[data-testid=rank-{w.P1.pk}]")).to_have_text("1")
    expect(page.locator(f"[data-testid=not-comparable-{w.P2.pk}]")).to_be_visible()
    expect(page.locator("[data-testid=chart-scores] canvas")).to_have_count(1)
    page.fill("[data-testid=weight_completion]", "70")
    page.click("[data-testid=save-scheme]")
    expect(page.locator(".invalid-feedback").first).to_contain_text("must add up to 100")
    page.fill("[data-testid=weight_completion]", "100")
    for name in ("weight_start", "weight_funds", "weight_signing"):
        page.fill(f"[data-testid={name}]", "0")
    page.fill("[data-testid=min_projects]", "1")
    page.click("[data-testid=save-scheme]")
    expect(page.locator(f"[data-testid=rank-{w.P2.pk}]")).to_have_text("1")
    shot("supervision-ranking")

    # An order about the world's P1 project, due in three working days, answered by the park.
    page.goto(f"{live_server.url}/supervision/projects/{w.KP1.pk}/")
    page.click("[data-testid=new-order]")
    page.fill("[data-testid=order-subject]", "Speed up the main structure")
    page.fill("[data-testid=order-days]", "3")
    shot("supervision-order-form")
    page.click("[data-testid=issue-order]")
    due = add_working_days(timezone.localdate(), 3)
    expect(page.locator("[data-testid=order-due]")).to_have_text(due.isoformat())
    expect(page.locator("[data-testid=order-status]")).to_have_text("Open")
    order_url = page.url
    page.context.clear_cookies()  # sign out
    sign_in("park_staff")
    page.click("[data-testid=lang-en]")
    page.goto(order_url)
    page.fill("[data-testid=order-text]", "Two more crews on site from Monday.")
    page.click("[data-testid=answer-order]")
    expect(page.locator("[data-testid=order-status]")).to_have_text("Answered")
    expect(page.locator("[data-testid=order-steps] li")).to_have_count(2)
    shot("supervision-order")
    page.goto(f"{live_server.url}/supervision/orders/")
    expect(page.locator("[data-testid=orders]")).to_contain_text("Speed up the main structure")
    shot("supervision-orders")
