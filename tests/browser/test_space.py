"""Space in a real browser: a park's staff open the vacancy page, go to a building, lease its vacant unit
to an enterprise of the park (a clash with a signed lease is refused at its field), and see the park's
vacancy change; then the same on a phone (390 px) in Chinese, no page wider than the phone."""

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from zoneos.pipeline import services as pipeline
from zoneos.space.models import Lease

pytestmark = pytest.mark.browser


def fits(page, width=390):
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


def test_park_staff_lease_a_vacant_unit_and_see_the_vacancy_fall(
    live_world, live_server, page, sign_in, shot
):
    w = live_world
    sign_in("park_staff")
    page.click("[data-testid=lang-en]")
    page.goto(f"{live_server.url}/space/")
    expect(page.locator("[data-testid=kpi-vacancy-rate]")).to_have_text("50.0%")
    expect(page.locator("[data-testid=vacancy-P1]")).to_contain_text("50.0%")
    shot("space-1440-en")

    page.click("[data-testid=open-buildings]")
    page.click("[data-testid=building-BD1] a")
    expect(page.locator("[data-testid=tenant-UN1]")).to_have_text(w.E1.name)
    expect(page.locator("[data-testid=vacant-UN3]")).to_be_visible()
    page.click("[data-testid=lease-UN3]")
    today = datetime.date.today()
    page.select_option("#id_tenant", label=w.E3.name)
    page.fill("#id_starts_on", today.isoformat())
    page.fill("#id_ends_on", (today + datetime.timedelta(days=730)).isoformat())
    page.fill("#id_monthly_rent", "2.5")
    page.click("[data-testid=save]")
    expect(page.locator("[data-testid=tenant-UN3]")).to_have_text(w.E3.name)
    assert Lease.objects.get(unit=w.UN3).monthly_rent == Decimal("25000.00")
    shot("space-building-1440-en")

    # A second lease of the same days is refused at the start date.
    page.click("[data-testid=lease-UN3]")
    page.select_option("#id_tenant", label=w.E1.name)
    page.fill("#id_starts_on", (today + datetime.timedelta(days=10)).isoformat())
    page.fill("#id_ends_on", (today + datetime.timedelta(days=40)).isoformat())
    page.click("[data-testid=save]")
    expect(page.locator(".invalid-feedback")).to_contain_text("leases of a unit cannot overlap")

    page.goto(f"{live_server.url}/space/")
    expect(page.locator("[data-testid=kpi-vacancy-rate]")).to_have_text("0.0%")
    expect(page.locator("[data-testid=kpi-vacant]")).to_have_text("0")

    page.set_viewport_size({"width": 390, "height": 844})
    page.click("[data-testid=lang-zh-hans]") if page.locator(
        "[data-testid=lang-zh-hans]"
    ).is_visible() else None
    for path in ("/space/", "/space/parcels/?status=reserve&min_mu=50", f"/space/buildings/{w.BD1.pk}/"):
        page.goto(f"{live_server.url}{path}")
        fits(page)
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    shot("space-building-390-zh")


def test_an_officer_sees_the_parcels_that_fit_a_project(live_world, live_server, page, sign_in, shot):
    w = live_world
    pipeline.update_project(w.PR1, by=w.root, land_mu=Decimal("50"))
    sign_in("investment_officer")
    page.click("[data-testid=lang-en]")
    page.goto(f"{live_server.url}/projects/{w.PR1.pk}/")
    expect(page.locator("[data-testid=matched-parcel-PC1]")).to_be_visible()
    page.click("[data-testid=project-space] a:has-text('All parcels that fit')")
    expect(page.locator("[data-testid=parcel-PC1]")).to_be_visible()
    expect(page.locator("[data-testid=parcel-PC2]")).to_have_count(0)
    shot("space-parcels-1440-en")
