"""Talents and funds kept in a real browser: an investment officer adds a talent from the talents list,
records a housing subsidy from the talent's page (typed in 万元), then adds an investment to a fund from
the fund's page with its stake typed in per cent, first refused for a stake over 100 % (the message
under the field), then kept and shown as "2.5 %". Then the same forms on a phone (390 px) in Chinese,
none wider than the phone."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from zoneos.innovation.models import Investment, Talent

pytestmark = pytest.mark.browser


def fits(page, width=390):
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


def test_an_officer_adds_a_talent_with_a_service_and_an_investment_to_a_fund(
    live_world, live_server, page, sign_in, shot
):
    w = live_world
    sign_in("investment_officer")
    page.click("[data-testid=lang-en]")
    page.goto(f"{live_server.url}/innovation/talents/")
    page.click("[data-testid=new-talent]")
    page.select_option("#id_enterprise", str(w.E1.pk))
    page.fill("#id_name", "周清和")
    page.select_option("#id_category", "doctor")
    page.fill("#id_field", "固态电池")
    shot("innovation-talent-form-1440-en")
    page.click("[data-testid=save]")
    talent = Talent.objects.get(name="周清和")
    page.wait_for_url(f"**/innovation/talents/{talent.pk}/")
    expect(page.locator("[data-testid=talent-category]")).to_have_text("Doctor or postdoctoral researcher")

    page.click("[data-testid=record-service]")
    page.select_option("#id_kind", "housing")
    page.fill("#id_received_on", "2026-03-01")
    page.fill("#id_amount", "12")  # 万元
    page.click("[data-testid=save]")
    page.wait_for_url(f"**/innovation/talents/{talent.pk}/")
    service = talent.services.get()
    assert service.amount == Decimal("120000")
    expect(page.locator(f"[data-testid=service-{service.pk}]")).to_contain_text("Housing or rent subsidy")
    expect(page.locator(f"[data-testid=service-{service.pk}]")).to_contain_text("12.00")
    shot("innovation-talent-1440-en")

    page.goto(f"{live_server.url}/innovation/funds/{w.FD1.pk}/")
    page.click("[data-testid=new-investment]")
    page.select_option("#id_enterprise", str(w.E3.pk))
    page.select_option("#id_round", "b")
    page.fill("#id_amount", "500")
    page.fill("#id_invested_on", "2026-04-01")
    page.fill("#id_stake", "250")
    page.click("[data-testid=save]")
    expect(page.locator("#id_stake ~ .invalid-feedback")).to_contain_text("at most 100 %")
    assert not Investment.objects.filter(enterprise=w.E3).exists()
    page.fill("#id_stake", "2.5")
    page.click("[data-testid=save]")
    page.wait_for_url(f"**/innovation/funds/{w.FD1.pk}/**")
    investment = Investment.objects.get(enterprise=w.E3)
    assert (investment.amount, investment.stake) == (Decimal("5000000"), Decimal("0.025"))
    expect(page.locator(f"[data-testid=investment-{investment.pk}]")).to_contain_text("2.5 %")
    expect(page.locator("[data-testid=fund-invested]")).to_have_text("2,500.00")
    shot("innovation-fund-investment-1440-en")

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/innovation/talents/{talent.pk}/")
    page.click("[data-testid=lang-zh-hans]") if page.locator(
        "[data-testid=lang-zh-hans]"
    ).is_visible() else None
    for path in (
        f"/innovation/talents/{talent.pk}/",
        "/innovation/talents/new/",
        f"/innovation/talents/{talent.pk}/services/new/",
        f"/innovation/teams/{w.TT1.pk}/",
        "/innovation/funds/new/",
        f"/innovation/funds/{w.FD1.pk}/investments/new/",
        f"/innovation/investments/{investment.pk}/exits/new/",
    ):
        page.goto(f"{live_server.url}{path}")
        fits(page)
    page.goto(f"{live_server.url}/innovation/investments/{investment.pk}/edit/")
    expect(page.locator("#id_stake")).to_have_value("2.5")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    shot("innovation-investment-form-390-zh")
