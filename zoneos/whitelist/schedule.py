"""Periodic jobs of the whitelist, run by `manage.py scheduler`."""

from zoneos.scheduler.registry import periodic

from .warnings import sweep


@periodic(at="03:20", name="whitelist.warnings")
def warn_of_whitelist_expiry():
    """Tell the applicant and the zone of approvals ending within 30 days, of goods still in the zone
    after an approval ended, and of refused movements (once each)."""
    return sweep()
