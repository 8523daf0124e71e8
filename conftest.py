"""Fixtures shared by every test: a fast password hasher, the named world, API clients per user."""

import os

import pytest
from rest_framework.test import APIClient

from zoneos.testing.world import build_world

# Playwright's sync API runs an event loop in the test thread; Django must allow ORM calls there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _private_files_and_cache(settings, tmp_path):
    """Uploads go to the test's own folder; the cache is the test process's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


@pytest.fixture(autouse=True)
def _fresh_cache(_private_files_and_cache):
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _no_language_left_over():
    """Each test starts with no language activated, whatever an earlier request switched to."""
    from django.utils import translation

    translation.deactivate_all()
    yield
    translation.deactivate_all()


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def api():
    """`api(user)` gives an API client authenticated as that user (None: anonymous).

    The client asks for English (`language="zh-hans"` for Chinese), so messages are stable to assert on.
    """

    def make(user=None, language="en"):
        client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
        if user is not None:
            client.force_authenticate(user)
        return client

    return make
