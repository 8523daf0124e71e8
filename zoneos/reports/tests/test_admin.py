"""Briefing schedules in the admin go through the services; briefings are only looked up there, or a
requested one deleted through `delete_briefing`."""

import pytest
from auditlog.models import LogEntry

from zoneos.core.tests.test_admin import admin_client, change, errors, form_data, last_entry, url
from zoneos.reports.models import Briefing

pytestmark = pytest.mark.django_db


def test_a_schedule_changed_in_the_admin_is_in_the_history_with_its_author(module_world, db):
    w = module_world
    response = change(admin_client(w.root), w.BS1, day_of_month="8")
    assert response.status_code == 302, errors(response)
    entry = last_entry(w.BS1)
    assert entry.actor == w.root and entry.changes["day_of_month"] == [5, 8]


def test_briefings_are_not_added_or_changed_and_are_deleted_through_the_service(module_world, db):
    w = module_world
    client = admin_client(w.root)
    assert client.get(url(Briefing, "add")).status_code == 403
    page = client.get(url(Briefing, "change", w.BR1.pk))
    assert not page.context["has_change_permission"]
    assert client.post(url(Briefing, "change", w.BR1.pk), form_data(page)).status_code == 403
    assert client.post(url(Briefing, "delete", w.BR1.pk), {"post": "yes"}).status_code == 302
    assert not Briefing.objects.filter(pk=w.BR1.pk).exists()
    entry = LogEntry.objects.filter(content_type__model="briefing", object_pk=str(w.BR1.pk)).latest("pk")
    assert entry.action == LogEntry.Action.DELETE and entry.actor == w.root
