"""Every change to the whitelist's entities, applications, items and movements.

Each function is atomic, checks that `by` may make the change, validates with the field named, and
writes with its history attributed to `by`. An application's items, researchers and project change only
while the applicant holds it (draft or returned; 409 otherwise). The steps of its review are in
`workflow`.

Movements keep two rules, checked under the item's row lock so that two movements racing are counted
one after the other: what has come **in** in all may not exceed the approved quantity, and what goes
**out** may not exceed what is in the zone (in minus out). Goods cross only under an approval in
force: in from `valid_from` to `valid_to`; out from `valid_from` on, also after `valid_to` (taking the
goods back out is what an ended approval asks for). A movement that breaks a rule is refused with 409
naming the field and the item, writes no movement, and is kept as a `RefusedMovement` (the warning).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.exceptions import ErrorDetail

from zoneos.accounts.scoping import in_scope, may_place, memberships, require
from zoneos.areas.models import AreaKind
from zoneos.audit.context import acting
from zoneos.core.errors import Conflict
from zoneos.core.roles import CHANGE, VIEW, Role
from zoneos.core.services import apply_changes
from zoneos.core.services import clean as _clean

from .models import (
    ZERO,
    Direction,
    Entity,
    Item,
    Movement,
    RefusedMovement,
    Status,
    WhitelistApplication,
)
from .parties import is_applicant

ENTITY_FIELDS = (
    "area", "enterprise", "kind", "name", "name_en", "region", "affiliation", "id_type", "id_number", "notes",
)  # fmt: skip
APPLICATION_FIELDS = ("area", "enterprise", "project", "period_from", "period_to", "notes")
ITEM_FIELDS = (
    "category", "name", "hs_code", "specification", "quantity", "unit", "value", "origin", "purpose",
)  # fmt: skip
MAX_QUANTITY = Decimal("10") ** 10


def _error(field: str, message: str) -> ValidationError:
    return ValidationError({field: [message]})


class MovementRefused(Conflict):
    """409: the movement breaks a rule of the item's balance or the approval's validity. The body names
    the field and the item: `{"detail": "...", "field": "quantity", "item": 12}`."""

    def __init__(self, message: str, *, field: str, item: Item):
        super().__init__(message)
        self.message, self.field, self.item = message, field, item
        self.detail = {"detail": ErrorDetail(message, "conflict"), "field": field, "item": item.pk}

    def __str__(self) -> str:
        return self.message


# Entities ------------------------------------------------------------------------------------------
def _may_keep_entity(entity: Entity, by) -> bool:
    if any(
        m.role == Role.ENTERPRISE and entity.enterprise_id and m.enterprise_id == entity.enterprise_id
        for m in memberships(by)
    ):
        return True
    return may_place(Entity, entity.area, by)


def _check_entity(entity: Entity, by) -> None:
    errors: dict = {}
    if entity.enterprise_id is not None:
        enterprise = entity.enterprise
        if not in_scope(enterprise, by, VIEW):
            errors["enterprise"] = [_("Choose an enterprise you can see.")]
        elif entity.area_id is None:
            entity.area = enterprise.area
        elif not enterprise.area.path.startswith(entity.area.path):
            errors["area"] = [_("The enterprise is registered outside this area.")]
    if entity.area_id is None and "enterprise" not in errors:
        errors["area"] = [_("Choose the zone or park, or the enterprise the entity works with.")]
    elif entity.area_id is not None and entity.area.kind == AreaKind.REGION:
        errors["area"] = [_("The whitelist belongs to a zone or a park, not to a region.")]
    if errors:
        raise ValidationError(errors)
    if not _may_keep_entity(entity, by):
        raise PermissionDenied(_("You may not keep the whitelist of %(area)s.") % {"area": entity.area})
    entity.id_number = (entity.id_number or "").strip().upper()
    _clean(entity, exclude=["area", "enterprise"])


@transaction.atomic
def create_entity(*, by, **fields) -> Entity:
    apply_changes(entity := Entity(), fields, ENTITY_FIELDS)
    _check_entity(entity, by)
    with acting(by):
        entity.save()
    return entity


@transaction.atomic
def update_entity(entity: Entity, *, by, **changes) -> Entity:
    require(entity, by, CHANGE)
    entity = Entity.objects.select_for_update().get(pk=entity.pk)
    apply_changes(entity, changes, ENTITY_FIELDS)
    _check_entity(entity, by)
    with acting(by):
        entity.save()
    return entity


@transaction.atomic
def delete_entity(entity: Entity, *, by) -> None:
    require(entity, by, CHANGE)
    if entity.applications.exists():
        raise Conflict(_("The entity is named in an application: it stays on the whitelist."))
    with acting(by):
        entity.delete()


# Applications --------------------------------------------------------------------------------------
def _check_application(application: WhitelistApplication, by, entities=None) -> None:
    errors: dict = {}
    enterprise = application.enterprise if application.enterprise_id else None
    if enterprise is None:
        errors["enterprise"] = [_("Choose the applicant enterprise or institution.")]
    elif not in_scope(enterprise, by, VIEW):
        errors["enterprise"] = [_("Choose an enterprise you can see.")]
    elif application.area_id is None:
        application.area = enterprise.area
    elif not enterprise.area.path.startswith(application.area.path):
        errors["area"] = [_("The applicant is registered outside this area.")]
    if application.period_from and application.period_to and application.period_to < application.period_from:
        errors["period_to"] = [_("The period ends on or after the day it starts.")]
    if application.area_id is not None and application.area.kind == AreaKind.REGION:
        errors["area"] = [_("The whitelist belongs to a zone or a park, not to a region.")]
    for entity in entities or ():
        if not in_scope(entity, by, VIEW):
            errors["entities"] = [_("Choose researchers and institutions you can see.")]
        elif application.area_id and not (
            entity.area.path.startswith(application.area.path)
            or application.area.path.startswith(entity.area.path)
        ):
            errors["entities"] = [_("%(name)s is registered in another zone.") % {"name": entity.name}]
    if errors:
        raise ValidationError(errors)
    if not is_applicant(by, application):
        raise PermissionDenied(_("You may not apply for this enterprise."))
    _clean(application, exclude=["area", "enterprise", "created_by"])


@transaction.atomic
def create_application(*, by, entities=None, **fields) -> WhitelistApplication:
    """A draft application of an enterprise or institution of the zone (by its users, or staff for it)."""
    apply_changes(application := WhitelistApplication(created_by=by), fields, APPLICATION_FIELDS)
    _check_application(application, by, entities)
    with acting(by):
        application.save()
        if entities:
            application.entities.set(entities)
    from .workflow import record_step

    record_step(application, "create", by=by, before="")
    return application


def _locked(application: WhitelistApplication) -> WhitelistApplication:
    return (
        WhitelistApplication.objects.select_for_update(of=("self",))
        .select_related("area", "enterprise__area")
        .get(pk=application.pk)
    )


def _editable(application: WhitelistApplication, by) -> WhitelistApplication:
    """The application locked, held by the applicant (403 for anyone else, 409 once handed in)."""
    application = _locked(application)
    if not is_applicant(by, application):
        raise PermissionDenied(_("You may not change this application."))
    if not application.editable:
        raise Conflict(
            _("An application that is %(status)s cannot be changed.")
            % {"status": application.get_status_display().lower()}
        )
    return application


@transaction.atomic
def update_application(application: WhitelistApplication, *, by, entities=None, **changes):
    application = _editable(application, by)
    for field in ("enterprise", "area"):
        if field in changes and changes[field] != getattr(application, field):
            raise _error(field, _("An application stays with its applicant and area: make another one."))
        changes.pop(field, None)
    apply_changes(application, changes, APPLICATION_FIELDS)
    _check_application(application, by, entities)
    with acting(by):
        application.save()
        if entities is not None:
            application.entities.set(entities)
    return application


@transaction.atomic
def delete_application(application: WhitelistApplication, *, by) -> None:
    application = _editable(application, by)
    if application.status != Status.DRAFT:
        raise Conflict(_("Only a draft is deleted; a returned application is resubmitted or left."))
    with acting(by):
        for item in application.items.all():
            item.delete()
        application.delete()


# Items ---------------------------------------------------------------------------------------------
def _decimal(value):
    if value is None or isinstance(value, Decimal):
        return value
    try:
        return Decimal(str(value))
    except ArithmeticError:
        return Decimal("NaN")


def _check_item(item: Item) -> None:
    errors: dict = {}
    item.quantity, item.value = _decimal(item.quantity), _decimal(item.value)
    if item.quantity is None:
        errors["quantity"] = [_("This field is required.")]
    elif not item.quantity.is_finite() or item.quantity <= 0 or item.quantity >= MAX_QUANTITY:
        errors["quantity"] = [_("Must be above zero.")]
    if item.value is not None and (not item.value.is_finite() or item.value < 0):
        errors["value"] = [_("Cannot be negative.")]
    item.hs_code = (item.hs_code or "").replace(".", "").replace(" ", "")
    if errors:
        raise ValidationError(errors)
    _clean(item, exclude=["application"])


@transaction.atomic
def create_item(application: WhitelistApplication, *, by, **fields) -> Item:
    if not in_scope(application, by, VIEW):
        raise _error("application", _("Not found."))
    application = _editable(application, by)
    apply_changes(item := Item(application=application), fields, ITEM_FIELDS)
    _check_item(item)
    with acting(by):
        item.save()
    return item


@transaction.atomic
def update_item(item: Item, *, by, **changes) -> Item:
    if "application" in changes and changes.pop("application") != item.application:
        raise _error("application", _("An item stays with its application."))
    _editable(item.application, by)
    item = Item.objects.select_for_update().get(pk=item.pk)
    apply_changes(item, changes, ITEM_FIELDS)
    _check_item(item)
    with acting(by):
        item.save()
    return item


@transaction.atomic
def delete_item(item: Item, *, by) -> None:
    _editable(item.application, by)
    with acting(by):
        item.delete()


# Balances and movements ------------------------------------------------------------------------------
def _sum(direction: str):
    return Coalesce(
        Sum("movements__quantity", filter=Q(movements__direction=direction)),
        Value(ZERO),
        output_field=DecimalField(max_digits=16, decimal_places=3),
    )


def with_balances(items):
    """Items with `imported` (in, in all), `exported` (out, in all) and `in_zone` (in minus out)."""
    return items.annotate(imported=_sum(Direction.IN), exported=_sum(Direction.OUT))


@dataclass(frozen=True)
class Balance:
    approved: Decimal
    imported: Decimal
    exported: Decimal

    @property
    def in_zone(self) -> Decimal:
        return self.imported - self.exported

    @property
    def importable(self) -> Decimal:
        """What may still come in under the approval."""
        return max(self.approved - self.imported, ZERO)


def balance(item: Item) -> Balance:
    found = with_balances(Item.objects.filter(pk=item.pk)).values("imported", "exported").get()
    return Balance(item.approved_quantity or ZERO, found["imported"], found["exported"])


def _locked_item(item: Item) -> Item:
    """The item's row locked until the movement is written: a second movement of the item waits here,
    then counts the first one."""
    return Item.objects.select_for_update(of=("self",)).select_related("application").get(pk=item.pk)


def _number(value) -> str:
    return format(value.normalize(), "f") if isinstance(value, Decimal) else str(value)


def _check_movement(item: Item, direction: str, on: datetime.date, quantity: Decimal) -> None:
    """Refuse (409, naming the field) a movement outside the approval or beyond the balance."""
    application = item.application
    names = {"item": item.name, "code": item.hs_code, "unit": item.unit}
    if application.status != Status.APPROVED:
        raise MovementRefused(
            _("%(item)s (%(code)s): the application is not approved, nothing may cross under it.") % names,
            field="item",
            item=item,
        )
    if on < application.valid_from or (direction == Direction.IN and on > application.valid_to):
        raise MovementRefused(
            _("%(item)s (%(code)s): %(on)s is outside the approval's validity (%(from)s to %(to)s).")
            % {**names, "on": on, "from": application.valid_from, "to": application.valid_to},
            field="on",
            item=item,
        )
    found = balance(item)
    if direction == Direction.IN and found.imported + quantity > found.approved:
        raise MovementRefused(
            _(
                "%(item)s (%(code)s): %(quantity)s %(unit)s in would bring the imported total to %(total)s "
                "%(unit)s, beyond the %(approved)s %(unit)s approved (%(left)s %(unit)s may still come in)."
            )
            % {
                **names,
                "quantity": _number(quantity),
                "total": _number(found.imported + quantity),
                "approved": _number(found.approved),
                "left": _number(found.importable),
            },
            field="quantity",
            item=item,
        )
    if direction == Direction.OUT and quantity > found.in_zone:
        raise MovementRefused(
            _(
                "%(item)s (%(code)s): %(quantity)s %(unit)s out is more than the %(in_zone)s %(unit)s "
                "in the zone."
            )
            % {**names, "quantity": _number(quantity), "in_zone": _number(found.in_zone)},
            field="quantity",
            item=item,
        )


def _clean_movement(direction, on, quantity) -> tuple[str, datetime.date, Decimal]:
    errors: dict = {}
    if direction not in Direction.values:
        errors["direction"] = [_("Give the direction: in or out.")]
    today = timezone.localdate()
    if not isinstance(on, datetime.date):
        errors["on"] = [_("This field is required.")]
    elif on > today:
        errors["on"] = [_("A movement is recorded on or after the day it happens.")]
    try:
        quantity = Decimal(str(quantity))
    except ArithmeticError:
        quantity = None
    if quantity is None or not quantity.is_finite() or quantity <= 0 or quantity >= MAX_QUANTITY:
        errors["quantity"] = [_("Give a quantity above zero.")]
    elif quantity != quantity.quantize(Decimal("0.001")):
        errors["quantity"] = [_("Give at most three decimals.")]
    if errors:
        raise ValidationError(errors)
    return direction, on, quantity


def record_movement(
    item: Item, *, by, direction: str, on=None, quantity=None, reference: str = ""
) -> Movement:
    """Goods of `item` crossing in or out on `on` (today unless said). A refusal (409) writes no
    movement; the attempt is kept as a `RefusedMovement`."""
    on = timezone.localdate() if on is None else on
    direction, on, quantity = _clean_movement(direction, on, quantity)
    if not in_scope(item, by, VIEW):
        raise _error("item", _("Not found."))
    require(item, by, CHANGE, _("You may not record movements of this item."))
    try:
        with transaction.atomic():
            item = _locked_item(item)
            _check_movement(item, direction, on, quantity)
            with acting(by):
                return Movement.objects.create(
                    item=item,
                    direction=direction,
                    on=on,
                    quantity=quantity,
                    reference=(reference or "").strip()[:100],
                    by=by,
                )
    except MovementRefused as refusal:
        RefusedMovement.objects.create(
            item=item, direction=direction, on=on, quantity=quantity, reason=refusal.message[:500], by=by
        )
        raise
