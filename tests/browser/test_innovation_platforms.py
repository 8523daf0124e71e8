"""Innovation platforms and funds in a real browser: a park's staff open the platform list, see the
counts by level and the recognition ending soon warned, filter by kind and by level, open a platform's
page with its yearly figures; an investment officer opens a fund's page (investments, exits, what
remains) and follows a focus chain to the chain's page, where the fund is listed. Then the same pages
on a phone (390 px) in Chinese, none wider than the phone."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from zoneos.innovation.models import Platform

pytestmark = pytest.mark.browser


def fits(page, width=390):
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


def test_park_staff_filter_the_platforms_and_read_one_with_its_years(
    live_world, live_server, page, sign_in, shot
):
    w = live_world
    Platform.objects.filter(pk=w.IP1.pk).update(valid_to=timezone.localdate() + datetime.timedelta(days=45))
    sign_in("park_staff")
    page.click("[data-testid=lang-en]")
    page.goto(f"{live_server.url}/innovation/platforms/")
    expect(page.locator("[data-testid=level-total]")).to_have_text("2")
    expect(page.locator("[data-testid=level-provincial]")).to_have_text("1")
    expect(page.locator("[data-testid=ending-soon]")).to_contain_text(w.IP1.name)
    expect(page.locator(f"[data-testid=ending-{w.IP1.pk}]")).to_have_text("45 days left")
    shot("innovation-platforms-1440-en")

    page.select_option("[data-testid=filter-kind]", "key_lab")
    page.click("[data-testid=apply-filters]")
    page.wait_for_url("**kind=key_lab**")
    expect(page.locator(f"[data-testid=platform-{w.IP3.pk}]")).to_be_visible()
    expect(page.locator(f"[data-testid=platform-{w.IP1.pk}]")).to_have_count(0)
    page.select_option("[data-testid=filter-kind]", "")
    page.select_option("[data-testid=filter-level]", "provincial")
    page.click("[data-testid=apply-filters]")
    expect(page.locator(f"[data-testid=platform-{w.IP3.pk}]")).to_have_count(0)
    page.click(f"[data-testid=platform-{w.IP1.pk}] a >> nth=0")

    expect(page.locator("[data-testid=platform-ending]")).to_contain_text("45 days left")
    expect(page.locator("[data-testid=platform-years] thead")).to_contain_text("2024")
    expect(page.locator("[data-testid=figure-incubated]")).to_contain_text("30")
    shot("innovation-platform-1440-en")

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/innovation/platforms/")
    page.click("[data-testid=lang-zh-hans]") if page.locator(
        "[data-testid=lang-zh-hans]"
    ).is_visible() else None
    for path in ("/innovation/platforms/", f"/innovation/platforms/{w.IP1.pk}/"):
        page.goto(f"{live_server.url}{path}")
        fits(page)
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    shot("innovation-platform-390-zh")


def test_an_officer_reads_a_fund_and_finds_it_on_its_chain(live_world, live_server, page, sign_in, shot):
    w = live_world
    sign_in("investment_officer")
    page.click("[data-testid=lang-en]")
    page.goto(f"{live_server.url}/innovation/funds/")
    expect(page.locator("[data-testid=chains-without-fund]")).to_contain_text(w.CN3.label)
    page.click(f"[data-testid=fund-{w.FD1.pk}] a")
    # 万元: 2,000 invested, 300 exited, 1,700 remaining.
    expect(page.locator("[data-testid=fund-invested]")).to_have_text("2,000.00")
    expect(page.locator("[data-testid=fund-exited]")).to_have_text("300.00")
    expect(page.locator("[data-testid=fund-remaining]")).to_have_text("1,700.00")
    expect(page.locator(f"[data-testid=investment-{w.FI1.pk}]")).to_contain_text(w.E1.name)
    expect(page.locator(f"[data-testid=exit-{w.FX1.pk}]")).to_be_visible()
    shot("innovation-fund-1440-en")

    page.click(f"[data-testid=fund-chains] a:has-text('{w.CN1.label}')")
    expect(page.locator("[data-testid=chain-funds]")).to_contain_text(w.FD1.name)
    expect(page.locator("[data-testid=chain-no-industry-fund]")).to_have_count(0)

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/innovation/funds/")
    page.click("[data-testid=lang-zh-hans]") if page.locator(
        "[data-testid=lang-zh-hans]"
    ).is_visible() else None
    for path in ("/innovation/funds/", f"/innovation/funds/{w.FD1.pk}/", "/innovation/talents/"):
        page.goto(f"{live_server.url}{path}")
        fits(page)
    shot("innovation-fund-390-zh")
