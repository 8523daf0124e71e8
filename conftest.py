"""Fixtures shared by every test: a fast password hasher, the named world, API clients per user."""

import collections
import copy
import os
import shutil
import tempfile

import pytest
from rest_framework.test import APIClient

from zoneos.testing.world import build_world

# Playwright's sync API runs an event loop in the test thread; Django must allow ORM calls there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _set_nodeid(item, nodeid: str) -> None:
    """Give a collected test the node id that xdist reports and schedules it by."""
    try:
        from _pytest.nodeid import NodeId  # pytest 9.2 keeps the id structured, behind `nodeid`
    except ImportError:
        item._nodeid = nodeid
    else:
        item._id = NodeId.parse(nodeid)
    if item.nodeid != nodeid:
        raise pytest.UsageError(f"cannot set the node id of {item.nodeid} to {nodeid}: pytest changed")


# Modules whose module-scoped fixture costs more than spreading their tests over the workers saves: each
# runs on one worker (`--dist loadgroup`), which builds the fixture once instead of once per worker.
ONE_WORKER_MODULES = {
    # `sqlite_demo` migrates a fresh database, loads the demo into it and backs it up, in subprocesses.
    "zoneos/core/tests/test_backup.py": "backup",
    # `counted` opens every page with the world's rows, then again with the tables grown.
    "tests/test_query_counts_pages.py": "query_counts_pages",
    # `example` renders the worked example's PDF and workbook.
    "zoneos/reports/tests/test_briefing.py": "briefing",
}


TRANSACTIONAL_FIXTURES = {
    "transactional_db",
    "live_server",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
}


def _shared_world_key(item) -> str | None:
    """The module whose shared world `item`'s `world` is a copy of; None where the test builds its own:
    a transactional test (it flushes the tables, so it cannot run inside the shared world's
    transaction), a test on several databases, or a module that keeps a world of its own
    (`module_world`)."""
    names = set(getattr(item, "fixturenames", ()))
    if "world" not in names or "module_world" in names or names & TRANSACTIONAL_FIXTURES:
        return None
    marker = item.get_closest_marker("django_db")
    if marker is not None:
        from pytest_django.fixtures import validate_django_db

        transaction, reset_sequences, databases, serialized_rollback, _apps = validate_django_db(marker)
        if transaction or reset_sequences or serialized_rollback:
            return None
        if databases not in (None, ["default"], ("default",)):
            return None
    return item.nodeid.split("::")[0]


class SharedWorld:
    """The named world built once for the tests of a module that a worker runs one after the other, in
    a transaction rolled back when the worker moves on (to another module, or to a test that cannot run
    inside it). Each test's `db` is a savepoint inside that transaction, rolled back after the test, so
    every test starts from the world as built, for the price of a savepoint and a deep copy instead of
    some eight hundred queries. The hooks below open and close it around the tests' own fixtures."""

    def __init__(self):
        self.key = None
        self.world = None
        self.media = None
        self.blocker = None  # django_db_blocker, once the test database exists (`_world_database`)
        self._atomic = None

    def open(self, key: str) -> None:
        from django.db import transaction
        from django.test.utils import override_settings

        self.media = tempfile.mkdtemp(prefix="zoneos-world-media-")
        # What the autouse fixtures give each test: a fast hasher, a cache and a media folder of its own.
        private = override_settings(
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
            CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
            MEDIA_ROOT=self.media,
        )
        with self.blocker.unblock(), private:
            self._atomic = transaction.atomic()
            self._atomic.__enter__()
            try:
                self.world = build_world()
            except BaseException:
                self.close()
                raise
        self.key = key

    def close(self) -> None:
        if self._atomic is not None:
            from django.db import transaction

            with self.blocker.unblock():
                transaction.set_rollback(True)
                self._atomic.__exit__(None, None, None)
        if self.media is not None:
            shutil.rmtree(self.media, ignore_errors=True)
        self.key = self.world = self.media = self._atomic = None

    def copy_for(self, item, media_root) -> object | None:
        """A deep copy of the shared world for `item` (its files copied to the test's media folder),
        or None where `item` builds its own."""
        if self.key is None or self.key != _shared_world_key(item):
            return None
        if os.listdir(self.media):
            shutil.copytree(self.media, media_root, dirs_exist_ok=True)
        return copy.deepcopy(self.world)


SHARED_WORLD = SharedWorld()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item):
    key = _shared_world_key(item)
    if SHARED_WORLD.key != key:
        SHARED_WORLD.close()
    if key is not None and SHARED_WORLD.key is None and SHARED_WORLD.blocker is not None:
        SHARED_WORLD.open(key)
    return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    try:
        return (yield)
    finally:
        if nextitem is None or _shared_world_key(nextitem) != SHARED_WORLD.key:
            SHARED_WORLD.close()


@pytest.fixture(scope="session")
def _world_database(django_db_setup, django_db_blocker):
    """The test database exists from here on: the shared world can be built in it."""
    SHARED_WORLD.blocker = django_db_blocker
    yield
    SHARED_WORLD.close()
    SHARED_WORLD.blocker = None


def _shared_world_last(items) -> list:
    """Within each run of a module's tests, those with a shared world after the others (in their own
    order), so that no test that does not ask for the world finds its rows."""
    out, run = [], []
    for item in items:
        if run and item.nodeid.split("::")[0] != run[0].nodeid.split("::")[0]:
            out.extend(sorted(run, key=lambda i: _shared_world_key(i) is not None))
            run = []
        run.append(item)
    out.extend(sorted(run, key=lambda i: _shared_world_key(i) is not None))
    return out


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Under xdist (`make test` runs `-n auto --dist loadgroup`) the tests of each of ONE_WORKER_MODULES
    run on one worker; the other tests are spread over the workers, one by one, in pytest-django's order
    (the tests in a transaction first, then the transactional ones, which flush the tables a migration
    filled, such as the industry codes: each worker's flushes come after its other database tests).

    The browser tests are not grouped on one worker: xdist sends the largest groups first, so a worker
    would flush its database before its other tests; and one worker for all of them would end the run
    with minutes of browser tests after the other worker has run out of work.

    xdist hands tests to its workers by node id, and finds a test's group in its id (`…@backup`).
    Since pytest 9.2 the id is no longer the parent's id and the test's name, which broke both:
    schemathesis' tests (one per API operation of a property test) all got their test function's id,
    and the group xdist appends (to an attribute pytest 9.2 no longer reads) was lost, so no group held.
    Each id is set here, after xdist's own hook, as pytest gave it before 9.2, with its group. Tests
    that still shared their id would run once, not once each: such a run is refused rather than passing
    with tests left out."""
    items[:] = _shared_world_last(items)
    loadgroup = getattr(config.option, "loadgroup", False)
    for item in items:
        module = item.nodeid.split("::")[0]
        if module in ONE_WORKER_MODULES:
            item.add_marker(pytest.mark.xdist_group(ONE_WORKER_MODULES[module]))
        nodeid = f"{item.parent.nodeid}::{item.name}"
        groups = {
            str(mark.args[0] if mark.args else mark.kwargs.get("name", "default"))
            for mark in item.iter_markers("xdist_group")
        }
        if loadgroup and groups:
            nodeid += "@" + "_".join(sorted(groups))
        if nodeid != item.nodeid:
            _set_nodeid(item, nodeid)
    if getattr(config, "workerinput", None) is not None:
        ids = collections.Counter(item.nodeid for item in items)
        shared = sorted(nodeid for nodeid, count in ids.items() if count > 1)
        if shared:
            raise pytest.UsageError(
                "These tests share their node ids and would run once each under xdist: " + ", ".join(shared)
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
def world(_world_database, db, request, settings):
    """The named world (`zoneos.testing.world`): a copy of the module's shared world where the test runs
    in a transaction (`SharedWorld`), else built for the test."""
    shared = SHARED_WORLD.copy_for(request.node, settings.MEDIA_ROOT)
    return shared if shared is not None else build_world()


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


@pytest.fixture
def back_to_the_latest_migrations(transactional_db):
    """For a test that migrates a database back and forth: after it, every app is at its latest
    migration again, whichever migration the test itself ends on (an app's newer migration added later
    would otherwise be left undone for the tests that run after it on the same database)."""
    yield
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
