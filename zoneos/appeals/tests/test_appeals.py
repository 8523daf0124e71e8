"""Appeals through the API: deadlines in working days from the SLA policy, routing, every step of the
state table with who may take it, the enterprise's side, and the desk's figures."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from auditlog.models import LogEntry
from django.utils import timezone

from zoneos.appeals import services
from zoneos.appeals.models import Appeal, AppealEvent, EventKind, RoutingRule, Status
from zoneos.areas.models import AreaKind
from zoneos.core.roles import Role
from zoneos.notifications.models import Notification
from zoneos.testing.factories import AreaFactory, EnterpriseFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
URL = "/api/v1/appeals/"


def new_appeal(client, enterprise, **extra):
    payload = {
        "enterprise": enterprise.pk,
        "category": "help",
        "channel": "online",
        "title": "厂房用电扩容",
        "description": "新产线投产，需要增加一台变压器。",
        **extra,
    }
    return client.post(URL, payload, format="json")


def step(client, appeal_id, name, **payload):
    return client.post(f"{URL}{appeal_id}/{name}/", payload, format="json")


@pytest.fixture
def plain_zone(world):
    """A zone with no deadline policy of its own (the platform's default applies) and its staff."""
    zone = AreaFactory(code="Z9", name="九号高新区", kind=AreaKind.ZONE, parent=world.R)
    park = AreaFactory(code="P9", name="九号园", parent=zone)
    enterprise = EnterpriseFactory(area=park, name="九号科技有限公司")
    staff = UserFactory(username="z9admin")
    MembershipFactory(user=staff, role=Role.ADMIN, area=zone)
    return zone, enterprise, staff


def test_the_spring_festival_example(world, api, plain_zone):
    # Received on Friday 2026-02-13; three working days for a consultation, counted from the next
    # working day: Saturday 14 February (an adjusted working day), then the holiday (15-23 February),
    # Tuesday 24 and Wednesday 25 February.
    _zone, enterprise, staff = plain_zone
    response = new_appeal(
        api(staff),
        enterprise,
        category="consultation",
        channel="hotline",
        received_at="2026-02-13T10:00:00+08:00",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["reply_due"] == "2026-02-25T17:30:00+08:00"
    assert body["reply_days"] == 3 and body["sign_for_hours"] == "4.0"
    # Four working hours from 10:00 on Friday: 10:00-12:00 and 13:30-15:30.
    assert body["sign_for_due"] == "2026-02-13T15:30:00+08:00"
    assert body["deadline_provisional"] is False
    # Other categories have five working days: Thursday 26 and Friday 27 February follow.
    other = new_appeal(api(staff), enterprise, channel="hotline", received_at="2026-02-13T10:00:00+08:00")
    assert other.json()["reply_due"] == "2026-02-27T17:30:00+08:00"


def test_a_deadline_in_a_year_without_calendar_data_is_provisional(world, api, plain_zone):
    zone, enterprise, staff = plain_zone
    rules = [{"category": c, "sign_for_hours": "4.0", "reply_days": 40} for c in services.Category.values]
    services.save_policy(
        by=world.root, area=zone, name="长时限", valid_from=datetime.date(2026, 1, 1), rules=rules
    )
    response = new_appeal(api(staff), enterprise, channel="hotline", received_at="2026-11-27T09:00:00+08:00")
    assert response.status_code == 201, response.content
    body = response.json()
    # 24 working days to the end of 2026, then 2027 counted on weekdays (no official notice yet).
    assert body["deadline_provisional"] is True
    assert body["reply_due"] == "2027-01-22T17:30:00+08:00"
    assert (
        new_appeal(api(staff), enterprise, category="consultation", channel="hotline").json()[
            "deadline_provisional"
        ]
        is True
    )


def test_an_enterprise_submits_and_the_appeal_is_routed_to_the_department(world, api):
    response = new_appeal(api(world.enterprise), world.E1)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "assigned" and body["department"] == world.D1.pk
    assert body["channel"] == "online" and body["submitter"] == "enterprise"
    received = datetime.datetime.fromisoformat(body["received_at"])
    assert abs(received - timezone.now()) < datetime.timedelta(minutes=1)
    assert [e["kind"] for e in body["events"]] == ["submit", "assign"]
    assert body["actions"] == ["urge"]


def test_an_appeal_may_carry_a_point_both_coordinates_or_neither(world, api):
    client = api(world.enterprise)
    placed = new_appeal(client, world.E1, latitude="23.1", longitude="113.25", address="科技路 1 号")
    assert placed.status_code == 201, placed.content
    body = placed.json()
    point = (body["latitude"], body["longitude"], body["address"])
    assert point == ("23.100000", "113.250000", "科技路 1 号")
    half = new_appeal(client, world.E1, title="只有纬度", latitude="23.1")
    assert half.status_code == 400 and list(half.json()) == ["longitude"]
    far = new_appeal(client, world.E1, title="越界", latitude="23.1", longitude="190")
    assert far.status_code == 400 and list(far.json()) == ["longitude"]
    assert not Appeal.objects.filter(title__in=["只有纬度", "越界"]).exists()


def test_the_whole_path_from_submission_to_closure(world, api):
    enterprise, handler, admin = api(world.enterprise), api(world.handler), api(world.admin)
    appeal_id = new_appeal(enterprise, world.E1).json()["id"]

    assert step(handler, appeal_id, "sign_for").json()["status"] == "signed_for"
    assert step(handler, appeal_id, "start").json()["status"] == "in_progress"
    replied = step(handler, appeal_id, "reply", reply="已协调供电局，下周完成扩容。")
    assert replied.status_code == 200 and replied.json()["status"] == "replied"
    assert replied.json()["replied_on_time"] is True
    # The enterprise sees the reply and rates it.
    seen = enterprise.get(f"{URL}{appeal_id}/").json()
    assert seen["reply"] == "已协调供电局，下周完成扩容。"
    assert set(seen["actions"]) == {"evaluate", "reopen"}
    rated = step(enterprise, appeal_id, "evaluate", rating="satisfied", comment="很及时")
    assert rated.json()["status"] == "evaluated" and rated.json()["rating"] == "satisfied"
    closed = step(admin, appeal_id, "close")
    assert closed.json()["status"] == "closed"

    kinds = [e["kind"] for e in closed.json()["events"]]
    assert kinds == ["submit", "assign", "sign_for", "start", "reply", "evaluate", "close"]
    authors = [e["by"] for e in closed.json()["events"]]
    assert authors == ["enterprise", None, "handler", "handler", "handler", "enterprise", "admin"]
    history = admin.get(f"{URL}{appeal_id}/history/").json()["results"]
    assert {row["user"] for row in history} >= {"enterprise", "handler", "admin"}
    statuses = [row["changes"]["status"][1] for row in history if "status" in row["changes"]]
    assert "closed" in statuses and "signed_for" in statuses


def test_a_step_the_state_does_not_allow_is_409_and_a_step_of_another_party_is_403(world, api):
    appeal = world.AP1
    enterprise = api(world.enterprise)
    response = step(enterprise, appeal.pk, "evaluate", rating="satisfied")
    assert response.status_code == 409  # the enterprise's step, but there is no reply to rate yet
    response = step(api(world.handler), appeal.pk, "reply", reply="好")
    assert response.status_code == 409
    assert "cannot" in response.json()["detail"]
    assert step(enterprise, appeal.pk, "sign_for").status_code == 403
    step(api(world.handler), appeal.pk, "sign_for")
    assert step(api(world.handler), appeal.pk, "sign_for").status_code == 409
    assert AppealEvent.objects.filter(appeal=appeal, kind="sign_for").count() == 1


def test_an_enterprise_never_sees_another_enterprises_appeal(world, api):
    other = services.submit(
        by=world.admin,
        enterprise=world.E3,
        category="help",
        title="别家的诉求",
        description="保密",
        channel="hotline",
    )
    client = api(world.enterprise)
    assert client.get(f"{URL}{other.pk}/").status_code == 404
    assert client.get(f"{URL}{other.pk}/history/").status_code == 404
    assert step(client, other.pk, "urge").status_code == 404
    listed = {row["id"] for row in client.get(URL).json()["results"]}
    assert world.AP1.pk in listed and other.pk not in listed
    # Nor does it submit for another enterprise.
    assert new_appeal(client, world.E3).status_code == 400


def test_a_handler_sees_only_their_departments_queue(world, api):
    RoutingRule.objects.create(area=world.Z1, category="land", department=world.D3)
    land = services.submit(
        by=world.admin,
        enterprise=world.E1,
        category="land",
        title="用地",
        description="扩建用地",
        channel="visit",
    )
    assert land.department == world.D3
    client = api(world.handler)
    listed = {row["id"] for row in client.get(URL, {"page_size": 1000}).json()["results"]}
    assert listed == {world.AP1.pk}
    assert client.get(f"{URL}{land.pk}/").status_code == 404


def test_bad_input_names_the_field_and_writes_nothing(world, api):
    before = Appeal.objects.count()
    client = api(world.admin)
    response = new_appeal(client, world.E1, title="  ", category="weather")
    assert response.status_code == 400 and "category" in response.json()
    response = new_appeal(client, world.E1, title="  ")
    assert response.status_code == 400 and "title" in response.json()
    response = new_appeal(client, world.E1, received_at="2099-01-01T00:00:00+08:00", channel="hotline")
    assert response.status_code == 400 and "received_at" in response.json()
    # An enterprise's online appeal is received when it is submitted.
    response = new_appeal(api(world.enterprise), world.E1, received_at="2026-01-05T09:00:00+08:00")
    assert response.status_code == 400 and "received_at" in response.json()
    response = new_appeal(api(world.enterprise), world.E1, channel="hotline")
    assert response.status_code == 400 and "channel" in response.json()
    assert Appeal.objects.count() == before
    assert step(api(world.handler), world.AP1.pk, "return", reason=" ").json() == {
        "reason": ["Say why the appeal is not your department's."]
    }


def test_a_returned_appeal_goes_back_to_routing(world, api):
    handler, admin = api(world.handler), api(world.admin)
    returned = step(handler, world.AP1.pk, "return", reason="属于规划建设局职责")
    assert returned.json()["status"] == "returned" and returned.json()["department"] is None
    assert handler.get(f"{URL}{world.AP1.pk}/").status_code == 404  # out of their queue
    again = step(admin, world.AP1.pk, "assign", department=world.D3.pk)
    assert again.status_code == 200, again.content
    assert again.json()["status"] == "assigned" and again.json()["department"] == world.D3.pk
    assert step(admin, world.AP1.pk, "assign", department=world.D2.pk).json() == {
        "department": [f'Invalid pk "{world.D2.pk}" - object does not exist.']
    }


def test_an_approved_extension_moves_the_reply_deadline(world, api, settings):
    handler, admin = api(world.handler), api(world.admin)
    appeal = services.submit(
        by=world.admin,
        enterprise=world.E1,
        category="help",
        title="补贴",
        description="兑现",
        channel="hotline",
    )
    step(handler, appeal.pk, "sign_for")
    before = Appeal.objects.get(pk=appeal.pk).reply_due
    asked = step(handler, appeal.pk, "request_extension", days=3, reason="需要外部门会签")
    assert asked.json()["status"] == "extension_requested"
    assert step(handler, appeal.pk, "approve_extension").status_code == 403  # not a head
    approved = step(admin, appeal.pk, "approve_extension")
    assert approved.json()["status"] == "in_progress"
    after = datetime.datetime.fromisoformat(approved.json()["reply_due"])
    from zoneos.workdays.calendar import working_days_elapsed

    assert working_days_elapsed(before, after) == 3
    assert approved.json()["events"][-1]["data"]["days"] == 3


def test_a_dissatisfied_enterprise_reopens_and_closing_waits_for_its_rating(world, api):
    enterprise, handler, admin = api(world.enterprise), api(world.handler), api(world.admin)
    appeal_id = world.AP1.pk
    step(handler, appeal_id, "sign_for")
    step(handler, appeal_id, "reply", reply="已答复")
    early = step(admin, appeal_id, "close")
    assert early.status_code == 409 and "to confirm" in early.json()["detail"]
    assert step(enterprise, appeal_id, "evaluate", rating="dissatisfied").json() == {
        "comment": ["Say what is still wrong."]
    }
    step(enterprise, appeal_id, "evaluate", rating="dissatisfied", comment="问题没有解决")
    reopened = step(enterprise, appeal_id, "reopen", reason="变压器仍未安装")
    assert reopened.status_code == 200, reopened.content
    body = reopened.json()
    assert body["status"] == "reopened" and body["reopen_count"] == 1 and body["rating"] == ""
    assert datetime.datetime.fromisoformat(body["reply_due"]) > timezone.now()
    # After a second reply the enterprise stays silent: the zone closes once the time to confirm is over.
    step(admin, appeal_id, "assign", department=world.D1.pk)
    step(handler, appeal_id, "sign_for")
    step(handler, appeal_id, "reply", reply="已安装")
    Appeal.objects.filter(pk=appeal_id).update(replied_at=timezone.now() - datetime.timedelta(days=14))
    assert step(admin, appeal_id, "close").json()["status"] == "closed"


def test_waiting_on_the_enterprise_stops_the_clock(world, api):
    handler = api(world.handler)
    step(handler, world.AP1.pk, "sign_for")
    paused = step(handler, world.AP1.pk, "pause", reason="请补充用电负荷表")
    assert paused.json()["paused_at"] is not None
    assert Appeal.objects.get(pk=world.AP1.pk).alarm_at is None  # the sweep leaves it alone
    assert step(handler, world.AP1.pk, "start").status_code == 409
    past = timezone.now() - datetime.timedelta(days=7)
    Appeal.objects.filter(pk=world.AP1.pk).update(paused_at=past)
    before = Appeal.objects.get(pk=world.AP1.pk).reply_due
    resumed = step(handler, world.AP1.pk, "resume")
    assert resumed.json()["paused_at"] is None
    assert datetime.datetime.fromisoformat(resumed.json()["reply_due"]) > before


def test_urging_flags_the_appeal_and_counts(world, api):
    client = api(world.enterprise)
    assert step(client, world.AP1.pk, "urge").json()["urge_count"] == 1
    body = step(client, world.AP1.pk, "urge", note="很急").json()
    assert body["urged"] is True and body["urge_count"] == 2
    assert api(world.handler).get(URL, {"urged": "true"}).json()["count"] == 1


def test_routing_takes_the_nearest_rule_and_the_category_before_the_catch_all(world):
    RoutingRule.objects.create(area=world.Z1, category="talent", department=world.D3)
    RoutingRule.objects.create(area=world.P1, category="", department=world.D3)
    assert services.route(world.P1, "help").department == world.D3  # the park's catch-all is nearer
    assert services.route(world.P2, "help").department == world.D1
    assert services.route(world.P2, "talent").department == world.D3
    assert services.route(world.P3, "talent").department == world.D2


def test_a_newer_policy_applies_from_its_first_day(world, api):
    rules = [{"category": c, "sign_for_hours": "1.0", "reply_days": 2} for c in services.Category.values]
    response = api(world.admin).post(
        "/api/v1/sla-policies/",
        {"area": world.Z1.pk, "name": "提速", "valid_from": "2026-06-01", "rules": rules},
        format="json",
    )
    assert response.status_code == 201, response.content
    may = new_appeal(api(world.admin), world.E1, channel="hotline", received_at="2026-05-29T09:00:00+08:00")
    june = new_appeal(api(world.admin), world.E1, channel="hotline", received_at="2026-06-02T09:00:00+08:00")
    assert may.json()["reply_days"] == 4 and june.json()["reply_days"] == 2
    incomplete = api(world.admin).post(
        "/api/v1/sla-policies/",
        {"area": world.Z1.pk, "name": "缺", "valid_from": "2026-07-01", "rules": rules[:3]},
        format="json",
    )
    assert incomplete.status_code == 400 and "rules" in incomplete.json()
    # Without an area a policy is the platform's default, which only superusers change.
    default = {"name": "默认", "valid_from": "2026-07-01", "rules": rules}
    assert list(api(world.admin).post("/api/v1/sla-policies/", default, format="json").json()) == ["area"]
    assert api(world.root).post("/api/v1/sla-policies/", default, format="json").status_code == 201


def test_the_desk_figures(world, api):
    handler, enterprise = api(world.handler), api(world.enterprise)
    fresh = new_appeal(enterprise, world.E1).json()["id"]
    step(handler, fresh, "sign_for")
    step(handler, fresh, "reply", reply="已办")
    step(enterprise, fresh, "evaluate", rating="basically_satisfied")
    step(handler, world.AP1.pk, "sign_for")
    step(handler, world.AP1.pk, "reply", reply="已办")  # received in March: long after its deadline
    figures = api(world.admin).get(f"{URL}stats/").json()
    assert figures["total"] == 2 and figures["replied"] == 2 and figures["on_time"] == 1
    assert figures["on_time_rate"] == "0.5000"
    assert figures["rated"] == 1 and figures["satisfaction_rate"] == "1.0000"
    assert [row["label"] for row in figures["by_department"]] == [world.D1.name]
    assert [row["key"] for row in figures["by_category"]] == ["help"]
    assert figures["ranking"][0]["rank"] == 1 and figures["ranking"][0]["on_time_rate"] == "0.5000"
    # An enterprise user's figures are its own appeals only; the other zone's appeal counts for root.
    assert api(world.enterprise).get(f"{URL}stats/").json()["total"] == 2
    assert api(world.root).get(f"{URL}stats/").json()["total"] == 3


def test_a_symposium_counts_its_appeals_solved_and_in_progress(world, api):
    client = api(world.admin)
    for title in ("融资难", "招工难"):
        response = new_appeal(client, world.E1, symposium=world.SY1.pk, title=title)
        assert response.json()["channel"] == "symposium"
    first = Appeal.objects.filter(symposium=world.SY1).order_by("pk").first()
    services.sign_for(first, by=world.handler)
    services.reply(first, by=world.handler, reply="已解决")
    body = client.get(f"/api/v1/symposia/{world.SY1.pk}/").json()
    assert (body["appeals"], body["solved"], body["in_progress"]) == (2, 1, 1)


def test_the_monthly_visit_report(world, api):
    client = api(world.service_officer)
    made = client.post(
        "/api/v1/visits/",
        {"enterprise": world.E1.pk, "visited_on": "2026-03-10", "summary": "了解扩产"},
        format="json",
    )
    assert made.status_code == 201, made.content
    new_appeal(client, world.E1, visit=made.json()["id"], title="扩产用地")
    report = client.get("/api/v1/visits/report/", {"month": "2026-03"}).json()
    assert report["officers"] == [
        {"officer": "service_officer", "visits": 2, "enterprises": 1, "appeals_raised": 1}
    ]
    assert client.get("/api/v1/visits/report/", {"month": "2026-13"}).status_code == 400


def test_assignment_and_reply_notify_the_people_concerned(world, api, django_capture_on_commit_callbacks):
    from zoneos.notifications.models import Notification

    world.handler.email = "handler@example.cn"
    world.handler.save()
    world.enterprise.email = "boss@example.cn"
    world.enterprise.save()
    with django_capture_on_commit_callbacks():
        appeal_id = new_appeal(api(world.enterprise), world.E1).json()["id"]
    assert Notification.objects.filter(event="assigned", recipient="handler@example.cn").exists()
    with django_capture_on_commit_callbacks():
        step(api(world.handler), appeal_id, "sign_for")
        step(api(world.handler), appeal_id, "reply", reply="已办")
    assert Notification.objects.filter(event="replied", recipient="boss@example.cn").exists()


def test_waiting_on_the_enterprise_asks_it_for_materials_under_its_own_event(
    world, api, django_capture_on_commit_callbacks
):
    world.enterprise.email = "boss@example.cn"
    world.enterprise.save()
    step(api(world.handler), world.AP1.pk, "sign_for")
    with django_capture_on_commit_callbacks():
        step(api(world.handler), world.AP1.pk, "pause", reason="请补充用电负荷表")
    asked = Notification.objects.get(recipient="boss@example.cn")
    assert asked.event == "paused"
    assert asked.text == "请补充用电负荷表"


def test_every_step_of_the_table_writes_an_event_of_the_timeline():
    assert {step.event_kind for step in services.APPEAL_WORKFLOW} <= set(EventKind.values)


def test_history_records_every_step_with_its_author(world):
    services.sign_for(world.AP1, by=world.handler)
    entries = LogEntry.objects.get_for_object(world.AP1).order_by("timestamp")
    assert entries.last().actor == world.handler
    assert entries.last().changes_dict["status"] == ["assigned", "signed_for"]
    assert Appeal.objects.get(pk=world.AP1.pk).status == Status.SIGNED_FOR
