"""Future industries in a real browser: an investment officer opens the industries, goes to the zone's
"Ten Ones" board, proves the roadmap with a document (a document without a file is refused), and
sees the cards turn green and the readiness rise; then a scenario's enterprises that fit are confirmed
and it is marked matched; the board and the scenario on a phone (390 px) in Chinese, no wider."""

import pytest
from playwright.sync_api import expect

from zoneos.future.models import Proof

pytestmark = pytest.mark.browser


def fits(page, width=390):
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


def test_an_officer_proves_board_items_and_matches_a_scenario(
    live_world, live_server, page, sign_in, shot, tmp_path
):
    w = live_world
    sign_in("investment_officer")
    page.click("[data-testid=lang-en]")
    page.goto(f"{live_server.url}/future/")
    expect(page.locator(f"[data-testid=board-{w.FB1.pk}] [data-testid=readiness]")).to_have_text("2/10")
    page.click(f"[data-testid=board-{w.FB1.pk}] a")
    expect(page.locator("[data-testid=item-roadmap]")).to_have_attribute("data-state", "missing")
    expect(page.locator("[data-testid=missing-roadmap]")).to_be_visible()

    roadmap = tmp_path / "roadmap.pdf"
    roadmap.write_bytes(b"%PDF-1.4 roadmap")
    page.click("[data-testid=add-proof-roadmap] summary")
    form = page.locator("[data-testid=proof-form-roadmap-document]")
    form.locator("input[name=title]").fill("未来产业技术路线图")
    form.locator("input[name=document]").set_input_files(str(roadmap))
    form.locator("button[type=submit]").click()
    expect(page.locator("[data-testid=item-roadmap]")).to_have_attribute("data-state", "proved")
    expect(page.locator("[data-testid=missing-roadmap]")).to_have_count(0)
    expect(page.locator("[data-testid=readiness-card] [data-testid=readiness]")).to_contain_text("3")

    page.click("[data-testid=add-proof-working_group] summary")
    form = page.locator("[data-testid=proof-form-working_group-document]")
    form.locator("button[type=submit]").click()  # no file, no title
    expect(page.locator(".zo-messages")).to_contain_text("Choose a file")
    shot("future-board-1440-en")

    page.goto(f"{live_server.url}/future/scenarios/{w.SC1.pk}/")
    page.click("[data-testid=step-start-matching]")
    page.check(f"[data-testid=suggest-{w.E1.pk}]")
    page.click("[data-testid=confirm-matches]")
    expect(page.locator(f"[data-testid=match-{w.E1.pk}]")).to_contain_text("「科技」")
    page.click("[data-testid=step-match]")
    expect(page.locator("[data-testid=scenario-status]")).to_have_text("Matched")
    shot("future-scenario-1440-en")

    page.set_viewport_size({"width": 390, "height": 844})
    if page.locator("[data-testid=lang-zh-hans]").is_visible():
        page.click("[data-testid=lang-zh-hans]")
    for path in (
        "/future/",
        f"/future/boards/{w.FB1.pk}/",
        "/future/scenarios/",
        f"/future/scenarios/{w.SC1.pk}/",
    ):
        page.goto(f"{live_server.url}{path}")
        fits(page)
    page.goto(f"{live_server.url}/future/boards/{w.FB1.pk}/")
    expect(page.locator("[data-testid=item-roadmap]")).to_contain_text("一张技术路线图")
    shot("future-board-390-zh")
    assert Proof.objects.filter(board=w.FB1, item="roadmap").count() == 1
