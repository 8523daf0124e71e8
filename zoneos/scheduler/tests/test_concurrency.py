"""Two schedulers, each on its own connection, pass over the same due jobs at the same moment: each job
runs once. PostgreSQL only (like the other concurrency tests): SQLite serialises whole writes."""

import threading
import time

import pytest
from django.db import connection

from zoneos.scheduler import registry
from zoneos.scheduler.models import ScheduledJob
from zoneos.scheduler.runner import Scheduler

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs row locks across connections (PostgreSQL); SQLite serialises whole writes",
    ),
]


def test_two_schedulers_never_run_a_due_job_twice():
    runs: list[tuple[str, str]] = []
    lock = threading.Lock()

    def make(name):
        def work():
            with lock:
                runs.append((name, threading.current_thread().name))
            time.sleep(0.05)  # the other scheduler tries the job while this run holds it

        return registry.Job(name=name, every=3600, function=work, lease=600)

    declared = {f"test.job{n}": make(f"test.job{n}") for n in range(8)}
    Scheduler(declared).declare()
    start = threading.Barrier(2)
    errors = []

    def scheduler(name):
        try:
            mine = Scheduler(declared)
            start.wait(10)
            for _ in range(3):  # several passes, as the loop makes
                mine.run_pending()
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=scheduler, args=(n,), name=n) for n in ("first", "second")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert errors == []
    assert sorted(name for name, _thread in runs) == sorted(declared)
    assert {thread for _name, thread in runs} == {"first", "second"}  # both took part
    assert set(ScheduledJob.objects.values_list("runs", flat=True)) == {1}
