"""The figures a scrape reads from the database: the task queue, the appeal sweep's lag, notification
deliveries and import jobs. Each is one query on an index, so a scrape every 15 s costs the database
next to nothing however large the tables grow; and each worker answers the same values, so they need no
multiprocess bookkeeping."""

from __future__ import annotations

from django.db.models import Case, Count, F, Min, Q, When
from django.db.models.functions import Greatest
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max
from prometheus_client.core import GaugeMetricFamily

from zoneos.appeals.models import Appeal
from zoneos.notifications.models import DeliveryStatus, Notification
from zoneos.tabular.models import ImportJob, ImportStatus

DEFAULT_QUEUE = "default"


def _age(now, since) -> float:
    return max(0.0, (now - since).total_seconds()) if since else 0.0


def task_queue(now):
    """(depth, oldest ready task's wait in seconds) per queue: tasks that may run now and wait for a
    worker. A deferred task (a delivery's retry) waits from the moment it was due, not from its queueing.
    Served by django_tasks_db's partial index on ready tasks."""
    never = get_date_max()
    runnable_since = Case(
        When(run_after=never, then=F("enqueued_at")), default=Greatest("enqueued_at", "run_after")
    )
    rows = (
        DBTaskResult.objects.ready()
        .order_by()
        .values("queue_name")
        .annotate(depth=Count("id"), since=Min(runnable_since))
    )
    queues = {DEFAULT_QUEUE: (0, 0.0)}
    for row in rows:
        queues[row["queue_name"]] = (row["depth"], _age(now, row["since"]))
    return queues


def failed_tasks() -> int:
    """Task results kept in the FAILED state (until pruned); the index is the `zoneos_task_failed` of
    this app's migration."""
    return DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).order_by().count()


def sweep_lag(now) -> float:
    """How long the oldest due appeal alarm has waited for the sweep: 0 when the sweep is keeping up.
    Served by the partial index on `alarm_at`."""
    oldest = Appeal.objects.filter(alarm_at__lte=now).order_by().aggregate(oldest=Min("alarm_at"))["oldest"]
    return _age(now, oldest)


def deliveries(now) -> dict:
    """Failed deliveries (retries exhausted), and pending ones due now with the oldest's wait; on the
    (status, next_attempt_at) index, which never reaches the sent rows."""
    due = Q(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
    return (
        Notification.objects.filter(status__in=[DeliveryStatus.FAILED, DeliveryStatus.PENDING])
        .order_by()
        .aggregate(
            failed=Count("id", filter=Q(status=DeliveryStatus.FAILED)),
            due=Count("id", filter=due),
            oldest_due=Min("next_attempt_at", filter=due),
        )
    )


def import_jobs() -> dict[str, int]:
    """Import jobs per stored status (a job whose worker died reads as checking or committing here; its
    page shows it interrupted once the lease has lapsed)."""
    counts = {status.value: 0 for status in ImportStatus if status != ImportStatus.INTERRUPTED}
    # count(*), which the status index alone answers; count(id) would read every row of the table.
    for row in ImportJob.objects.order_by().values("status").annotate(n=Count("*")):
        counts[row["status"]] = row["n"]
    return counts


class DatabaseCollector:
    """prometheus_client collector: the figures above, read when Prometheus scrapes."""

    def collect(self):
        now = timezone.now()

        depth = GaugeMetricFamily(
            "zoneos_task_queue_depth", "Tasks ready to run and waiting for a worker.", labels=["queue"]
        )
        age = GaugeMetricFamily(
            "zoneos_task_oldest_ready_age_seconds",
            "How long the oldest ready task has waited for a worker (0 when none waits).",
            labels=["queue"],
        )
        for queue, (count, seconds) in sorted(task_queue(now).items()):
            depth.add_metric([queue], count)
            age.add_metric([queue], seconds)
        yield depth
        yield age

        yield GaugeMetricFamily(
            "zoneos_tasks_failed",
            "Task results kept in the failed state (until pruned).",
            value=failed_tasks(),
        )
        yield GaugeMetricFamily(
            "zoneos_appeal_sweep_lag_seconds",
            "How long the oldest due appeal alarm (warning, overdue, escalation) has waited for the sweep.",
            value=sweep_lag(now),
        )

        notes = deliveries(now)
        yield GaugeMetricFamily(
            "zoneos_notifications_failed",
            "Notifications whose delivery failed for good (all attempts used).",
            value=notes["failed"],
        )
        yield GaugeMetricFamily(
            "zoneos_notifications_due", "Notifications due for delivery and not yet sent.", value=notes["due"]
        )
        yield GaugeMetricFamily(
            "zoneos_notifications_oldest_due_age_seconds",
            "How long the oldest notification due for delivery has waited (0 when none waits).",
            value=_age(now, notes["oldest_due"]),
        )

        jobs = GaugeMetricFamily("zoneos_import_jobs", "Import jobs by status.", labels=["status"])
        for status, count in import_jobs().items():
            jobs.add_metric([status], count)
        yield jobs
