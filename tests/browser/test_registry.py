"""The registry in a real browser: filter the list, open an enterprise and its figures chart, import a
file with an error and then a good one, and read the dashboard with its charts and highlights in
both languages."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from zoneos.core.codes import build_uscc
from zoneos.enterprises import services
from zoneos.enterprises.models import Enterprise

pytestmark = pytest.mark.browser


@pytest.fixture
def registry(live_world):
    w = live_world
    by = w.root
    ev = services.create_enterprise(
        by=by, name="小鹏汽车科技有限公司", uscc="91440305MA5FXK7Q1W", area=w.P1, industry_code="3612"
    )
    soft = services.create_enterprise(by=by, name="一号软件有限公司", area=w.P2, industry_code="6513")
    for year, output in ((2024, 800), (2025, 1200)):
        services.create_indicator(
            by=by,
            enterprise=ev,
            year=year,
            output_value=Decimal(output) * 10**6,
            main_business_revenue=Decimal(output) * 10**6,
        )
        services.create_indicator(
            by=by, enterprise=soft, year=year, output_value=Decimal(output // 4) * 10**6
        )
    services.create_label(by=by, enterprise=ev, kind="high_tech", valid_from="2024-01-01")
    return w


def test_filter_the_registry_and_open_an_enterprise(registry, live_server, page, sign_in, shot):
    sign_in("park_staff")
    page.click("a.zo-nav-link[href='/enterprises/']")
    table = page.locator("[data-testid=enterprise-table]")
    expect(table).to_contain_text("小鹏汽车科技有限公司")
    expect(table).to_contain_text("一号科技有限公司")
    # The filters answer once htmx has taken the form in hand (on load): typing before that sends
    # nothing, as the run on a busy machine showed.
    page.wait_for_load_state("load")

    page.fill("[data-testid=registry-search]", "xpqc")
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(table).to_contain_text("小鹏汽车科技有限公司")
    page.fill("[data-testid=registry-search]", "")
    page.select_option("[data-testid=filter-label]", "high_tech")
    expect(table).to_contain_text("小鹏汽车科技有限公司")
    expect(table).not_to_contain_text("一号园新设企业")
    shot("registry-filtered")

    table.locator("a", has_text="小鹏汽车科技有限公司").click()
    expect(page.locator("h1")).to_contain_text("小鹏汽车科技有限公司")
    expect(page.locator("[data-testid=labels]")).to_contain_text("高新技术企业")
    page.click("[data-testid=figures-tab]")
    expect(page.locator("[data-testid=figures-chart] canvas")).to_have_count(1)
    expect(page.locator("[data-testid=figures-table]")).to_contain_text(
        "120000.00 万元"
    )  # the registry's screens are in 万元
    page.click("[data-testid=history-tab]")
    expect(page.locator("#history")).to_contain_text("root")


def test_import_a_file_with_an_error_then_a_good_one(registry, live_server, page, sign_in, tmp_path, shot):
    good_code = build_uscc("9", "1", "440605", "MA000123")
    bad = tmp_path / "企业名录.csv"
    bad.write_text(
        "统一社会信用代码,企业名称,所在园区\n"
        f"{good_code},佛山新企业有限公司,P1\n"
        f"{good_code[:-1]}0,写错代码有限公司,P1\n",
        encoding="utf-8-sig",
    )
    sign_in("park_staff")
    page.goto(f"{live_server.url}/imports/")
    page.set_input_files("[data-testid=import-file]", str(bad))
    page.click("[data-testid=check-file]")
    errors = page.locator("[data-testid=import-errors]")
    expect(errors).to_contain_text("统一社会信用代码")
    expect(errors.locator("tbody tr")).to_have_count(1)
    expect(errors.locator("tbody tr td").first).to_have_text("3")
    expect(page.locator("[data-testid=commit-import]")).to_have_count(0)
    shot("import-errors")
    assert not Enterprise.objects.filter(name="佛山新企业有限公司").exists()

    good = tmp_path / "good.csv"
    good.write_text(
        f"统一社会信用代码,企业名称,所在园区\n{good_code},佛山新企业有限公司,P1\n", encoding="utf-8"
    )
    page.goto(f"{live_server.url}/imports/")
    page.set_input_files("[data-testid=import-file]", str(good))
    page.click("[data-testid=check-file]")
    expect(page.locator("[data-testid=count-created]")).to_have_text("1")
    page.click("[data-testid=commit-import]")
    expect(page.locator("[data-testid=import-state]")).to_have_text("已导入")
    assert Enterprise.objects.filter(name="佛山新企业有限公司", area=registry.P1).exists()


def test_the_dashboard_in_both_languages(registry, live_server, page, sign_in, shot):
    sign_in("leader")
    page.click("a.zo-nav-link[href='/dashboard/']")
    expect(page.locator("h1")).to_have_text(registry.Z1.name)
    expect(page.locator("[data-testid=kpi-enterprises]")).to_have_text("2")
    highlights = page.locator("[data-testid=highlights]")
    expect(highlights).to_contain_text("2025年")
    # 2025: 1,200 + 300 million. 2024: 800 + 200 million, plus the world's E1 (1 million, 2024 only):
    # 1500 / 1001 is up 49.9 %; on a comparable basis (both years reported) 1500 / 1000, up 50.0 %.
    expect(highlights).to_contain_text("同比增长49.9%（可比口径增长50.0%）")
    for chart in ("trend", "sections", "children", "origins"):
        expect(page.locator(f"[data-testid=chart-{chart}] canvas")).to_have_count(1)
    shot("dashboard-zh")

    page.click("[data-testid=lang-en]")
    expect(page.locator("[data-testid=highlights]")).to_contain_text("In 2025")
    expect(page.locator("[data-testid=highlights]")).to_contain_text(
        "up 49.9 % year on year (up 50.0 % on a comparable basis)"
    )
    expect(page.locator(".zo-kpi-label").first).to_have_text("Enterprises")
    shot("dashboard-en")
