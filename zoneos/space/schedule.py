"""Periodic jobs of space, run by `manage.py scheduler`."""

from zoneos.scheduler.registry import periodic

from .warnings import sweep


@periodic(at="02:50", name="space.lease_warnings")
def warn_of_expiring_leases():
    """Tell each park's staff of the leases that end within 60 days (once per lease and end date)."""
    return sweep()
