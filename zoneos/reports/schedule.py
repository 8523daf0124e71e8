"""Periodic jobs of the briefings, run by `manage.py scheduler`."""

from zoneos.scheduler.registry import periodic

from .services import run_due


@periodic(every=3600, name="reports.run_due_briefings")
def run_due_briefings():
    """Queue last month's briefing of every schedule whose day has come (idempotent per month)."""
    return run_due()
