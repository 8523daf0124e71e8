"""Research programmes in a real browser: a zone's admin opens the programmes from the research projects'
list, creates a programme with its budget rules (ticking the categories that may not rise, typing the
PI's share in per cent and the criteria), sees a share beyond 100 % refused beside its field, fixes it and
lands on the programme's page with its rules ("15 %"); then edits it and finds the change in the history
under their name, the share in per cent; the same pages fit a phone (390 px) in Chinese."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from zoneos.research.models import Programme

pytestmark = pytest.mark.browser


def fits(page, width=390):
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


def test_an_admin_creates_and_edits_a_programme_with_its_budget_rules(
    live_world, live_server, page, sign_in, shot
):
    w = live_world
    sign_in("admin")
    page.click("[data-testid=lang-en]")
    page.goto(f"{live_server.url}/research/")
    page.click("[data-testid=programmes-link]")
    expect(page.locator("[data-testid=programme-RG1]")).to_be_visible()
    expect(page.locator("[data-testid=programme-RG2]")).to_have_count(0)  # Z2's
    page.click("[data-testid=new-programme]")

    form = page.locator("[data-testid=programme-form]")
    form.locator("#id_area").select_option(str(w.Z1.pk))
    form.locator("#id_code").fill("KJ-2026")
    form.locator("#id_name").fill("2026年度科技计划")
    form.locator("#id_year").fill("2026")
    form.get_by_label("Equipment", exact=True).check()
    form.get_by_label("Indirect costs", exact=True).check()
    form.locator("#id_pi_share").fill("150")  # per cent: beyond 100 %
    form.locator("#id_criteria").fill("innovation | 创新性 | 60\nteam | 团队 | 40")
    form.locator("[data-testid=save]").click()
    expect(page.locator("#id_pi_share ~ .invalid-feedback")).to_contain_text("Give a share from 0 % to 100 %")
    expect(page.locator("#id_frozen_0")).to_be_checked()  # what was typed stays
    shot("research-programme-refused-1440-en")

    expect(page.locator("#id_pi_share")).to_have_value("150")  # as typed
    page.fill("#id_pi_share", "15")
    page.click("[data-testid=save]")
    programme = Programme.objects.get(code="KJ-2026")
    expect(page).to_have_url(f"{live_server.url}/research/programmes/{programme.pk}/")
    expect(page.locator("[data-testid=frozen]")).to_contain_text("Equipment")
    expect(page.locator("[data-testid=frozen]")).to_contain_text("Indirect costs")
    expect(page.locator("[data-testid=pi-share]")).to_contain_text("15 %")
    expect(page.locator("[data-testid=indirect-cap]")).to_contain_text("20 %")
    assert (programme.pi_share, programme.indirect_cap) == (Decimal("0.15"), Decimal("0.2"))
    expect(page.locator("[data-testid=criteria]")).to_contain_text("100")

    page.click("[data-testid=edit-programme]")
    expect(page.locator("#id_pi_share")).to_have_value("15")
    page.get_by_label("Labour", exact=True).check()
    page.fill("#id_pi_share", "12.5")
    page.click("[data-testid=save]")
    expect(page.locator("[data-testid=frozen]")).to_contain_text("Labour")
    page.click("[data-testid=history-tab]")
    expect(page.locator("#history")).to_contain_text(w.admin.username)
    expect(page.locator("#history")).to_contain_text("equipment, labour, indirect")
    expect(page.locator("#history")).to_contain_text("12.5 %")

    page.set_viewport_size({"width": 390, "height": 844})
    page.click("[data-testid=lang-zh-hans]")
    for url in ("/research/programmes/", f"/research/programmes/{programme.pk}/edit/"):
        page.goto(f"{live_server.url}{url}")
        fits(page)
    expect(page.locator("h1")).to_contain_text("编辑科技计划")
    shot("research-programme-form-390-zh")
