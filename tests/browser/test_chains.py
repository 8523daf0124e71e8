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


def test_a_target_for_a_missing_link_becomes_a_lead(live_world, live_server, page, sign_in, shot):
    """The zone's investment officer opens the chain map, clicks the missing link, reads its ranked
    targets and turns the best into a lead of park P1; park P2 already courts that investor, so the
    zone has a conflict to settle, and the chain page follows the lead."""
    from decimal import Decimal

    from zoneos.pipeline import services as pipeline
    from zoneos.pipeline.models import InvestorConflict, Project

    w = live_world
    chain, _car, links, _e = build_chain(w)
    services.update_link(links["CHIP"], by=w.root, industry_codes=["397"])
    best = services.create_candidate(
        by=w.root,
        chain=chain,
        name="芯驰车规芯片科技有限公司",
        province="广东",
        city="深圳",
        industry_code="3973",
        revenue=Decimal("1500000000"),
        labels=["little_giant"],
        links=[links["CHIP"]],
    )
    services.create_candidate(by=w.root, chain=chain, name="某微电子有限公司", industry_code="3973")
    pipeline.create_project(
        by=w.root, name="二园芯片项目", area=w.P2, investor_name="芯驰车规芯片科技有限公司"
    )

    sign_in("investment_officer")
    page.click("[data-testid=lang-en]")
    page.goto(f"{live_server.url}/chains/{chain.pk}/")
    expect(page.locator("[data-testid=strength-CHIP]")).to_have_text("Missing")
    page.click("[data-testid=link-CHIP] a")
    rows = page.locator("[data-testid=targets] tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("芯驰车规芯片科技有限公司")
    expect(rows.first.locator("[data-testid=points]")).to_have_text("110")  # 40 + 25 + 25 + 20
    expect(rows.first).to_contain_text("Little giant")
    shot("chain-targets-1440-en")
    rows.first.locator("select[name=lead_area]").select_option(str(w.P1.pk))
    rows.first.locator(f"[data-testid=lead-{best.pk}]").click()
    page.wait_for_url("**/projects/*/")
    expect(page.locator(".alert-warning, .alert")).to_contain_text(
        ["Another park already courts this investor"]
    )
    # The lead is in the pipeline with its chain and link.
    expect(page.locator("[data-testid=project-chains]")).to_contain_text("New-energy vehicles")
    expect(page.locator("[data-testid=project-link-CHIP]")).to_be_visible()
    project = Project.objects.get(investor_name="芯驰车规芯片科技有限公司", area=w.P1)
    assert project.chain_placements.get().link == links["CHIP"]
    assert InvestorConflict.objects.filter(projects=project, status="open").exists()

    page.set_viewport_size({"width": 390, "height": 844})
    page.click("[data-testid=lang-zh-hans]")
    page.goto(f"{live_server.url}/chains/{chain.pk}/")
    expect(page.locator("[data-testid=followed]")).to_contain_text(project.name)
    expect(page.locator("[data-testid=followed]")).to_contain_text("线索")
    shot("chain-followed-390-zh")
    page.goto(f"{live_server.url}/chains/links/{links['CHIP'].pk}/")
    expect(page.locator("[data-testid=targets] tbody tr")).to_have_count(1)  # the lead left the list
    shot("chain-targets-390-zh")
