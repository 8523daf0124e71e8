"""Self-service accounts: changing one's password, a reset by an e-mailed link that starts with the
site's address and expires, admins resetting the users of their areas only, and each user's sign-in
history (time, address, success) for the user and their area's admins. Throttling and the second
factor still apply after a reset."""

import datetime
import re

import pytest
from django.test import Client as DjangoClient

from zoneos.security.models import EventKind, SecurityEvent
from zoneos.testing.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db
NEW = "Gaoxinqu-new-2026!"


def Client(language="en"):  # noqa: N802
    client = DjangoClient()
    client.cookies["zoneos_language"] = language
    return client


def signed_in_as(user, language="en"):
    client = Client(language)
    client.force_login(user)
    return client


def can_sign_in(username, password) -> bool:
    client = Client()
    client.post("/login/", {"username": username, "password": password})
    return client.get("/api/v1/me/").status_code == 200


def link_in(mail) -> str:
    return re.search(r"https?://\S+", mail.body).group(0)


def test_a_user_changes_their_password(world):
    client = signed_in_as(world.leader)
    page = client.get("/account/")
    assert 'href="/account/password/"' in page.content.decode()
    wrong = client.post(
        "/account/password/", {"old_password": "nope", "new_password1": NEW, "new_password2": NEW}
    )
    assert wrong.status_code == 200 and "old_password" in wrong.context["form"].errors
    done = client.post(
        "/account/password/", {"old_password": TEST_PASSWORD, "new_password1": NEW, "new_password2": NEW}
    )
    assert done.status_code == 302 and done.url == "/account/"
    assert client.get("/api/v1/me/").status_code == 200  # still signed in
    assert can_sign_in("leader", NEW) and not can_sign_in("leader", TEST_PASSWORD)


def test_a_reset_link_by_e_mail_starts_with_the_site_address_and_works_once(world, settings, mailoutbox):
    settings.ZONEOS_SITE_URL = "https://zoneos.example.cn"
    world.leader.email = "leader@example.cn"
    world.leader.save()
    client = Client()
    assert 'href="/password-reset/"' in client.get("/login/").content.decode()
    answer = client.post("/password-reset/", {"email": "LEADER@example.cn"})
    assert answer.status_code == 200 and 'data-testid="sent"' in answer.content.decode()
    # An unknown address gets the same answer, and no e-mail.
    assert 'data-testid="sent"' in client.post("/password-reset/", {"email": "x@example.cn"}).content.decode()
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["leader@example.cn"]
    link = link_in(mailoutbox[0])
    assert link.startswith("https://zoneos.example.cn/password-reset/")
    path = link.removeprefix("https://zoneos.example.cn")
    form = client.get(path, follow=True)
    assert form.context["validlink"]
    done = client.post(form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    assert done.status_code == 302 and done.url == "/login/"
    assert can_sign_in("leader", NEW)
    # The link dies once used.
    again = Client().get(path, follow=True)
    assert not again.context["validlink"] and 'data-testid="invalid-link"' in again.content.decode()


def test_a_reset_link_expires(world, settings, mailoutbox, monkeypatch):
    from django.contrib.auth.tokens import default_token_generator

    world.leader.email = "leader@example.cn"
    world.leader.save()
    Client().post("/password-reset/", {"email": "leader@example.cn"})
    path = re.sub(r"^https?://[^/]+", "", link_in(mailoutbox[0]))
    now = default_token_generator._now()
    later = now + datetime.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60)
    monkeypatch.setattr(default_token_generator, "_now", lambda: later)
    assert not Client().get(path, follow=True).context["validlink"]
    monkeypatch.setattr(default_token_generator, "_now", lambda: now)
    assert Client().get(path, follow=True).context["validlink"]


def test_reset_requests_are_throttled(world, mailoutbox):
    world.leader.email = "leader@example.cn"
    world.leader.save()
    for _ in range(8):
        Client().post("/password-reset/", {"email": "leader@example.cn"})
    assert len(mailoutbox) == 5


def test_a_reset_keeps_the_second_factor(world, settings, mailoutbox):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=world.leader, name="phone", confirmed=True)
    world.leader.email = "leader@example.cn"
    world.leader.save()
    client = Client()
    client.post("/password-reset/", {"email": "leader@example.cn"})
    form = client.get(re.sub(r"^https?://[^/]+", "", link_in(mailoutbox[0])), follow=True)
    client.post(form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    assert client.get("/api/v1/me/").status_code in (401, 403)  # the reset signs nobody in
    step = client.post("/login/", {"username": "leader", "password": NEW})
    assert step.status_code == 302 and step.url.startswith("/login/code/")


def test_an_admin_resets_the_password_of_a_user_of_their_area_only(world, mailoutbox):
    admin = signed_in_as(world.admin)
    colleague = world.colleague  # park staff of P1, inside the admin's Z1
    page = admin.get(f"/users/{colleague.pk}/")
    assert f'href="/users/{colleague.pk}/password/"' in page.content.decode()
    done = admin.post(f"/users/{colleague.pk}/password/", {"how": "set", "password": NEW})
    assert done.status_code == 302
    assert can_sign_in("colleague", NEW)
    colleague.email = "colleague@example.cn"
    colleague.save()
    sent = admin.post(f"/users/{colleague.pk}/password/", {"how": "link"})
    assert sent.status_code == 302 and mailoutbox[-1].to == ["colleague@example.cn"]
    weak = admin.post(f"/users/{colleague.pk}/password/", {"how": "set", "password": "123"})
    assert weak.status_code == 200 and weak.context["form"].errors["password"]
    # Out of the admin's area, a superuser, or by someone who is no admin: refused, nothing changed.
    assert (
        admin.post(f"/users/{world.outsider.pk}/password/", {"how": "set", "password": NEW}).status_code
        == 404
    )
    assert admin.get(f"/users/{world.root.pk}/password/").status_code in (403, 404)
    assert signed_in_as(world.leader).post(
        f"/users/{colleague.pk}/password/", {"how": "set", "password": "Other-pass-2026!"}
    ).status_code in (403, 404)
    assert can_sign_in("outsider", TEST_PASSWORD)


def test_the_sign_in_history_is_seen_by_the_user_and_their_areas_admins(world):
    Client().post("/login/", {"username": "colleague", "password": "wrong"}, REMOTE_ADDR="10.0.0.7")
    Client().post("/login/", {"username": "colleague", "password": TEST_PASSWORD}, REMOTE_ADDR="10.0.0.8")
    Client().post("/login/", {"username": "outsider", "password": TEST_PASSWORD})
    kinds = set(SecurityEvent.objects.filter(user=world.colleague).values_list("kind", flat=True))
    assert {EventKind.SIGN_IN, EventKind.SIGN_IN_FAILED} <= kinds
    own = signed_in_as(world.colleague).get("/account/")
    rows = own.context["sign_ins"]
    assert {e.kind for e in rows} == {EventKind.SIGN_IN, EventKind.SIGN_IN_FAILED}
    html = own.content.decode()
    assert "10.0.0.7" in html and "10.0.0.8" in html and "Failed" in html and "Succeeded" in html
    # The admin of the area sees them on the user's page; the leader (no admin) does not.
    admin_view = signed_in_as(world.admin).get(f"/users/{world.colleague.pk}/")
    assert (
        "10.0.0.7" in admin_view.content.decode() and 'data-testid="sign-ins"' in admin_view.content.decode()
    )
    leader_view = signed_in_as(world.leader).get(f"/users/{world.colleague.pk}/")
    assert leader_view.status_code == 404 or 'data-testid="sign-ins"' not in leader_view.content.decode()
    # Nobody else's sign-ins show on one's own page.
    assert all(e.user_id == world.colleague.pk for e in rows)
    chinese = signed_in_as(world.colleague, "zh-hans").get("/account/").content.decode()
    assert "登录记录" in chinese and "成功" in chinese
