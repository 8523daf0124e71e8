"""The scheduler's own job: show that the task worker is alive (see `tasks.worker_heartbeat`)."""

import datetime

from django.utils import timezone

from .registry import periodic

HEARTBEAT_RESULTS_KEPT = datetime.timedelta(hours=1)


@periodic(every=60, name="scheduler.worker_heartbeat")
def queue_worker_heartbeat() -> str:
    """Queue the heartbeat task unless one still waits for the worker (a stopped worker does not find a
    pile of them when it comes back), and remove the finished heartbeat tasks of more than an hour ago
    (one a minute would otherwise pile up in the task table)."""
    from django_tasks_db.models import DBTaskResult

    from .tasks import worker_heartbeat

    mine = DBTaskResult.objects.filter(task_path=worker_heartbeat.module_path)
    removed, _ = mine.filter(finished_at__lt=timezone.now() - HEARTBEAT_RESULTS_KEPT).delete()
    if mine.filter(status="READY").exists():
        return f"one still waits for the worker; removed {removed} old"
    worker_heartbeat.enqueue()
    return f"queued; removed {removed} old"
