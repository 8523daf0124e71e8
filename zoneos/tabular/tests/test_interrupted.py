"""A worker killed in the middle of a commit: nothing of the file is written, the job reads as
interrupted once the worker's lease expires, and running it again imports every row.

The commit runs in a real `db_worker` process and is killed with SIGKILL once it has written its first
chunks inside its transaction. The test's processes share a database: on SQLite a copy of the test
database (which is in memory) in a file, on PostgreSQL the test database itself, whose rows are put back
afterwards as the test found them. ZONEOS_KILL_TEST_ROWS sets the file's size: 6,000 rows (three chunks)
by default, so that the test takes some seconds; 100,000 works too, in about half a minute.
"""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from urllib.parse import quote, urlencode

import pytest
from django.conf import settings as django_settings
from django.db import connection

from zoneos.tabular import engine

ROWS = int(os.environ.get("ZONEOS_KILL_TEST_ROWS", "6000"))
LEASE = 1.0  # seconds: the worker's lease, short so that the test need not wait for it

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


@pytest.fixture
def database_url(db, tmp_path):
    """The DATABASE_URL of the test's processes, with the test database's reference data.

    This process writes nothing: its transaction (`db`) is only there for pytest-django to set the test
    database up. On SQLite the test database is copied to a file (as SQL), before
    anything is written. On PostgreSQL the processes use the test database this worker uses (`test_…`,
    with xdist a `_gwN` suffix, so read from the settings) and commit to it, outside this process's
    transaction: its rows as they were before (content types, permissions, the industry codes and
    working-day calendar the migrations loaded, …) are put back afterwards, the others removed."""
    if connection.vendor == "sqlite":
        path = tmp_path / "zoneos.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(path, isolation_level=None)
        # Copied as SQL, not with the backup API: the backup waits forever on a source connection that
        # holds a write transaction, and the test's transaction begins IMMEDIATE (settings: SQLite
        # takes its write lock at BEGIN).
        target.executescript("\n".join(connection.connection.iterdump()))
        target.close()
        yield f"sqlite:///{path}"
    elif connection.vendor == "postgresql":
        kept = _committed_rows()
        try:
            yield _postgresql_url(connection.settings_dict)
        finally:
            _put_back(kept)
    else:
        pytest.skip(f"no {connection.vendor} database shared with other processes")


def _postgresql_url(settings_dict: dict) -> str:
    user, password = settings_dict["USER"] or "", settings_dict["PASSWORD"] or ""
    credentials = quote(user, safe="") + (f":{quote(password, safe='')}" if password else "")
    host = settings_dict["HOST"] or ""
    if host.startswith("/"):  # a socket directory, written as dj-database-url reads it
        host = quote(host, safe="")
    port = f":{settings_dict['PORT']}" if settings_dict["PORT"] else ""
    # Query parameters are how dj-database-url fills OPTIONS (sslmode, …): given back the same way.
    options = {key: value for key, value in settings_dict["OPTIONS"].items() if isinstance(value, str)}
    query = f"?{urlencode(options)}" if options else ""
    at = "@" if credentials else ""
    return f"postgres://{credentials}{at}{host}{port}/{quote(settings_dict['NAME'], safe='')}{query}"


def _committed_rows() -> dict[str, bytes]:
    """Every table's committed rows, in PostgreSQL's binary COPY format."""
    side = connection.copy()  # a second connection, outside this test's transaction
    try:
        side.ensure_connection()
        tables = side.introspection.django_table_names(only_existing=True, include_views=False)
        kept = {}
        with side.connection.cursor() as cursor:
            for table in tables:
                with cursor.copy(f"COPY {side.ops.quote_name(table)} TO STDOUT (FORMAT BINARY)") as rows:
                    kept[table] = b"".join(rows)
        return kept
    finally:
        side.close()


def _put_back(kept: dict[str, bytes]) -> None:
    """The tables as `_committed_rows` found them: emptied, the kept rows copied back, in one transaction.

    Rows, not objects: no signal runs (the audit log would record every row put back) and the ids and
    sequences stay as they were. The foreign keys Django makes are deferred to the commit."""
    side = connection.copy()
    quote_name = side.ops.quote_name
    try:
        side.ensure_connection()
        with side.connection.transaction(), side.connection.cursor() as cursor:
            # Not forever behind a lock: this test's own transaction must not have read these tables.
            cursor.execute("SET LOCAL lock_timeout = '30s'")
            cursor.execute(f"TRUNCATE {', '.join(map(quote_name, kept))}")
            for table, rows in kept.items():
                with cursor.copy(f"COPY {quote_name(table)} FROM STDIN (FORMAT BINARY)") as copy:
                    copy.write(rows)
    finally:
        side.close()


def _environment(tmp_path, database_url, **extra) -> dict:
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith(("DATABASE_URL", "REDIS_URL"))
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="zoneos.settings",
        DATABASE_URL=database_url,
        ZONEOS_VAR_DIR=str(tmp_path),  # the file cache (progress, leases) and the media folder
        ZONEOS_IMPORT_LEASE_SECONDS=str(LEASE),
        **extra,
    )
    return environment


def _step(environment, *arguments) -> dict:
    done = subprocess.run(
        [sys.executable, "-m", "zoneos.tabular.tests.interrupted_import", *map(str, arguments)],
        cwd=django_settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_worker_killed_mid_commit_writes_nothing_and_the_import_runs_again(database_url, tmp_path):
    # The worker starts while the job is being prepared: each process takes a second or two to start.
    # It holds still once its transaction has written the first chunk (see `interrupted_import.work`).
    halfway = tmp_path / "halfway"
    log = tmp_path / "worker.log"
    log_file = log.open("wb")
    worker = subprocess.Popen(
        [sys.executable, "-m", "zoneos.tabular.tests.interrupted_import", "work", str(halfway)],
        cwd=django_settings.BASE_DIR,
        env=_environment(tmp_path, database_url),
        stdout=subprocess.DEVNULL,
        stderr=log_file,
    )
    try:
        queued = _step(_environment(tmp_path, database_url, ZONEOS_IMPORT_INLINE_ROWS="0"), "prepare", ROWS)
        assert queued["status"] == "queued"
        job = queued["job"]
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and worker.poll() is None and not halfway.exists():
            time.sleep(0.02)
        stopped = worker.poll() is not None
        assert not stopped, "the worker stopped before it could be killed: " + log.read_text()[-2000:]
        assert halfway.exists(), "the worker never started the commit: " + log.read_text()[-2000:]
        written_before_kill = int(halfway.read_text())
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
        log_file.close()
    assert engine.CHUNK <= written_before_kill < ROWS

    killed_at = time.time()
    environment = _environment(tmp_path, database_url, ZONEOS_IMPORT_INLINE_ROWS=str(ROWS))
    seen = _step(environment, "rerun", job, killed_at + LEASE + 0.1)
    assert seen["before"]["written"] == 0  # the rows the worker had written went with its transaction
    assert seen["before"]["status"] == "interrupted" and "Run it again" in seen["before"]["reason"]
    assert seen["after"] == {"code": 200, "status": "committed", "created": ROWS, "written": ROWS}
