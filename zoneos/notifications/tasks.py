"""Delivery runs in the task worker (`manage.py db_worker`), after the change that caused it committed."""

from zoneos.observability.tasks import task


@task()
def deliver(*notification_ids: int) -> None:
    """Attempt each of the notifications in turn (one task carries a batch of a digest's rows)."""
    from .services import deliver_now

    for pk in notification_ids:
        deliver_now(pk)
