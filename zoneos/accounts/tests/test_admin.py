"""Users and memberships in the admin go through the account services, with the signed-in user as
author; users are deactivated, never deleted, and privileges are not edited there."""

import pytest

from zoneos.accounts.models import Membership, User
from zoneos.core.tests.test_admin import add, admin_client, change, errors, form_data, last_entry, url

pytestmark = pytest.mark.django_db


def test_a_user_changed_in_the_admin_is_in_the_history_with_its_author(module_world, db):
    w = module_world
    response = change(admin_client(w.root), w.leader, display_name="领导甲", is_superuser="on")
    assert response.status_code == 302, errors(response)
    w.leader.refresh_from_db()
    assert w.leader.display_name == "领导甲" and not w.leader.is_superuser  # privileges are read-only
    entry = last_entry(w.leader)
    assert entry.actor == w.root and entry.changes["display_name"][1] == "领导甲"


def test_a_user_added_in_the_admin_is_created_by_the_service(module_world, db):
    w = module_world
    response = add(
        admin_client(w.root),
        User,
        username="newcomer",
        password1="a-long-enough-passphrase",
        password2="a-long-enough-passphrase",
        display_name="新人",
        home_area=w.Z1.pk,
    )
    assert response.status_code == 302, errors(response)
    user = User.objects.get(username="newcomer")
    assert user.check_password("a-long-enough-passphrase") and last_entry(user).actor == w.root


def test_a_password_changed_in_the_admin_goes_through_the_service(module_world, db):
    w = module_world
    client = admin_client(w.root)
    response = client.post(
        f"/admin/accounts/user/{w.leader.pk}/password/",
        {"password1": "another-long-passphrase", "password2": "another-long-passphrase"},
    )
    assert response.status_code == 302
    w.leader.refresh_from_db()
    assert w.leader.check_password("another-long-passphrase")
    entry = last_entry(w.leader)
    assert entry.actor == w.root and "password" in entry.changes


def test_a_membership_added_beside_its_user_goes_through_the_service(module_world, db):
    w = module_world
    client = admin_client(w.root)
    page = client.get(url(User, "change", w.stranger.pk))
    data = form_data(page)
    prefix = page.context["inline_admin_formsets"][0].formset.prefix
    data.update({f"{prefix}-TOTAL_FORMS": "1", f"{prefix}-0-role": "leader", f"{prefix}-0-area": w.Z2.pk})
    response = client.post(url(User, "change", w.stranger.pk), data)
    assert response.status_code == 302, errors(response)
    membership = Membership.objects.get(user=w.stranger)
    assert membership.area == w.Z2 and last_entry(membership).actor == w.root


def test_a_membership_changed_in_the_admin_is_in_the_history(module_world, db):
    w = module_world
    membership = Membership.objects.get(user=w.leader)
    response = change(admin_client(w.root), membership, area=w.P1.pk)
    assert response.status_code == 302, errors(response)
    entry = last_entry(membership)
    assert entry.actor == w.root and str(entry.changes["area"][1]) == str(w.P1.pk)


def test_users_are_deactivated_not_deleted(module_world, db):
    w = module_world
    client = admin_client(w.root)
    assert client.post(url(User, "delete", w.leader.pk), {"post": "yes"}).status_code == 403
    response = client.post(url(User), {"action": "deactivate", "_selected_action": [w.leader.pk, w.root.pk]})
    assert response.status_code == 302
    w.leader.refresh_from_db()
    w.root.refresh_from_db()
    assert not w.leader.is_active and w.root.is_active  # nobody deactivates themselves
    assert last_entry(w.leader).actor == w.root
