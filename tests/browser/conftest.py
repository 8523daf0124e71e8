"""Playwright driving Debian's Chromium (never a downloaded browser) against pytest-django's live server."""

import shutil
from pathlib import Path

import pytest

from zoneos.testing.factories import TEST_PASSWORD
from zoneos.testing.world import build_world

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "var" / "browser"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is not installed: run `make system-deps` (browser tests never skip)")
    from playwright.sync_api import expect, sync_playwright

    # `expect(...)` waits 5 s by default, apart from the page's timeout: under xdist on PostgreSQL, with
    # the other workers busy, an htmx answer took longer and a filtered table was read before it came.
    expect.set_options(timeout=30_000)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="en-US")
    page = context.new_page()
    # Generous: under xdist the other worker keeps the second core busy beside Chromium and the server.
    page.set_default_timeout(30_000)
    yield page
    context.close()


@pytest.fixture
def live_world(transactional_db):
    world = build_world()
    for user in world.users.values():
        user.set_password(TEST_PASSWORD)
        user.save()
    return world


@pytest.fixture
def sign_in(page, live_server):
    def go(username):
        page.goto(f"{live_server.url}/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", TEST_PASSWORD)
        page.click("[data-testid=sign-in]")
        # Home, or the page that replaces it for the role (a leader lands on the dashboard).
        page.wait_for_url(lambda url: url.startswith(live_server.url) and "/login/" not in url)
        return page

    return go


@pytest.fixture
def shot(page):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def take(name):
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)

    return take
