"""Take the README's screenshots from a running demo (`make demo`) in Debian's Chromium.

    .venv/bin/python scripts/screenshots.py [http://127.0.0.1:8000]

Writes docs/screenshots/*.png.
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
OUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
PASSWORD = "gaoxinqu-2026"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-sync",
]


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=ARGS)
        page = browser.new_context(viewport={"width": 1440, "height": 880}).new_page()

        page.goto(f"{BASE}/login/")
        page.screenshot(path=OUT / "login.png")
        page.fill("#id_username", "admin")
        page.fill("#id_password", PASSWORD)
        page.click("[data-testid=sign-in]")
        page.wait_for_url(f"{BASE}/")
        page.screenshot(path=OUT / "home.png", full_page=True)

        page.goto(f"{BASE}/areas/")
        page.screenshot(path=OUT / "areas.png", full_page=True)
        page.click("#area-table a:has-text('佛山国家高新技术产业开发区')")
        page.screenshot(path=OUT / "area-detail.png", full_page=True)
        page.click("[data-testid=history-tab]")
        page.screenshot(path=OUT / "area-history.png", full_page=True)

        page.goto(f"{BASE}/memberships/")
        page.screenshot(path=OUT / "memberships.png", full_page=True)
        page.goto(f"{BASE}/memberships/new/")
        page.screenshot(path=OUT / "membership-form.png", full_page=True)

        page.goto(f"{BASE}/")
        page.click("[data-testid=lang-en]")
        foshan = page.locator("#area-switcher option", has_text="Foshan National").get_attribute("value")
        page.select_option("#area-switcher", foshan)
        page.wait_for_load_state("networkidle")
        page.screenshot(path=OUT / "home-en-foshan.png", full_page=True)
        page.goto(f"{BASE}/users/")
        page.screenshot(path=OUT / "users-en.png", full_page=True)
        page.click("[data-testid=lang-zh-hans]")
        page.wait_for_load_state("networkidle")
        page.select_option("#area-switcher", "")
        page.wait_for_load_state("networkidle")
        docs = page.context.new_page()
        docs.goto(f"{BASE}/api/docs/")
        docs.wait_for_selector(".opblock", timeout=15000)
        docs.screenshot(path=OUT / "api-docs.png")
        browser.close()
    print(f"written to {OUT}")


if __name__ == "__main__":
    main()
