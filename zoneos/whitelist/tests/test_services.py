"""The whitelist's rules as a zone's staff meet them: the HS code, an application that cannot change
once handed in, the steps through the zone and customs, and movements held to the approved quantity
and the validity (refused with the field and item named, nothing written but the warning)."""

import datetime
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from zoneos.core.errors import Conflict
from zoneos.whitelist import services, workflow
from zoneos.whitelist.models import Item, Movement, RefusedMovement, masked, validate_hs_code

from .world import approved, drafted

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today


@pytest.mark.parametrize("code", ["9027812000", "38210000", "3821.0000.00", "3821 0000"])
def test_an_hs_code_has_ten_digits_or_at_least_eight(world, code):
    application = drafted(world)
    item = services.create_item(
        application, by=world.root, category="reagent", name="试剂", hs_code=code, quantity=1, unit="盒"
    )
    assert item.hs_code in ("9027812000", "38210000", "3821000000")


@pytest.mark.parametrize("code", ["902781", "902781200", "90278120001", "9027A12000", ""])
def test_a_wrong_hs_code_is_refused_naming_the_field(world, code):
    application = drafted(world)
    with pytest.raises(ValidationError) as refused:
        services.create_item(
            application, by=world.root, category="reagent", name="试剂", hs_code=code, quantity=1, unit="盒"
        )
    assert "hs_code" in refused.value.message_dict
    with pytest.raises(ValidationError):
        validate_hs_code(code)


def test_a_document_number_is_masked_but_its_ends():
    assert masked("H1234567") == "H*****67"
    assert masked("ABC") == "***"
    assert masked("") == ""


def test_an_application_goes_through_the_zone_and_customs_with_its_history(world):
    w = world
    application = approved(w)
    assert application.status == "approved"
    assert application.approval_number == "深关白〔2026〕18号"
    assert [s.kind for s in application.steps.all()] == [
        "create", "submit", "zone_approve", "to_customs", "approve",
    ]  # fmt: skip
    assert application.steps.get(kind="approve").by == w.admin
    # Each item is approved for what was applied for.
    assert set(application.items.values_list("approved_quantity", flat=True)) == {
        Decimal("2"),
        Decimal("100"),
    }
    history = LogEntry.objects.get_for_object(application).order_by("timestamp")
    assert history.last().actor == w.admin and history.last().changes_dict["status"] == [
        "at_customs",
        "approved",
    ]


def test_an_empty_application_cannot_be_submitted(world):
    application = services.create_application(by=world.enterprise, enterprise=world.E1)
    with pytest.raises(ValidationError) as refused:
        workflow.submit(application, by=world.enterprise)
    assert "items" in refused.value.message_dict


def test_the_zone_returns_an_application_with_what_to_change_and_it_comes_back(world):
    w = world
    application = workflow.submit(drafted(w), by=w.enterprise)
    with pytest.raises(Conflict):  # handed in: the applicant changes nothing now
        services.update_item(w.medium, by=w.enterprise, quantity=Decimal("50"))
    with pytest.raises(PermissionDenied):  # park staff apply; they do not review
        workflow.zone_approve(application, by=w.park_staff)
    with pytest.raises(ValidationError):
        workflow.return_for_changes(application, by=w.admin, opinion="")
    application = workflow.return_for_changes(application, by=w.admin, opinion="培养基数量过大")
    services.update_item(w.medium, by=w.enterprise, quantity=Decimal("50"))
    application = workflow.submit(application, by=w.enterprise)
    assert application.status == "submitted"
    assert Item.objects.get(pk=w.medium.pk).quantity == Decimal("50")


def test_customs_approval_needs_its_number_and_a_validity_that_ends_after_it_starts(world):
    w = world
    application = workflow.to_customs(
        workflow.zone_approve(workflow.submit(drafted(w), by=w.root), by=w.root), by=w.root
    )
    with pytest.raises(ValidationError) as refused:
        workflow.approve(
            application,
            by=w.admin,
            approval_number="",
            valid_from=TODAY(),
            valid_to=TODAY() - datetime.timedelta(1),
        )
    assert set(refused.value.message_dict) == {"approval_number"}
    with pytest.raises(ValidationError) as refused:
        workflow.approve(
            application,
            by=w.admin,
            approval_number="X-1",
            valid_from=TODAY(),
            valid_to=TODAY() - datetime.timedelta(1),
        )
    assert set(refused.value.message_dict) == {"valid_to"}
    application.refresh_from_db()
    assert application.status == "at_customs" and application.approval_number == ""
    rejected = workflow.reject(application, by=w.admin, reason="用途不明")
    assert rejected.status == "rejected" and rejected.reason == "用途不明"


# Movements -----------------------------------------------------------------------------------------
def test_goods_come_in_up_to_the_approved_quantity_and_not_one_more(world):
    w = world
    approved(w)
    today = timezone.localdate()
    services.record_movement(w.medium, by=w.enterprise, direction="in", on=today, quantity=Decimal("60"))
    services.record_movement(w.medium, by=w.park_staff, direction="in", on=today, quantity=Decimal("40"))
    with pytest.raises(services.MovementRefused) as refused:
        services.record_movement(w.medium, by=w.enterprise, direction="in", on=today, quantity=Decimal("1"))
    assert refused.value.field == "quantity" and refused.value.item == w.medium
    assert refused.value.detail["field"] == "quantity" and refused.value.detail["item"] == w.medium.pk
    assert "细胞培养基" in refused.value.message and "100" in refused.value.message
    # Nothing written: the balance is as it was; the attempt is kept as a warning.
    assert services.balance(w.medium).imported == Decimal("100")
    assert Movement.objects.filter(item=w.medium).count() == 2
    attempt = RefusedMovement.objects.get(item=w.medium)
    assert attempt.by == w.enterprise and attempt.quantity == Decimal("1")


def test_goods_going_out_return_what_is_in_the_zone_but_no_more_and_never_come_back_beyond_approval(world):
    w = world
    approved(w)
    today = timezone.localdate()
    services.record_movement(w.spectrometer, by=w.root, direction="in", on=today, quantity=Decimal("2"))
    services.record_movement(w.spectrometer, by=w.root, direction="out", on=today, quantity=Decimal("1"))
    balance = services.balance(w.spectrometer)
    assert (balance.imported, balance.exported, balance.in_zone) == (Decimal("2"), Decimal("1"), Decimal("1"))
    with pytest.raises(services.MovementRefused) as refused:
        services.record_movement(w.spectrometer, by=w.root, direction="out", on=today, quantity=Decimal("2"))
    assert refused.value.field == "quantity" and "1 台" in refused.value.message
    # What went out does not make room to bring more in: the approval counts what came in, in all.
    with pytest.raises(services.MovementRefused):
        services.record_movement(w.spectrometer, by=w.root, direction="in", on=today, quantity=Decimal("1"))
    assert services.balance(w.spectrometer).in_zone == Decimal("1")


def test_goods_cross_only_within_the_validity_but_go_out_after_it_ends(world):
    w = world
    today = timezone.localdate()
    approved(w, valid_from=today - datetime.timedelta(days=100), valid_to=today - datetime.timedelta(days=10))
    early = today - datetime.timedelta(days=101)
    with pytest.raises(services.MovementRefused) as refused:
        services.record_movement(w.medium, by=w.root, direction="in", on=early, quantity=1)
    assert refused.value.field == "on"
    services.record_movement(
        w.medium, by=w.root, direction="in", on=today - datetime.timedelta(days=50), quantity=10
    )
    with pytest.raises(services.MovementRefused) as refused:  # the approval has ended: nothing more comes in
        services.record_movement(w.medium, by=w.root, direction="in", on=today, quantity=1)
    assert refused.value.field == "on"
    services.record_movement(w.medium, by=w.root, direction="out", on=today, quantity=10)
    assert services.balance(w.medium).in_zone == 0
    assert RefusedMovement.objects.count() == 2


def test_nothing_crosses_under_an_application_not_approved(world):
    w = world
    application = workflow.submit(drafted(w), by=w.root)
    with pytest.raises(services.MovementRefused) as refused:
        services.record_movement(w.medium, by=w.root, direction="in", quantity=1)
    assert refused.value.field == "item" and application.status == "submitted"
    assert not Movement.objects.filter(item__application=application).exists()


def test_a_movement_needs_a_direction_a_quantity_and_a_day_not_to_come(world):
    w = world
    approved(w)
    with pytest.raises(ValidationError) as refused:
        services.record_movement(
            w.medium, by=w.root, direction="sideways", on=TODAY() + datetime.timedelta(1), quantity="-1"
        )
    assert set(refused.value.message_dict) == {"direction", "on", "quantity"}


def test_who_records_movements(world):
    w = world
    approved(w)
    for user in (w.leader, w.statistician, w.handler):
        with pytest.raises(PermissionDenied):
            services.record_movement(w.medium, by=user, direction="in", quantity=1)
    with pytest.raises(ValidationError) as refused:  # another zone's staff do not find the item
        services.record_movement(w.medium, by=w.outsider, direction="in", quantity=1)
    assert "item" in refused.value.message_dict
    assert (
        services.record_movement(w.medium, by=w.service_officer, direction="in", quantity=1).by
        == w.service_officer
    )
