"""Long imports run in the task worker; the page follows their progress through the cache."""

from django_tasks import task

from .engine import run
from .models import ImportJob


@task()
def check_import(job_id: int) -> None:
    run(ImportJob.objects.select_related("created_by").get(pk=job_id), commit=False)


@task()
def commit_import(job_id: int) -> None:
    run(ImportJob.objects.select_related("created_by").get(pk=job_id), commit=True)
