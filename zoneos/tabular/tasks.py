"""Long imports run in the task worker; the page follows their progress through the cache.

A task names the attempt it was queued for: when the job has been run again since, it does nothing.
"""

from zoneos.observability.tasks import task

from .engine import run
from .models import ImportJob


def _job(job_id: int, attempt: int | None) -> ImportJob | None:
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    return job if attempt is None or job.attempt == attempt else None


@task()
def check_import(job_id: int, attempt: int | None = None) -> None:
    if job := _job(job_id, attempt):
        run(job, commit=False)


@task()
def commit_import(job_id: int, attempt: int | None = None) -> None:
    if job := _job(job_id, attempt):
        run(job, commit=True)
