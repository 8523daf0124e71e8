"""The calendar's API and services: everyone signed in reads, administrators change, every change is in
the history with its author and moves the arithmetic at once, bad input names the field."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError

from zoneos.workdays import services
from zoneos.workdays.calendar import add_working_days, is_working_day
from zoneos.workdays.models import CalendarDay, CalendarYear

pytestmark = pytest.mark.django_db

D = datetime.date
BASE = "/api/v1/workdays/"
NOT_ADMINS = [
    "leader",
    "investment_officer",
    "supervisor",
    "park_staff",
    "handler",
    "service_officer",
    "enterprise",
    "statistician",
    "stranger",
]


def test_every_signed_in_user_reads_a_year(world, api):
    for user in ("enterprise", "stranger", "admin"):
        response = api(world.users[user]).get(BASE, {"year": 2026})
        assert response.status_code == 200, user
        body = response.json()
        assert body["count"] == 39  # 33 days off, 6 adjusted working days
        rows = {row["date"]: row for row in body["results"]}
        assert rows["2026-02-14"] == {
            **rows["2026-02-14"],
            "kind": "workday",
            "name": "春节",
            "working": True,
        }
        assert rows["2026-10-01"]["kind"] == "holiday" and rows["2026-10-01"]["name"] == "国庆节"
        assert all(day.startswith("2026-") for day in rows)
    workdays = api(world.users["leader"]).get(BASE, {"year": 2025, "kind": "workday"}).json()
    assert [r["date"] for r in workdays["results"]] == [
        "2025-01-26",
        "2025-02-08",
        "2025-04-27",
        "2025-09-28",
        "2025-10-11",
    ]
    assert api().get(BASE, {"year": 2026}).status_code == 401


def test_a_bad_year_names_the_field(world, api):
    client = api(world.users["leader"])
    for year in ("twenty", "20260", "2026.5"):
        response = client.get(BASE, {"year": year})
        assert response.status_code == 400 and "year" in response.json(), year


def add(client, **params):
    return client.get(f"{BASE}add/", params)


def test_the_deadline_of_a_number_of_working_days(world, api):
    client = api(world.users["handler"])
    # The Friday before the 2026 Spring Festival: Saturday 02-14 works, 02-15 to 02-23 are off.
    response = client.get(f"{BASE}add/?start=2026-02-13T10:00:00%2B08:00&days=3")
    assert response.status_code == 200
    assert response.json() == {
        "start": "2026-02-13T10:00:00+08:00",
        "days": 3,
        "due": "2026-02-25T17:30:00+08:00",
        "provisional": False,
    }
    # Without an offset a date-time is local time; a plain date is its local midnight.
    assert add(client, start="2026-02-13T23:59:59", days=3).json()["due"] == "2026-02-25T17:30:00+08:00"
    zero = add(client, start="2026-03-07", days=0).json()
    assert zero["start"] == "2026-03-07T00:00:00+08:00" and zero["due"] == "2026-03-09T17:30:00+08:00"
    # 17:00 UTC on the 13th is already Saturday the 14th in Shanghai.
    utc = add(client, start="2026-02-13T17:00:00Z", days=3).json()
    assert utc["start"] == "2026-02-14T01:00:00+08:00" and utc["due"] == "2026-02-26T17:30:00+08:00"
    assert add(client, start="2026-09-30", days=1, hours="").json()["due"] == "2026-10-08T17:30:00+08:00"
    assert add(api(), start="2026-09-25", days=1).status_code == 401


def test_the_deadline_of_a_number_of_working_hours(world, api):
    client = api(world.users["enterprise"])
    response = add(client, start="2026-02-13T16:00:00+08:00", hours=4)
    assert response.status_code == 200
    assert response.json() == {
        "start": "2026-02-13T16:00:00+08:00",
        "hours": 4,
        "due": "2026-02-14T11:30:00+08:00",
        "provisional": False,
    }
    lunch = add(client, start="2026-03-02T11:15:00", hours="1.5").json()
    assert lunch["hours"] == 1.5 and lunch["due"] == "2026-03-02T14:15:00+08:00"
    assert add(client, start="2026-02-14T17:00", hours=1).json()["due"] == "2026-02-24T09:30:00+08:00"


def test_a_deadline_in_a_year_without_data_is_provisional(world, api):
    client = api(world.users["enterprise"])
    crossing = add(client, start="2026-12-28", days=5)
    assert crossing.status_code == 200
    assert crossing.json()["due"] == "2027-01-04T17:30:00+08:00" and crossing.json()["provisional"] is True
    assert add(client, start="2026-12-28", days=3).json()["provisional"] is False
    inside = add(client, start="2027-03-01T10:00:00+08:00", hours=1).json()
    assert inside == {**inside, "due": "2027-03-01T11:00:00+08:00", "provisional": True}


def test_bad_arguments_of_the_deadline_name_the_field(world, api):
    client = api(world.users["leader"])
    monday = "2026-03-02T09:00:00+08:00"
    for params, field in (
        ({"days": 1}, "start"),
        ({"from": "2026-03-02", "days": 1}, "start"),  # the old parameter
        ({"start": "2026-13-01", "days": 1}, "start"),
        ({"start": "2026-03-02T25:00", "days": 1}, "start"),
        ({"start": "2026-03-02T09:00+25:00", "days": 1}, "start"),
        ({"start": "yesterday", "days": 1}, "start"),
        ({"start": "1900-03-02", "days": 1}, "start"),
        ({"start": "2100-12-31T20:00:00-08:00", "days": 1}, "start"),  # 2101 in Shanghai
        ({"start": "9999-12-31T23:00:00-12:00", "days": 1}, "start"),
        ({"start": "0001-01-01T00:00:00+14:00", "hours": 1}, "start"),
        ({"start": monday}, "days"),
        ({"start": monday, "days": 1, "hours": 1}, "days"),
        ({"start": monday, "days": -1}, "days"),
        ({"start": monday, "days": 2001}, "days"),
        ({"start": monday, "days": "ten"}, "days"),
        ({"start": monday, "days": "1e400"}, "days"),
        ({"start": monday, "days": "9" * 5000}, "days"),
        ({"start": monday, "days": "NaN"}, "days"),
        ({"start": monday, "hours": 0}, "hours"),
        ({"start": monday, "hours": "-0.5"}, "hours"),
        ({"start": monday, "hours": "16000.01"}, "hours"),
        ({"start": monday, "hours": "1e400"}, "hours"),
        ({"start": monday, "hours": "1e-400"}, "hours"),
        ({"start": monday, "hours": "0.00001"}, "hours"),
        ({"start": monday, "hours": "NaN"}, "hours"),
        ({"start": monday, "hours": "-Infinity"}, "hours"),
        ({"start": monday, "hours": "four"}, "hours"),
    ):
        response = add(client, **params)
        assert response.status_code == 400 and field in response.json(), (params, response.content)
    messages = {
        "days": add(client, start=monday).json()["days"],
        "both": add(client, start=monday, days=1, hours=1).json()["days"],
        "hours": add(client, start=monday, hours=0).json()["hours"],
        "start": add(client, start="1900-01-01", days=1).json()["start"],
    }
    assert messages == {
        "days": ["Give a number of days or of hours."],
        "both": ["Give days or hours, not both."],
        "hours": ["Give a number of hours greater than 0."],
        "start": ["Give a date between 1949 and 2100."],
    }


def test_the_bounds_of_the_deadline_are_answered(world, api):
    client = api(world.users["leader"])
    latest = add(client, start="2100-12-31T23:59:59.999999+08:00", days=2000)
    assert latest.status_code == 200 and latest.json()["provisional"] is True
    longest = add(client, start="1949-01-01", hours=16000)
    assert longest.status_code == 200 and longest.json()["provisional"] is True
    least = add(client, start="2026-03-02T10:00:00+08:00", hours="0.0001").json()
    assert least["hours"] == 0.0001 and least["due"] == "2026-03-02T10:00:00.360000+08:00"


def test_an_admins_edit_is_in_history_and_moves_deadlines_at_once(world, api):
    admin = api(world.users["admin"])
    monday = "2026-03-02"
    assert add(admin, start="2026-03-01", days=1).json()["due"] == "2026-03-02T17:30:00+08:00"
    created = admin.post(BASE, {"date": monday, "kind": "holiday", "name": "临时休假"}, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["working"] is False
    day = created.json()["id"]
    assert add(admin, start="2026-03-01", days=1).json()["due"] == "2026-03-03T17:30:00+08:00"
    assert add(admin, start="2026-03-01T12:00", hours=1).json()["due"] == "2026-03-03T10:00:00+08:00"
    assert not is_working_day(D(2026, 3, 2))

    changed = admin.patch(f"{BASE}{day}/", {"source": "国办发明电〔2026〕1号"}, format="json")
    assert changed.status_code == 200 and changed.json()["name"] == "临时休假"
    history = admin.get(f"{BASE}{day}/history/").json()["results"]
    assert [(h["action"], h["user"]) for h in history] == [("update", "admin"), ("create", "admin")]
    assert history[0]["changes"] == {"source": ["", "国办发明电〔2026〕1号"]}

    assert admin.delete(f"{BASE}{day}/").status_code == 204
    assert add_working_days(D(2026, 3, 1), 1) == D(2026, 3, 2)
    deleted = LogEntry.objects.filter(
        content_type__model="calendarday", object_pk=str(day), action=LogEntry.Action.DELETE
    ).get()
    assert deleted.actor == world.users["admin"]


def test_a_superuser_may_change_the_calendar(world, api):
    root = api(world.users["root"])
    saturday = root.post(BASE, {"date": "2026-03-07", "kind": "workday", "name": "调休"}, format="json")
    assert saturday.status_code == 201
    assert add_working_days(D(2026, 3, 6), 1) == D(2026, 3, 7)


@pytest.mark.parametrize("user", NOT_ADMINS)
def test_only_administrators_write(world, api, user):
    client = api(world.users[user])
    existing = CalendarDay.objects.get(date=D(2026, 10, 1))
    assert client.post(BASE, {"date": "2026-03-02", "kind": "holiday"}, format="json").status_code == 403
    assert client.patch(f"{BASE}{existing.pk}/", {"name": "改"}, format="json").status_code == 403
    assert client.delete(f"{BASE}{existing.pk}/").status_code == 403
    assert client.get(f"{BASE}{existing.pk}/").status_code == 200
    assert client.get(f"{BASE}{existing.pk}/history/").status_code == 200
    assert CalendarDay.objects.get(pk=existing.pk).name == "国庆节"
    with pytest.raises(PermissionDenied):
        services.set_day(D(2026, 3, 2), "holiday", by=world.users[user])
    with pytest.raises(PermissionDenied):
        services.mark_year(2027, by=world.users[user])
    anonymous = api()
    assert anonymous.post(BASE, {"date": "2026-03-02", "kind": "holiday"}, format="json").status_code == 401
    assert anonymous.delete(f"{BASE}{existing.pk}/").status_code == 401


def test_bad_input_names_the_field(world, api):
    admin = api(world.users["admin"])
    existing = CalendarDay.objects.get(date=D(2026, 10, 1))
    for payload, field in (
        ({"date": "2026-10-01", "kind": "holiday"}, "date"),  # already in the calendar
        ({"date": "2026-03-02", "kind": "workday"}, "kind"),  # a Monday is a working day anyway
        ({"date": "2026-03-02", "kind": "plain"}, "kind"),
        ({"date": "2026-02-30", "kind": "holiday"}, "date"),
        ({"date": "1900-03-03", "kind": "holiday"}, "date"),
        ({"kind": "holiday"}, "date"),
        ({"date": "2026-03-02", "kind": "holiday", "name": "长" * 101}, "name"),
    ):
        response = admin.post(BASE, payload, format="json")
        assert response.status_code == 400 and field in response.json(), (payload, response.content)
    moved = admin.patch(f"{BASE}{existing.pk}/", {"date": "2026-10-09"}, format="json")
    assert moved.status_code == 400 and "date" in moved.json()
    weekday_work = admin.patch(f"{BASE}{existing.pk}/", {"kind": "workday"}, format="json")
    assert weekday_work.status_code == 400 and "kind" in weekday_work.json()
    assert CalendarDay.objects.get(pk=existing.pk).kind == "holiday"
    assert not CalendarDay.objects.filter(date=D(2026, 3, 2)).exists()


def test_a_new_year_is_entered_then_marked_complete(world):
    """The workflow when the State Council notice for 2027 appears and no package has it yet."""
    admin = world.users["admin"]
    with pytest.raises(ValidationError) as empty:
        services.mark_year(2027, by=admin)
    assert "complete" in empty.value.message_dict
    services.set_day(D(2027, 1, 1), "holiday", by=admin, name="元旦", source="国办发明电〔2026〕9号")
    with pytest.raises(Exception, match="2027"):
        add_working_days(D(2026, 12, 31), 1)  # entered, but not complete yet
    year = services.mark_year(2027, by=admin, source="国办发明电〔2026〕9号")
    assert year.complete
    assert add_working_days(D(2026, 12, 31), 1) == D(2027, 1, 4)
    entry = LogEntry.objects.get_for_object(CalendarYear.objects.get(year=2027)).get()
    assert entry.actor == admin and entry.changes["complete"] == [None, True]
    with pytest.raises(ValidationError) as bad:
        services.mark_year(3000, by=admin)
    assert "year" in bad.value.message_dict
    assert services.set_day(D(2027, 1, 1), services.PLAIN, by=admin) is None
    assert not CalendarDay.objects.filter(date=D(2027, 1, 1)).exists()


def test_an_administrator_edits_the_table_in_the_admin(world, client):
    client.force_login(world.users["root"])
    assert client.get("/admin/workdays/calendarday/", {"date__year": 2026}).status_code == 200
    assert client.get("/admin/workdays/calendaryear/").status_code == 200
    refused = client.post(
        "/admin/workdays/calendarday/add/",
        {"date": "2026-03-03", "kind": "workday", "name": "", "source": ""},
    )
    assert refused.status_code == 200 and not CalendarDay.objects.filter(date=D(2026, 3, 3)).exists()
    added = client.post(
        "/admin/workdays/calendarday/add/",
        {"date": "2026-03-03", "kind": "holiday", "name": "临时休假", "source": "通知"},
    )
    assert added.status_code == 302
    day = CalendarDay.objects.get(date=D(2026, 3, 3))
    assert LogEntry.objects.get_for_object(day).get().actor == world.users["root"]
    assert add_working_days(D(2026, 3, 2), 1) == D(2026, 3, 4)


def test_the_due_date_is_only_read(world, api):
    params = {"start": "2026-03-02", "days": 1}
    assert api(world.users["admin"]).post(f"{BASE}add/", params).status_code == 405
    assert api(world.users["leader"]).post(f"{BASE}add/", params).status_code == 403
    assert api().post(f"{BASE}add/", params).status_code == 401
