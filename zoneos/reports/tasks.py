"""Briefings are rendered in the task worker (`manage.py db_worker`): a PDF takes about a second."""

from zoneos.observability.tasks import task


@task()
def generate_briefing(briefing_id: int) -> None:
    from .services import generate

    generate(briefing_id)
