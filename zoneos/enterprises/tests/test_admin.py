"""The registry's admin writes through the services: enterprises, their labels (inline), yearly figures
and year locks, with the signed-in user as author; figures of a locked year and revisions are
read-only there."""

from decimal import Decimal

import pytest
from auditlog.models import LogEntry

from zoneos.core.tests.test_admin import (
    add,
    admin_client,
    assert_refused,
    change,
    errors,
    form_data,
    last_entry,
    url,
)
from zoneos.enterprises import services
from zoneos.enterprises.models import Enterprise, Indicator, Revision, YearLock

pytestmark = pytest.mark.django_db


def test_an_enterprise_changed_in_the_admin_is_in_the_history_with_its_author(module_world, db):
    w = module_world
    response = change(admin_client(w.root), w.E1, short_name="一号科技")
    assert response.status_code == 302, errors(response)
    entry = last_entry(w.E1)
    assert entry.actor == w.root and entry.changes["short_name"][1] == "一号科技"


def test_a_label_changed_beside_its_enterprise_goes_through_the_label_service(module_world, db):
    w = module_world
    client = admin_client(w.root)
    page = client.get(url(Enterprise, "change", w.E1.pk))
    data = form_data(page)
    prefix = page.context["inline_admin_formsets"][0].formset.prefix
    data[f"{prefix}-0-certificate_no"] = "GR202544000001"
    response = client.post(url(Enterprise, "change", w.E1.pk), data)
    assert response.status_code == 302, errors(response)
    entry = last_entry(w.L1)
    assert entry.actor == w.root and entry.changes["certificate_no"][1] == "GR202544000001"


def test_a_label_ending_before_it_starts_is_refused_on_the_form(module_world, db):
    w = module_world
    client = admin_client(w.root)
    page = client.get(url(Enterprise, "change", w.E1.pk))
    data = form_data(page)
    prefix = page.context["inline_admin_formsets"][0].formset.prefix
    data[f"{prefix}-0-valid_to"] = "2023-01-01"
    response = client.post(url(Enterprise, "change", w.E1.pk), data)
    assert response.status_code == 200
    assert any("comes before its start" in e for e in errors(response)), errors(response)
    w.L1.refresh_from_db()
    assert w.L1.valid_to is None


def test_figures_changed_in_the_admin_are_derived_as_the_service_does_and_in_the_history(module_world, db):
    w = module_world
    response = change(admin_client(w.root), w.I1, output_value="30000000.00", revenue="30000000.00")
    assert response.status_code == 302, errors(response)
    w.I1.refresh_from_db()
    derived = (w.I1.above_designated_size, w.I1.size_class)
    services.derive(w.I1, w.E1.industry_section)
    assert w.I1.output_value == Decimal("30000000.00") and derived == (
        w.I1.above_designated_size,
        w.I1.size_class,
    )
    entry = last_entry(w.I1)
    assert entry.actor == w.root and entry.changes["output_value"][1] == "30000000.00"


def test_figures_of_a_locked_year_are_read_only_in_the_admin(module_world, db):
    w = module_world
    services.lock_year(by=w.root, area=w.Z1, year=2024)
    client = admin_client(w.root)
    page = client.get(url(Indicator, "change", w.I1.pk))
    assert not page.context["has_change_permission"] and not page.context["has_delete_permission"]
    assert client.post(url(Indicator, "change", w.I1.pk), form_data(page)).status_code == 403
    assert client.post(url(Indicator, "delete", w.I1.pk), {"post": "yes"}).status_code == 403
    assert Indicator.objects.filter(pk=w.I1.pk).exists()


def test_figures_added_for_a_locked_year_are_refused_on_the_form(module_world, db):
    w = module_world
    response = add(admin_client(w.root), Indicator, enterprise=w.E3.pk, year="2020", output_value="1.00")
    assert response.status_code == 200
    assert any("2020 is locked" in e for e in errors(response)), errors(response)
    assert not Indicator.objects.filter(enterprise=w.E3).exists()


def test_year_locks_are_added_and_removed_through_the_services(module_world, db):
    w = module_world
    client = admin_client(w.root)
    response = add(client, YearLock, area=w.Z1.pk, year="2023")
    assert response.status_code == 302, errors(response)
    lock = YearLock.objects.get(area=w.Z1, year=2023)
    assert lock.locked_by == w.root and last_entry(lock).actor == w.root
    assert not client.get(url(YearLock, "change", lock.pk)).context["has_change_permission"]
    assert client.post(url(YearLock, "delete", lock.pk), {"post": "yes"}).status_code == 302
    entry = LogEntry.objects.filter(content_type__model="yearlock", object_pk=str(lock.pk)).latest("pk")
    assert entry.action == LogEntry.Action.DELETE and entry.actor == w.root


def test_revisions_are_read_only_in_the_admin(module_world, db):
    w = module_world
    revision = Revision.objects.create(indicator=w.I1, reason="更正", changes={}, by=w.root)
    assert_refused(admin_client(w.root), revision)
