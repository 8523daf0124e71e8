"""The pipeline's admin writes through the services (history names the signed-in user, conflicts are
detected); stage moves and conflict resolution are refused there."""

import pytest
from auditlog.models import LogEntry

from zoneos.core.tests.test_admin import add, admin_client, assert_refused, change, errors, last_entry
from zoneos.pipeline.models import InvestorConflict, Project, StageEvent

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("key", "field", "value"),
    [
        ("PR1", "name", "一号园改名项目"),
        ("F1", "summary", "再次拜访"),
        ("B1", "name", "一号区第二批签约"),
        ("G1", "name", "新一代电子信息"),
    ],
)
def test_a_change_in_the_admin_is_in_the_history_with_its_author(module_world, db, key, field, value):
    w = module_world
    record = w.records[key]
    response = change(admin_client(w.root), record, **{field: value})
    assert response.status_code == 302, errors(response)
    entry = last_entry(record)
    assert entry.actor == w.root and entry.changes[field][1] == value


def test_a_project_added_in_the_admin_starts_as_a_lead_with_its_stage_event(module_world, db):
    w = module_world
    response = add(
        admin_client(w.root),
        Project,
        name="新线索",
        area=w.P2.pk,
        investor_name="甲方科技有限公司",
        total_investment="50000000.00",
        lead_on="2025-04-01",
    )
    assert response.status_code == 302, errors(response)
    project = Project.objects.get(name="新线索")
    assert project.stage == "lead" and str(project.lead_on) == "2025-04-01"
    assert StageEvent.objects.filter(project=project, to_category="lead", by=w.root).exists()
    assert last_entry(project).actor == w.root
    # The same investor as PR1 in another park of Z1: the service flagged the conflict.
    project.refresh_from_db()
    assert project.flagged


def test_the_stage_is_not_edited_in_the_admin(module_world, db):
    w = module_world
    response = change(admin_client(w.root), w.PR1, stage="signed")
    assert response.status_code == 302
    w.PR1.refresh_from_db()
    assert w.PR1.stage == "lead"


def test_a_refused_save_shows_the_service_error_on_the_form(module_world, db):
    """A signing batch whose projects lie elsewhere cannot move (the service says so)."""
    w = module_world
    w.PR1.signing_batch = w.B1
    w.PR1.save(update_fields=["signing_batch"])
    entries = LogEntry.objects.count()
    response = change(admin_client(w.root), w.B1, area=w.Z2.pk)
    assert response.status_code == 200
    assert any("outside this area" in e for e in errors(response))
    w.B1.refresh_from_db()
    assert w.B1.area == w.Z1 and LogEntry.objects.count() == entries


def test_investor_conflicts_are_read_only_in_the_admin(module_world, db):
    w = module_world
    conflict = InvestorConflict.objects.create(zone=w.Z1, investor_key="甲方科技")
    assert_refused(admin_client(w.root), conflict)


def test_stage_events_are_not_edited_beside_the_project(module_world, db):
    w = module_world
    page = admin_client(w.root).get(f"/admin/pipeline/project/{w.PR1.pk}/change/")
    (inline,) = page.context["inline_admin_formsets"]
    assert not inline.has_add_permission and not inline.has_change_permission
    assert not inline.has_delete_permission
