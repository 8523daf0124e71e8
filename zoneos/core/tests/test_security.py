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
