"""Channels are only removed in the admin (through `delete_channel`); notifications only looked up."""

import pytest
from auditlog.models import LogEntry

from zoneos.core.tests.test_admin import admin_client, assert_refused, form_data, url
from zoneos.notifications.models import Channel, Notification

pytestmark = pytest.mark.django_db


def test_a_channel_is_deleted_through_the_service_and_not_edited(module_world, db):
    w = module_world
    client = admin_client(w.root)
    assert client.get(url(Channel, "add")).status_code == 403
    page = client.get(url(Channel, "change", w.CH1.pk))
    assert client.post(url(Channel, "change", w.CH1.pk), form_data(page)).status_code == 403
    assert client.post(url(Channel, "delete", w.CH1.pk), {"post": "yes"}).status_code == 302
    assert not Channel.objects.filter(pk=w.CH1.pk).exists()
    entry = LogEntry.objects.filter(content_type__model="channel", object_pk=str(w.CH1.pk)).latest("pk")
    assert entry.action == LogEntry.Action.DELETE and entry.actor == w.root


def test_notifications_are_read_only_in_the_admin(module_world, db):
    w = module_world
    notification = Notification.objects.create(area=w.Z1, event="overdue", subject="超时", kind="email")
    assert_refused(admin_client(w.root), notification)
