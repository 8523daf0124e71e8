"""Talents (人才): the high-level talents and the talent teams working in the zone's enterprises, and the
services each received (housing, subsidies, schooling for children...).

A talent or a team belongs to an enterprise of the registry and is seen where the enterprise is; a
service received names the talent or the team it went to (one of the two) and carries its enterprise,
so that it is scoped the same way. An amount is in yuan.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zoneos.areas.models import AreaBoundQuerySet
from zoneos.enterprises.models import MONEY


class TalentCategory(models.TextChoices):
    ACADEMICIAN = "academician", _("Academician")
    NATIONAL = "national", _("National high-level talent")
    PROVINCIAL = "provincial", _("Provincial high-level talent")
    MUNICIPAL = "municipal", _("Municipal high-level talent")
    OVERSEAS = "overseas", _("Overseas high-level talent")
    HK_MACAO = "hk_macao", _("Hong Kong or Macao talent")
    DOCTOR = "doctor", _("Doctor or postdoctoral researcher")
    CRAFTSMAN = "craftsman", _("Highly skilled craftsman")
    OTHER = "other", _("Other talent")


class TeamLevel(models.TextChoices):
    NATIONAL = "national", _("National")
    PROVINCIAL = "provincial", _("Provincial")
    MUNICIPAL = "municipal", _("Municipal")
    DISTRICT = "district", _("District")


class ServiceKind(models.TextChoices):
    HOUSING = "housing", _("Housing or rent subsidy")
    SUBSIDY = "subsidy", _("Living or settling-in subsidy")
    FUNDING = "funding", _("Project funding")
    SCHOOLING = "schooling", _("Schooling for children")
    MEDICAL = "medical", _("Medical care")
    RESIDENCE = "residence", _("Residence registration or visa")
    SPOUSE = "spouse", _("Work for a spouse")
    OTHER = "other", _("Other service")


class TalentTeam(models.Model):
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="talent_teams",
    )
    name = models.CharField(_("name"), max_length=200)
    level = models.CharField(_("level"), max_length=12, choices=TeamLevel.choices)
    programme = models.CharField(
        _("programme"), max_length=200, blank=True, help_text=_("The talent programme that selected it.")
    )
    leader = models.CharField(_("team leader"), max_length=100, blank=True)
    members = models.PositiveSmallIntegerField(_("members"), null=True, blank=True)
    recognised_on = models.DateField(_("recognised on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    area_path = "enterprise__area__path"
    objects = AreaBoundQuerySet.as_manager()

    class Meta:
        ordering = ["enterprise", "name"]
        verbose_name = _("talent team")
        verbose_name_plural = _("talent teams")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("innovation:team", args=[self.pk])


class Talent(models.Model):
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="talents",
    )
    team = models.ForeignKey(
        TalentTeam,
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="talents",
    )
    name = models.CharField(_("name"), max_length=100)
    category = models.CharField(_("category"), max_length=12, choices=TalentCategory.choices)
    title = models.CharField(pgettext_lazy("a talent's job", "position"), max_length=200, blank=True)
    field = models.CharField(_("field"), max_length=200, blank=True)
    recognised_on = models.DateField(_("recognised on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    area_path = "enterprise__area__path"
    objects = AreaBoundQuerySet.as_manager()

    class Meta:
        ordering = ["enterprise", "name"]
        verbose_name = _("talent")
        verbose_name_plural = _("talents")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("innovation:talent", args=[self.pk])


class TalentService(models.Model):
    """A service a talent or a team received (one of the two), on a day, with its amount if money."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="talent_services",
        editable=False,
    )
    talent = models.ForeignKey(
        Talent,
        verbose_name=_("talent"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="services",
    )
    team = models.ForeignKey(
        TalentTeam,
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="services",
    )
    kind = models.CharField(_("service"), max_length=12, choices=ServiceKind.choices)
    received_on = models.DateField(_("received on"))
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    area_path = "enterprise__area__path"
    objects = AreaBoundQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "pk"]
        verbose_name = _("service to talent")
        verbose_name_plural = _("services to talents")
        constraints = [
            models.CheckConstraint(
                condition=Q(talent__isnull=False, team__isnull=True)
                | Q(talent__isnull=True, team__isnull=False),
                name="innovation_talent_service_one_recipient",
            )
        ]

    def __str__(self) -> str:
        return f"{self.talent or self.team} · {self.get_kind_display()}"

    def get_absolute_url(self) -> str:
        return (self.talent or self.team).get_absolute_url()
