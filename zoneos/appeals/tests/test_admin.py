"""The appeals desk's admin writes deadline policies, routing rules, symposia and visits through the
services, with the signed-in user as author; appeals are read-only there (the step table moves them)."""

import pytest

from zoneos.appeals.models import SlaRule
from zoneos.core.tests.test_admin import (
    admin_client,
    assert_refused,
    change,
    errors,
    form_data,
    last_entry,
    url,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("key", "field", "value"),
    [("SY1", "title", "第二次政企座谈会"), ("V1", "summary", "回访"), ("RR1", "department", "D3")],
)
def test_a_change_in_the_admin_is_in_the_history_with_its_author(module_world, db, key, field, value):
    w = module_world
    record = w.records[key]
    posted = getattr(w, value).pk if value.startswith("D") else value
    response = change(admin_client(w.root), record, **{field: posted})
    assert response.status_code == 302, errors(response)
    entry = last_entry(record)
    assert entry.actor == w.root and str(entry.changes[field][1]) == str(posted)


def test_a_policy_and_its_rules_are_saved_together_through_the_service(module_world, db):
    w = module_world
    client = admin_client(w.root)
    page = client.get(url(type(w.SP1), "change", w.SP1.pk))
    data = form_data(page)
    prefix = page.context["inline_admin_formsets"][0].formset.prefix
    data.update({"name": "新时限", f"{prefix}-0-reply_days": "3"})
    response = client.post(url(type(w.SP1), "change", w.SP1.pk), data)
    assert response.status_code == 302, errors(response)
    entry = last_entry(w.SP1)
    assert entry.actor == w.root and entry.changes["name"][1] == "新时限"
    assert sorted(SlaRule.objects.filter(policy=w.SP1).values_list("reply_days", flat=True))[0] == 3


def test_a_policy_missing_a_category_is_refused_on_the_form(module_world, db):
    w = module_world
    client = admin_client(w.root)
    page = client.get(url(type(w.SP1), "change", w.SP1.pk))
    data = form_data(page)
    prefix = page.context["inline_admin_formsets"][0].formset.prefix
    data[f"{prefix}-0-DELETE"] = "on"
    rules = SlaRule.objects.filter(policy=w.SP1).count()
    response = client.post(url(type(w.SP1), "change", w.SP1.pk), data)
    assert response.status_code == 200
    assert any("one rule for each category" in e for e in errors(response)), errors(response)
    assert SlaRule.objects.filter(policy=w.SP1).count() == rules


def test_appeals_are_read_only_in_the_admin(module_world, db):
    assert_refused(admin_client(module_world.root), module_world.AP1)
