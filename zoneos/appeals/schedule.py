"""Periodic jobs of the service desk, run by `manage.py scheduler`."""

from zoneos.scheduler.registry import periodic

from .services import sweep


@periodic(every=300, name="appeals.sweep")
def sweep_appeals():
    """Deadline warnings, overdue marks and escalation (safe beside other sweeps: each appeal is claimed)."""
    return sweep()
