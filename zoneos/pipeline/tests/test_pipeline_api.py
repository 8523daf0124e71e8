"""Projects through the API: creation as a lead, stage moves (409 for a forbidden one, with nothing
changed), history with authors, conflicts between parks, scoping, the plan and follow-ups."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile

from zoneos.accounts.models import Membership
from zoneos.core.roles import Role
from zoneos.pipeline import services
from zoneos.pipeline.models import ConflictStatus, InvestorConflict, Project, StageEvent
from zoneos.testing.factories import UserFactory, make_project

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def park_user(world, park, username, role=Role.PARK_STAFF):
    user = UserFactory(username=username)
    Membership.objects.create(user=user, role=role, area=park)
    return user


def test_a_new_project_is_a_lead_with_its_stage_name(world, api):
    client = api(world.investment_officer)
    response = client.post(
        "/api/v1/projects/",
        {
            "name": "激光设备扩产项目",
            "investor_name": "大族激光科技产业集团股份有限公司",
            "investor_uscc": "",
            "area": world.P1.pk,
            "industry_code": "3976",
            "total_investment": "1320000000.00",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["stage"] == "lead"
    assert body["stage_name"] == "Lead"
    assert body["lead_on"] == TODAY.isoformat()
    assert body["total_investment"] == "1320000000.00"
    assert body["conforms"] is True and body["plan_group_name"] == "电子信息"  # G1 covers division 39
    assert body["allowed_moves"] == ["negotiating", "signed", "on_hold", "dropped"]
    assert [e["to_category"] for e in body["events"]] == ["lead"]


def test_bad_input_names_the_field_and_writes_nothing(world, api):
    client = api(world.investment_officer)
    before = Project.objects.count()
    response = client.post(
        "/api/v1/projects/",
        {
            "name": "坏项目",
            "investor_name": "某公司",
            "investor_uscc": "91440300MA5XXXXXX0",
            "area": world.P1.pk,
            "industry_code": "9999",
            "total_investment": "-1",
        },
        format="json",
    )
    assert response.status_code == 400
    assert {"investor_uscc", "industry_code", "total_investment"} <= set(response.json())
    assert Project.objects.count() == before
    missing = client.post("/api/v1/projects/", {"area": world.P1.pk}, format="json")
    assert missing.status_code == 400 and {"name", "investor_name"} <= set(missing.json())


def test_moves_forward_are_recorded_with_their_author_and_date(world, api):
    officer = world.investment_officer
    client = api(officer)
    project = world.PR1  # a lead since 2025-03-01
    response = client.post(
        f"/api/v1/projects/{project.pk}/transition/",
        {"to": "negotiating", "on": "2025-04-10", "note": "首次洽谈"},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["stage"] == "negotiating" and response.json()["stage_on"] == "2025-04-10"
    response = client.post(f"/api/v1/projects/{project.pk}/transition/", {"to": "signed", "on": "2025-06-01"})
    assert response.status_code == 200
    events = list(StageEvent.objects.filter(project=project).order_by("on", "pk"))
    assert [(e.from_category, e.to_category, e.on.isoformat()) for e in events] == [
        ("", "lead", "2025-03-01"),
        ("lead", "negotiating", "2025-04-10"),
        ("negotiating", "signed", "2025-06-01"),
    ]
    assert [e.days for e in events] == [40, 52, None]
    assert events[1].by == officer and events[1].note == "首次洽谈"
    history = client.get(f"/api/v1/projects/{project.pk}/history/").json()["results"]
    stage_changes = [h for h in history if h["action"] == "update" and "stage" in h["changes"]]
    assert [h["changes"]["stage"] for h in stage_changes] == [
        ["negotiating", "signed"],
        ["lead", "negotiating"],
    ]
    assert {h["user"] for h in stage_changes} == {officer.username}


def test_a_forbidden_move_answers_409_and_changes_nothing(world, api):
    client = api(world.investment_officer)
    project = world.PR1
    client.post(f"/api/v1/projects/{project.pk}/transition/", {"to": "signed", "on": "2025-05-01"})
    events = StageEvent.objects.filter(project=project).count()
    entries = LogEntry.objects.get_for_object(project).count()
    for target in ("lead", "negotiating", "in_production", "at_capacity"):
        response = client.post(f"/api/v1/projects/{project.pk}/transition/", {"to": target})
        assert response.status_code == 409, target
        assert "detail" in response.json()
    project.refresh_from_db()
    assert project.stage == "signed" and project.stage_on == datetime.date(2025, 5, 1)
    assert StageEvent.objects.filter(project=project).count() == events
    assert LogEntry.objects.get_for_object(project).count() == entries


def test_dates_of_moves_are_checked(world, api):
    client = api(world.investment_officer)
    url = f"/api/v1/projects/{world.PR1.pk}/transition/"
    before = client.post(url, {"to": "negotiating", "on": "2025-02-01"})  # the lead dates from 2025-03-01
    assert before.status_code == 400 and "on" in before.json()
    future = client.post(url, {"to": "negotiating", "on": (TODAY + datetime.timedelta(days=3)).isoformat()})
    assert future.status_code == 400 and "on" in future.json()
    unknown = client.post(url, {"to": "building"})
    assert unknown.status_code == 400 and "to" in unknown.json()
    no_reason = client.post(url, {"to": "dropped"})
    assert no_reason.status_code == 400 and "note" in no_reason.json()
    assert client.post(url, {"to": "dropped", "note": "投资方放弃"}).status_code == 200


def test_a_paused_project_resumes_in_its_stage(world, api):
    client = api(world.investment_officer)
    url = f"/api/v1/projects/{world.PR1.pk}/transition/"
    assert client.post(url, {"to": "negotiating", "on": "2025-04-01"}).status_code == 200
    assert client.post(url, {"to": "on_hold", "on": "2025-05-01"}).json()["allowed_moves"] == [
        "negotiating",
        "dropped",
    ]
    assert client.post(url, {"to": "signed"}).status_code == 409
    assert client.post(url, {"to": "negotiating", "on": "2025-07-01"}).status_code == 200


def test_evidence_is_kept_with_the_move(world, api):
    client = api(world.investment_officer)
    agreement = SimpleUploadedFile("投资协议.pdf", b"%PDF-1.4 agreement", content_type="application/pdf")
    response = client.post(
        f"/api/v1/projects/{world.PR1.pk}/transition/",
        {"to": "signed", "on": "2025-05-20", "evidence": agreement},
        format="multipart",
    )
    assert response.status_code == 200, response.content
    signed = StageEvent.objects.get(project=world.PR1, to_category="signed")
    assert signed.evidence.read() == b"%PDF-1.4 agreement"
    assert response.json()["events"][-1]["evidence"].endswith(
        f"/projects/{world.PR1.pk}/evidence/{signed.pk}/"
    )


def test_a_lead_in_another_park_for_the_same_investor_opens_a_conflict(world, api):
    """Park B's staff create a lead for the investor park A follows (written differently): the zone's
    coordinator sees the conflict; park B's staff do not, nor park A's project."""
    world.PR1.investor_uscc = "914403002793913781"
    world.PR1.save()
    staff_b = park_user(world, world.P2, "staff-b")
    response = api(staff_b).post(
        "/api/v1/projects/",
        {"name": "二号园新项目", "investor_name": "甲方科技（深圳）有限公司", "area": world.P2.pk},
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    assert body["flagged"] is True and len(body["open_conflicts"]) == 1
    conflict = InvestorConflict.objects.get()
    assert set(conflict.projects.values_list("pk", flat=True)) == {body["id"], world.PR1.pk}
    assert conflict.zone == world.Z1
    coordinator = api(world.investment_officer).get("/api/v1/conflicts/").json()["results"]
    assert coordinator == [
        {
            **coordinator[0],
            "id": conflict.pk,
            "zone": world.Z1.pk,
            "projects": sorted([world.PR1.pk, body["id"]]),
            "investor_key": "甲方科技",
            "status": "open",
            "chosen_area": None,
        }
    ]
    staff = api(staff_b)
    assert staff.get("/api/v1/conflicts/").json()["results"] == []
    assert staff.get(f"/api/v1/projects/{world.PR1.pk}/").status_code == 404
    # The same code under another name is the same investor too.
    by_code = api(world.investment_officer).post(
        "/api/v1/projects/",
        {
            "name": "编码相同",
            "investor_name": "完全不同的名字",
            "investor_uscc": "914403002793913781",
            "area": world.P2.pk,
        },
        format="json",
    )
    assert by_code.json()["flagged"] is True
    assert InvestorConflict.objects.count() == 1 and conflict.projects.count() == 3


def test_no_conflict_within_one_park_or_across_zones(world, api):
    client = api(world.users["root"])
    same_park = client.post(
        "/api/v1/projects/",
        {"name": "同园二期", "investor_name": "甲方科技有限公司", "area": world.P1.pk},
        format="json",
    )
    other_zone = client.post(
        "/api/v1/projects/",
        {"name": "外区项目", "investor_name": "甲方科技有限公司", "area": world.P3.pk},
        format="json",
    )
    assert same_park.json()["flagged"] is False and other_zone.json()["flagged"] is False
    assert not InvestorConflict.objects.exists()


def test_changing_the_investor_opens_a_conflict(world, api):
    rival = make_project(world.P2, name="二号园项目", investor_name="丁方有限公司")
    assert not rival.flagged
    response = api(world.investment_officer).patch(
        f"/api/v1/projects/{rival.pk}/", {"investor_name": "甲方科技股份有限公司"}, format="json"
    )
    assert response.json()["flagged"] is True


def test_resolving_drops_the_other_parks_projects(world, api):
    rival = make_project(world.P2, name="二号园项目", investor_name="甲方科技股份有限公司")
    conflict = InvestorConflict.objects.get()
    client = api(world.investment_officer)
    wrong = client.post(f"/api/v1/conflicts/{conflict.pk}/resolve/", {"area": world.P3.pk})
    assert wrong.status_code == 400 and "area" in wrong.json()
    response = client.post(
        f"/api/v1/conflicts/{conflict.pk}/resolve/", {"area": world.P1.pk, "note": "一号园先接洽"}
    )
    assert response.status_code == 200
    assert response.json()["status"] == "resolved" and response.json()["chosen_area"] == world.P1.pk
    rival.refresh_from_db()
    world.PR1.refresh_from_db()
    assert rival.stage == "dropped" and not rival.flagged
    assert world.PR1.stage == "lead" and not world.PR1.flagged
    assert "一号园先接洽" in rival.events.get(to_category="dropped").note
    again = client.post(f"/api/v1/conflicts/{conflict.pk}/resolve/", {"area": world.P1.pk})
    assert again.status_code == 409


def test_dropping_one_side_settles_the_conflict(world, api):
    rival = make_project(world.P2, name="二号园项目", investor_name="甲方科技股份有限公司")
    api(world.users["root"]).post(
        f"/api/v1/projects/{rival.pk}/transition/", {"to": "dropped", "note": "撤回"}
    )
    conflict = InvestorConflict.objects.get()
    assert conflict.status == ConflictStatus.RESOLVED and conflict.chosen_area == world.P1
    world.PR1.refresh_from_db()
    assert not world.PR1.flagged


def test_park_a_officer_never_sees_park_b_projects(world, api):
    officer_a = park_user(world, world.P1, "officer-a", Role.INVESTMENT_OFFICER)
    make_project(world.P2, name="二号园秘密项目", investor_name="戊方有限公司")
    client = api(officer_a)
    names = {p["name"] for p in client.get("/api/v1/projects/", {"page_size": 1000}).json()["results"]}
    assert "二号园秘密项目" not in names and world.PR1.name in names
    assert client.get("/api/v1/projects/funnel/").json()["total"] == 2
    assert client.get("/api/v1/projects/funnel/", {"area": world.P2.pk}).status_code == 404
    text = b"".join(client.get("/api/v1/projects/export/", {"as": "csv"}).streaming_content).decode(
        "utf-8-sig"
    )
    assert "二号园秘密项目" not in text and world.PR1.name in text


def test_changing_the_plan_changes_conformity(world, api):
    officer = api(world.investment_officer)
    created = officer.post(
        "/api/v1/projects/",
        {"name": "锂电项目", "investor_name": "己方有限公司", "area": world.P1.pk, "industry_code": "C3841"},
        format="json",
    ).json()
    assert created["industry_code"] == "3841" and created["conforms"] is False
    admin = api(world.users["admin"])
    group = admin.post(
        "/api/v1/industry-groups/",
        {"zone": world.Z1.pk, "name": "新能源电池", "category": "emerging", "codes": ["384"]},
        format="json",
    )
    assert group.status_code == 201, group.content
    now = officer.get(f"/api/v1/projects/{created['id']}/").json()
    assert now["conforms"] is True and now["plan_group_name"] == "新能源电池"
    bad = admin.post(
        "/api/v1/industry-groups/",
        {"zone": world.Z1.pk, "name": "乱码", "category": "future", "codes": ["ZZ"]},
        format="json",
    )
    assert bad.status_code == 400 and "codes" in bad.json()
    assert admin.delete(f"/api/v1/industry-groups/{group.json()['id']}/").status_code == 204
    assert officer.get(f"/api/v1/projects/{created['id']}/").json()["conforms"] is False


def test_a_repeated_industry_name_in_a_zone_is_a_400_on_name_with_nothing_written(world, api):
    from zoneos.pipeline.models import IndustryGroup

    admin = api(world.users["admin"])
    before = IndustryGroup.objects.count()
    repeated = admin.post(
        "/api/v1/industry-groups/",
        {"zone": world.Z1.pk, "name": world.G1.name, "category": "emerging", "codes": ["384"]},
        format="json",
    )
    assert repeated.status_code == 400, repeated.content
    assert "name" in repeated.json()
    assert IndustryGroup.objects.count() == before
    other = admin.post(
        "/api/v1/industry-groups/",
        {"zone": world.Z1.pk, "name": "新能源电池", "category": "emerging", "codes": ["384"]},
        format="json",
    )
    assert other.status_code == 201, other.content
    collided = admin.patch(
        f"/api/v1/industry-groups/{other.json()['id']}/", {"name": world.G1.name}, format="json"
    )
    assert collided.status_code == 400, collided.content
    assert "name" in collided.json()
    assert IndustryGroup.objects.get(pk=other.json()["id"]).name == "新能源电池"
    # The same name in another zone, and a group keeping its own name, are fine.
    assert world.G2.name == world.G1.name
    same = admin.patch(f"/api/v1/industry-groups/{world.G1.pk}/", {"name": world.G1.name}, format="json")
    assert same.status_code == 200, same.content


def test_follow_ups_and_overdue_next_actions(world, api):
    officer = world.investment_officer
    world.PR1.owner = officer
    world.PR1.save()
    client = api(officer)
    late = client.post(
        "/api/v1/follow-ups/",
        {
            "project": world.PR1.pk,
            "kind": "meeting",
            "on": "2025-03-10",
            "summary": "洽谈用地",
            "next_action": "提交可研报告",
            "next_action_on": "2025-03-20",
        },
        format="json",
    )
    assert late.status_code == 201, late.content
    backwards = client.post(
        "/api/v1/follow-ups/",
        {
            "project": world.PR1.pk,
            "kind": "call",
            "on": "2025-03-10",
            "summary": "x",
            "next_action": "y",
            "next_action_on": "2025-03-01",
        },
        format="json",
    )
    assert backwards.status_code == 400 and "next_action_on" in backwards.json()
    overdue = list(services.overdue_actions(officer))
    assert [f.next_action for f in overdue] == ["提交可研报告"]
    # An officer moved to another zone no longer sees the projects they owned here.
    officer.memberships.update(area=world.Z2)
    officer._zoneos_memberships = None
    assert list(services.overdue_actions(officer)) == []
    officer.memberships.update(area=world.Z1)
    officer._zoneos_memberships = None
    client.patch(f"/api/v1/follow-ups/{late.json()['id']}/", {"next_action_done": True}, format="json")
    assert list(services.overdue_actions(officer)) == []


def test_signing_batches_hold_projects_of_their_area(world, api):
    client = api(world.investment_officer)
    assert (
        client.patch(
            f"/api/v1/projects/{world.PR1.pk}/", {"signing_batch": world.B1.pk}, format="json"
        ).status_code
        == 200
    )
    batch = client.get(f"/api/v1/signing-batches/{world.B1.pk}/").json()
    assert batch["projects"] == [world.PR1.pk]
    assert batch["project_count"] == 1 and batch["total_investment"] == "100000000.00"
    assert client.delete(f"/api/v1/signing-batches/{world.B1.pk}/").status_code == 409
    root = api(world.users["root"])
    wrong = root.patch(f"/api/v1/projects/{world.PR2.pk}/", {"signing_batch": world.B1.pk}, format="json")
    assert wrong.status_code == 400 and "signing_batch" in wrong.json()


def test_only_a_lead_is_deleted(world, api):
    client = api(world.investment_officer)
    client.post(f"/api/v1/projects/{world.PR1.pk}/transition/", {"to": "negotiating"})
    assert client.delete(f"/api/v1/projects/{world.PR1.pk}/").status_code == 409
    assert client.delete(f"/api/v1/projects/{world.PR3.pk}/").status_code == 204
