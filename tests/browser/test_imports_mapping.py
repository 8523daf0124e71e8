"""The mapping step in a real browser: a figures sheet whose output column states no unit stops and
asks for it; the user sets 万元 on the page, the check runs again and lists the change with its old and
new value; the import then stores the amount in yuan. Screenshots at 1440 and 390 px wide."""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from zoneos.enterprises import services
from zoneos.enterprises.models import Indicator

pytestmark = pytest.mark.browser
SHOTS = Path("/work/wt/shots-engine")

USCC = "91440305MA5FXK7Q1W"


@pytest.fixture
def stored(live_world):
    w = live_world
    ev = services.create_enterprise(
        by=w.root, name="小鹏汽车科技有限公司", uscc=USCC, area=w.P1, industry_code="3612"
    )
    services.create_indicator(by=w.root, enterprise=ev, year=2025, output_value=Decimal(1_200_000_000))
    return ev


def screenshot(page, name):
    if SHOTS.parent.exists():
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_set_a_missing_unit_on_the_mapping_page(stored, live_server, page, sign_in, tmp_path, shot):
    sheet = tmp_path / "一号园2025年指标.csv"
    sheet.write_text(
        f"序号,统一社会信用代码,年份,产值,营业收入（万元）,工业增加值\n1,{USCC},2025,130000,—,5000\n",
        encoding="utf-8-sig",
    )
    sign_in("park_staff")
    page.goto(f"{live_server.url}/imports/")
    page.select_option("[data-testid=import-kind]", "indicators")
    expect(page.locator("[data-testid=import-area] option:checked")).to_have_text("一号园")  # their one park
    page.set_input_files("[data-testid=import-file]", str(sheet))
    page.click("[data-testid=check-file]")
    expect(page.locator("[data-testid=import-status]")).to_have_attribute("data-status", "mapping")
    expect(page.locator("[data-testid=import-asks]")).to_contain_text("产值")
    expect(page.locator("[data-testid=commit-import]")).to_have_count(0)
    columns = page.locator("[data-testid=source-column]")
    expect(columns).to_have_count(6)
    output = page.locator("[data-testid=source-column][data-header='产值']")
    expect(output).to_have_attribute("data-field", "output_value")
    added = page.locator("[data-testid=source-column][data-header='工业增加值']")
    expect(added).to_have_class(re.compile("list-group-item-warning"))  # looks like money, not used
    screenshot(page, "mapping-asks-1440")
    shot("import-mapping-asks")

    output.locator("select[name^=unit]").select_option("10000")
    page.click("[data-testid=save-mapping]")
    expect(page.locator("[data-testid=import-status]")).to_have_attribute("data-status", "ready")
    expect(page.locator("[data-testid=source-column][data-header='产值']")).to_have_attribute(
        "data-unit", "10000"
    )
    change = page.locator("[data-testid=change][data-field=output_value]")
    expect(change).to_contain_text("1200000000.00")
    expect(change).to_contain_text("1300000000.00")
    # "—" under revenue keeps the stored value: no change listed for it.
    expect(page.locator("[data-testid=change][data-field=revenue]")).to_have_count(0)
    screenshot(page, "mapping-ready-1440")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "mapping-ready-390")
    page.set_viewport_size({"width": 1440, "height": 900})

    page.click("[data-testid=commit-import]")
    expect(page.locator("[data-testid=import-status]")).to_have_attribute("data-status", "committed")
    assert Indicator.objects.get(enterprise=stored, year=2025).output_value == 1_300_000_000
