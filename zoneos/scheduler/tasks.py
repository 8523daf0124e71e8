"""The task the scheduler queues every minute: run by the task worker (`manage.py db_worker`), it records
the worker's heartbeat, which `/readyz` reads."""

from zoneos.observability.tasks import task


@task()
def worker_heartbeat() -> None:
    from .runner import beat

    beat("worker")
