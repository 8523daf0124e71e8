"""Targets in the admin are written by the stats services, with the signed-in user as author."""

import pytest

from zoneos.core.tests.test_admin import admin_client, change, errors, last_entry

pytestmark = pytest.mark.django_db


def test_a_target_changed_in_the_admin_is_in_the_history_with_its_author(module_world, db):
    w = module_world
    response = change(admin_client(w.root), w.T1, value="120000000000.00")
    assert response.status_code == 302, errors(response)
    entry = last_entry(w.T1)
    assert entry.actor == w.root and entry.changes["value"][1] == "120000000000.00"
