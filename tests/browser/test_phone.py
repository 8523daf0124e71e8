"""The platform on a phone (390×844): the menu drawer, the header's search, and the three flows
people do on their phones: an enterprise submits an appeal and rates the reply, a department's
handler works its queue, a park's staff enter the month's progress. No page is wider than the phone.

With ZONEOS_TOUR=1 the flows also write the README tour's screenshots into docs/screenshots/.
"""

import os
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from zoneos.appeals.models import Appeal, RoutingRule
from zoneos.areas.models import Area, Department
from zoneos.enterprises import pinyin
from zoneos.enterprises.models import Enterprise
from zoneos.supervision import services as supervision

from .conftest import ARTIFACTS

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
TOUR = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=PHONE, locale="en-US", is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()


@pytest.fixture
def snap(page):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def take(name, tour=False):
        page.screenshot(path=str(ARTIFACTS / f"phone-{name}.png"), full_page=True)
        if tour and os.environ.get("ZONEOS_TOUR"):
            TOUR.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(TOUR / f"phone-{name}.png"), full_page=False)

    return take


# The tour's screenshots show a zone as it reads, not the test world's placeholders ("Test Area 3").
PLACES = {
    "R": ("广东省", "Guangdong"),
    "Z1": ("仲恺高新区", "Zhongkai Hi-tech Zone"),
    "Z2": ("肇庆高新区", "Zhaoqing Hi-tech Zone"),
    "P1": ("潼湖生态智慧区", "Tonghu Eco-smart Zone"),
    "P2": ("陈江园", "Chenjiang Park"),
    "P3": ("大旺园", "Dawang Park"),
}
PEOPLE = {"enterprise": "陈思远", "handler": "李娜", "park_staff": "王磊"}


@pytest.fixture
def real_names(live_world):
    w = live_world
    for key, (name, name_en) in PLACES.items():
        Area.objects.filter(pk=w.areas[key].pk).update(name=name, name_en=name_en)
    Enterprise.objects.filter(pk=w.E1.pk).update(name="惠州德赛智能装备有限公司")
    Department.objects.filter(pk=w.D1.pk).update(name_en="Enterprise Service Centre")
    for username, display_name in PEOPLE.items():
        get_user_model().objects.filter(username=username).update(display_name=display_name)
    return w


def fits(page):
    """Nothing on the page is wider than the phone (tables scroll inside their card)."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide"


def sign_in_as(page, sign_in, username, language="en"):
    page.context.clear_cookies()
    sign_in(username)
    if language == "en":
        page.click("[data-testid=lang-en]")
    fits(page)


def open_menu_and_go(page, label):
    expect(page.locator(".zo-sidebar")).not_to_be_in_viewport()
    page.click("[data-testid=menu-toggle]")
    expect(page.locator(".zo-sidebar")).to_be_in_viewport()
    page.locator(".zo-sidebar .zo-nav-link", has_text=label).first.click()


def test_an_enterprise_submits_and_rates_and_the_handler_works_its_queue_on_a_phone(
    real_names, live_server, page, sign_in, snap
):
    w = real_names
    RoutingRule.objects.create(area=w.P1, category="utilities", department=w.D1)

    # The enterprise's home: its appeals, its figures, its service officer; a menu of two pages.
    sign_in_as(page, sign_in, "enterprise")
    expect(page.locator("[data-testid=home-my-appeals]")).to_be_visible()
    expect(page.locator("[data-testid=home-my-enterprise]")).to_be_visible()
    page.click("[data-testid=menu-toggle]")
    # home, appeals, the policy catalogue, its calculator, its applications, the research projects it
    # undertakes, its whitelist applications and researchers, the scenarios it offers, API documentation
    expect(page.locator(".zo-sidebar .zo-nav-link")).to_have_count(10)
    snap("enterprise-menu")
    page.keyboard.press("Escape")
    expect(page.locator(".zo-sidebar")).not_to_be_in_viewport()
    snap("enterprise-home", tour=True)

    page.click("[data-testid=home-submit-appeal]")
    page.select_option("#id_category", "utilities")
    page.fill("#id_title", "Power capacity for the new line")
    page.fill("#id_description", "The second production line needs 2,000 kVA more from March.")
    fits(page)
    snap("enterprise-submit", tour=True)
    page.click("[data-testid=submit-appeal]")
    expect(page.locator("[data-testid=appeal-status]")).to_have_text("Assigned")
    fits(page)
    appeal = Appeal.objects.get(title="Power capacity for the new line")

    # The handler: home is the queue with what is due; the queue's table scrolls inside its card.
    sign_in_as(page, sign_in, "handler")
    expect(page.locator("[data-testid=home-due-today]")).to_be_visible()
    open_menu_and_go(page, "Appeals")
    expect(page.locator(f"[data-testid=appeal-{appeal.pk}]")).to_be_visible()
    fits(page)
    page.locator(f"[data-testid=appeal-{appeal.pk}]").scroll_into_view_if_needed()
    snap("handler-queue", tour=True)
    page.locator(f"[data-testid=appeal-{appeal.pk}] a").first.click()
    page.click("[data-testid=do-sign_for]")
    expect(page.locator("[data-testid=appeal-status]")).to_have_text("Signed for")
    page.click("[data-testid=tab-reply]")
    page.fill("#id_reply-reply", "The supply bureau adds a 2,500 kVA transformer on 10 March.")
    fits(page)
    page.click("[data-testid=do-reply]")
    expect(page.locator("[data-testid=appeal-status]")).to_have_text("Replied")

    # The enterprise finds the reply to rate on its home, and rates it.
    sign_in_as(page, sign_in, "enterprise")
    page.click(f"[data-testid=home-rate-{appeal.pk}]")
    expect(page.locator("[data-testid=appeal-reply]")).to_contain_text("2,500 kVA transformer")
    page.get_by_text("Satisfied", exact=True).click()
    page.fill("#id_evaluate-comment", "Thank you.")
    fits(page)
    snap("enterprise-rate", tour=True)
    page.click("[data-testid=do-evaluate]")
    expect(page.locator("[data-testid=appeal-status]")).to_have_text("Evaluated")


def test_park_staff_enter_the_month_on_a_phone(real_names, live_server, page, sign_in, snap):
    w = real_names
    project = supervision.create_key_project(
        by=w.root, year=2025, name="激光装备产业园", area=w.P1, kind="continuing", annual_plan=Decimal(12e8)
    )
    sign_in_as(page, sign_in, "park_staff", language="zh-hans")
    open_menu_and_go(page, "年度计划")
    page.goto(f"{live_server.url}/supervision/plan/?month=2025-03")
    fits(page)
    expect(page.locator("[data-testid=plan-unit]")).to_have_text("单位：亿元")
    entry = page.locator(f"[data-testid=entry-{project.pk}]")
    entry.scroll_into_view_if_needed()
    expect(entry).to_have_attribute("placeholder", "本月完成（亿元）")
    entry.fill("3")  # the plan screen is in 亿元: 3亿 of a plan of 12亿
    page.click(f"[data-testid=more-{project.pk}] summary")
    page.fill(f"[data-testid=funds-{project.pk}]", "2500万")  # or in another unit, said after it
    page.fill(f"[data-testid=note-{project.pk}]", "主体结构封顶，设备陆续进场。")
    page.fill(f"[data-testid=problems-{project.pk}]", "二期用电增容待供电局批复。")
    page.click(f"[data-testid=save-{project.pk}]")
    expect(page.locator(f"[data-testid=row-status-{project.pk}]")).to_have_text("25.0%")
    expect(page.locator(f"[data-testid=problems-{project.pk}]")).to_be_visible()  # kept open, as saved
    report = project.reports.get(month=3)
    assert (report.completed, report.funds_in_place) == (Decimal(3 * 10**8), Decimal(25 * 10**6))
    fits(page)
    page.locator(f"[data-testid=plan-row-{project.pk}]").scroll_into_view_if_needed()
    snap("parkstaff-month", tour=True)


def test_the_header_search_by_keyboard_on_a_phone(live_world, live_server, page, sign_in, snap):
    w = live_world
    for e in Enterprise.objects.all():
        e.name_pinyin, e.name_initials = pinyin.keys(e.name)
        e.save(update_fields=["name_pinyin", "name_initials"])
    sign_in_as(page, sign_in, "admin", language="zh-hans")
    search = page.locator("[data-testid=search-input]")
    expect(search).to_be_in_viewport()
    search.fill("yhkj")  # 一号科技 by its pinyin initials
    expect(page.locator(f"[data-testid=search-enterprise-{w.E1.pk}]")).to_be_visible()
    expect(page.locator(f"[data-testid=search-enterprise-{w.E2.pk}]")).to_have_count(0)  # out of scope
    snap("search", tour=True)
    page.keyboard.press("Escape")
    expect(page.locator("[data-testid=search-results]")).to_have_count(0)
    search.fill(f"#{w.AP1.pk}")
    expect(page.locator(f"[data-testid=search-appeal-{w.AP1.pk}]")).to_be_visible()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/appeals/{w.AP1.pk}/$"))
    fits(page)
    # The language switch stays one line of two buttons.
    boxes = [page.locator(f"[data-testid=lang-{c}]").bounding_box() for c in ("zh-hans", "en")]
    assert abs(boxes[0]["y"] - boxes[1]["y"]) < 2


def test_every_menu_page_fits_the_phone(live_world, live_server, page, sign_in):
    # A long name, as real zones have: selects and headers that list it must not widen the page.
    long_name = "惠州仲恺高新技术产业开发区潼湖生态智慧区国际合作产业园"
    Area.objects.filter(pk=live_world.Z1.pk).update(name=long_name)
    for username in ("admin", "park_staff", "handler", "enterprise"):
        sign_in_as(page, sign_in, username, language="zh-hans")
        hrefs = page.eval_on_selector_all(".zo-sidebar .zo-nav-link", "links => links.map(a => a.href)")
        for href in hrefs:
            if "/api/" in href or "/admin/" in href:
                continue
            page.goto(href)
            page.wait_for_load_state("networkidle")
            fits(page)
