"""Export links carry the filters as they are typed (the lists refresh as the user types, issue 18)."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def query(page, testid) -> dict:
    return parse_qs(urlsplit(page.get_attribute(f"[data-testid={testid}]", "href")).query)


def test_the_export_links_follow_the_search_typed_into_the_list(live_world, live_server, page, sign_in):
    sign_in("admin")
    page.goto(f"{live_server.url}/enterprises/")
    page.fill("[data-testid=registry-search]", "一号")
    expect(page).to_have_url(re.compile(r"q=%E4%B8%80%E5%8F%B7"), timeout=10_000)  # the list refreshed
    assert query(page, "export-xlsx")["q"] == ["一号"] and query(page, "export-xlsx")["as"] == ["xlsx"]
    assert query(page, "export-csv")["q"] == ["一号"] and query(page, "export-csv")["as"] == ["csv"]
    page.fill("[data-testid=registry-search]", "")
    assert "q" not in query(page, "export-xlsx")
    page.goto(f"{live_server.url}/projects/")
    page.fill("#project-filters input[type=search]", "甲")
    assert query(page, "export-xlsx")["q"] == ["甲"]
    page.goto(f"{live_server.url}/appeals/")
    page.fill("#appeal-filters input[type=search]", "用电")
    assert query(page, "export-xlsx")["q"] == ["用电"]
