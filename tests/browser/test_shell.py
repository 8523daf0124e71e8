"""A staff member signs in, switches language, narrows to an area and opens every page."""

import re

import pytest
from playwright.sync_api import expect

from zoneos.areas.models import Area

pytestmark = pytest.mark.browser


def test_sign_in_switch_language_and_open_every_page(live_world, live_server, page, sign_in, shot):
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/login/"))
    expect(page.locator("h2")).to_have_text("登录")  # Chinese even though the browser asks for English

    sign_in("admin")
    expect(page.locator("h1")).to_contain_text("您好")
    expect(page.locator("[data-testid=area-card]")).to_contain_text("一号高新区")
    shot("home-zh")

    page.click("[data-testid=lang-en]")
    expect(page.locator("h1")).to_contain_text("Welcome")
    expect(page.locator(".zo-nav")).to_contain_text("Memberships")

    for path, heading in [
        ("/areas/", "Areas"),
        ("/departments/", "Departments"),
        ("/users/", "Users"),
        ("/memberships/", "Memberships"),
        ("/areas/new/", "New area"),
        ("/departments/new/", "New department"),
        ("/users/new/", "New user"),
        ("/memberships/new/", "New membership"),
    ]:
        page.goto(f"{live_server.url}{path}")
        expect(page.locator("h1")).to_have_text(heading)
    page.goto(f"{live_server.url}/areas/")
    shot("areas-en")

    page.click(f"a[href='/areas/{live_world.Z1.pk}/']")
    expect(page.locator("h1")).to_contain_text(live_world.Z1.name_en)  # English names in English
    page.click("[data-testid=history-tab]")
    expect(page.locator("#history")).to_be_visible()

    page.click("[data-testid=lang-zh-hans]")
    expect(page.locator(".zo-nav")).to_contain_text("成员身份")


def test_the_area_switcher_narrows_the_lists(live_world, live_server, page, sign_in):
    sign_in("root")
    page.goto(f"{live_server.url}/areas/")
    expect(page.locator("tbody")).to_contain_text("三号园")
    page.select_option("#area-switcher", str(live_world.Z1.pk))
    expect(page.locator("#area-switcher")).to_have_value(str(live_world.Z1.pk))
    expect(page.locator("tbody")).to_contain_text("一号园")
    expect(page.locator("tbody")).not_to_contain_text("三号园")


def test_an_admin_creates_a_park_and_sees_it_in_history(live_world, live_server, page, sign_in, shot):
    sign_in("admin")
    page.goto(f"{live_server.url}/areas/{live_world.Z1.pk}/")
    page.click("text=新增下级区域")
    page.fill("#id_code", "P1")  # taken: the form says so on the field
    page.fill("#id_name", "四号园")
    page.select_option("#id_kind", "park")
    page.click("[data-testid=save]")
    expect(page.locator(".invalid-feedback")).to_be_visible()
    shot("area-form-error")

    page.fill("#id_code", "P4")
    page.click("[data-testid=save]")
    expect(page.locator("h1")).to_contain_text("四号园")
    park = Area.objects.get(code="P4")
    assert park.parent_id == live_world.Z1.pk
    page.click("[data-testid=history-tab]")
    expect(page.locator("#history")).to_contain_text("admin")
    shot("area-history")


def test_search_filters_the_area_table_as_you_type(live_world, live_server, page, sign_in):
    sign_in("root")
    page.goto(f"{live_server.url}/areas/")
    page.fill("input[name=q]:not(#zo-search-input)", "三号")  # the table's filter, not the header's search
    expect(page.locator("#area-table tbody tr")).to_have_count(1)
    expect(page.locator("#area-table tbody")).to_contain_text("三号园")


def test_park_staff_reach_only_their_park(live_world, live_server, page, sign_in):
    sign_in("park_staff")
    page.goto(f"{live_server.url}/areas/")
    expect(page.locator("#area-table tbody tr")).to_have_count(1)
    response = page.goto(f"{live_server.url}/areas/{live_world.P3.pk}/")
    assert response.status == 404
