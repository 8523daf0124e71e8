"""The Zhaoqing worked example (plan 62.88 billion yuan, 11.004 billion done in January and February:
17.5 % of the plan, 0.8 points ahead of the time progress 2/12), its briefing fetched once per test
module through the API as PDF and xlsx (a PDF takes about a second), inside a transaction that is rolled
back."""

from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.db import transaction
from rest_framework.test import APIClient

from zoneos.supervision import services
from zoneos.testing.world import build_world


def worked_example(world) -> None:
    """Zone Z1's 2022 key projects: 40 billion in P1 and 22.88 billion in P2, 7 and 4.004 billion done in
    January-February. P1's project completes in March (a milestone due); P2's went into production early."""
    root = world.users["root"]
    first = services.create_key_project(
        by=root, year=2022, name="一号园重点项目甲", area=world.P1, kind="continuing",
        annual_plan=Decimal("40000000000"), planned_completion="2022-03-15",
    )  # fmt: skip
    second = services.create_key_project(
        by=root, year=2022, name="二号园重点项目乙", area=world.P2, kind="continuing",
        annual_plan=Decimal("22880000000"), planned_production="2022-03-20", actual_production="2022-02-28",
    )  # fmt: skip
    for project, completed in ((first, "7000000000.00"), (second, "4004000000.00")):
        services.submit_report(
            project, by=root, month="2022-02", covers_january_february=True, completed=Decimal(completed)
        )


@dataclass
class Example:
    pdf: bytes
    pdf_headers: dict
    xlsx: bytes
    summary: dict
    area_code: str


@pytest.fixture(scope="module")
def example(django_db_setup, django_db_blocker) -> Example:
    with django_db_blocker.unblock(), transaction.atomic():
        world = build_world()
        worked_example(world)
        client = APIClient(HTTP_ACCEPT_LANGUAGE="zh-hans")
        client.force_authenticate(world.users["supervisor"])
        query = {"area": world.Z1.pk, "month": "2022-02"}
        pdf = client.get("/api/v1/supervision/briefing/", {**query, "format": "pdf"})
        xlsx = client.get("/api/v1/supervision/briefing/", {**query, "format": "xlsx"})
        summary = client.get("/api/v1/supervision/summary/", query)
        assert pdf.status_code == xlsx.status_code == summary.status_code == 200
        result = Example(
            pdf=b"".join(pdf.streaming_content),
            pdf_headers=dict(pdf.headers),
            xlsx=b"".join(xlsx.streaming_content),
            summary=summary.json(),
            area_code=world.Z1.code,
        )
        transaction.set_rollback(True)
    return result


@pytest.fixture(autouse=True)
def _without_the_worlds_briefings(request):
    """These tests count the briefings and schedules they make: the test world's own (there for the
    permission matrix) are removed first."""
    if "world" in request.fixturenames:
        from zoneos.reports.models import Briefing, BriefingSchedule

        request.getfixturevalue("world")
        Briefing.objects.all().delete()
        BriefingSchedule.objects.all().delete()
