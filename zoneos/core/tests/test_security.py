"""The security baseline: production refuses to start unconfigured, passes `check --deploy`,
hashes passwords with Argon2 and throttles sign-in."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[3]


def run_manage(*args, **env):
    unwanted = {"SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment = {k: v for k, v in os.environ.items() if k not in unwanted}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_secret_key_hosts_and_site_address():
    result = run_manage("check", ZONEOS_ENV="production")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
    result = run_manage("check", ZONEOS_ENV="production", SECRET_KEY="k" * 60)
    assert "ALLOWED_HOSTS must be set" in result.stderr
    result = run_manage("check", ZONEOS_ENV="production", SECRET_KEY="k" * 60, ALLOWED_HOSTS="zoneos.cn")
    assert result.returncode != 0
    assert "ZONEOS_SITE_URL must be set" in result.stderr


def test_production_passes_the_deployment_checklist():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        ZONEOS_ENV="production",
        SECRET_KEY="a-production-secret-that-is-long-and-random-" + "q8Zr!x" * 8,
        ALLOWED_HOSTS="zoneos.example.gov.cn",
        ZONEOS_SITE_URL="https://zoneos.example.gov.cn",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_passwords_are_hashed_with_argon2():
    # Tests swap in a fast hasher; the shipped settings are what matter here.
    from zoneos import settings as shipped

    assert shipped.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


@pytest.mark.django_db
def test_sign_in_is_throttled_after_repeated_failures(world, client):
    world.leader.set_password("the-right-password")
    world.leader.save()
    for _ in range(settings.LOGIN_MAX_FAILURES):
        assert client.post("/login/", {"username": "leader", "password": "wrong"}).status_code == 200
    locked = client.post("/login/", {"username": "leader", "password": "the-right-password"})
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_forms_need_a_csrf_token(world):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(world.admin)
    assert strict.post("/set-area/", {"area": ""}).status_code == 403


# Throttling by username and by client address, on /login/ and /admin/login/ alike.

LOCK_MESSAGE = "登录失败次数过多"  # the lock message, as shown in the default language (zh-hans)


@pytest.fixture
def staff(django_user_model):
    """Two staff users who may sign in to the admin, each with the password "right-password"."""
    return [
        django_user_model.objects.create_user(name, password="right-password", is_staff=True)
        for name in ("clerk", "officer")
    ]


def admin_post(client, username, password, **meta):
    return client.post("/admin/login/", {"username": username, "password": password}, **meta)


@pytest.mark.django_db
def test_admin_login_locks_the_username_after_its_failures(client, staff, settings):
    settings.LOGIN_MAX_FAILURES = 3
    settings.LOGIN_MAX_FAILURES_PER_ADDRESS = 10
    for _ in range(3):
        assert admin_post(client, "clerk", "wrong").status_code == 200
    locked = admin_post(client, "clerk", "right-password")
    assert locked.status_code == 429
    assert LOCK_MESSAGE in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # Another username from the same address still signs in.
    assert admin_post(client, "officer", "right-password").status_code == 302
    assert client.session["_auth_user_id"] == str(staff[1].pk)


@pytest.mark.django_db
def test_the_username_lock_is_shared_by_login_and_admin_login(client, staff, settings):
    settings.LOGIN_MAX_FAILURES = 2
    for _ in range(2):
        client.post("/login/", {"username": "clerk", "password": "wrong"})
    locked = admin_post(client, "clerk", "right-password")
    assert locked.status_code == 429
    assert LOCK_MESSAGE in locked.content.decode()


@pytest.mark.django_db
def test_a_successful_admin_sign_in_clears_the_usernames_failures(client, staff, settings):
    settings.LOGIN_MAX_FAILURES = 3
    for _ in range(2):
        admin_post(client, "clerk", "wrong")
    assert admin_post(client, "clerk", "right-password").status_code == 302
    client.logout()
    for _ in range(2):
        assert admin_post(client, "clerk", "wrong").status_code == 200
    assert admin_post(client, "clerk", "right-password").status_code == 302


@pytest.mark.django_db
def test_the_address_limit_trips_across_usernames(client, staff, settings):
    settings.LOGIN_MAX_FAILURES = 3
    settings.LOGIN_MAX_FAILURES_PER_ADDRESS = 4
    for name in ("a", "b", "c", "d"):  # one failure each: no username near its own limit
        assert admin_post(client, name, "wrong").status_code == 200
    locked = admin_post(client, "officer", "right-password")
    assert locked.status_code == 429
    assert LOCK_MESSAGE in locked.content.decode()
    # Another address is not affected.
    assert admin_post(client, "officer", "right-password", REMOTE_ADDR="10.0.0.9").status_code == 302


@pytest.mark.django_db
def test_the_proxy_header_is_ignored_unless_configured(client, staff, settings):
    settings.LOGIN_MAX_FAILURES = 10
    settings.LOGIN_MAX_FAILURES_PER_ADDRESS = 2
    settings.ZONEOS_CLIENT_IP_HEADER = ""
    # A client forging different X-Forwarded-For values is still counted by its REMOTE_ADDR.
    for n in range(2):
        admin_post(client, f"u{n}", "wrong", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    refused = admin_post(client, "clerk", "right-password", HTTP_X_FORWARDED_FOR="192.0.2.99")
    assert refused.status_code == 429


@pytest.mark.django_db
def test_the_proxy_header_gives_the_address_when_configured(client, staff, settings):
    settings.LOGIN_MAX_FAILURES = 10
    settings.LOGIN_MAX_FAILURES_PER_ADDRESS = 2
    settings.ZONEOS_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    # All behind one proxy (one REMOTE_ADDR); the right-most entry, added by the proxy, counts —
    # the forged left-hand entries do not.
    for n in range(2):
        admin_post(client, f"u{n}", "wrong", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}, 203.0.113.7")
    behind_same = admin_post(client, "clerk", "right-password", HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert behind_same.status_code == 429
    other = admin_post(client, "clerk", "right-password", HTTP_X_FORWARDED_FOR="203.0.113.8")
    assert other.status_code == 302


def test_client_address_rule(rf, settings):
    from zoneos.core.throttle import client_address

    request = rf.get("/", REMOTE_ADDR="10.1.1.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 5.6.7.8")
    settings.ZONEOS_CLIENT_IP_HEADER = ""
    assert client_address(request) == "10.1.1.1"
    settings.ZONEOS_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    assert client_address(request) == "5.6.7.8"
    assert client_address(rf.get("/", REMOTE_ADDR="10.1.1.1")) == "10.1.1.1"  # header missing


@pytest.mark.django_db
def test_one_users_typos_on_login_do_not_lock_the_office(client, staff, settings):
    # Changed behaviour: five failures used to lock everyone behind the address; now only that username.
    for _ in range(settings.LOGIN_MAX_FAILURES):
        client.post("/login/", {"username": "clerk", "password": "wrong"})
    assert client.post("/login/", {"username": "clerk", "password": "right-password"}).status_code == 429
    assert client.post("/login/", {"username": "officer", "password": "right-password"}).status_code == 302
