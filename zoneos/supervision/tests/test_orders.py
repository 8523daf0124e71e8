"""Supervision orders: issued about a key project to an area or a department, due in working days,
answered by the addressee, closed or sent back by supervisors; overdue ones flagged."""

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from zoneos.supervision import services
from zoneos.supervision.models import OrderEvent, SupervisionOrder

pytestmark = pytest.mark.django_db


def issue(client, world, **extra):
    payload = {
        "key_project": world.KP1.pk,
        "to_area": world.P1.pk,
        "subject": "加快主体结构施工",
        "deadline_days": 5,
        "issued_on": "2026-09-25",
        **extra,
    }
    return client.post("/api/v1/supervision/orders/", payload, format="json")


def test_the_deadline_counts_working_days_across_national_day(world, api):
    # Issued on Friday 25 September 2026: 28, 29, 30 September, then the National Day holiday (1-7
    # October), then Thursday 8 and Friday 9 October; Saturday 10 October is an adjusted working day.
    response = issue(api(world.users["supervisor"]), world)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["due_on"] == "2026-10-09" and body["status"] == "open"
    assert body["addressee"] == world.P1.label and body["issued_by"] == "supervisor"
    assert [e["to_status"] for e in body["events"]] == ["open"]


def test_a_deadline_in_a_year_without_a_calendar_is_refused_naming_the_field(world, api):
    before = SupervisionOrder.objects.count()
    response = issue(api(world.users["supervisor"]), world, issued_on="2027-03-01")
    assert response.status_code == 400
    assert "2027" in response.json()["deadline_days"][0]
    assert SupervisionOrder.objects.count() == before


def test_bad_input_names_the_field(world, api):
    before = SupervisionOrder.objects.count()
    client = api(world.users["supervisor"])
    both = issue(client, world, to_department=world.D1.pk)
    assert both.status_code == 400 and "to_area" in both.json()
    assert issue(client, world, deadline_days=0).json().keys() >= {"deadline_days"}
    assert issue(client, world, subject="  ").status_code == 400
    assert SupervisionOrder.objects.count() == before


def test_answer_send_back_and_close_with_history(world, api):
    supervisor, staff = api(world.users["supervisor"]), api(world.users["park_staff"])
    order = issue(supervisor, world).json()
    url = f"/api/v1/supervision/orders/{order['id']}"
    # The issuer does not answer for the park; park staff of P1 (the addressee) do.
    answered = staff.post(f"{url}/answer/", {"answer": "已增加施工班组"}, format="json")
    assert answered.status_code == 200, answered.content
    assert answered.json()["status"] == "answered"
    # An answer does not settle it: sent back, the order is open again.
    assert supervisor.post(f"{url}/send-back/", {"note": ""}, format="json").json() == {
        "note": ["Say what the answer lacks."]
    }
    back = supervisor.post(f"{url}/send-back/", {"note": "请附进度照片"}, format="json")
    assert back.json()["status"] == "open" and back.json()["answered_on"] is None
    staff.post(f"{url}/answer/", {"answer": "已补充照片"}, format="json")
    closed = supervisor.post(f"{url}/close/", {}, format="json")
    assert closed.json()["status"] == "closed"
    # Closed is final: a further step answers 409 and changes nothing.
    again = staff.post(f"{url}/answer/", {"answer": "再次答复"}, format="json")
    assert again.status_code == 409
    steps = list(OrderEvent.objects.filter(order_id=order["id"]).values_list("to_status", "by__username"))
    assert steps == [
        ("open", "supervisor"),
        ("answered", "park_staff"),
        ("open", "supervisor"),
        ("answered", "park_staff"),
        ("closed", "supervisor"),
    ]
    entry = LogEntry.objects.get_for_object(SupervisionOrder.objects.get(pk=order["id"])).last()
    assert entry.actor == world.users["supervisor"]


def test_a_department_answers_its_orders_and_sees_only_them(world, api):
    supervisor, handler = api(world.users["supervisor"]), api(world.users["handler"])
    to_department = issue(supervisor, world, to_area=None, to_department=world.D1.pk).json()
    to_park = issue(supervisor, world, subject="资金到位情况").json()
    listed = handler.get("/api/v1/supervision/orders/").json()["results"]
    assert [o["id"] for o in listed] == [to_department["id"]]  # not the world's orders to P1 either
    refused = handler.post(
        f"/api/v1/supervision/orders/{to_park['id']}/answer/", {"answer": "x"}, format="json"
    )
    assert refused.status_code == 404
    ok = handler.post(
        f"/api/v1/supervision/orders/{to_department['id']}/answer/",
        {"answer": "已协调用地指标"},
        format="json",
    )
    assert ok.status_code == 200 and ok.json()["status"] == "answered"
    # Park staff see the order (it is about their project) but do not answer for the department.
    staff = api(world.users["park_staff"])
    assert (
        staff.post(f"/api/v1/supervision/orders/{to_park['id']}/answer/", {"answer": "好"}).status_code == 200
    )


def test_overdue_orders_are_flagged(world, api):
    client = api(world.users["supervisor"])
    late = issue(client, world, issued_on="2026-01-05").json()  # due 2026-01-12, long past
    today = timezone.localdate()
    fresh = issue(client, world, issued_on=today.isoformat(), subject="新督办").json()
    assert late["overdue"] is True and fresh["overdue"] is False
    flagged = {
        o["id"] for o in client.get("/api/v1/supervision/orders/", {"overdue": "true"}).json()["results"]
    }
    assert late["id"] in flagged and fresh["id"] not in flagged
    in_time = {
        o["id"] for o in client.get("/api/v1/supervision/orders/", {"overdue": "false"}).json()["results"]
    }
    assert fresh["id"] in in_time and late["id"] not in in_time
    # Answered late stays flagged as late.
    services.answer_order(
        SupervisionOrder.objects.get(pk=late["id"]), by=world.users["park_staff"], answer="迟复"
    )
    assert client.get(f"/api/v1/supervision/orders/{late['id']}/").json()["overdue"] is True


def test_withdrawing_an_answered_order_is_refused(world, api):
    client = api(world.users["supervisor"])
    order = issue(client, world).json()
    api(world.users["park_staff"]).post(
        f"/api/v1/supervision/orders/{order['id']}/answer/", {"answer": "已办"}, format="json"
    )
    assert client.delete(f"/api/v1/supervision/orders/{order['id']}/").status_code == 409
    assert SupervisionOrder.objects.filter(pk=order["id"]).exists()


def test_allowed_actions_are_the_steps_of_the_table_the_caller_may_take(world, api):
    supervisor, staff = api(world.users["supervisor"]), api(world.users["park_staff"])
    order = issue(supervisor, world).json()
    assert order["allowed_actions"] == ["answer", "close"]  # the zone's supervisor answers for P1 too
    url = f"/api/v1/supervision/orders/{order['id']}"
    assert staff.get(f"{url}/").json()["allowed_actions"] == ["answer"]
    assert staff.post(f"{url}/answer/", {"answer": "已办"}, format="json").json()["allowed_actions"] == []
    assert supervisor.get(f"{url}/").json()["allowed_actions"] == ["close", "send_back"]
    # Someone who reads the order but is none of its parties is refused in the table's words.
    refused = api(world.users["leader"]).post(f"{url}/send-back/", {"note": "x"}, format="json")
    assert refused.status_code == 403 and refused.json() == {"detail": "Only supervisors send answers back."}
    # The body is the step's inputs: a missing answer is named.
    missing = staff.post(f"{url}/answer/", {}, format="json")
    assert missing.status_code == 400 and set(missing.json()) == {"answer"}


def test_the_order_list_runs_as_many_queries_for_many_orders_as_for_few(world, api):
    client = api(world.users["supervisor"])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/api/v1/supervision/orders/").status_code == 200
        return len(captured)

    queries()  # the caller's memberships are loaded once and kept with the user
    few = queries()
    for number in range(12):
        issue(client, world, subject=f"督办{number}", to_area=world.P2.pk if number % 2 else world.P1.pk)
    assert queries() == few


def test_a_key_project_with_orders_is_not_deleted(world, api):
    response = issue(api(world.supervisor), world, key_project=world.KP3.pk)
    assert response.status_code == 201, response.content
    refused = api(world.supervisor).delete(f"/api/v1/key-projects/{world.KP3.pk}/")
    assert refused.status_code == 409, refused.content
    assert "has supervision orders and stays in the year" in refused.json()["detail"]
    assert SupervisionOrder.objects.filter(key_project=world.KP3).exists()
    assert type(world.KP3).objects.filter(pk=world.KP3.pk).exists()
