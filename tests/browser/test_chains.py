"""Industrial chains in a real browser: the zone's admin opens the chain list and the chain map, clicks
a missing link, confirms a suggested enterprise for it and sees the link turn weak; the park's staff
see their own park's enterprises only. Screenshots at 1440 and 390 px, in English and Chinese."""

import pytest
from playwright.sync_api import expect

from zoneos.chains import services
from zoneos.chains.tests.world import build_chain
from zoneos.testing.factories import EnterpriseFactory

pytestmark = pytest.mark.browser


def test_a_missing_link_is_filled_from_its_suggestions(live_world, live_server, page, sign_in, shot):
    w = live_world
    chain, _car, links, _e = build_chain(w)
    services.update_link(links["CHIP"], by=w.root, keywords=["芯片"])
    fab = EnterpriseFactory(area=w.P1, name="一号芯片有限公司")

    sign_in("admin")
    page.click("[data-testid=lang-en]")
    page.goto(f"{live_server.url}/chains/")
    row = page.locator(f"[data-testid=chain-{chain.code}]")
    expect(row).to_contain_text("Missing 1")
    shot("chains-1440-en")
    row.locator("a").first.click()
    expect(page.locator("[data-testid=kpi-missing]")).to_have_text("1")
    expect(page.locator("[data-testid=kpi-gap]")).to_have_text("62.5%")  # (0 + 0.5 + 2) / 4
    expect(page.locator("[data-testid=chain-map] canvas")).to_have_count(1)
    expect(page.locator("[data-testid=strength-CHIP]")).to_have_text("Missing")
    shot("chain-map-1440-en")

    page.click("[data-testid=link-CHIP] a")
    expect(page.locator("[data-testid=link-strength]")).to_have_text("Missing")
    page.check(f"[data-testid=suggest-{fab.pk}]")
    page.click("[data-testid=confirm-suggestions]")
    expect(page.locator("[data-testid=link-strength]")).to_have_text("Weak")
    expect(page.locator("[data-testid=placements]")).to_contain_text("一号芯片有限公司")
    shot("chain-link-1440-en")
    assert chain.links.get(code="CHIP").placements.filter(enterprise=fab).exists()

    page.set_viewport_size({"width": 390, "height": 844})
    page.click("[data-testid=lang-zh-hans]")
    page.goto(f"{live_server.url}/chains/{chain.pk}/")
    expect(page.locator("[data-testid=strength-CHIP]")).to_have_text("弱")
    expect(page.locator("[data-testid=chain-map] canvas")).to_have_count(1)
    shot("chain-map-390-zh")
    page.set_viewport_size({"width": 1440, "height": 900})
    shot("chain-map-1440-zh")

    # The park's staff: their park's enterprises only (Q2 of park P2 is not theirs to see).
    page.context.clear_cookies()
    sign_in("park_staff")
    page.goto(f"{live_server.url}/chains/{chain.pk}/")
    motors = page.locator("[data-testid=link-MOT] td")
    expect(motors.nth(3)).to_have_text("1")
    shot("chain-map-1440-park-staff")
