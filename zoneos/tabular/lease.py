"""Whether the run of an import is still alive: the process running it keeps a short lease in the cache
and renews it from a heartbeat thread, so a worker killed mid-run (SIGKILL, a lost machine) leaves a
lease that simply expires, and the job then reads as interrupted and may be run again.

The lease lives in the cache, not in the job's row, because a commit is one transaction: on SQLite no
other connection can write while it lasts, and the job's row is written inside it at the end (see
`engine.run`). The cache is already the channel between a worker's transaction and the pages (progress).
Correctness never rests on the lease: each run carries the job's `attempt`, every write of a run is
conditional on it, so a run taken over after a lost lease writes nothing.
"""

from __future__ import annotations

import logging
import os
import threading

from django.core.cache import cache

LEASE_SECONDS = float(os.environ.get("ZONEOS_IMPORT_LEASE_SECONDS", "60"))
logger = logging.getLogger(__name__)


def key(job_id: int, attempt: int) -> str:
    return f"zoneos:import:{job_id}:{attempt}:lease"


def alive(job_id: int, attempt: int) -> bool:
    return cache.get(key(job_id, attempt)) is not None


class Heartbeat:
    """Holds the lease of run `attempt` of a job for as long as the `with` block lasts, whatever the
    run is doing (a long chunk, a slow `finish`): a daemon thread renews it every quarter lease."""

    def __init__(self, job_id: int, attempt: int):
        self.key = key(job_id, attempt)
        self.seconds = LEASE_SECONDS
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name=f"import-lease-{job_id}", daemon=True)

    def _renew(self) -> None:
        try:
            cache.set(self.key, 1, self.seconds)
        except Exception:  # a cache hiccup must not fail the import; the next beat tries again
            logger.warning("Could not renew the import lease %s", self.key, exc_info=True)

    def _loop(self) -> None:
        while not self._stop.wait(self.seconds / 4):
            self._renew()

    def __enter__(self) -> Heartbeat:
        self._renew()  # before the job reads as running, so it never reads as interrupted too early
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        cache.delete(self.key)
