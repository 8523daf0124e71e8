"""The pipeline in a real browser: create a lead, drag it along the board to signed, see it in the
funnel; a forbidden drop is refused with the reason and changes nothing."""

import pytest
from playwright.sync_api import expect

from zoneos.pipeline.models import Project

pytestmark = pytest.mark.browser


def test_create_a_lead_move_it_to_signed_and_see_it_in_the_funnel(
    live_world, live_server, page, sign_in, shot
):
    w = live_world
    sign_in("investment_officer")
    page.click("[data-testid=lang-en]")
    page.click("a.zo-nav-link[href='/projects/board/']")
    page.click("[data-testid=new-project]")
    page.fill("#id_name", "激光装备产业园项目")
    page.fill("#id_investor_name", "大族激光科技产业集团股份有限公司")
    page.select_option("#id_area", str(w.P1.pk))
    page.fill("#id_industry_code", "3976")
    page.fill("#id_total_investment", "1320000000")
    page.click("[data-testid=save]")
    expect(page.locator("[data-testid=stage]")).to_have_text("Lead")
    expect(page.locator("[data-testid=conformity]")).to_contain_text("电子信息")
    project = Project.objects.get(name="激光装备产业园项目")

    page.goto(f"{live_server.url}/projects/board/")
    card = page.locator(f"[data-testid=card-{project.pk}]")
    expect(page.locator("[data-testid=column-lead]")).to_contain_text("激光装备产业园项目")
    # A lead cannot jump to registration: the board says why and nothing moves.
    card.drag_to(page.locator("[data-testid=column-registered]"))
    expect(page.locator("[data-testid=board-message]")).to_contain_text("cannot move")
    project.refresh_from_db()
    assert project.stage == "lead"

    card.drag_to(page.locator("[data-testid=column-negotiating]"))
    expect(page.locator(".alert-success")).to_contain_text("is now Negotiating")
    expect(page.locator("[data-testid=column-negotiating]")).to_contain_text("激光装备产业园项目")
    page.locator(f"[data-testid=card-{project.pk}]").drag_to(page.locator("[data-testid=column-signed]"))
    expect(page.locator("[data-testid=column-signed]")).to_contain_text("激光装备产业园项目")
    shot("pipeline-board")
    project.refresh_from_db()
    assert project.stage == "signed"
    assert [e.to_category for e in project.events.order_by("on", "pk")] == ["lead", "negotiating", "signed"]

    page.click("a.zo-nav-link[href='/projects/funnel/']")
    expect(page.locator("[data-testid=now-signed]")).to_have_text("1")
    expect(page.locator("[data-testid=chart-funnel] canvas")).to_have_count(1)
    expect(page.locator("[data-testid=kpi-signed]")).to_have_text("1")
    shot("pipeline-funnel")

    page.goto(f"{live_server.url}{project.get_absolute_url()}")
    expect(page.locator("[data-testid=timeline]")).to_contain_text("Signed")
    shot("pipeline-project")


def test_the_board_menu_moves_without_dragging_in_chinese_by_default(live_world, live_server, page, sign_in):
    w = live_world
    sign_in("park_staff")
    page.goto(f"{live_server.url}/projects/board/")
    page.click(f"[data-testid=menu-{w.PR1.pk}]")
    page.click(f"[data-testid=move-{w.PR1.pk}-signed]")
    expect(page.locator("[data-testid=column-signed]")).to_contain_text(w.PR1.name)
    expect(page.locator("[data-testid=column-signed]")).to_contain_text("已签约")
