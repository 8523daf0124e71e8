"""Reads that may go to a read replica: dashboards, exports and briefings, chosen explicitly.

A read replica is optional (`DATABASE_REPLICA_URL` adds the database alias named by
`ZONEOS_READ_REPLICA`). Only code that asks for it reads there: `reading_from_replica()` (a context
manager and a decorator) for a page or a task, `read_alias()` for a queryset that is evaluated later, as a
streamed export is. Everything else, and every write, goes to the primary. The replica is skipped, and
the primary read instead, when it cannot be reached or when it replays the primary's changes more than
`ZONEOS_REPLICA_MAX_LAG` seconds late; the check is cached for `ZONEOS_REPLICA_CHECK_SECONDS`, so a page
pays for it at most once in that time per process. Inside a transaction on the primary reads stay there:
a service that reads what it has just written must see it.
"""

from __future__ import annotations

import contextvars
import logging
import threading
import time
from contextlib import ContextDecorator
from dataclasses import dataclass

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

log = logging.getLogger(__name__)

_reading = contextvars.ContextVar("zoneos_reading_from_replica", default=False)

# On a standby, the delay of the last replayed transaction; 0 when everything received is replayed (an idle
# primary writes nothing, so the age of its last transaction is no lag) and on a server that is no standby.
LAG_SQL = """
SELECT CASE
    WHEN NOT pg_is_in_recovery() THEN 0
    WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
    ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0)
END
"""


@dataclass(frozen=True)
class Health:
    usable: bool
    lag: float | None  # seconds; None when the replica could not be reached
    reason: str


_lock = threading.Lock()
_checked: dict[str, tuple[float, Health]] = {}


def replica_alias() -> str | None:
    """The configured replica's alias, or None when ZoneOS has no replica."""
    alias = getattr(settings, "ZONEOS_READ_REPLICA", None)
    return alias if alias and alias in connections else None


def measure_lag(alias: str) -> float:
    """The replica's replication lag in seconds (0 on SQLite, which has no replicas of its own)."""
    connection = connections[alias]
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute(LAG_SQL)
        return float(cursor.fetchone()[0])


def health(alias: str | None = None) -> Health:
    """Whether reads may go to the replica now, from a check at most ZONEOS_REPLICA_CHECK_SECONDS old."""
    alias = alias or replica_alias()
    if alias is None:
        return Health(False, None, "no replica configured")
    ttl = float(getattr(settings, "ZONEOS_REPLICA_CHECK_SECONDS", 5))
    now = time.monotonic()
    with _lock:
        cached = _checked.get(alias)
    if cached and now - cached[0] < ttl:
        return cached[1]
    bound = float(getattr(settings, "ZONEOS_REPLICA_MAX_LAG", 30))
    try:
        lag = measure_lag(alias)
    except DatabaseError as exc:
        # A broken connection is dropped so that the next check connects afresh.
        connections[alias].close()
        result = Health(False, None, f"unreachable: {exc}".strip())
        log.warning("Read replica %s unreachable, reading from the primary: %s", alias, exc)
    else:
        if lag > bound:
            result = Health(False, lag, f"lag {lag:.1f} s over {bound:g} s")
            log.warning("Read replica %s is %.1f s behind (bound %g s)", alias, lag, bound)
        else:
            result = Health(True, lag, "ok")
    with _lock:
        _checked[alias] = (time.monotonic(), result)
    return result


def forget_health() -> None:
    """Drop the cached check (tests, and a bench that changes the replica under a running process)."""
    with _lock:
        _checked.clear()


def _in_primary_transaction() -> bool:
    return connections[DEFAULT_DB_ALIAS].in_atomic_block


def read_alias() -> str:
    """The alias a read chosen for the replica should use now: the replica when usable, else the primary."""
    alias = replica_alias()
    if alias is None or _in_primary_transaction() or not health(alias).usable:
        return DEFAULT_DB_ALIAS
    return alias


class reading_from_replica(ContextDecorator):  # noqa: N801  (used like a function: `with reading_from_replica():`)
    """Within it (or the decorated function), the ORM's reads go to the replica when it is usable."""

    def _recreate_cm(self):
        # A decorated function may run in many threads at once: each call gets its own token.
        return type(self)()

    def __enter__(self):
        self._token = _reading.set(True)
        return self

    def __exit__(self, *exc):
        _reading.reset(self._token)
        return False


class ReplicaRouter:
    """Routes reads inside `reading_from_replica()` to the replica, every write to the primary."""

    def db_for_read(self, model, **hints):
        if _reading.get() and replica_alias() is not None:
            return read_alias()
        return None

    def db_for_write(self, model, **hints):
        # A record read from the replica is saved to the primary, never where it was read.
        return DEFAULT_DB_ALIAS if replica_alias() is not None else None

    def allow_relation(self, obj1, obj2, **hints):
        alias = replica_alias()
        if alias is not None and {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, alias}:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # The replica follows the primary's schema by replication; nothing is migrated on it.
        if db == getattr(settings, "ZONEOS_READ_REPLICA", None) and db != DEFAULT_DB_ALIAS:
            return False
        return None
