"""The supervision pages, server side."""

from decimal import Decimal

import pytest
from django.test import Client

from zoneos.supervision import services

pytestmark = pytest.mark.django_db


def english(user) -> Client:
    client = Client()
    client.force_login(user)
    client.post("/i18n/setlang/", {"language": "en"})
    return client


def test_summary_plan_and_project_pages(world):
    project = services.create_key_project(
        by=world.users["root"], year=2025, name="激光装备产业园", area=world.P2, kind="continuing",
        annual_plan=Decimal(1200),
    )  # fmt: skip
    services.submit_report(project, by=world.users["root"], month="2025-03", completed=Decimal(300))
    supervisor = english(world.users["supervisor"])
    page = supervisor.get(f"/supervision/?area={world.P2.pk}&month=2025-03").content.decode()
    assert 'data-testid="kpi-rate">25.0%' in page
    assert "ahead of time progress by 0.0 points" in page
    zone = supervisor.get(f"/supervision/?area={world.Z1.pk}&month=2025-04").content.decode()
    # Z1 also holds the world's KP1 and KP3 (1.2 billion each, nothing reported).
    assert "the 3 key projects of" in zone and "behind time progress by 33.3 points" in zone
    plan = supervisor.get("/supervision/plan/?month=2025-03").content.decode()
    assert "激光装备产业园" in plan and f'data-testid="entry-{project.pk}"' in plan
    detail = supervisor.get(project.get_absolute_url()).content.decode()
    assert "2025-03" in detail and 'data-testid="chart-cumulative"' in detail
    row = supervisor.post(
        f"/supervision/projects/{project.pk}/report/",
        {"month": "2025-04", "completed": "abc"},
        HTTP_HX_REQUEST="true",
    )
    assert row.status_code == 200 and "Give the amount in yuan." in row.content.decode()
    bad_month = supervisor.post(
        f"/supervision/projects/{project.pk}/report/",
        {"month": "2025-13", "completed": "1"},
        HTTP_HX_REQUEST="true",
    )
    assert bad_month.status_code == 200 and "Give a month as YYYY-MM." in bad_month.content.decode()
    assert english(world.users["handler"]).get("/supervision/").context["area"] is None
    assert (
        "激光装备产业园"
        not in english(world.outsider).get("/supervision/plan/?month=2025-03").content.decode()
    )
