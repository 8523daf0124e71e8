"""The whitelist in a real browser: E1's user applies for a researcher's goods, the zone's admin reviews
the application, hands it to customs and records customs' approval; the park's staff record goods
coming in, and a movement beyond the approved quantity is refused at its field with nothing written;
then the application page on a phone (390 px) in Chinese, no wider than the phone."""

import datetime

import pytest
from playwright.sync_api import expect

from zoneos.whitelist.models import Movement, WhitelistApplication

pytestmark = pytest.mark.browser


def fits(page, width=390):
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


def test_an_application_through_the_zone_and_customs_and_goods_held_to_the_approval(
    live_world, live_server, page, sign_in, shot
):
    w = live_world

    def as_user(username):
        page.context.clear_cookies()
        sign_in(username)
        page.click("[data-testid=lang-en]")

    as_user("enterprise")
    page.goto(f"{live_server.url}/whitelist/{w.WA1.pk}/")
    expect(page.locator("[data-testid=application-status]")).to_have_text("Draft")
    page.click("[data-testid=new-item]")
    page.select_option("#id_category", "equipment")
    page.fill("#id_name", "流式细胞仪")
    page.fill("#id_hs_code", "902780")
    page.fill("#id_quantity", "1")
    page.fill("#id_unit", "台")
    page.click("[data-testid=save]")
    expect(page.locator(".invalid-feedback")).to_contain_text("10 digits")
    page.fill("#id_hs_code", "9027809900")
    page.click("[data-testid=save]")
    expect(page.locator("[data-testid=items]")).to_contain_text("流式细胞仪")
    page.click("[data-testid=take-submit]")
    expect(page.locator("[data-testid=application-status]")).to_have_text("Under zone review")

    as_user("admin")
    page.goto(f"{live_server.url}/whitelist/{w.WA1.pk}/")
    page.fill("#step-zone_approve textarea[name=opinion]", "同意")
    page.click("[data-testid=take-zone_approve]")
    page.click("[data-testid=take-to_customs]")
    expect(page.locator("[data-testid=application-status]")).to_have_text("Submitted to customs")
    today = datetime.date.today()
    page.fill("#step-approve input[name=approval_number]", "深关白〔2026〕18号")
    page.fill("#step-approve input[name=valid_from]", (today - datetime.timedelta(days=5)).isoformat())
    page.fill("#step-approve input[name=valid_to]", (today + datetime.timedelta(days=20)).isoformat())
    page.click("[data-testid=take-approve]")
    expect(page.locator("[data-testid=application-status]")).to_have_text("Approved")
    expect(page.locator("[data-testid=application-expiring]")).to_be_visible()
    expect(page.locator("[data-testid=timeline]")).to_contain_text("Record customs' approval")
    shot("whitelist-application-1440-en")

    as_user("park_staff")
    page.goto(f"{live_server.url}/whitelist/{w.WA1.pk}/")
    flow = WhitelistApplication.objects.get(pk=w.WA1.pk).items.get(name="流式细胞仪")
    page.select_option("#id_item", str(flow.pk))
    page.select_option("#id_direction", "in")
    page.fill("#id_quantity", "1")
    page.click("[data-testid=record-movement]")
    expect(page.locator(f"[data-testid=in-zone-{flow.pk}]")).to_contain_text("1")
    page.select_option("#id_item", str(flow.pk))
    page.select_option("#id_direction", "in")
    page.fill("#id_quantity", "1")
    page.click("[data-testid=record-movement]")
    expect(page.locator("[data-testid=movement-form] .invalid-feedback")).to_contain_text("beyond the 1")
    expect(page.locator("[data-testid=refusals]")).to_be_visible()
    assert Movement.objects.filter(item=flow).count() == 1

    page.set_viewport_size({"width": 390, "height": 844})
    page.click("[data-testid=lang-zh-hans]") if page.locator(
        "[data-testid=lang-zh-hans]"
    ).is_visible() else None
    page.goto(f"{live_server.url}/whitelist/{w.WA1.pk}/")
    expect(page.locator("[data-testid=application-status]")).to_have_text("已核准")
    fits(page)
    shot("whitelist-application-390-zh")
