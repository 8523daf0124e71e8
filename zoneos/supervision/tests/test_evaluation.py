"""Evaluation: the parks of a zone scored by configurable weights, small parks marked not comparable."""

import datetime
from decimal import Decimal

import pytest
from auditlog.models import LogEntry

from zoneos.pipeline import services as pipeline
from zoneos.supervision import services
from zoneos.supervision.models import EvaluationScheme

pytestmark = pytest.mark.django_db


def make(world, area, name, plan="1200", kind="continuing", **extra):
    return services.create_key_project(
        by=world.root, year=2022, name=name, area=area, kind=kind, annual_plan=Decimal(plan), **extra
    )


def report(world, project, month, completed, funds=None):
    services.submit_report(
        project,
        by=world.root,
        month=month,
        completed=Decimal(completed),
        funds_in_place=funds and Decimal(funds),
    )


@pytest.fixture
def parks(world):
    """P1: three projects exactly on pace by March with half their funds in place; P2: one project,
    far ahead."""
    for index in range(3):
        project = make(world, world.P1, f"一号园项目{index}")
        report(world, project, "2022-03", "300", "150")
    lone = make(world, world.P2, "二号园项目", kind="new_start", actual_start=datetime.date(2022, 2, 1))
    report(world, lone, "2022-03", "600", "600")
    return world


def ranking(client, world, month="2022-03"):
    response = client.get("/api/v1/supervision/ranking/", {"area": world.Z1.pk, "month": month})
    assert response.status_code == 200, response.content
    return response.json()


def test_default_weights_and_a_park_too_small_to_compare(parks, api):
    body = ranking(api(parks.users["supervisor"]), parks)
    assert body["weights"]["weight_completion"] == "40.00" and body["weights"]["min_projects"] == 3
    rows = {r["area"]: r for r in body["rows"]}
    first = rows[parks.P1.pk]
    # Completion on pace (1.0, weight 40), funds half the pace (0.5, weight 20); no new starts and
    # no signing target: those weights drop out. (40 x 1 + 20 x 0.5) / 60 = 83.3.
    assert first["measures"] == {"completion": "1.0000", "start": None, "funds": "0.5000", "signing": None}
    assert first["score"] == "83.3" and first["rank"] == 1 and first["comparable"] is True
    lone = rows[parks.P2.pk]
    # Ahead on everything (capped at 100 %), but one project is not comparable: listed, not ranked.
    assert lone["score"] == "100.0" and lone["comparable"] is False and lone["rank"] is None
    assert body["rows"][0]["area"] == parks.P1.pk  # the comparable come first


def test_a_supervisor_sets_the_weights_and_the_ranking_follows(parks, api):
    client = api(parks.users["supervisor"])
    bad = client.post(
        "/api/v1/supervision/schemes/",
        {
            "area": parks.Z1.pk,
            "year": 2022,
            "weight_completion": "50",
            "weight_start": "10",
            "weight_funds": "10",
            "weight_signing": "10",
        },
        format="json",
    )
    assert bad.status_code == 400
    assert "add up to 100" in bad.json()["weight_completion"][0]
    created = client.post(
        "/api/v1/supervision/schemes/",
        {
            "area": parks.Z1.pk,
            "year": 2022,
            "weight_completion": "50",
            "weight_start": "0",
            "weight_funds": "50",
            "weight_signing": "0",
            "min_projects": 1,
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    body = ranking(client, parks)
    assert [(r["area"], r["rank"], r["score"]) for r in body["rows"]] == [
        (parks.P2.pk, 1, "100.0"),
        (parks.P1.pk, 2, "75.0"),
    ]
    entry = LogEntry.objects.get_for_object(EvaluationScheme.objects.get(year=2022)).get()
    assert entry.actor == parks.users["supervisor"]
    # Park staff read the ranking but do not set the weights.
    staff = api(parks.users["park_staff"])
    refused = staff.patch(f"/api/v1/supervision/schemes/{created.json()['id']}/", {"min_projects": 5})
    assert refused.status_code in (403, 404)


def test_signed_projects_count_against_the_target(parks, api):
    client = api(parks.users["supervisor"])
    target = client.post(
        "/api/v1/supervision/signing-targets/",
        {"area": parks.P1.pk, "year": 2022, "projects": 8},
        format="json",
    )
    assert target.status_code == 201, target.content
    project = pipeline.create_project(
        by=parks.root,
        name="签约项目",
        area=parks.P1,
        investor_name="丁方科技有限公司",
        lead_on=datetime.date(2022, 1, 5),
    )
    pipeline.transition(project, by=parks.root, to="signed", on=datetime.date(2022, 2, 20))
    row = next(r for r in ranking(client, parks)["rows"] if r["area"] == parks.P1.pk)
    # One signed by March against 8 x 3/12 = 2 due: 0.5.
    assert row["signed"] == 1 and row["signing_target"] == 8
    assert row["measures"]["signing"] == "0.5000"
    # (40 x 1 + 20 x 0.5 + 20 x 0.5) / 80 = 75.0
    assert row["score"] == "75.0"
    # The signing counts until the month's end only.
    january = next(r for r in ranking(client, parks, "2022-01")["rows"] if r["area"] == parks.P1.pk)
    assert january["signed"] == 0


def test_ranking_is_scoped(parks, api):
    staff = api(parks.users["park_staff"])  # a member of P1 only
    assert (
        staff.get("/api/v1/supervision/ranking/", {"area": parks.Z1.pk, "month": "2022-03"}).status_code
        == 404
    )
    bad = api(parks.users["supervisor"]).get(
        "/api/v1/supervision/ranking/", {"area": parks.Z1.pk, "month": "2022-13"}
    )
    assert bad.status_code == 400 and "month" in bad.json()
