"""The admin of key-project supervision writes through the services: the month figures after an edit
are the service's, a locked month refuses on the form, and history names the signed-in user."""

from decimal import Decimal

import pytest
from auditlog.models import LogEntry

from zoneos.core.tests.test_admin import add, admin_client, assert_refused, change, errors, last_entry, url
from zoneos.supervision import services
from zoneos.supervision.models import KeyProject, MonthFigure, MonthLock, Report, ReportRevision, StatusRule

pytestmark = pytest.mark.django_db


def figures(project) -> list[tuple]:
    return list(
        MonthFigure.objects.filter(key_project=project)
        .order_by("month")
        .values_list("month", "completed", "funds_in_place", "reported", "gap_pp", "status")
    )


@pytest.fixture
def reported(module_world, db):
    """KP1 (a plan of 1.2 billion) with reports for March (100 million) and May (50 million)."""
    w = module_world
    for month, completed in (("2025-03", "100000000.00"), ("2025-05", "50000000.00")):
        services.submit_report(w.KP1, by=w.park_staff, month=month, completed=Decimal(completed))
    return Report.objects.get(key_project=w.KP1, month=3)


def test_editing_a_report_in_the_admin_rewrites_the_month_figures(module_world, reported):
    w = module_world
    assert {m: s for m, *_rest, s in figures(w.KP1)}[3] == "yellow"
    response = change(admin_client(w.root), reported, completed="300000000.00")
    assert response.status_code == 302, errors(response)
    by_month = {row[0]: row for row in figures(w.KP1)}
    assert by_month[3][1] == Decimal("300000000.00") and by_month[4][1] == Decimal("300000000.00")
    assert by_month[5][1] == Decimal("350000000.00") and by_month[12][1] == Decimal("350000000.00")
    assert by_month[3][5] == "ahead"  # a quarter of the plan at a quarter of the year
    # Exactly what the service writes for these reports.
    written = figures(w.KP1)
    services.refresh_figures([w.KP1])
    assert figures(w.KP1) == written
    reported.refresh_from_db()
    assert reported.by == w.root


def test_a_report_of_a_locked_month_is_refused_on_the_form_and_nothing_is_written(module_world, reported):
    w = module_world
    services.lock_month(by=w.root, area=w.Z1, month="2025-03")
    before, entries = figures(w.KP1), LogEntry.objects.count()
    response = change(admin_client(w.root), reported, completed="300000000.00")
    assert response.status_code == 200
    assert any("2025-03 is locked" in e for e in errors(response))
    assert b"2025-03 is locked" in response.content
    reported.refresh_from_db()
    assert reported.completed == Decimal("100000000.00")
    assert figures(w.KP1) == before and LogEntry.objects.count() == entries


def test_with_a_reason_a_locked_month_is_revised(module_world, reported):
    w = module_world
    services.lock_month(by=w.root, area=w.Z1, month="2025-03")
    response = change(admin_client(w.root), reported, completed="300000000.00", reason="统计口径更正")
    assert response.status_code == 302, errors(response)
    revision = ReportRevision.objects.get(report=reported)
    assert revision.by == w.root and revision.changes == {"completed": ["100000000.00", "300000000.00"]}
    assert MonthFigure.objects.get(key_project=w.KP1, month=5).completed == Decimal("350000000.00")


def test_a_report_filed_in_the_admin_is_in_the_history_with_its_author(module_world, db):
    w = module_world
    response = add(
        admin_client(w.root),
        Report,
        key_project=w.KP1.pk,
        month="2",
        covers_january_february="on",
        completed="200000000.00",
    )
    assert response.status_code == 302, errors(response)
    report = Report.objects.get(key_project=w.KP1, month=2)
    assert report.first_month == 1 and report.by == w.root
    entry = last_entry(report)
    assert entry.actor == w.root and entry.action == LogEntry.Action.CREATE
    assert MonthFigure.objects.get(key_project=w.KP1, month=2).completed == Decimal("200000000.00")


def test_reports_are_not_deleted_in_the_admin(module_world, reported):
    client = admin_client(module_world.root)
    assert client.post(url(Report, "delete", reported.pk), {"post": "yes"}).status_code == 403
    assert Report.objects.filter(pk=reported.pk).exists()


def test_a_key_project_changed_in_the_admin_keeps_its_figures_and_history(module_world, reported):
    w = module_world
    response = change(admin_client(w.root), w.KP1, annual_plan="600000000.00")
    assert response.status_code == 302, errors(response)
    assert MonthFigure.objects.get(key_project=w.KP1, month=3).annual_plan == Decimal("600000000.00")
    entry = last_entry(w.KP1)
    assert entry.actor == w.root and entry.changes["annual_plan"][1] == "600000000.00"


def test_a_key_project_with_reports_is_not_deleted(module_world, reported):
    w = module_world
    client = admin_client(w.root)
    # Its reports cannot be deleted here, so neither can it (and `delete_key_project` refuses too).
    page = client.post(url(KeyProject, "delete", w.KP1.pk), {"post": "yes"})
    assert page.status_code == 200 and page.context["perms_lacking"]
    assert KeyProject.objects.filter(pk=w.KP1.pk).exists()


def test_a_key_project_deleted_in_the_admin_is_in_the_history(module_world, db):
    w = module_world
    response = admin_client(w.root).post(url(KeyProject, "delete", w.KP3.pk), {"post": "yes"})
    assert response.status_code == 302
    entry = LogEntry.objects.filter(content_type__model="keyproject", object_pk=str(w.KP3.pk)).latest("pk")
    assert entry.action == LogEntry.Action.DELETE and entry.actor == w.root


def test_month_locks_are_added_and_removed_through_the_services(module_world, db):
    w = module_world
    client = admin_client(w.root)
    response = add(client, MonthLock, area=w.Z1.pk, year="2025", month="4")
    assert response.status_code == 302, errors(response)
    lock = MonthLock.objects.get(area=w.Z1, year=2025, month=4)
    assert lock.locked_by == w.root and last_entry(lock).actor == w.root
    again = add(client, MonthLock, area=w.Z1.pk, year="2025", month="4")
    assert again.status_code == 200 and errors(again)
    assert MonthLock.objects.filter(area=w.Z1, year=2025, month=4).count() == 1
    page = client.get(url(MonthLock, "change", lock.pk))
    assert not page.context["has_change_permission"]
    assert client.post(url(MonthLock, "delete", lock.pk), {"post": "yes"}).status_code == 302
    assert not MonthLock.objects.filter(pk=lock.pk).exists()


def test_status_rules_are_read_only_in_the_admin(module_world, db):
    rule = StatusRule.objects.create(effective_from="2025-01-01", yellow_at=-10, red_below=-30)
    assert_refused(admin_client(module_world.root), rule)


@pytest.mark.parametrize(("key", "field", "value"), [("ES1", "min_projects", "4"), ("ST1", "projects", "8")])
def test_evaluation_settings_changed_in_the_admin_are_in_the_history(module_world, db, key, field, value):
    w = module_world
    record = w.records[key]
    response = change(admin_client(w.root), record, **{field: value})
    assert response.status_code == 302, errors(response)
    entry = last_entry(record)
    assert entry.actor == w.root and str(entry.changes[field][1]) == value


def test_weights_not_adding_up_are_refused_on_the_form(module_world, db):
    w = module_world
    response = change(admin_client(w.root), w.ES1, weight_start="30")
    assert response.status_code == 200
    assert any("add up to 100" in e for e in errors(response)), errors(response)


def test_supervision_orders_are_read_only_in_the_admin(module_world, db):
    assert_refused(admin_client(module_world.root), module_world.O2)
