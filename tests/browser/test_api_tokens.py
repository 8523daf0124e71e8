"""A user creates an API token (its secret shown once, copied), revokes it; an admin reads the
security log, filters it and finds the sign-ins."""

import pytest
from playwright.sync_api import expect

from zoneos.security.models import ApiToken, digest

pytestmark = pytest.mark.browser


def test_create_copy_and_revoke_a_token_then_read_the_log(live_world, live_server, page, sign_in, shot):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    sign_in("leader")
    page.click("[data-testid=lang-en]")
    page.click(".zo-user")
    page.click("[data-testid=api-tokens]")
    expect(page.locator("h1")).to_have_text("API tokens")

    page.fill("#id_name", "Dashboard wall")
    page.click("[data-testid=create-token]")
    secret = page.locator("[data-testid=token-secret]").input_value()
    token = ApiToken.objects.get(user=live_world.leader)
    assert digest(secret) == token.hash
    page.click("[data-copy]")
    expect(page.locator("[data-copy]")).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == secret
    shot("api-token-created")

    page.goto(f"{live_server.url}/account/tokens/")
    expect(page.locator("[data-testid=new-token]")).to_have_count(0)
    assert secret not in page.content()
    row = page.locator(f"[data-testid=token-{token.pk}]")
    expect(row).to_contain_text(f"{token.prefix}…")
    row.locator("button", has_text="Revoke").click()
    expect(page.locator(f"[data-testid=token-{token.pk}]")).to_contain_text("revoked")

    page.click(".zo-user")
    page.click("[data-testid=logout]")
    sign_in("root")
    page.goto(f"{live_server.url}/security/events/?kind=sign_in")
    expect(page.locator("h1")).to_have_text("Security log")  # the language chosen stays
    expect(page.locator("tbody")).to_contain_text("leader")
    expect(page.locator("tbody")).to_contain_text("root")
    page.goto(f"{live_server.url}/security/events/?kind=token_revoked")
    expect(page.locator("tbody tr")).to_have_count(1)
    shot("security-log")
