"""The briefings page in Debian's Chromium: pick an area and month, download the Excel file, keep a copy."""

import io

import pytest
from openpyxl import load_workbook

pytestmark = pytest.mark.browser


def test_downloading_and_keeping_a_briefing(live_world, sign_in, live_server):
    tab = sign_in("supervisor")
    tab.click("[data-testid=lang-en]")
    tab.click("a.zo-nav-link:has-text('Briefings')")
    tab.wait_for_url(f"{live_server.url}/reports/briefings/")
    tab.select_option("[data-testid=briefing-area]", str(live_world.P1.pk))
    tab.fill("[data-testid=briefing-month]", "2025-03")
    with tab.expect_download() as info:
        tab.click("[data-testid=download-xlsx]")
    download = info.value
    assert download.suggested_filename == "briefing-P1-2025-03.xlsx"
    with open(download.path(), "rb") as handle:  # a temporary name without the .xlsx openpyxl wants
        book = load_workbook(io.BytesIO(handle.read()))
    assert book.worksheets[0].title == "Summary"
    tab.click("[data-testid=keep-briefing]")
    tab.wait_for_selector("#briefing-list .alert-success")
    rows = tab.locator("#briefing-list tbody tr")
    # The two copies just asked for, above the world's earlier briefing of P1.
    assert rows.count() == 3 and "Queued" in rows.first.inner_text()
