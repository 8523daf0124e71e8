"""A worker killed in the middle of a commit: nothing of the file is written, the job reads as
interrupted once the worker's lease expires, and running it again imports every row.

The commit runs in a real `db_worker` process on a file database (a copy of the test database, made
before this test writes anything), and is killed with SIGKILL once it has written its first chunks
inside its transaction. ZONEOS_KILL_TEST_ROWS sets the file's size: 6,000 rows (three chunks) by
default, so that the test takes some seconds; 100,000 works too, in about half a minute.
"""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db import connection

from zoneos.tabular import engine

ROWS = int(os.environ.get("ZONEOS_KILL_TEST_ROWS", "6000"))
LEASE = 1.0  # seconds: the worker's lease, short so that the test need not wait for it

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


@pytest.fixture
def file_database(db, tmp_path):
    """The migrated test database (reference data included) copied to a file that processes share.

    The test's transaction has written nothing yet, so SQLite's backup reads the database as migrated."""
    if connection.vendor != "sqlite":
        pytest.skip("the file copy is made with SQLite's backup API")
    path = tmp_path / "zoneos.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.close()
    return path


def _environment(tmp_path, database, **extra) -> dict:
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith(("DATABASE_URL", "REDIS_URL"))
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="zoneos.settings",
        DATABASE_URL=f"sqlite:///{database}",
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


def test_a_worker_killed_mid_commit_writes_nothing_and_the_import_runs_again(
    file_database, tmp_path, settings
):
    # This process reads the progress the worker writes to the shared file cache.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "cache"),
        }
    }
    # The worker starts while the job is being prepared: each process takes a second or two to start.
    log = tmp_path / "worker.log"
    log_file = log.open("wb")
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--max-tasks", "1", "--interval", "0.05"]
        + ["--no-reload", "--no-startup-delay"],
        cwd=django_settings.BASE_DIR,
        env=_environment(tmp_path, file_database),
        stdout=subprocess.DEVNULL,
        stderr=log_file,
    )
    written_before_kill = 0
    try:
        queued = _step(_environment(tmp_path, file_database, ZONEOS_IMPORT_INLINE_ROWS="0"), "prepare", ROWS)
        assert queued["status"] == "queued"
        job = queued["job"]
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and worker.poll() is None:
            written_before_kill = cache.get(engine.progress_key(job)) or 0
            if written_before_kill >= engine.CHUNK:
                break
            time.sleep(0.01)
        assert worker.poll() is None, (
            "the worker stopped before it could be killed: " + log.read_text()[-2000:]
        )
        assert written_before_kill >= engine.CHUNK, "the worker never started the commit"
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
        log_file.close()
    assert written_before_kill < ROWS

    killed_at = time.time()
    environment = _environment(tmp_path, file_database, ZONEOS_IMPORT_INLINE_ROWS=str(ROWS))
    seen = _step(environment, "rerun", job, killed_at + LEASE + 0.1)
    assert seen["before"]["written"] == 0  # the rows the worker had written went with its transaction
    assert seen["before"]["status"] == "interrupted" and "Run it again" in seen["before"]["reason"]
    assert seen["after"] == {"code": 200, "status": "committed", "created": ROWS, "written": ROWS}
