"""The working-day calendar's admin writes through `set_day` and `mark_year`, with the signed-in user
as author; a year's record is not deleted there."""

import datetime

import pytest
from auditlog.models import LogEntry

from zoneos.core.tests.test_admin import add, admin_client, change, errors, last_entry, url
from zoneos.workdays.models import CalendarDay, CalendarYear

pytestmark = pytest.mark.django_db


def test_a_day_changed_in_the_admin_is_in_the_history_with_its_author(module_world, db):
    w = module_world
    day = CalendarDay.objects.filter(kind="holiday").first()
    response = change(admin_client(w.root), day, name="调整后的假日")
    assert response.status_code == 302, errors(response)
    entry = last_entry(day)
    assert entry.actor == w.root and entry.changes["name"][1] == "调整后的假日"


def test_a_day_added_and_deleted_in_the_admin_goes_through_set_day(module_world, db):
    w = module_world
    client = admin_client(w.root)
    date = datetime.date(2026, 7, 15)  # an ordinary Wednesday
    response = add(client, CalendarDay, date="2026-07-15", kind="holiday", name="临时假日")
    assert response.status_code == 302, errors(response)
    day = CalendarDay.objects.get(date=date)
    assert last_entry(day).actor == w.root
    assert client.post(url(CalendarDay, "delete", day.pk), {"post": "yes"}).status_code == 302
    assert not CalendarDay.objects.filter(date=date).exists()
    entry = LogEntry.objects.filter(content_type__model="calendarday", object_pk=str(day.pk)).latest("pk")
    assert entry.action == LogEntry.Action.DELETE and entry.actor == w.root


def test_a_year_marked_in_the_admin_is_in_the_history_and_is_not_deleted(module_world, db):
    w = module_world
    year = CalendarYear.objects.first()
    client = admin_client(w.root)
    response = change(client, year, notes="据国务院办公厅通知")
    assert response.status_code == 302, errors(response)
    assert last_entry(year).actor == w.root
    assert client.post(url(CalendarYear, "delete", year.pk), {"post": "yes"}).status_code == 403
    assert CalendarYear.objects.filter(pk=year.pk).exists()
