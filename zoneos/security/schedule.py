"""Periodic jobs of the security log, run by `manage.py scheduler`."""

from zoneos.scheduler.registry import periodic

from .services import purge_old_events


@periodic(at="03:10", name="security.purge_old_events")
def purge_security_events():
    """Security events older than ZONEOS_SECURITY_LOG_DAYS (never fewer than 180 days) are deleted."""
    return purge_old_events()
