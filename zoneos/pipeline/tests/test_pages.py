"""The pipeline's pages, server side: what each user sees, and that moves and forms go through the
services with their errors shown."""

import pytest
from django.test import Client

from zoneos.pipeline import services
from zoneos.pipeline.models import Project, SigningBatch
from zoneos.testing.factories import make_project

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    client.post("/i18n/setlang/", {"language": "en"})
    return client


def test_the_board_shows_only_the_users_projects(world):
    make_project(world.P2, name="二号园项目", investor_name="戊方有限公司")
    staff = client_for(world.park_staff)  # P1 only
    page = staff.get("/projects/board/").content.decode()
    assert world.PR1.name in page and "二号园项目" not in page and world.PR2.name not in page
    officer = client_for(world.investment_officer).get("/projects/board/").content.decode()
    assert "二号园项目" in officer and world.PR2.name not in officer


def test_a_move_from_the_board_menu_and_a_forbidden_one(world):
    staff = client_for(world.park_staff)
    response = staff.post(
        f"/projects/{world.PR1.pk}/move/", {"to": "signed", "next": "/projects/board/"}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/projects/board/"
    assert "is now Signed" in response.content.decode()
    world.PR1.refresh_from_db()
    assert world.PR1.stage == "signed"
    refused = staff.post(f"/projects/{world.PR1.pk}/move/", {"to": "lead"}, HTTP_ACCEPT="application/json")
    assert refused.status_code == 409 and "cannot move" in refused.json()["detail"]
    outside = staff.post(f"/projects/{world.PR2.pk}/move/", {"to": "signed"})
    assert outside.status_code == 404
    leader = client_for(world.leader).post(
        f"/projects/{world.PR1.pk}/move/", {"to": "registered"}, HTTP_ACCEPT="application/json"
    )
    assert leader.status_code == 403


def test_project_pages_and_forms(world):
    officer = client_for(world.investment_officer)
    detail = officer.get(f"/projects/{world.PR1.pk}/").content.decode()
    assert world.PR1.name in detail and 'data-testid="move-form"' in detail
    assert officer.get(f"/projects/{world.PR2.pk}/").status_code == 404
    bad = officer.post(
        "/projects/new/",
        {
            "name": "坏项目",
            "investor_name": "某公司",
            "area": world.P1.pk,
            "investor_uscc": "123",
            "source": "own_lead",
            "capital_origin": "domestic",
        },
    )
    assert bad.status_code == 200 and "investor" in bad.content.decode().lower()
    assert not Project.objects.filter(name="坏项目").exists()
    good = officer.post(
        "/projects/new/",
        {
            "name": "好项目",
            "investor_name": "甲方科技有限公司",
            "area": world.P2.pk,
            "source": "own_lead",
            "capital_origin": "domestic",
            "total_investment": "300000000",
        },
        follow=True,
    )
    project = Project.objects.get(name="好项目")
    assert good.redirect_chain[-1][0] == project.get_absolute_url()
    assert "Another park of the zone already follows this investor" in good.content.decode()
    followed = officer.post(
        f"/projects/{project.pk}/follow-up/",
        {
            "kind": "visit",
            "on": "2025-05-01",
            "summary": "走访",
            "next_action": "",
            "next_action_on": "2025-05-10",
        },
    )
    assert followed.status_code == 400 and "next action" in followed.content.decode().lower()
    assert officer.get("/projects/?stage=lead&q=好项目").content.decode().count("好项目") >= 1
    exported = officer.get("/projects/export/?as=csv")
    assert "好项目" in b"".join(exported.streaming_content).decode("utf-8-sig")


def test_funnel_conflicts_and_batches_pages(world):
    make_project(world.P2, name="二号园项目", investor_name="甲方科技股份有限公司")
    officer = client_for(world.investment_officer)
    funnel = officer.get(f"/projects/funnel/?area={world.Z1.pk}&from=2025-01-01")
    assert funnel.status_code == 200 and 'data-testid="chart-funnel"' in funnel.content.decode()
    conflicts = officer.get("/projects/conflicts/").content.decode()
    assert "二号园项目" in conflicts and world.PR1.name in conflicts
    assert "二号园项目" not in client_for(world.park_staff).get("/projects/conflicts/").content.decode()
    created = officer.post(
        "/projects/batches/new/",
        {"area": world.Z1.pk, "name": "冬季签约", "held_on": "2025-12-01", "mode": "cloud"},
    )
    batch = SigningBatch.objects.get(name="冬季签约")
    assert created.status_code == 302
    listing = officer.get("/projects/batches/").content.decode()
    assert "冬季签约" in listing and world.B2.name not in listing
    assert officer.get(batch.get_absolute_url()).status_code == 200
    assert client_for(world.leader).get("/projects/batches/new/").status_code == 403


def test_the_officer_home_lists_overdue_next_actions(world):
    world.PR1.owner = world.investment_officer
    world.PR1.save()
    services.create_follow_up(
        by=world.investment_officer,
        project=world.PR1,
        kind="call",
        on="2025-03-05",
        summary="电话",
        next_action="提交可研报告",
        next_action_on="2025-03-20",
    )
    home = client_for(world.investment_officer).get("/").content.decode()
    assert 'data-testid="overdue-actions"' in home and "提交可研报告" in home
