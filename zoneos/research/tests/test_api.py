"""Research projects through the API: the rules' refusals as a client meets them (409 naming the
category, a conflicted expert's 409, 400 naming the criterion), what each caller reads, and every caller
walked through the routes that are not plain resources (the auditors' workbook, scoring, deciding an
adjustment)."""

import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zoneos.research import services
from zoneos.research.models import BudgetAdjustment, BudgetLine, ResearchProject
from zoneos.testing.world import ALL_USERS

pytestmark = pytest.mark.django_db
KEEPERS = {"admin", "park_staff", "root"}


def test_an_adjustment_that_breaks_a_rule_answers_409_naming_the_category(world, api):
    client = api(world.park_staff)
    answer = client.post(
        "/api/v1/research-adjustments/",
        {"project": world.RP1.pk, "from_category": "labour", "to_category": "equipment", "amount": "5000.00",
         "reason": "买设备"},
        format="json",
    )  # fmt: skip
    assert answer.status_code == 409
    assert "equipment" in answer.json()["detail"]
    assert BudgetAdjustment.objects.filter(project=world.RP1).count() == 1  # AJ1 only: nothing written
    assert BudgetLine.objects.get(project=world.RP1, category="labour").amount == Decimal("200000")
    chinese = api(world.park_staff, language="zh-hans").post(
        "/api/v1/research-adjustments/",
        {"project": world.RP1.pk, "from_category": "labour", "to_category": "equipment", "amount": "5000.00",
         "reason": "买设备"},
        format="json",
    )  # fmt: skip
    assert chinese.status_code == 409 and "设备费" in chinese.json()["detail"]


def test_a_move_beyond_the_pis_share_awaits_an_admin(world, api):
    answer = api(world.park_staff).post(
        "/api/v1/research-adjustments/",
        {"project": world.RP1.pk, "from_category": "materials", "to_category": "labour",
         "amount": "150000.00", "reason": "增聘团队"},
        format="json",
    )  # fmt: skip
    assert answer.status_code == 201, answer.content
    assert answer.json()["status"] == "pending" and answer.json()["needs_approval"] is True
    pk = answer.json()["id"]
    assert api(world.park_staff).post(f"/api/v1/research-adjustments/{pk}/approve/").status_code == 403
    approved = api(world.admin).post(f"/api/v1/research-adjustments/{pk}/approve/", {"opinion": "同意"})
    assert approved.status_code == 200 and approved.json()["status"] == "effective"
    project = api(world.admin).get(f"/api/v1/research-projects/{world.RP1.pk}/").json()
    assert project["budget"]["labour"] == "350000.00" and project["budget"]["materials"] == "150000.00"


def test_a_conflicted_expert_cannot_score_and_a_criterion_out_of_range_is_named(world, api):
    client = api(world.park_staff)
    declared = client.patch(
        f"/api/v1/research-reviewers/{world.RV1.pk}/",
        {"conflict": True, "conflict_note": "为项目合作方兼职"},
        format="json",
    )
    assert declared.status_code == 200 and declared.json()["conflict"] is True
    points = {"innovation": 25, "feasibility": 20, "team": 15, "budget": 10, "impact": 8}
    refused = client.post(
        f"/api/v1/research-reviewers/{world.RV1.pk}/score/", {"points": points}, format="json"
    )
    assert refused.status_code == 409 and "conflict of interest" in refused.json()["detail"]
    wrong = client.post(
        f"/api/v1/research-reviewers/{world.RV3.pk}/score/", {"points": {**points, "team": 21}}, format="json"
    )
    assert wrong.status_code == 400 and list(wrong.json()) == ["team"]
    scored = client.post(
        f"/api/v1/research-reviewers/{world.RV3.pk}/score/", {"points": points}, format="json"
    )
    assert scored.status_code == 200 and scored.json()["total"] == "78.00"


def test_the_project_shows_its_standing_and_the_evaluation_and_enterprises_never_see_the_experts(world, api):
    sheets = [
        {"innovation": 30, "feasibility": 25, "team": 20, "budget": 10, "impact": 5},  # 90
        {"innovation": 25, "feasibility": 20, "team": 20, "budget": 10, "impact": 5},  # 80
        {"innovation": 20, "feasibility": 20, "team": 15, "budget": 10, "impact": 5},  # 70
        {"innovation": 20, "feasibility": 15, "team": 10, "budget": 10, "impact": 5},  # 60
    ]
    for n, points in enumerate(sheets):
        reviewer = (
            world.RV1 if n == 0 else services.assign_reviewer(world.RP4, by=world.root, name=f"专家{n}")
        )
        services.score(reviewer, by=world.root, points=points)
    staff = api(world.leader).get(f"/api/v1/research-projects/{world.RP4.pk}/").json()
    assert staff["evaluation"] == {"result": "75.00", "counted": 4, "reviewers_missing": 0}
    assert "approve" not in staff["allowed_actions"]  # a leader reads
    assert (
        "approve"
        in api(world.admin).get(f"/api/v1/research-projects/{world.RP4.pk}/").json()["allowed_actions"]
    )
    enterprise = api(world.enterprise)
    mine = enterprise.get(f"/api/v1/research-projects/{world.RP4.pk}/")
    assert mine.status_code == 200 and mine.json()["evaluation"]["result"] == "75.00"
    assert enterprise.get("/api/v1/research-reviewers/", {"project": world.RP4.pk}).json()["count"] == 0
    assert enterprise.get(f"/api/v1/research-projects/{world.RP3.pk}/").status_code == 404  # not E1's
    running = api(world.park_staff).get(f"/api/v1/research-projects/{world.RP1.pk}/").json()["standing"]
    assert running["budget"] == "1000000.00" and running["spent"] == "60000.00"
    materials = next(line for line in running["lines"] if line["category"] == "materials")
    assert materials["spent"] == "50000.00" and materials["over"] is False


def test_the_list_runs_the_same_queries_for_one_project_and_for_many(world, api):
    client = api(world.park_staff)
    ResearchProject.objects.exclude(pk=world.RP1.pk).filter(area=world.P1).delete()
    client.get("/api/v1/research-projects/")  # caches warmed (content types, the user's memberships)
    with CaptureQueriesContext(connection) as one:
        assert client.get("/api/v1/research-projects/").json()["count"] == 1
    for n in range(6):
        services.create_project(
            by=world.root, programme=world.RG1, area=world.P1, code=f"Q{n}", title="测", enterprise=world.E1,
            pi_name="甲", starts_on=datetime.date(2025, 1, 1), ends_on=datetime.date(2026, 1, 1),
            budget={"materials": "1000"},
        )  # fmt: skip
    with CaptureQueriesContext(connection) as many:
        assert client.get("/api/v1/research-projects/").json()["count"] == 7
    assert len(many) == len(one)


@pytest.mark.parametrize("caller", [*ALL_USERS, "anonymous"])
def test_every_caller_on_the_workbook_scoring_and_deciding(world, api, caller):
    """The workbook: whoever reads the project (E1's user included); scoring: the area's keepers; deciding
    an adjustment: its admins (park staff 403); out of scope: 404."""
    client = api(None if caller == "anonymous" else world.users[caller])
    readers = {"leader", "investment_officer", "supervisor", "park_staff", "handler", "service_officer",
               "enterprise", "statistician", "admin", "root"}  # fmt: skip
    for project, inside in ((world.RP1, True), (world.RP2, False)):
        answer = client.get(f"/api/v1/research-projects/{project.pk}/export/")
        if caller == "anonymous":
            expected = 401
        elif caller == "root" or (inside and caller in readers):
            expected = 200
        else:
            expected = 404
        assert answer.status_code == expected, (caller, inside)
        if answer.status_code == 200:
            from openpyxl import load_workbook

            book = load_workbook(io.BytesIO(b"".join(answer.streaming_content)))
            cells = [c.value for row in book["Expenditures"].iter_rows() for c in row]
            assert f"PZ-{'EX1' if inside else 'EX2'}" in cells
            assert "Evaluation" not in book.sheetnames  # no experts on a running project's file here
    points = {"innovation": 20, "feasibility": 20, "team": 10, "budget": 10, "impact": 5}
    for reviewer, inside in ((world.RV1, True), (world.RV2, False)):
        answer = client.post(
            f"/api/v1/research-reviewers/{reviewer.pk}/score/", {"points": points}, format="json"
        )
        if caller == "anonymous":
            assert answer.status_code == 401
        elif caller in KEEPERS:
            assert answer.status_code == (200 if inside or caller == "root" else 404)
        else:
            # Without a role that keeps reviewers: refused before the lookup.
            assert answer.status_code == 403
    for inside, project in ((True, world.RP1), (False, world.RP2)):
        pending = BudgetAdjustment.objects.create(
            project=project, from_category="materials", to_category="labour", amount=Decimal("1000"),
            reason="测试", status="pending", needs_approval=True, requested_by=world.root,
            requested_on=datetime.date(2025, 7, 1),
        )  # fmt: skip
        for verb in ("approve", "refuse"):
            answer = client.post(f"/api/v1/research-adjustments/{pending.pk}/{verb}/", {"opinion": "意见"})
            if caller == "anonymous":
                expected = 401
            elif caller == "root":
                expected = 200 if verb == "approve" else 409  # decided by the approval already
            elif caller not in KEEPERS:
                expected = 403  # no role that keeps adjustments: refused before the lookup
            elif not inside:
                expected = 404
            else:
                expected = (
                    200 if caller == "admin" and verb == "approve" else (409 if caller == "admin" else 403)
                )
            assert answer.status_code == expected, (caller, verb, inside, answer.content)


def test_history_of_a_project_names_who_changed_it(world, api):
    client = api(world.park_staff)
    assert (
        client.patch(
            f"/api/v1/research-projects/{world.RP3.pk}/", {"title": "新题目"}, format="json"
        ).status_code
        == 200
    )
    rows = client.get(f"/api/v1/research-projects/{world.RP3.pk}/history/").json()["results"]
    assert rows[0]["user"] == "park_staff" and rows[0]["changes"]["title"][1] == "新题目"
    late = client.patch(
        f"/api/v1/research-projects/{world.RP1.pk}/", {"budget": {"labour": "1"}}, format="json"
    )
    assert late.status_code == 409
