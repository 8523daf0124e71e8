"""Take the README's screenshots from a running demo (`make demo`) in Debian's Chromium.

    .venv/bin/python scripts/screenshots.py [http://127.0.0.1:8000]

Writes docs/screenshots/*.png.
"""

import datetime
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from zoneos.core.codes import build_uscc  # noqa: E402  (pure functions; no Django setup needed)

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

        page.goto(f"{BASE}/dashboard/")
        page.select_option("[data-testid=dashboard-area]", label="\u2003\u2003惠州仲恺高新技术产业开发区")
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(1800)  # let ECharts finish its entry animation
        page.screenshot(path=OUT / "dashboard.png", full_page=True)

        page.goto(f"{BASE}/enterprises/?industry_section=C&label=high_tech")
        page.screenshot(path=OUT / "registry.png", full_page=True)
        # The first listed enterprise with a few years of figures (a one-year chart shows little).
        links = page.locator("[data-testid=enterprise-table] tbody a")
        hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
        chosen = hrefs[0]
        for href in hrefs:
            page.goto(f"{BASE}{href}")
            if int(page.locator("[data-testid=figures-tab] .badge").inner_text() or 0) >= 3:
                chosen = href
                break
        page.goto(f"{BASE}{chosen}")
        page.screenshot(path=OUT / "enterprise.png", full_page=True)
        page.click("[data-testid=figures-tab]")
        page.wait_for_timeout(1800)  # let ECharts finish its entry animation
        page.screenshot(path=OUT / "enterprise-figures.png", full_page=True)

        with tempfile.TemporaryDirectory() as folder:
            bad = Path(folder) / "企业名录-有误.csv"
            bad.write_text(
                "统一社会信用代码,企业名称,所在园区,行业代码,资本来源\n"
                "91440605MA5G00019E,佛山南海新材料有限公司,FS-GX-NH,3039,内资\n"
                "91440605MA5G00025X,佛山顺德智能装备有限公司,FS-GX-SD,3491,港资\n"
                "91440605MA5G0003,佛山禅城检测技术有限公司,FS-GX-CC,7452,内资\n"
                "91440605MA5G00043Y,佛山高明铝材有限公司,高明园区,3252,火星资本\n",
                encoding="utf-8-sig",
            )
            page.goto(f"{BASE}/imports/")
            page.set_input_files("[data-testid=import-file]", str(bad))
            page.click("[data-testid=check-file]")
            page.wait_for_selector("[data-testid=import-state]")
            page.screenshot(path=OUT / "import-errors.png", full_page=True)

            # A clean file: checked and shown ready to commit (not committed, the demo stays as loaded).
            good = Path(folder) / "企业名录.csv"
            rows = [
                ("MA5GK001", "佛山南海新材料有限公司", "FS-GX-NH", "3039", "内资"),
                ("MA5GK002", "佛山顺德智能装备有限公司", "FS-GX-SD", "3491", "港资"),
                ("MA5GK003", "佛山禅城检测技术有限公司", "FS-GX-CC", "7452", "内资"),
            ]
            good.write_text(
                "统一社会信用代码,企业名称,所在园区,行业代码,资本来源\n"
                + "".join(
                    f"{build_uscc('9', '1', '440605', body)},{name},{park},{code},{capital}\n"
                    for body, name, park, code, capital in rows
                ),
                encoding="utf-8-sig",
            )
            page.goto(f"{BASE}/imports/")
            page.set_input_files("[data-testid=import-file]", str(good))
            page.click("[data-testid=check-file]")
            page.wait_for_selector("[data-testid=commit-import]", timeout=30000)
            page.screenshot(path=OUT / "import-ready.png", full_page=True)

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
        page.select_option("#area-switcher", "")
        page.wait_for_load_state("networkidle")
        page.goto(f"{BASE}/dashboard/")
        page.select_option(
            "[data-testid=dashboard-area]",
            label="\u2003\u2003Foshan National Hi-tech Industrial Development Zone",
        )
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(1800)  # let ECharts finish its entry animation
        page.screenshot(path=OUT / "dashboard-en.png", full_page=True)
        page.click("[data-testid=lang-zh-hans]")
        page.wait_for_load_state("networkidle")
        page.select_option("#area-switcher", "")
        page.wait_for_load_state("networkidle")
        pipeline(browser)
        supervision(browser)
        service_desk(browser)
        docs = page.context.new_page()
        docs.goto(f"{BASE}/api/docs/")
        docs.wait_for_selector(".opblock", timeout=15000)
        docs.screenshot(path=OUT / "api-docs.png")
        browser.close()
    print(f"written to {OUT}")


def signed_in(browser, username: str):
    """A page of a new browser context, signed in as `username` and on the home page."""
    page = browser.new_context(viewport={"width": 1440, "height": 880}).new_page()
    page.goto(f"{BASE}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("[data-testid=sign-in]")
    page.wait_for_url(f"{BASE}/")
    return page


def pipeline(browser) -> None:
    """The investment officer's pages: home with overdue actions, board, a project, funnel, conflicts."""
    page = signed_in(browser, "investment")
    page.screenshot(path=OUT / "officer-home.png")
    page.goto(f"{BASE}/projects/board/")
    page.screenshot(path=OUT / "pipeline-board.png")
    page.goto(f"{BASE}/projects/?stage=under_construction")
    page.click("[data-testid=project-table] tbody a >> nth=0")
    page.screenshot(path=OUT / "pipeline-project.png", full_page=True)
    page.goto(f"{BASE}/projects/funnel/")
    page.wait_for_timeout(1800)  # let ECharts finish its entry animation
    page.screenshot(path=OUT / "pipeline-funnel.png", full_page=True)
    page.goto(f"{BASE}/projects/conflicts/")
    page.screenshot(path=OUT / "pipeline-conflicts.png")
    page.click("[data-testid=lang-en]")
    page.goto(f"{BASE}/projects/board/")
    page.screenshot(path=OUT / "pipeline-board-en.png")
    page.click("[data-testid=lang-zh-hans]")
    page.context.close()


def supervision(browser) -> None:
    """The supervisor's summary of the Foshan zone for the last month, and the year's plan table."""
    page = signed_in(browser, "supervisor")
    page.goto(f"{BASE}/supervision/")
    page.wait_for_timeout(1800)  # let ECharts finish its entry animation
    page.screenshot(path=OUT / "supervision-summary.png", full_page=True)
    page.goto(f"{BASE}/supervision/plan/")
    page.screenshot(path=OUT / "supervision-plan.png")
    page.goto(f"{BASE}/supervision/ranking/")
    page.wait_for_timeout(1800)
    page.screenshot(path=OUT / "supervision-ranking.png", full_page=True)
    page.goto(f"{BASE}/supervision/orders/")
    page.screenshot(path=OUT / "supervision-orders.png")
    page.click("[data-testid=orders] tbody a >> nth=0")
    page.screenshot(path=OUT / "supervision-order.png")
    page.goto(f"{BASE}/reports/briefings/")
    page.screenshot(path=OUT / "briefings.png")
    page.context.close()
    # The worked example (110.04亿元 in January-February, 17.5 % of the plan, 0.8 points ahead of time
    # progress): the Zhaoqing cluster, seen by the admin.
    page = signed_in(browser, "admin")
    page.goto(f"{BASE}/supervision/")
    option = page.locator("[data-testid=summary-area] option", has_text="肇庆新能源汽车及储能产业集群")
    zhaoqing = option.get_attribute("value")
    year = datetime.date.today().year
    page.goto(f"{BASE}/supervision/?area={zhaoqing}&month={year}-02")
    page.wait_for_timeout(1800)
    page.screenshot(path=OUT / "supervision-worked-example.png")
    page.context.close()


def service_desk(browser) -> None:
    """The handler's queue and an appeal, the enterprise's own appeals, the service dashboard, a
    symposium and the chief service officer's workbench (the Zhongkai zone's demo appeals)."""
    page = signed_in(browser, "handler")
    page.goto(f"{BASE}/appeals/")
    page.screenshot(path=OUT / "appeals-queue.png")
    page.goto(f"{BASE}/appeals/?status=signed_for&status=in_progress")
    page.click("[data-testid=appeal-table] tbody a >> nth=0")
    page.screenshot(path=OUT / "appeal.png", full_page=True)
    page.context.close()
    page = signed_in(browser, "enterprise")
    page.goto(f"{BASE}/appeals/")
    page.screenshot(path=OUT / "appeals-enterprise.png")
    page.context.close()
    page = signed_in(browser, "leader")
    page.goto(f"{BASE}/appeals/dashboard/")
    page.wait_for_timeout(1800)  # let ECharts finish its entry animation
    page.screenshot(path=OUT / "appeals-dashboard.png", full_page=True)
    page.goto(f"{BASE}/symposia/")
    page.click("[data-testid=symposia] tbody a >> nth=0")
    page.screenshot(path=OUT / "symposium.png", full_page=True)
    page.context.close()
    page = signed_in(browser, "service")
    page.goto(f"{BASE}/workbench/")
    page.screenshot(path=OUT / "workbench.png", full_page=True)
    page.context.close()


if __name__ == "__main__":
    main()
