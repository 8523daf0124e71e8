"""Running the declared jobs: claim a due job's row, run it, record how it went.

`Scheduler.run_pending()` is one pass; `Scheduler.run_forever()` passes every `tick` seconds until
`stop()` (SIGTERM in `manage.py scheduler`). Every database write is one autocommitted statement, so a
claim is visible to the other schedulers the moment it is made.
"""

from __future__ import annotations

import datetime
import logging
import os
import socket
import threading
import time
import traceback
import uuid
from collections.abc import Mapping
from dataclasses import dataclass

from django.db import close_old_connections, connection
from django.db.models import F, Q
from django.utils import timezone

from . import registry
from .models import Heartbeat, Outcome, ScheduledJob

logger = logging.getLogger("zoneos.scheduler")

RESULT_LENGTH = 4000  # characters of a result or a traceback kept on the job's row


def process_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def beat(name: str, by: str = "") -> None:
    """Record that the process `name` is alive now (two processes of one kind share the row)."""
    now = timezone.now()
    by = (by or process_name())[:200]
    if not Heartbeat.objects.filter(name=name).update(at=now, by=by):
        Heartbeat.objects.bulk_create([Heartbeat(name=name, at=now, by=by)], ignore_conflicts=True)


def summary(result: object) -> str:
    """A short text of what a job returned: counts by key, a length, or the value itself."""
    if result is None:
        return ""
    if isinstance(result, Mapping):
        return ", ".join(f"{key}={value}" for key, value in sorted(result.items())) or "nothing due"
    if isinstance(result, list | tuple | set):
        return str(len(result))
    return str(result)[:RESULT_LENGTH]


@dataclass
class Run:
    job: str
    outcome: str
    duration: float
    result: str


class Scheduler:
    def __init__(self, jobs: dict[str, registry.Job] | None = None, *, tick: float = 5.0):
        self.jobs = registry.jobs() if jobs is None else jobs
        self.tick = tick
        self.identity = f"{process_name()}:{uuid.uuid4().hex[:8]}"
        self._stopping = threading.Event()
        self._known = False

    # The rows ---------------------------------------------------------------------------------------
    def declare(self) -> None:
        """A row for each declared job, due at once when new (a daily one at its time); a changed period
        is taken over."""
        now = timezone.now()
        ScheduledJob.objects.bulk_create(
            [
                ScheduledJob(
                    name=job.name, every=job.every, next_run_at=now if job.at is None else job.next_after(now)
                )
                for job in self.jobs.values()
            ],
            ignore_conflicts=True,
        )
        for job in self.jobs.values():
            ScheduledJob.objects.filter(name=job.name).exclude(every=job.every).update(every=job.every)
        self._known = True

    def claim(self, job: registry.Job) -> datetime.datetime | None:
        """Take the job's due run: the moment it was taken, None when it is not due or another scheduler
        holds it."""
        now = timezone.now()
        claimed = (
            ScheduledJob.objects.filter(name=job.name, next_run_at__lte=now)
            .filter(Q(locked_until__isnull=True) | Q(locked_until__lt=now))
            .update(
                locked_until=now + datetime.timedelta(seconds=job.lease),
                locked_by=self.identity,
                last_started_at=now,
            )
        )
        return now if claimed else None

    def run(self, job: registry.Job, started: datetime.datetime | None = None) -> Run:
        """Run a claimed job and record its outcome; an exception is recorded, never raised. The next run
        is due one period after this one started."""
        started = started or timezone.now()
        clock = time.monotonic()
        try:
            result, outcome = summary(job()), Outcome.OK
        except Exception:
            logger.exception("Scheduled job %s failed", job.name)
            result, outcome = traceback.format_exc()[-RESULT_LENGTH:], Outcome.FAILED
        duration = time.monotonic() - clock
        if outcome == Outcome.FAILED and connection.connection is not None and not connection.is_usable():
            connection.close()  # a job that broke the connection must not break the record: reconnect
        ScheduledJob.objects.filter(name=job.name, locked_by=self.identity).update(
            next_run_at=job.next_after(started),
            locked_until=None,
            locked_by="",
            last_finished_at=timezone.now(),
            last_duration=round(duration, 3),
            last_outcome=outcome,
            last_result=result,
            runs=F("runs") + 1,
            failures=F("failures") + (1 if outcome == Outcome.FAILED else 0),
        )
        # A failure was logged with its traceback above; the admin shows every run.
        logger.debug("Scheduled job %s: %s in %.3f s %s", job.name, outcome, duration, result[:200])
        return Run(job.name, outcome, duration, result)

    def run_pending(self) -> list[Run]:
        """One pass: run every due job this scheduler can claim. The scheduler's heartbeat is recorded at
        the start and after each run (a pass of several long jobs still shows the scheduler alive; one
        job longer than ZONEOS_HEARTBEAT_MAX_AGE makes /readyz report the scheduler stale meanwhile)."""
        if not self._known:
            self.declare()
        beat("scheduler", self.identity)
        done = []
        for job in self.jobs.values():
            if self._stopping.is_set():
                break
            started = self.claim(job)
            if started:
                done.append(self.run(job, started))
                beat("scheduler", self.identity)
        return done

    # The loop ---------------------------------------------------------------------------------------
    def stop(self) -> None:
        """Finish the job that is running, then leave the loop."""
        self._stopping.set()

    def run_forever(self) -> None:
        while not self._stopping.is_set():
            close_old_connections()
            try:
                self.run_pending()
            except Exception:  # the database went away: try again on the next tick
                logger.exception("Scheduler pass failed")
            self._stopping.wait(self.tick)
