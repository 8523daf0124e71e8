"""The briefing API: on-demand files within the caller's reach, bad input named, briefings kept as files,
and schedules."""

import io

import pytest
from auditlog.models import LogEntry
from openpyxl import load_workbook

from zoneos.reports import services
from zoneos.reports.models import Briefing, BriefingSchedule

pytestmark = pytest.mark.django_db
URL = "/api/v1/supervision/briefing/"


def xlsx(client, area, month="2025-03"):
    return client.get(URL, {"area": area.pk, "month": month, "format": "xlsx"})


def test_a_park_user_gets_their_park_and_not_another(world, api):
    staff = api(world.park_staff)  # park staff of P1
    own = xlsx(staff, world.P1)
    assert own.status_code == 200
    assert own["Content-Disposition"] == 'attachment; filename="briefing-P1-2025-03.xlsx"'
    assert own["Content-Type"].startswith("application/vnd.openxmlformats")
    load_workbook(io.BytesIO(b"".join(own.streaming_content)))
    for other in (world.P2, world.Z1, world.P3, world.Z2):
        assert xlsx(staff, other).status_code == 404, other
    assert xlsx(api(world.outsider), world.P1).status_code == 404  # staff of P3
    for role in ("handler", "enterprise", "stranger"):
        assert xlsx(api(world.users[role]), world.P1).status_code == 404, role
    assert xlsx(api(None), world.P1).status_code == 401
    assert xlsx(api(world.users["leader"]), world.Z1).status_code == 200
    assert xlsx(api(world.root), world.Z2).status_code == 200


def test_bad_input_is_named(world, api):
    client = api(world.users["supervisor"])
    for month in ("2025-13", "2025-3", "", "1800-01", "三月"):
        response = client.get(URL, {"area": world.Z1.pk, "month": month, "format": "xlsx"})
        assert response.status_code == 400 and list(response.json()) == ["month"], month
    response = client.get(URL, {"area": world.Z1.pk, "month": "2025-03", "format": "docx"})
    assert response.status_code == 400 and list(response.json()) == ["format"]
    both = client.get(URL, {"area": world.Z1.pk, "month": "x", "format": "docx"})
    assert set(both.json()) == {"month", "format"}
    assert list(client.get(URL, {"area": "abc", "month": "2025-03"}).json()) == ["area"]
    assert client.get(URL, {"month": "2025-03"}).status_code == 400
    assert client.get(URL, {"area": 2**70, "month": "2025-03"}).status_code == 400


def test_a_kept_briefing_is_queued_then_downloaded(world, api, django_capture_on_commit_callbacks):
    leader = api(world.users["leader"])
    with django_capture_on_commit_callbacks() as queued:
        created = leader.post(
            "/api/v1/briefings/", {"area": world.P1.pk, "month": "2025-03", "format": "xlsx"}, format="json"
        )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["status"], body["requested_by"], body["month"], body["download"]) == (
        "queued", "leader", "2025-03", None
    )  # fmt: skip
    assert body["language"] == "en" and body["filename"] == "briefing-P1-2025-03.xlsx"
    assert len(queued) == 1  # the task is queued once the request's transaction commits
    briefing = Briefing.objects.get(pk=body["id"])
    assert LogEntry.objects.get_for_object(briefing).get().actor == world.users["leader"]
    url = f"/api/v1/briefings/{briefing.pk}/download/"
    assert leader.get(url).status_code == 409
    services.generate(briefing.pk)  # what the task does
    assert LogEntry.objects.get_for_object(briefing).count() == 1  # rendering is not a change of record
    done = leader.get(f"/api/v1/briefings/{briefing.pk}/")
    assert done.json()["status"] == "done" and done.json()["download"].endswith(url)
    file = leader.get(url)
    assert file.status_code == 200 and file["Content-Disposition"].endswith('"briefing-P1-2025-03.xlsx"')
    load_workbook(io.BytesIO(b"".join(file.streaming_content)))
    assert body["id"] in [b["id"] for b in leader.get("/api/v1/briefings/").json()["results"]]
    assert api(world.outsider).get(url).status_code == 404
    outside = api(world.outsider).get("/api/v1/briefings/").json()["results"]
    assert body["id"] not in [b["id"] for b in outside]
    # Park staff read their park's briefings, not the zone's.
    zone = services.request_briefing(by=world.root, area=world.Z1, month="2025-03", formats=["pdf"])[0]
    assert api(world.park_staff).get(f"/api/v1/briefings/{zone.pk}/").status_code == 404
    assert api(world.users["supervisor"]).get(f"/api/v1/briefings/{zone.pk}/").status_code == 200


def test_requests_outside_the_callers_reach_are_refused(world, api):
    payload = {"area": world.P3.pk, "month": "2025-03", "format": "pdf"}
    outside = api(world.users["leader"]).post("/api/v1/briefings/", payload, format="json")
    assert outside.status_code == 400 and "area" in outside.json()
    zone = api(world.park_staff).post("/api/v1/briefings/", {**payload, "area": world.Z1.pk}, format="json")
    assert zone.status_code == 400 and "area" in zone.json()
    bad = api(world.users["leader"]).post(
        "/api/v1/briefings/", {"area": world.P1.pk, "month": "2025-3", "format": "doc"}, format="json"
    )
    assert bad.status_code == 400 and set(bad.json()) == {"month", "format"}
    for role in ("handler", "enterprise", "stranger"):
        response = api(world.users[role]).post("/api/v1/briefings/", {**payload, "area": world.P1.pk})
        assert response.status_code == 403, role
    assert not Briefing.objects.exists()


def test_requested_briefings_may_be_removed_scheduled_ones_stay(
    world, api, django_capture_on_commit_callbacks
):
    requested = services.request_briefing(by=world.root, area=world.P1, month="2025-03", formats=["xlsx"])[0]
    requested = services.generate(requested.pk)
    storage, name = requested.file.storage, requested.file.name
    assert storage.exists(name)
    assert api(world.outsider).delete(f"/api/v1/briefings/{requested.pk}/").status_code == 404
    assert api(world.users["handler"]).delete(f"/api/v1/briefings/{requested.pk}/").status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        removed = api(world.park_staff).delete(f"/api/v1/briefings/{requested.pk}/")
    assert removed.status_code == 204 and not Briefing.objects.exists() and not storage.exists(name)
    deletion = LogEntry.objects.get(action=LogEntry.Action.DELETE, object_pk=str(requested.pk))
    assert deletion.actor == world.park_staff
    planned = services.create_schedule(by=world.root, area=world.P1, day_of_month=1, formats=["xlsx"])
    services.run_due()
    scheduled = Briefing.objects.get(schedule=planned)
    kept = api(world.users["supervisor"]).delete(f"/api/v1/briefings/{scheduled.pk}/")
    assert kept.status_code == 409 and Briefing.objects.filter(pk=scheduled.pk).exists()
    assert api(world.users["supervisor"]).patch(f"/api/v1/briefings/{scheduled.pk}/", {}).status_code == 405


def test_schedules_are_kept_by_supervisors(world, api):
    supervisor = api(world.users["supervisor"])
    payload = {"area": world.Z1.pk, "day_of_month": 5, "formats": ["pdf", "xlsx"], "language": "en"}
    created = supervisor.post("/api/v1/briefing-schedules/", payload, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["created_by"] == "supervisor" and created.json()["active"] is True
    pk = created.json()["id"]
    assert (
        api(world.users["leader"]).post("/api/v1/briefing-schedules/", payload, format="json").status_code
        == 403
    )
    assert api(world.users["leader"]).get(f"/api/v1/briefing-schedules/{pk}/").status_code == 200
    assert api(world.park_staff).get(f"/api/v1/briefing-schedules/{pk}/").status_code == 404
    for field, value in (("day_of_month", 29), ("formats", []), ("formats", ["doc"]), ("area", world.P3.pk)):
        refused = supervisor.post("/api/v1/briefing-schedules/", {**payload, field: value}, format="json")
        assert refused.status_code == 400 and field in refused.json(), field
    changed = supervisor.patch(f"/api/v1/briefing-schedules/{pk}/", {"day_of_month": 10}, format="json")
    assert changed.status_code == 200 and changed.json()["day_of_month"] == 10
    history = supervisor.get(f"/api/v1/briefing-schedules/{pk}/history/").json()["results"]
    assert [h["user"] for h in history] == ["supervisor", "supervisor"]
    assert history[0]["changes"]["day_of_month"] == [5, 10]
    assert supervisor.delete(f"/api/v1/briefing-schedules/{pk}/").status_code == 204
    assert not BriefingSchedule.objects.exists()
