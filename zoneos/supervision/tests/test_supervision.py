"""Key-project supervision: a worked example (Zhaoqing, 2022: 11.004 billion yuan completed in
January-February against a plan of 62.88 billion, 17.5 % done at a time progress of 16.7 %, ahead by
0.83 points), statuses, reports and locks."""

from decimal import Decimal

import pytest
from auditlog.models import LogEntry

from zoneos.supervision import progress, services
from zoneos.supervision.models import MonthFigure, Report, StatusRule

pytestmark = pytest.mark.django_db


def make(world, area, name, plan, year=2022, kind="continuing", **extra):
    return services.create_key_project(
        by=world.users["root"], year=year, name=name, area=area, kind=kind, annual_plan=Decimal(plan), **extra
    )


def test_time_progress_and_status():
    assert progress.time_progress(2022, 2) == Decimal(2) / 12
    assert progress.time_progress(2022, 2, "day") == Decimal(59) / 365
    assert progress.time_progress(2024, 2, "day") == Decimal(60) / 366
    rule = StatusRule(yellow_at=Decimal(-10), red_below=Decimal(-30))
    gaps = ("0", "0.5", "-0.01", "-9.99", "-10", "-30", "-30.01")
    statuses = ["ahead", "ahead", "behind", "behind", "yellow", "yellow", "red"]
    assert [progress.status_of(Decimal(g), rule) for g in gaps] == statuses


def test_the_zhaoqing_example(world, api):
    """Annual plan 62.88 billion yuan, 11.004 billion completed in January-February: 17.5 % done, time
    progress 16.7 %, ahead by 0.83 points."""
    first = make(world, world.P1, "一号园重点项目甲", "40000000000")
    second = make(world, world.P2, "二号园重点项目乙", "22880000000")
    client = api(world.users["supervisor"])
    for project, completed in ((first, "7000000000.00"), (second, "4004000000.00")):
        response = client.post(
            f"/api/v1/key-projects/{project.pk}/reports/",
            {"month": "2022-02", "covers_january_february": True, "completed": completed},
            format="json",
        )
        assert response.status_code == 201, response.content
        assert response.json()["covers_january_february"] is True
    body = client.get("/api/v1/supervision/summary/", {"area": world.Z1.pk, "month": "2022-02"}).json()
    assert body["annual_plan"] == "62880000000.00"
    assert body["completed"] == "11004000000.00"
    assert body["completion_rate"] == "0.1750"
    assert body["time_progress"] == "0.1667"
    assert body["gap_pp"] == "0.83"
    assert body["status"] == "ahead"
    assert body["projects"] == 2
    by_child = {c["area"]: c for c in body["by_child"]}
    assert (
        by_child[world.P1.pk]["completion_rate"] == "0.1750"
        and by_child[world.P2.pk]["completion_rate"] == "0.1750"
    )
    # March, nothing more reported: the cumulative stays, time moves on, the zone falls behind.
    march = client.get("/api/v1/supervision/summary/", {"area": world.Z1.pk, "month": "2022-03"}).json()
    assert march["completed"] == "11004000000.00" and march["time_progress"] == "0.2500"
    assert march["gap_pp"] == "-7.50" and march["status"] == "behind"


def test_cumulative_figures_are_derived_and_ranked(world, api):
    fast = make(world, world.P1, "快", "1200")
    slow = make(world, world.P2, "慢", "1200", kind="new_start", actual_start="2022-03-10")
    client = api(world.users["root"])
    for month, amount in (("2022-01", "100"), ("2022-02", "100"), ("2022-03", "100")):
        client.post(
            f"/api/v1/key-projects/{fast.pk}/reports/", {"month": month, "completed": amount}, format="json"
        )
    client.post(
        f"/api/v1/key-projects/{slow.pk}/reports/", {"month": "2022-03", "completed": "30"}, format="json"
    )
    figures = {f.month: f for f in MonthFigure.objects.filter(key_project=fast)}
    assert [figures[m].completed for m in (1, 2, 3, 4)] == [
        Decimal(100),
        Decimal(200),
        Decimal(300),
        Decimal(300),
    ]
    assert figures[3].status == "ahead" and figures[4].status == "behind"  # 25 % against 33.3 %
    slow_march = MonthFigure.objects.get(key_project=slow, month=3)
    assert (slow_march.status, slow_march.gap_pp) == ("yellow", Decimal("-22.5000"))
    body = client.get("/api/v1/supervision/summary/", {"area": world.Z1.pk, "month": "2022-03"}).json()
    assert [c["area"] for c in body["by_child"]][:2] == [world.P1.pk, world.P2.pk]
    assert body["by_child"][0]["rank"] == 1
    # The slow project: 30 of 1200 = 2.5 % against 25 %: 22.5 points behind, yellow.
    assert [p["name"] for p in body["yellow"]] == ["慢"] and body["red"] == []
    assert (body["new_starts"], body["started"], body["start_rate"]) == (1, 1, "1.0000")
    february = client.get("/api/v1/supervision/summary/", {"area": world.Z1.pk, "month": "2022-02"}).json()
    assert (february["started"], february["start_rate"]) == (0, "0.0000")


def test_january_and_february_together(world, api):
    project = make(world, world.P1, "合报", "1200")
    client = api(world.users["root"])
    url = f"/api/v1/key-projects/{project.pk}/reports/"
    wrong = client.post(
        url, {"month": "2022-03", "covers_january_february": True, "completed": "1"}, format="json"
    )
    assert wrong.status_code == 400 and "covers_january_february" in wrong.json()
    assert (
        client.post(
            url, {"month": "2022-02", "covers_january_february": True, "completed": "200"}, format="json"
        ).status_code
        == 201
    )
    january = client.post(url, {"month": "2022-01", "completed": "1"}, format="json")
    assert january.status_code == 400 and "month" in january.json()
    other_year = client.post(url, {"month": "2023-02", "completed": "1"}, format="json")
    assert other_year.status_code == 400 and "month" in other_year.json()
    replaced = client.post(
        url, {"month": "2022-02", "covers_january_february": True, "completed": "240"}, format="json"
    )
    assert replaced.status_code == 200
    assert MonthFigure.objects.get(key_project=project, month=2).completed == Decimal(240)


def test_a_locked_month_answers_409_and_a_revision_is_in_history(world, api):
    project = make(world, world.P1, "锁定", "1200")
    supervisor = api(world.users["supervisor"])
    url = f"/api/v1/key-projects/{project.pk}/reports/"
    assert supervisor.post(url, {"month": "2022-03", "completed": "300"}, format="json").status_code == 201
    lock = supervisor.post(
        "/api/v1/supervision/locks/", {"area": world.Z1.pk, "month": "2022-03"}, format="json"
    )
    assert lock.status_code == 201 and lock.json()["month"] == "2022-03"
    staff = api(world.users["park_staff"])
    for month in ("2022-03", "2022-01"):
        refused = staff.post(url, {"month": month, "completed": "999"}, format="json")
        assert refused.status_code == 409, month
    assert Report.objects.get(key_project=project, month=3).completed == Decimal(300)
    assert not Report.objects.filter(key_project=project, month=1).exists()
    assert staff.post(url, {"month": "2022-04", "completed": "100"}, format="json").status_code == 201
    no_reason = staff.post(
        f"/api/v1/key-projects/{project.pk}/revise/", {"month": "2022-03", "completed": "250"}, format="json"
    )
    assert no_reason.status_code == 400 and "reason" in no_reason.json()
    revised = staff.post(
        f"/api/v1/key-projects/{project.pk}/revise/",
        {"month": "2022-03", "completed": "250", "reason": "统计口径更正"},
        format="json",
    )
    assert revised.status_code == 200, revised.content
    assert revised.json()["revisions"][0]["reason"] == "统计口径更正"
    assert revised.json()["revisions"][0]["changes"] == {"completed": ["300.00", "250.00"]}
    report = Report.objects.get(key_project=project, month=3)
    entry = LogEntry.objects.get_for_object(report).filter(action=LogEntry.Action.UPDATE).latest("timestamp")
    assert entry.actor == world.users["park_staff"]
    assert MonthFigure.objects.get(key_project=project, month=4).completed == Decimal(350)


def test_bad_input_names_the_field(world, api):
    client = api(world.users["supervisor"])
    bad = client.post(
        "/api/v1/key-projects/",
        {
            "year": 2022,
            "name": "坏",
            "area": world.P1.pk,
            "kind": "new_start",
            "annual_plan": "0",
            "planned_start": "2022-05-01",
            "planned_completion": "2022-03-01",
        },
        format="json",
    )
    assert bad.status_code == 400 and {"annual_plan", "planned_completion"} <= set(bad.json())
    project = make(world, world.P1, "好", "100")
    month = client.post(
        f"/api/v1/key-projects/{project.pk}/reports/", {"month": "2022-13", "completed": "1"}, format="json"
    )
    assert month.status_code == 400 and "month" in month.json()
    negative = client.post(
        f"/api/v1/key-projects/{project.pk}/reports/", {"month": "2022-05", "completed": "-1"}, format="json"
    )
    assert negative.status_code == 400 and "completed" in negative.json()
    summary = client.get("/api/v1/supervision/summary/", {"area": world.Z1.pk, "month": "22-1"})
    assert summary.status_code == 400 and "month" in summary.json()


def test_a_completion_a_thousand_times_the_plan_is_refused_naming_the_field(world, api):
    """A unit typed wrong (300 in 亿元 against a plan of 1,200 yuan) is a 400 naming `completed`, never a
    gap that does not fit the figures (a 500 before)."""
    client = api(world.users["supervisor"])
    project = make(world, world.P1, "激光装备产业园", "1200", year=2025)
    url = f"/api/v1/key-projects/{project.pk}/reports/"
    assert client.post(url, {"month": "2025-02", "completed": "1000000"}, format="json").status_code == 201
    refused = client.post(url, {"month": "2025-03", "completed": "300000000"}, format="json")
    assert refused.status_code == 400 and "1,000" in refused.json()["completed"][0]
    assert not Report.objects.filter(key_project=project, month=3).exists()
    assert client.post(url, {"month": "2025-03", "completed": "200000"}, format="json").status_code == 201
