"""Two-factor sign-in: who must use it, the two steps of /login/, enrolment, the admin's sign-in,
the API through a half-signed-in session, throttling of wrong codes, reset and history."""

import re
import time
from binascii import unhexlify

import pytest
from auditlog.models import LogEntry
from django.test import Client as DjangoClient
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from zoneos.accounts import twofactor
from zoneos.testing.factories import TEST_PASSWORD

KEY = "3132333435363738393031323334353637383930"  # RFC 6238's test secret, as hex


def code(key: str, at: float | None = None) -> str:
    totp = TOTP(unhexlify(key), step=30, t0=0, digits=6, drift=0)
    totp.time = at if at is not None else time.time()
    return f"{totp.token():06d}"


def enrolled(user, key=KEY) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="phone", key=key, confirmed=True)


@pytest.fixture(autouse=True)
def _required(settings):
    settings.ZONEOS_REQUIRE_2FA = True


def Client():  # noqa: N802 - the test client, in English (pages follow the language cookie only)
    client = DjangoClient()
    client.cookies["zoneos_language"] = "en"
    return client


def password_step(client, username, next_url="/"):
    return client.post(f"/login/?next={next_url}", {"username": username, "password": TEST_PASSWORD})


def signed_in(client) -> bool:
    return client.get("/api/v1/me/").status_code == 200


def test_superusers_and_area_admins_must_use_it_others_may(world, settings):
    assert twofactor.required_for(world.root)
    assert twofactor.required_for(world.admin)
    assert not twofactor.required_for(world.leader)
    assert not twofactor.required_for(world.enterprise)
    settings.ZONEOS_REQUIRE_2FA = False
    assert not twofactor.required_for(world.root)


def test_a_superuser_with_a_device_is_not_signed_in_by_the_password_alone(world):
    enrolled(world.root)
    client = Client()
    response = password_step(client, "root", "/enterprises/")
    assert response.status_code == 302 and response["Location"] == "/login/code/"
    # Half-signed-in: no page, no API through the session.
    assert client.get("/").status_code == 302
    assert client.get("/").headers["Location"].startswith("/login/")
    assert not signed_in(client)
    assert client.get("/admin/").status_code == 302
    page = client.get("/login/code/")
    assert page.status_code == 200 and 'name="token"' in page.content.decode()

    response = client.post("/login/code/", {"token": code(KEY)})
    assert response.status_code == 302 and response["Location"] == "/enterprises/"
    assert signed_in(client)
    assert client.get("/").status_code == 200
    assert client.get("/admin/").status_code == 200


def test_a_wrong_code_is_refused_and_counted_until_the_code_step_locks(world, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # django-otp's own growing delay is tested below
    enrolled(world.root)
    client = Client()
    password_step(client, "root")
    right = code(KEY)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    for _attempt in range(settings.LOGIN_MAX_FAILURES):
        response = client.post("/login/code/", {"token": wrong})
        assert response.status_code == 200
        assert "That code is not right" in response.content.decode()
        assert not signed_in(client)
    locked = client.post("/login/code/", {"token": right})
    assert locked.status_code == 429
    assert not signed_in(client)
    # The password step of that username is a different count: it still works, the code step does not.
    assert password_step(client, "root")["Location"] == "/login/code/"
    assert client.post("/login/code/", {"token": right}).status_code == 429


def test_the_devices_own_delay_follows_a_wrong_code(world):
    enrolled(world.root)
    client = Client()
    password_step(client, "root")
    client.post("/login/code/", {"token": "000000" if code(KEY) != "000000" else "111111"})
    # At once, even the right code waits (django-otp doubles the wait after each wrong one).
    response = client.post("/login/code/", {"token": code(KEY)})
    assert "wait" in response.content.decode() and not signed_in(client)
    time.sleep(1.1)
    assert client.post("/login/code/", {"token": code(KEY)}).status_code == 302
    assert signed_in(client)


def test_a_code_is_accepted_once(world):
    enrolled(world.root)
    first, second = Client(), Client()
    password_step(first, "root")
    password_step(second, "root")
    token = code(KEY)
    assert first.post("/login/code/", {"token": token}).status_code == 302
    assert second.post("/login/code/", {"token": token}).status_code == 200
    assert not signed_in(second)


def test_a_backup_code_signs_in_once(world):
    client = Client()
    password_step(client, "admin")
    enrol_page = client.get("/account/two-factor/")
    key = client.session[twofactor.ENROL_KEY]
    response = client.post("/account/two-factor/", {"token": code(key)})
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", response.content.decode())
    assert enrol_page.status_code == 200 and len(codes) == 10
    client.post("/logout/")

    again = Client()
    password_step(again, "admin")
    assert again.post("/login/code/", {"token": codes[0].upper()}).status_code == 302
    assert signed_in(again)
    third = Client()
    password_step(third, "admin")
    assert third.post("/login/code/", {"token": codes[0]}).status_code == 200
    assert not signed_in(third)
    assert twofactor.backup_codes_left(world.admin) == 9
    # Backup codes never count against the authenticator: its next code is taken at once.
    fourth = Client()
    password_step(fourth, "admin")
    assert fourth.post("/login/code/", {"token": code(key, time.time() + 30)}).status_code == 302


def test_an_admin_without_a_device_must_enrol_before_anything_else(world):
    client = Client()
    response = password_step(client, "admin", "/enterprises/")
    assert response["Location"] == "/account/two-factor/"
    assert not signed_in(client)
    assert client.get("/enterprises/").status_code == 302
    page = client.get("/account/two-factor/")
    body = page.content.decode()
    assert "<svg" in body and 'data-testid="secret"' in body
    key = client.session[twofactor.ENROL_KEY]
    # The secret shown is the one the session holds (what the QR code encodes).
    shown = re.search(r'data-testid="secret">([A-Z2-7 ]+)<', body).group(1)
    assert twofactor.secret_text(key) == shown

    wrong = client.post("/account/two-factor/", {"token": "12345"})
    assert wrong.status_code == 200 and "not right" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=world.admin).exists() and not signed_in(client)

    done = client.post("/account/two-factor/", {"token": code(key)})
    assert done.status_code == 200 and 'data-testid="backup-codes"' in done.content.decode()
    assert 'href="/enterprises/"' in done.content.decode()
    assert signed_in(client)
    assert client.get("/enterprises/").status_code == 200
    device = TOTPDevice.objects.get(user=world.admin)
    assert device.confirmed and device.key == key
    assert StaticToken.objects.filter(device__user=world.admin).count() == 10
    # History says who turned it on.
    entry = LogEntry.objects.get_for_object(world.admin).latest("timestamp")
    assert entry.changes == {"two_factor": ["off", "on"]} and entry.actor == world.admin


def test_a_session_signed_in_before_the_requirement_is_held_until_enrolled(world):
    client = Client()
    client.force_login(world.admin)
    assert client.get("/").headers["Location"] == "/account/two-factor/"
    assert client.get("/api/v1/me/").status_code in {401, 403}
    assert client.get("/account/two-factor/").status_code == 200
    key = client.session[twofactor.ENROL_KEY]
    client.post("/account/two-factor/", {"token": code(key)})
    assert client.get("/").status_code == 200
    assert signed_in(client)


def test_a_session_that_skipped_the_code_is_signed_out(world):
    enrolled(world.leader)
    client = Client()
    client.force_login(world.leader)
    response = client.get("/enterprises/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert not signed_in(client)


def test_others_sign_in_with_the_password_and_may_enrol(world):
    client = Client()
    assert password_step(client, "leader")["Location"] == "/"
    assert signed_in(client)
    assert client.get("/account/").status_code == 200
    client.get("/account/two-factor/")
    key = client.session[twofactor.ENROL_KEY]
    client.post("/account/two-factor/", {"token": code(key)})
    assert signed_in(client)
    client.post("/logout/")
    assert password_step(client, "leader")["Location"] == "/login/code/"


def test_a_user_turns_it_off_with_a_current_code_an_admin_may_not(world, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    enrolled(world.leader)
    client = Client()
    password_step(client, "leader")
    client.post("/login/code/", {"token": code(KEY)})
    refused = client.post("/account/two-factor/remove/", {"token": "000000"})
    assert refused.status_code == 200 and twofactor.has_device(world.leader)
    time.sleep(0.01)
    # The code just used is spent: the next one is from the next time step.
    response = client.post("/account/two-factor/remove/", {"token": code(KEY, time.time() + 30)})
    assert response.status_code == 302 and not twofactor.has_device(world.leader)

    enrolled(world.admin)
    admin = Client()
    password_step(admin, "admin")
    admin.post("/login/code/", {"token": code(KEY)})
    assert (
        admin.post("/account/two-factor/remove/", {"token": code(KEY, time.time() + 30)}).status_code == 403
    )
    assert twofactor.has_device(world.admin)


def test_an_admin_resets_another_users_device_and_history_names_them(world):
    enrolled(world.leader)
    admin = Client()
    admin.force_login(world.root)
    session = admin.session
    session["otp_device_id"] = enrolled(world.root, "00" * 20).persistent_id
    session.save()
    assert admin.get(f"/users/{world.leader.pk}/two-factor/reset/").status_code == 200
    assert admin.post(f"/users/{world.leader.pk}/two-factor/reset/").status_code == 302
    assert not twofactor.has_device(world.leader)
    entry = LogEntry.objects.get_for_object(world.leader).latest("timestamp")
    assert entry.changes == {"two_factor": ["on", "off"]} and entry.actor == world.root
    # The user signs in with the password alone again (their role does not require a device).
    client = Client()
    assert password_step(client, "leader")["Location"] == "/"


def test_a_user_out_of_an_admins_reach_cannot_be_reset(world):
    enrolled(world.root)
    enrolled(world.leader, "11" * 20)
    client = Client()
    client.force_login(world.leader)
    session = client.session
    session["otp_device_id"] = TOTPDevice.objects.get(user=world.leader).persistent_id
    session.save()
    assert client.post(f"/users/{world.root.pk}/two-factor/reset/").status_code in {403, 404}
    assert twofactor.has_device(world.root)


def test_the_admin_site_needs_the_code(world, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    enrolled(world.root)
    client = Client()
    form = {"username": "root", "password": TEST_PASSWORD, "next": "/admin/"}
    without = client.post("/admin/login/", form)
    assert without.status_code == 200 and "not right" in without.content.decode()
    assert client.get("/admin/").status_code == 302
    wrong = client.post("/admin/login/", {**form, "otp_token": "999999" if code(KEY) != "999999" else "1"})
    assert wrong.status_code == 200 and client.get("/admin/").status_code == 302
    right = client.post("/admin/login/", {**form, "otp_token": code(KEY)})
    assert right.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_the_admin_site_refuses_a_superuser_who_has_not_enrolled(world):
    client = Client()
    response = client.post(
        "/admin/login/",
        {"username": "root", "password": TEST_PASSWORD, "next": "/admin/"},
        headers={"accept-language": "en"},
    )
    assert response.status_code == 200 and "set up two-factor sign-in first" in response.content.decode()
    assert client.get("/admin/").status_code == 302


def test_wrong_admin_codes_lock_the_admin_code_step(world, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    enrolled(world.root)
    client = Client()
    form = {"username": "root", "password": TEST_PASSWORD, "otp_token": "000000"}
    if code(KEY) == "000000":
        form["otp_token"] = "111111"
    for _attempt in range(settings.LOGIN_MAX_FAILURES):
        client.post("/admin/login/", form)
    locked = client.post("/admin/login/", {**form, "otp_token": code(KEY)})
    assert "Too many failed sign-ins" in locked.content.decode()
    assert client.get("/admin/").status_code == 302


def test_a_pending_sign_in_expires(world, settings):
    enrolled(world.root)
    client = Client()
    password_step(client, "root")
    settings.ZONEOS_2FA_PENDING_SECONDS = -1
    response = client.post("/login/code/", {"token": code(KEY)})
    assert response.status_code == 302 and response["Location"] == "/login/"
    assert not signed_in(client)


def test_each_role_reaches_its_own_account_page_and_only_admins_reset_others(world, settings):
    from zoneos.testing.world import ALL_USERS

    settings.ZONEOS_REQUIRE_2FA = False  # here: who may, not how they signed in
    enrolled(world.leader)
    reset = f"/users/{world.leader.pk}/two-factor/reset/"
    anonymous = Client()
    assert anonymous.get("/account/")["Location"].startswith("/login/")
    assert anonymous.post(reset)["Location"].startswith("/login/")
    for name in ALL_USERS:
        if name == "leader":
            continue
        client = Client()
        client.force_login(world.users[name])
        assert client.get("/account/").status_code == 200, name
        page = client.get(reset).status_code
        if name in {"admin", "root"}:
            assert page == 200, name
        else:
            assert page in {403, 404}, name
            assert client.post(reset).status_code in {403, 404}, name
            assert twofactor.has_device(world.leader), name
    client = Client()
    client.force_login(world.admin)
    assert client.post(reset).status_code == 302
    assert not twofactor.has_device(world.leader)
    # The user's history tab names the change in words.
    history = client.get(f"/users/{world.leader.pk}/?tab=history").content.decode()
    assert "Two-factor sign-in" in history and "Not enabled" in history
