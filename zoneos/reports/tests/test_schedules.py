"""Schedules: the daily sweep queues last month's briefing once per schedule, month and format, and the
task renders and keeps the file."""

import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from openpyxl import load_workbook
from pypdf import PdfReader

from zoneos.reports import services
from zoneos.reports.models import Briefing

from .conftest import worked_example

pytestmark = pytest.mark.django_db
DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def sweep(on: str) -> str:
    out = io.StringIO()
    call_command("run_due_briefings", date=on, stdout=out)
    return out.getvalue()


def schedule(world, **fields):
    defaults = {"area": world.Z1, "day_of_month": 5, "formats": ["pdf", "xlsx"], "language": "zh-hans"}
    return services.create_schedule(by=world.users["supervisor"], **{**defaults, **fields})


def test_the_sweep_queues_each_month_once(world, settings, django_capture_on_commit_callbacks):
    from django_tasks import default_task_backend

    settings.TASKS = DUMMY
    planned = schedule(world)
    schedule(world, area=world.P1, day_of_month=20, formats=["xlsx"])
    schedule(world, area=world.P2, active=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert "0 briefing(s) queued" in sweep("2022-03-04")  # before the day
        assert "2 briefing(s) queued" in sweep("2022-03-05")
        for day in ("2022-03-05", "2022-03-06", "2022-03-19"):
            assert "0 briefing(s) queued" in sweep(day)
        assert "1 briefing(s) queued" in sweep("2022-03-28")  # P1's day came
        assert "2 briefing(s) queued" in sweep("2022-04-05")
    made = sorted(Briefing.objects.values_list("schedule__area__code", "year", "month", "format"))
    assert made == [
        ("P1", 2022, 2, "xlsx"),
        ("Z1", 2022, 2, "pdf"),
        ("Z1", 2022, 2, "xlsx"),
        ("Z1", 2022, 3, "pdf"),
        ("Z1", 2022, 3, "xlsx"),
    ]
    assert len(default_task_backend.results) == 5
    assert {r.args[0] for r in default_task_backend.results} == set(
        Briefing.objects.values_list("pk", flat=True)
    )
    # Two sweeps at the same moment: the database refuses the second briefing.
    with pytest.raises(IntegrityError), transaction.atomic():
        Briefing.objects.create(schedule=planned, area=world.Z1, year=2022, month=3, format="pdf")
    # January's sweep makes December's briefing of the year before.
    with django_capture_on_commit_callbacks(execute=True):
        sweep("2023-01-05")
    assert Briefing.objects.filter(schedule=planned, year=2022, month=12).count() == 2


def test_the_task_renders_and_keeps_the_file(world, settings, django_capture_on_commit_callbacks):
    settings.TASKS = IMMEDIATE
    worked_example(world)
    schedule(world, language="en")
    with django_capture_on_commit_callbacks(execute=True):
        sweep("2022-03-05")
    pdf, xlsx = Briefing.objects.order_by("format")
    assert (pdf.status, xlsx.status) == ("done", "done") and pdf.generated_at
    assert pdf.file.name.startswith("briefings/") and pdf.file.name.endswith(".pdf")
    text = PdfReader(pdf.file.open("rb")).pages[0].extract_text()
    assert "17.5%" in text and "ahead of time progress by 0.8 points" in text.replace("\n", " ")
    sheet = load_workbook(xlsx.file.open("rb")).worksheets[0]
    assert Decimal(str(sheet["B6"].value)) == Decimal("628.80")  # hundred million yuan, as on the screens
    assert services.generate(pdf.pk).file.name == pdf.file.name  # a second run changes nothing


def test_a_failed_rendering_is_recorded(world, monkeypatch):
    briefing = services.request_briefing(by=world.root, area=world.Z1, month="2025-03", formats=["xlsx"])[0]

    def broken(briefing):
        raise RuntimeError("no fonts")

    monkeypatch.setattr(services, "render", broken)
    services.generate(briefing.pk)
    briefing.refresh_from_db()
    assert briefing.status == "failed" and briefing.error == "RuntimeError: no fonts" and not briefing.file


def test_the_command_refuses_a_bad_date():
    with pytest.raises(CommandError):
        call_command("run_due_briefings", date="2022-13-01")
