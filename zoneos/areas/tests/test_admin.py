"""The admin of areas and departments writes through the services, with the signed-in user as author."""

import pytest
from auditlog.models import LogEntry

from zoneos.areas.models import Area
from zoneos.core.tests.test_admin import admin_client, change, errors, last_entry, url

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("key", "field", "value"), [("Z1", "name", "一号高新区（新）"), ("D3", "name", "规划局")]
)
def test_a_change_in_the_admin_is_in_the_history_with_its_author(module_world, db, key, field, value):
    w = module_world
    record = getattr(w, key)
    response = change(admin_client(w.root), record, **{field: value})
    assert response.status_code == 302, errors(response)
    entry = last_entry(record)
    assert entry.actor == w.root and entry.changes[field][1] == value


def test_moving_an_area_in_the_admin_rewrites_the_paths_below_it(module_world, db):
    w = module_world
    response = change(admin_client(w.root), w.P1, parent=w.Z2.pk)
    assert response.status_code == 302, errors(response)
    w.P1.refresh_from_db()
    assert w.P1.path.startswith(Area.objects.get(pk=w.Z2.pk).path)


def test_delete_selected_deletes_areas_through_the_service(module_world, db):
    w = module_world
    client = admin_client(w.root)
    leaf = Area.objects.create(code="LEAF", name="叶子", kind="park", parent=w.P2)
    Area.objects.filter(pk=leaf.pk).update(path=f"{w.P2.path}{leaf.pk}/", depth=w.P2.depth + 1)
    used = client.post(url(Area), {"action": "delete_selected", "_selected_action": [w.P2.pk], "post": "yes"})
    assert used.status_code == 200 and used.context["protected"]  # its sub-area
    response = client.post(
        url(Area), {"action": "delete_selected", "_selected_action": [leaf.pk], "post": "yes"}
    )
    assert response.status_code == 302
    assert Area.objects.filter(pk__in=[w.P2.pk, leaf.pk]).count() == 1
    entry = LogEntry.objects.filter(content_type__model="area", object_pk=str(leaf.pk)).latest("pk")
    assert entry.action == LogEntry.Action.DELETE and entry.actor == w.root
