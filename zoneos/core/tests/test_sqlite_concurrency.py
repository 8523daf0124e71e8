"""SQLite under concurrent writes: a writer waits for the one before it instead of answering 500
"database is locked".

With SQLite's default deferred transactions, two transactions that both read and then write deadlock:
the second to write gets SQLITE_BUSY at once, whatever the busy timeout. `transaction_mode: IMMEDIATE`
takes the write lock at BEGIN, so the others wait there (up to the timeout) and then run. The test
runs on a file database (the in-memory test database has one connection and no locking to speak of).
"""

import copy
import threading
import time

import pytest
from django.conf import settings
from django.db import connections, transaction

pytestmark = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
    reason="SQLite's locking; PostgreSQL has row locks",
)

ALIAS = "concurrent_sqlite_file"
WRITERS = 6
WRITES = 5


@pytest.fixture
def file_database(tmp_path, django_db_blocker):
    config = copy.deepcopy(settings.DATABASES["default"])  # the configured OPTIONS, not the test ones
    config.update(NAME=str(tmp_path / "concurrent.sqlite3"), TEST={}, ATOMIC_REQUESTS=False)
    config.setdefault("TIME_ZONE", None)
    config.setdefault("CONN_MAX_AGE", 0)
    config.setdefault("CONN_HEALTH_CHECKS", False)
    config.setdefault("AUTOCOMMIT", True)
    connections.settings[ALIAS] = config
    with django_db_blocker.unblock():  # a database of its own, not the test database
        with connections[ALIAS].cursor() as cursor:
            cursor.execute("CREATE TABLE counter (n integer NOT NULL UNIQUE)")
            cursor.execute("INSERT INTO counter VALUES (0)")
        connections[ALIAS].close()
        yield ALIAS
    del connections.settings[ALIAS]


def test_concurrent_writers_all_succeed(file_database):
    """Six writers, five read-then-write transactions each, all at once: every one commits, and the
    counter went up by exactly one per transaction (none lost, none refused)."""
    failures: list[BaseException] = []
    start = threading.Barrier(WRITERS)

    def writer():
        try:
            start.wait()
            for _ in range(WRITES):
                with (
                    transaction.atomic(using=file_database),
                    connections[file_database].cursor() as cursor,
                ):
                    cursor.execute("SELECT MAX(n) FROM counter")
                    (current,) = cursor.fetchone()
                    time.sleep(0.01)  # the window in which another writer comes in
                    cursor.execute("INSERT INTO counter VALUES (%s)", [current + 1])
        except BaseException as exc:  # reported below, with the others
            failures.append(exc)
        finally:
            connections[file_database].close()

    threads = [threading.Thread(target=writer) for _ in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert failures == []
    with connections[file_database].cursor() as cursor:
        cursor.execute("SELECT COUNT(*), MAX(n) FROM counter")
        assert cursor.fetchone() == (WRITERS * WRITES + 1, WRITERS * WRITES)
    connections[file_database].close()
