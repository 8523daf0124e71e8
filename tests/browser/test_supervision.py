"""Key-project supervision in a real browser: enter a month's completed investment in the plan table
and see the status change on the summary dashboard."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

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
    page.fill(f"[data-testid=entry-{project.pk}]", "300")
    page.click(f"[data-testid=save-{project.pk}]")
    expect(page.locator(f"[data-testid=row-status-{project.pk}]")).to_have_text("25.0%")
    shot("supervision-plan")
    page.goto(f"{live_server.url}/supervision/?area={w.P2.pk}&month=2025-03")
    expect(page.locator("[data-testid=kpi-rate]")).to_have_text("25.0%")
    expect(page.locator("[data-testid=status]")).to_have_text("Ahead of time progress")
    expect(page.locator("[data-testid=headline]")).to_contain_text("ahead of time progress by 0.0 points")
    expect(page.locator("[data-testid=chart-children] canvas")).to_have_count(1)
    shot("supervision-summary")

    # A locked month refuses the entry inline and keeps the figure.
    services.lock_month(by=w.root, area=w.Z1, month="2025-04")
    page.goto(f"{live_server.url}/supervision/plan/?month=2025-04")
    expect(page.locator(f"[data-testid=entry-{project.pk}]")).to_have_count(0)
