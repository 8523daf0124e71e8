"""Printing on A4 (Chromium's own PDF output): a dashboard and a record print without the menu, the
header or the action forms, and a dashboard keeps its charts."""

import io

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

pytestmark = pytest.mark.browser

A4 = (595, 842)  # points


def printed(page):
    page.emulate_media(media="print")
    return PdfReader(io.BytesIO(page.pdf(format="A4", prefer_css_page_size=True)))


def test_a_dashboard_prints_on_a4_with_its_charts_and_without_the_shell(
    live_world, live_server, page, sign_in
):
    sign_in("admin")
    page.goto(f"{live_server.url}/appeals/dashboard/?area={live_world.Z1.pk}")
    expect(page.locator("[data-testid=chart-categories] canvas")).to_have_count(1)
    pdf = printed(page)
    box = pdf.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == A4
    text = "".join(p.extract_text() for p in pdf.pages)
    assert "园区运营管理平台" not in text and "接口文档" not in text  # the sidebar
    assert "退出登录" not in text  # the header's user menu
    # The chart is kept (drawn, in proportion: the canvas scales to the paper, see zoneos.css).
    chart = page.locator("[data-testid=chart-categories] canvas").bounding_box()
    assert chart["height"] > 100


def test_a_record_prints_without_its_step_forms(live_world, live_server, page, sign_in):
    sign_in("handler")
    page.goto(f"{live_server.url}/appeals/{live_world.AP1.pk}/")
    expect(page.locator("[data-testid=do-sign_for]")).to_be_visible()
    pdf = printed(page)
    text = "".join(p.extract_text() for p in pdf.pages)
    assert f"编号 {live_world.AP1.pk}" in text
    assert "园区运营管理平台" not in text
    assert page.locator("[data-testid=do-sign_for]").is_hidden()
