"""The cross-border research whitelist (跨境科研白名单): the researchers and institutions from Hong Kong,
Macao and abroad that a zone lets work across the border, the goods (equipment, consumables, reagents,
biological samples, data carriers) they bring in and take out, and the movements of those goods.

A zone's enterprise or institution applies (`WhitelistApplication`) for its project, listing the
researchers (`Entity`) and each item with its HS code, quantity, value and purpose (`Item`); the zone
reviews it, hands it to customs (an xlsx in customs' fields) and records customs' approval with its
number and validity. Goods then cross as `Movement` rows, in or out, never beyond the approved quantity
(`balances`): what has come in may not exceed what was approved, and what goes out may not exceed what
is in the zone. The workflow is one table (`workflow.APPLICATION_WORKFLOW`); every step writes an
`ApplicationStep` row. A movement refused for its quantity or date writes nothing but a
`RefusedMovement`, the warning that someone tried.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zoneos.areas.models import AreaBoundQuerySet
from zoneos.enterprises.models import MONEY

QUANTITY = {"max_digits": 14, "decimal_places": 3}
# China's customs commodity codes (商品编码): the 6-digit HS heading, 2 digits of the national tariff
# (8 in all) and 2 of customs' statistics (10 in all). Declarations use the 10 digits; 8 are accepted
# for an item whose last two are not known yet.
HS_CODE = re.compile(r"^\d{8}(\d{2})?$")


def validate_hs_code(value: str) -> None:
    if not HS_CODE.match(value or ""):
        raise ValidationError(
            _("Give the customs commodity code: 10 digits (or at least the first 8)."), code="hs_code"
        )


def masked(number: str) -> str:
    """An identity document's number with all but its first and last two characters hidden."""
    if not number:
        return ""
    if len(number) <= 4:
        return "*" * len(number)
    return number[0] + "*" * (len(number) - 3) + number[-2:]


class EntityKind(models.TextChoices):
    RESEARCHER = "researcher", _("Researcher")
    INSTITUTION = "institution", _("Institution")


class Region(models.TextChoices):
    # Where a person comes from (not an enterprise's capital, whose "Hong Kong" reads 港资).
    HONG_KONG = "HK", pgettext_lazy("where from", "Hong Kong")
    MACAO = "MO", pgettext_lazy("where from", "Macao")
    FOREIGN = "foreign", pgettext_lazy("where from", "Abroad")
    MAINLAND = "mainland", pgettext_lazy("where from", "Mainland")


class IdType(models.TextChoices):
    HK_MO_PERMIT = "hk_mo_permit", _("Mainland Travel Permit for Hong Kong and Macao Residents")
    HKID = "hkid", _("Hong Kong identity card")
    MO_ID = "mo_id", _("Macao identity card")
    PASSPORT = "passport", _("Passport")
    RESIDENT_ID = "resident_id", _("Resident identity card")
    REGISTRATION = "registration", _("Registration number")
    OTHER = "other", _("Other document")


class Entity(models.Model):
    """A researcher or an institution on the whitelist, registered in a zone (or park), usually with the
    zone's enterprise or institution they work with. The identity document's number is kept in full and
    shown in full only to those who keep the record (`may_see_document`)."""

    area = models.ForeignKey(
        "areas.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="whitelist_entities"
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("works with"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="whitelist_entities",
    )
    kind = models.CharField(
        _("kind"), max_length=12, choices=EntityKind.choices, default=EntityKind.RESEARCHER
    )
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    region = models.CharField(
        _("comes from"), max_length=10, choices=Region.choices, default=Region.HONG_KONG
    )
    affiliation = models.CharField(_("affiliation"), max_length=200, blank=True)
    id_type = models.CharField(
        _("identity document"), max_length=14, choices=IdType.choices, default=IdType.HK_MO_PERMIT
    )
    id_number = models.CharField(_("document number"), max_length=40, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    area_path = "area__path"
    objects = AreaBoundQuerySet.as_manager()

    class Meta:
        ordering = ["area__path", "name", "pk"]
        verbose_name = _("whitelisted researcher or institution")
        verbose_name_plural = _("whitelisted researchers and institutions")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("whitelist:entities") + f"#entity-{self.pk}"

    @property
    def id_masked(self) -> str:
        return masked(self.id_number)


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Under zone review")
    RETURNED = "returned", _("Returned")
    ZONE_APPROVED = "zone_approved", _("Approved by the zone")
    AT_CUSTOMS = "at_customs", _("Submitted to customs")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


STATUS_COLOR = {
    Status.DRAFT: "secondary",
    Status.SUBMITTED: "info",
    Status.RETURNED: "warning",
    Status.ZONE_APPROVED: "primary",
    Status.AT_CUSTOMS: "primary",
    Status.APPROVED: "success",
    Status.REJECTED: "danger",
}
# Items, entities and the project are changed while the applicant holds the application.
EDITABLE = frozenset({Status.DRAFT, Status.RETURNED})


class WhitelistApplication(models.Model):
    area = models.ForeignKey(
        "areas.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="whitelist_applications"
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("applicant"),
        on_delete=models.PROTECT,
        related_name="whitelist_applications",
    )
    project = models.CharField(_("research project"), max_length=300, blank=True)
    entities = models.ManyToManyField(
        Entity, verbose_name=_("researchers and institutions"), blank=True, related_name="applications"
    )
    period_from = models.DateField(_("requested from"), null=True, blank=True)
    period_to = models.DateField(_("requested to"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=14, choices=Status.choices, default=Status.DRAFT)
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    customs_reference = models.CharField(_("customs reference"), max_length=100, blank=True)
    approval_number = models.CharField(_("approval number"), max_length=100, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    reason = models.TextField(_("reason for rejection"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    # The days the nightly sweep told of the approval ending soon, and of goods still in the zone after
    # it ended; cleared when the validity changes.
    expiry_warned_on = models.DateField(null=True, blank=True, editable=False)
    holding_warned_on = models.DateField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    area_path = "area__path"
    objects = AreaBoundQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("whitelist application")
        verbose_name_plural = _("whitelist applications")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="whitelist_valid_to_after_from",
            )
        ]
        indexes = [models.Index(fields=["status", "valid_to"], name="whitelist_status_valid_to")]

    def __str__(self) -> str:
        return self.approval_number or _("Whitelist application %(n)s") % {"n": self.pk}

    def get_absolute_url(self) -> str:
        return reverse("whitelist:application", args=[self.pk])

    @property
    def color(self) -> str:
        return STATUS_COLOR.get(self.status, "secondary")

    @property
    def editable(self) -> bool:
        return self.status in EDITABLE

    def valid_on(self, day: datetime.date) -> bool:
        return (
            self.status == Status.APPROVED
            and self.valid_from is not None
            and self.valid_from <= day <= self.valid_to
        )


class ItemCategory(models.TextChoices):
    EQUIPMENT = "equipment", _("Equipment")
    CONSUMABLE = "consumable", _("Consumables")
    REAGENT = "reagent", _("Reagents")
    SAMPLE = "sample", _("Biological samples")
    DATA_CARRIER = "data_carrier", _("Data carriers")


class Item(models.Model):
    application = models.ForeignKey(
        WhitelistApplication, verbose_name=_("application"), on_delete=models.CASCADE, related_name="items"
    )
    category = models.CharField(_("category"), max_length=14, choices=ItemCategory.choices)
    name = models.CharField(_("item name"), max_length=200)
    hs_code = models.CharField(_("HS code"), max_length=10, validators=[validate_hs_code])
    specification = models.CharField(_("specification"), max_length=200, blank=True)
    quantity = models.DecimalField(_("quantity"), **QUANTITY)
    unit = models.CharField(_("unit"), max_length=20)
    value = models.DecimalField(_("value (yuan)"), **MONEY)
    origin = models.CharField(_("origin"), max_length=100, blank=True)
    purpose = models.CharField(_("purpose"), max_length=500, blank=True)
    # The quantity customs approved (the requested one, set when the approval is recorded).
    approved_quantity = models.DecimalField(_("approved quantity"), null=True, blank=True, **QUANTITY)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    area_path = "application__area__path"
    objects = AreaBoundQuerySet.as_manager()

    class Meta:
        ordering = ["application", "pk"]
        verbose_name = _("whitelist item")
        verbose_name_plural = _("whitelist items")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="whitelist_item_quantity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.hs_code})"

    def get_absolute_url(self) -> str:
        return self.application.get_absolute_url() + f"#item-{self.pk}"


class Direction(models.TextChoices):
    IN = "in", _("In")
    OUT = "out", _("Out")


class Movement(models.Model):
    """Goods of an item crossing into the zone (in) or back out (out) on a day."""

    item = models.ForeignKey(Item, verbose_name=_("item"), on_delete=models.PROTECT, related_name="movements")
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    on = models.DateField(_("date"))
    quantity = models.DecimalField(_("quantity"), **QUANTITY)
    reference = models.CharField(_("declaration number"), max_length=100, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    area_path = "item__application__area__path"
    objects = AreaBoundQuerySet.as_manager()

    class Meta:
        ordering = ["item", "on", "pk"]
        verbose_name = _("whitelist movement")
        verbose_name_plural = _("whitelist movements")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="whitelist_movement_quantity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.item.name} {self.get_direction_display()} {self.quantity} {self.item.unit}"

    def get_absolute_url(self) -> str:
        return self.item.application.get_absolute_url() + "#movements"


class RefusedMovement(models.Model):
    """A movement refused for going beyond the approved quantity or outside the validity: the warning
    that someone tried (the movement itself is not written)."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="refusals")
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    on = models.DateField(_("date"))
    quantity = models.DecimalField(_("quantity"), **QUANTITY)
    reason = models.CharField(_("reason"), max_length=500)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    told_on = models.DateField(null=True, blank=True, editable=False)

    area_path = "item__application__area__path"
    objects = AreaBoundQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("refused movement")
        verbose_name_plural = _("refused movements")

    def __str__(self) -> str:
        return self.reason


class ApplicationStep(models.Model):
    """One step of an application: its author, opinion and date (the timeline and the event row)."""

    application = models.ForeignKey(WhitelistApplication, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(_("step"), max_length=20)
    from_status = models.CharField(_("from"), max_length=14, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=14, choices=Status.choices, blank=True)
    opinion = models.TextField(_("opinion"), blank=True)
    on = models.DateField(_("date"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("whitelist application step")
        verbose_name_plural = _("whitelist application steps")

    def __str__(self) -> str:
        return f"{self.application}: {self.kind}"


ZERO = Decimal("0")
