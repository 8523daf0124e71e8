"""The API tokens page: create (the secret shown on that answer only), list, revoke; admins see and
revoke the tokens of the users they manage; in both languages."""

import datetime

import pytest
from django.utils import timezone

from zoneos.security.models import ApiToken, digest
from zoneos.security.services import create_token

pytestmark = pytest.mark.django_db


def in_days(days: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def test_creating_a_token_shows_its_secret_once(client, world):
    client.force_login(world.leader)
    created = client.post("/account/tokens/", {"name": "数据大屏", "expires_on": in_days(30)})
    assert created.status_code == 200
    assert created["Cache-Control"] == "no-store"
    token = ApiToken.objects.get(user=world.leader)
    secret = created.context["secret"]
    assert digest(secret) == token.hash
    assert f'value="{secret}"' in created.content.decode()
    assert timezone.localtime(token.expires_at).date() == timezone.localdate() + datetime.timedelta(days=30)
    again = client.get("/account/tokens/")
    assert secret not in again.content.decode()
    assert f"{token.prefix}…" in again.content.decode()


def test_a_date_beyond_the_longest_life_is_refused_on_the_form(client, world):
    client.force_login(world.leader)
    answer = client.post("/account/tokens/", {"name": "长期", "expires_on": in_days(400)})
    assert answer.status_code == 400
    assert answer.context["form"].errors["expires_on"]
    assert not ApiToken.objects.exists()


def test_the_owner_revokes_from_the_page(client, world):
    token, _key = create_token(by=world.leader, name="数据大屏")
    client.force_login(world.leader)
    answer = client.post(f"/account/tokens/{token.pk}/revoke/", follow=True)
    assert answer.redirect_chain[-1][0] == "/account/tokens/"
    token.refresh_from_db()
    assert token.revoked_by == world.leader


def test_an_admin_sees_and_revokes_the_tokens_of_the_users_they_manage(client, world):
    theirs, _key = create_token(by=world.colleague, name="园区对接")
    outsiders, _key = create_token(by=world.outsider, name="外区")
    client.force_login(world.admin)
    page = client.get("/account/tokens/", {"user": world.colleague.pk}).content.decode()
    assert "园区对接" in page and "外区" not in page
    client.post(f"/account/tokens/{theirs.pk}/revoke/")
    assert client.post(f"/account/tokens/{outsiders.pk}/revoke/").status_code == 404
    theirs.refresh_from_db(), outsiders.refresh_from_db()
    assert theirs.revoked_by == world.admin and outsiders.revoked_at is None
    # The user's page links to their tokens for the admin who manages them.
    assert (
        f"/account/tokens/?user={world.colleague.pk}"
        in client.get(f"/users/{world.colleague.pk}/").content.decode()
    )


def test_a_user_without_admin_rights_sees_only_their_own(client, world):
    create_token(by=world.colleague, name="园区对接")
    client.force_login(world.leader)
    page = client.get("/account/tokens/")
    assert "园区对接" not in page.content.decode()
    assert not page.context["manages_others"]


def test_the_page_reads_in_both_languages(client, world):
    client.force_login(world.leader)
    chinese = client.get("/account/tokens/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "API 令牌" in chinese and "创建令牌" in chinese
    client.cookies["zoneos_language"] = "en"
    english = client.get("/account/tokens/").content.decode()
    assert "API tokens" in english and "Create token" in english


def test_the_page_needs_a_sign_in(client, world):
    assert client.get("/account/tokens/").status_code == 302
