"""Periodic jobs of the notifications, run by `manage.py scheduler`."""

from zoneos.scheduler.registry import periodic

from .services import deliver_due


@periodic(every=60, name="notifications.deliver_due")
def deliver_due_notifications():
    """Notifications whose delivery task was lost, and the retries that are due."""
    return deliver_due()
