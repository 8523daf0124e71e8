"""Two-factor sign-in in a real browser (enrol, sign in with the code, the admin's form), and the
Content-Security-Policy: the main pages load, draw their charts and run their scripts with no violation."""

import re
import time
from base64 import b32decode
from binascii import hexlify, unhexlify

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect

from zoneos.testing.factories import TEST_PASSWORD

pytestmark = pytest.mark.browser


def code(key_hex: str, at: float | None = None) -> str:
    totp = TOTP(unhexlify(key_hex), step=30, t0=0, digits=6, drift=0)
    totp.time = at if at is not None else time.time()
    return f"{totp.token():06d}"


def key_from_page(page) -> str:
    text = page.locator("[data-testid=secret]").inner_text().replace(" ", "")
    return hexlify(b32decode(text)).decode()


def password(page, base, username):
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", TEST_PASSWORD)
    page.click("[data-testid=sign-in]")


@pytest.fixture
def required(settings):
    settings.ZONEOS_REQUIRE_2FA = True
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


def test_a_superuser_enrols_then_signs_in_with_the_code(live_world, live_server, page, required, shot):
    base = live_server.url
    page.goto(f"{base}/login/")
    page.click("[data-testid=lang-en]")
    password(page, base, "root")
    expect(page).to_have_url(f"{base}/account/two-factor/")
    expect(page.locator("h2")).to_have_text("Set up two-factor sign-in")
    expect(page.locator("[data-testid=qr] svg")).to_be_visible()
    # Nothing else is reachable before enrolment.
    page.goto(f"{base}/enterprises/")
    expect(page).to_have_url(re.compile(r"/login/"))
    password(page, base, "root")
    key = key_from_page(page)
    page.fill("#id_token", "000000" if code(key) != "000000" else "111111")
    page.click("[data-testid=confirm-device]")
    expect(page.locator(".invalid-feedback")).to_contain_text("not right")
    page.fill("#id_token", code(key))
    page.click("[data-testid=confirm-device]")
    expect(page.locator("[data-testid=backup-codes] li")).to_have_count(10)
    page.click("[data-testid=continue]")
    expect(page).to_have_url(f"{base}/")
    page.goto(f"{base}/account/")
    expect(page.locator("[data-testid=two-factor]")).to_contain_text("Enabled")

    page.click(".zo-user")
    page.click("[data-testid=logout]")
    password(page, base, "root")
    expect(page).to_have_url(f"{base}/login/code/")
    page.fill("#id_token", "123456" if code(key, time.time() + 30) != "123456" else "654321")
    page.click("[data-testid=verify]")
    expect(page.locator(".invalid-feedback")).to_contain_text("That code is not right")
    page.goto(f"{base}/")
    expect(page).to_have_url(re.compile(r"/login/"))  # still not signed in
    password(page, base, "root")
    page.fill("#id_token", code(key, time.time() + 30))  # the enrolment's code is spent: the next step's
    page.click("[data-testid=verify]")
    expect(page).to_have_url(f"{base}/")

    # The admin site: password alone is refused, with the code it opens.
    admin = page.context.browser.new_context(viewport={"width": 1440, "height": 900})
    other = admin.new_page()
    other.goto(f"{base}/admin/login/?next=/admin/")
    other.fill("#id_username", "root")
    other.fill("#id_password", TEST_PASSWORD)
    other.click("input[type=submit]")
    expect(other.locator(".errornote")).to_be_visible()
    other.fill("#id_password", TEST_PASSWORD)
    other.fill("#id_otp_token", code(key, time.time() + 60))
    other.click("input[type=submit]")
    expect(other).to_have_url(f"{base}/admin/")
    admin.close()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_screens_of_the_second_step_and_of_enrolment(live_world, live_server, browser, required, language):
    from tests.browser.conftest import ARTIFACTS

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    base = live_server.url
    for width, height in [(1440, 900), (390, 844)]:
        context = browser.new_context(viewport={"width": width, "height": height}, locale="en-US")
        page = context.new_page()
        page.goto(f"{base}/login/")
        page.click(f"[data-testid=lang-{language}]")
        password(page, base, "admin")
        expect(page.locator("[data-testid=qr] svg")).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / f"2fa-enrol-{language}-{width}.png"), full_page=True)
        key = key_from_page(page)
        page.fill("#id_token", code(key))
        page.click("[data-testid=confirm-device]")
        expect(page.locator("[data-testid=backup-codes]")).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / f"2fa-backup-codes-{language}-{width}.png"), full_page=True)
        page.click("[data-testid=continue]")
        page.goto(f"{base}/account/")
        page.screenshot(path=str(ARTIFACTS / f"2fa-account-{language}-{width}.png"), full_page=True)
        page.click(".zo-user")
        page.click("[data-testid=logout]")
        password(page, base, "admin")
        expect(page.locator("#id_token")).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / f"2fa-code-{language}-{width}.png"), full_page=True)
        context.close()
        from django_otp.plugins.otp_static.models import StaticDevice
        from django_otp.plugins.otp_totp.models import TOTPDevice

        TOTPDevice.objects.all().delete()
        StaticDevice.objects.all().delete()


def test_main_pages_run_under_the_content_security_policy(live_world, live_server, page, sign_in):
    violations, errors = [], []
    page.on(
        "console",
        lambda m: violations.append(f"{page.url}: {m.text}") if "Content Security Policy" in m.text else None,
    )
    page.on("pageerror", lambda e: errors.append(f"{page.url}: {e}"))
    response = page.goto(f"{live_server.url}/login/")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self';" in policy and "unsafe-inline' 'self'" not in policy
    assert "frame-ancestors 'none'" in policy
    sign_in("root")
    w = live_world
    kp = w.records.get("KP1")
    pages = {
        "/": None,
        "/dashboard/": None,  # the named world has no yearly figures: the dashboard says so
        "/enterprises/": None,
        f"/enterprises/{w.E1.pk}/?tab=figures": "#figures-chart canvas",
        "/projects/": None,
        "/projects/funnel/": "#chart-funnel canvas",
        "/projects/board/": None,
        "/supervision/": None,  # its chart of sub-areas is drawn only where they have key projects
        "/supervision/ranking/": None,
        "/appeals/dashboard/": "#chart-statuses canvas",
        "/users/": None,
        "/account/": None,
        "/admin/": None,
    }
    if kp is not None:
        pages[f"/supervision/projects/{kp.pk}/"] = "#chart-cumulative canvas"
    for path, chart in pages.items():
        page.goto(f"{live_server.url}{path}")
        if chart:  # ECharts drew its canvas: its script ran
            expect(page.locator(chart).first).to_be_attached()
    # Scripts that moved out of the pages still work: the area switcher applies on change, the user
    # menu opens (Bootstrap), and the orders' overdue switch submits itself.
    page.goto(f"{live_server.url}/enterprises/")
    page.select_option("#area-switcher", str(w.Z1.pk))
    expect(page.locator("#area-switcher")).to_have_value(str(w.Z1.pk))
    page.wait_for_load_state("load")
    page.click(".zo-user")
    expect(page.locator("[data-testid=my-account]")).to_be_visible()
    page.goto(f"{live_server.url}/supervision/orders/")
    page.check("[data-testid=overdue-only]")
    page.wait_for_url(lambda url: "overdue=1" in url)
    assert violations == [], violations
    assert errors == [], errors

    # The API documentation keeps its own, wider policy, on its path only.
    response = page.goto(f"{live_server.url}/api/docs/")
    scripts = response.headers["content-security-policy"].split("script-src")[1].split(";")[0]
    assert "'unsafe-inline'" in scripts
    # Swagger UI drew it (the document's first generation in a process takes seconds on a busy machine)
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("ZoneOS API", timeout=30_000)
    assert violations == [], violations
    assert errors == [], errors
