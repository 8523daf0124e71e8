"""Future industries (未来产业): the catalogue of industries (a shared list seeded with Shenzhen's eight,
and a zone's own), each zone's "Ten Ones" board for an industry with the proofs of its items, and
application scenarios (场景) offered by an owner, matched with enterprises of the registry.

A board hangs on its zone; its items are `ten_ones.TEN_ONES`, and each `Proof` links one item to a
record of a declared kind (`zoneos.core.evidence`) by its id, or carries the document itself. A
scenario hangs on its area; its status moves only along `scenarios.WORKFLOW`, each move an event row;
its matched enterprises are `ScenarioMatch` rows confirmed by staff, with the reasons they fit.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zoneos.areas.models import AreaBoundQuerySet
from zoneos.core.models import BilingualName
from zoneos.enterprises.models import MONEY

from .ten_ones import ITEM_CHOICES


class FutureIndustry(BilingualName, models.Model):
    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    area = models.ForeignKey(
        "areas.Area",
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="future_industries",
        help_text=_("Empty for the shared list."),
    )
    description = models.TextField(_("description"), blank=True)
    # What its scenarios look for in the registry when they name nothing of their own.
    industry_codes = models.JSONField(_("industry codes"), default=list, blank=True)
    keywords = models.JSONField(_("keywords"), default=list, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    area_path = "area__path"
    objects = AreaBoundQuerySet.as_manager()

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("future industry")
        verbose_name_plural = _("future industries")

    def __str__(self) -> str:
        return self.label


class Board(models.Model):
    """A zone's "Ten Ones" for one future industry."""

    area = models.ForeignKey(
        "areas.Area", verbose_name=_("zone"), on_delete=models.PROTECT, related_name="future_boards"
    )
    industry = models.ForeignKey(
        FutureIndustry, verbose_name=_("future industry"), on_delete=models.PROTECT, related_name="boards"
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    area_path = "area__path"
    objects = AreaBoundQuerySet.as_manager()

    class Meta:
        ordering = ["area__path", "industry__position", "industry__code"]
        verbose_name = _("Ten Ones board")
        verbose_name_plural = _("Ten Ones boards")
        constraints = [
            models.UniqueConstraint(fields=["area", "industry"], name="future_board_once_per_zone"),
        ]

    def __str__(self) -> str:
        return f"{self.industry} · {self.area.label}"

    def get_absolute_url(self) -> str:
        return reverse("future:board", args=[self.pk])


def document_path(instance, filename: str) -> str:
    return f"future/boards/{instance.board_id}/{filename}"


class Proof(models.Model):
    """One record proving one item of a board: a record of a declared kind (`record_id`), or a
    document kept here (kind "document": `document` with its `title`)."""

    board = models.ForeignKey(Board, verbose_name=_("board"), on_delete=models.CASCADE, related_name="proofs")
    item = models.CharField(_("item"), max_length=24, choices=ITEM_CHOICES)
    kind = models.CharField(_("kind of record"), max_length=24)
    record_id = models.PositiveBigIntegerField(_("record"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=200, blank=True)
    document = models.FileField(_("document"), upload_to=document_path, max_length=300, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("added"), default=timezone.now, editable=False)

    area_path = "board__area__path"
    objects = AreaBoundQuerySet.as_manager()

    class Meta:
        ordering = ["board", "item", "created_at", "pk"]
        verbose_name = _("proof")
        verbose_name_plural = _("proofs")
        constraints = [
            models.UniqueConstraint(
                fields=["board", "item", "kind", "record_id"],
                condition=Q(record_id__isnull=False),
                name="future_proof_once_per_item",
            ),
        ]

    def __str__(self) -> str:
        return self.title or f"{self.kind} #{self.record_id}"

    def get_document_url(self) -> str:
        return reverse("future:proof-document", args=[self.pk]) if self.document else ""


class ScenarioStatus(models.TextChoices):
    OPEN = "open", _("Open")
    MATCHING = "matching", _("Matching")
    MATCHED = "matched", _("Matched")
    IN_PILOT = "in_pilot", _("In pilot")
    DONE = "done", _("Done")
    WITHDRAWN = "withdrawn", _("Withdrawn")


SCENARIO_COLOR = {
    ScenarioStatus.OPEN: "primary",
    ScenarioStatus.MATCHING: "info",
    ScenarioStatus.MATCHED: "success",
    ScenarioStatus.IN_PILOT: "warning",
    ScenarioStatus.DONE: "secondary",
    ScenarioStatus.WITHDRAWN: "light",
}


class Scenario(models.Model):
    """An application scenario (应用场景): an owner (an enterprise or a department) offers a place to use
    a technology, and the zone finds the enterprises that have it."""

    area = models.ForeignKey(
        "areas.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="future_scenarios"
    )
    industry = models.ForeignKey(
        FutureIndustry,
        verbose_name=_("future industry"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="scenarios",
    )
    owner_enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("owner (enterprise)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="future_scenarios",
    )
    owner_department = models.ForeignKey(
        "areas.Department",
        verbose_name=_("owner (department)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="future_scenarios",
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    technology_sought = models.TextField(_("technology sought"), blank=True)
    industry_codes = models.JSONField(_("industry codes"), default=list, blank=True)
    keywords = models.JSONField(_("keywords"), default=list, blank=True)
    budget = models.DecimalField(_("budget (yuan)"), **MONEY)
    status = models.CharField(
        _("status"), max_length=12, choices=ScenarioStatus.choices, default=ScenarioStatus.OPEN
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    area_path = "area__path"
    objects = AreaBoundQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = _("application scenario")
        verbose_name_plural = _("application scenarios")
        indexes = [models.Index(fields=["status", "industry"], name="future_scenario_status")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("future:scenario", args=[self.pk])

    @property
    def owner(self):
        return self.owner_enterprise or self.owner_department

    @property
    def status_color(self) -> str:
        return SCENARIO_COLOR.get(self.status, "secondary")


class ScenarioMatch(models.Model):
    """An enterprise confirmed by staff as one that has what the scenario seeks, with why it fits."""

    scenario = models.ForeignKey(
        Scenario, verbose_name=_("scenario"), on_delete=models.CASCADE, related_name="matches"
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="future_matches",
    )
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("confirmed"), default=timezone.now)

    area_path = "scenario__area__path"
    objects = AreaBoundQuerySet.as_manager()

    class Meta:
        ordering = ["scenario", "confirmed_at", "pk"]
        verbose_name = _("matched enterprise")
        verbose_name_plural = _("matched enterprises")
        constraints = [
            models.UniqueConstraint(fields=["scenario", "enterprise"], name="future_match_once"),
        ]

    def __str__(self) -> str:
        return f"{self.scenario} · {self.enterprise}"


class ScenarioEvent(models.Model):
    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=12, choices=ScenarioStatus.choices)
    to_status = models.CharField(max_length=12, choices=ScenarioStatus.choices)
    note = models.TextField(blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    area_path = "scenario__area__path"
    objects = AreaBoundQuerySet.as_manager()

    class Meta:
        ordering = ["scenario", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.scenario}: {self.from_status} → {self.to_status}"
