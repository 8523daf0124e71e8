"""Periodic jobs of innovation, run by `manage.py scheduler`."""

from zoneos.scheduler.registry import periodic

from .warnings import sweep


@periodic(at="02:55", name="innovation.platform_warnings")
def warn_of_expiring_recognitions():
    """Tell each area's admins and park staff of the platforms whose recognition ends within 90 days
    (once per platform and end date)."""
    return sweep()
