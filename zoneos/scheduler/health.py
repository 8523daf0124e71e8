"""Readiness (`/readyz`): the database answers, every migration is applied, and the scheduler and the
task worker have shown they are alive within `ZONEOS_HEARTBEAT_MAX_AGE` seconds."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from .models import Heartbeat

_migrated: set[str] = set()  # databases seen fully migrated (new migrations come only with a restart)


def database_answers(alias: str = DEFAULT_DB_ALIAS) -> bool:
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001  (any failure means not ready)
        return False
    return True


def migrations_applied(alias: str = DEFAULT_DB_ALIAS) -> bool:
    """No migration of the code that runs is missing from the database. Once true it stays true for the
    process: migrations arrive with new code, which means a restart."""
    if alias in _migrated:
        return True
    connection = connections[alias]
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        return False
    _migrated.add(alias)
    return True


def stale_heartbeats(now: datetime.datetime | None = None) -> list[str]:
    """The processes whose heartbeat is missing or older than the bound."""
    now = now or timezone.now()
    oldest = now - datetime.timedelta(seconds=settings.ZONEOS_HEARTBEAT_MAX_AGE)
    fresh = set(Heartbeat.objects.filter(at__gte=oldest).values_list("name", flat=True))
    return [name for name in ("scheduler", "worker") if name not in fresh]


def readiness() -> dict[str, str]:
    """Each check's state, `ok` or why not: `database`, `migrations`, `scheduler`, `worker`."""
    if not database_answers():
        return {
            "database": "unavailable",
            "migrations": "unknown",
            "scheduler": "unknown",
            "worker": "unknown",
        }
    checks = {"database": "ok"}
    try:
        checks["migrations"] = "ok" if migrations_applied() else "pending"
    except Exception:  # noqa: BLE001  (a table missing or unreadable: not ready)
        checks["migrations"] = "unknown"
    try:
        stale = stale_heartbeats()
    except Exception:  # noqa: BLE001  (the heartbeat table itself is not there yet)
        stale = None
    for name in ("scheduler", "worker"):
        checks[name] = "unknown" if stale is None else ("stale" if name in stale else "ok")
    return checks
