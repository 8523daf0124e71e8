"""Fixtures shared by every test: a fast password hasher, the named world, API clients per user."""

import collections
import copy
import os

import pytest
from rest_framework.test import APIClient

from zoneos.testing.world import build_world

# Playwright's sync API runs an event loop in the test thread; Django must allow ORM calls there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    """Under xdist (`make test` runs `-n auto --dist loadgroup`) the browser tests share one worker, so
    one Chromium is started, not one per worker; the other tests are spread over the workers.

    xdist hands tests to its workers by node id, so tests that share one (schemathesis gives each API
    operation of a property test the test's own id) would run once, not once each: such a run is
    refused rather than passing with tests left out. `make test` runs the property tests on their own,
    without xdist."""
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.xdist_group("browser"))
    if getattr(config.option, "numprocesses", None) and not getattr(config, "workerinput", None):
        ids = collections.Counter(item.nodeid for item in items)
        shared = sorted(nodeid for nodeid, count in ids.items() if count > 1)
        if shared:
            raise pytest.UsageError(
                "These tests share their node ids and would run once each under xdist; run them with "
                "-p no:xdist: " + ", ".join(shared)
            )


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


@pytest.fixture(scope="module")
def module_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The named world built once for a whole module, in a transaction rolled back after its last test.

    A test that uses it must also use `db`: its own transaction is then a savepoint inside the module's,
    rolled back after the test, so every test starts from the world as built (for the price of a
    savepoint, not of some hundred rows). Not for a module with transactional tests, which would flush
    the tables under it; the records' Python objects are shared by the module's tests, so a test that
    changes one must `refresh_from_db()` rather than trust it.
    """
    from django.db import transaction
    from django.test.utils import override_settings

    # What the autouse fixtures give each test: a fast hasher, a cache and a media folder of its own.
    private = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
        MEDIA_ROOT=tmp_path_factory.mktemp("media"),
    )
    with django_db_blocker.unblock(), private:
        module_transaction = transaction.atomic()
        module_transaction.__enter__()
        try:
            world = build_world()
        except BaseException:
            transaction.set_rollback(True)
            module_transaction.__exit__(None, None, None)
            raise
    try:
        yield world
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            module_transaction.__exit__(None, None, None)


@pytest.fixture
def world_from_module(module_world, db):
    """The module's world as built, for a module of many tests that each need all of it (the permission
    matrix): a module that overrides `world` with it stops paying for a world in each test.

    The records are deep copies of the module's, so a test that changes one in memory (a service that
    sets a status, a cache a scoping call keeps on a user) leaves the next test the world as built; the
    rows are the module's, in this test's savepoint (`db`), rolled back after it.
    """
    return copy.deepcopy(module_world)


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
