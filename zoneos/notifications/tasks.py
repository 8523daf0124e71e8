"""Delivery runs in the task worker (`manage.py db_worker`), after the change that caused it committed."""

from django_tasks import task


@task()
def deliver(notification_id: int) -> None:
    from .services import deliver_now

    deliver_now(notification_id)
