"""Innovation platforms (创新平台): the key laboratories, engineering research centres, new-type R&D
institutions, incubators, maker spaces... recognised in an area, each at a level (national to
district), hosted by an enterprise of the registry or an institution (a university, a Hong Kong or
Macao institution), recognised on a day and valid to another, with their yearly figures.

A platform hangs on its park (or zone); a year's figures reach the area through their platform. A
recognition that ends within `EXPIRING_DAYS` is warned of on the list and, once, by the nightly sweep
(`warnings`; `warned_on` is cleared when `valid_to` moves). Occupancy is a fraction from 0 to 1 (0.85
is 85 %), as every ratio of the API; pages take and show it in per cent.
"""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zoneos.areas.models import AreaBoundQuerySet
from zoneos.core.models import FractionField

EXPIRING_DAYS = 90


class PlatformKind(models.TextChoices):
    KEY_LAB = "key_lab", _("Key laboratory")
    ENGINEERING_CENTRE = "engineering_centre", _("Engineering technology research centre")
    NEW_RD = "new_rd", _("New-type R&D institution")
    ENTERPRISE_CENTRE = "enterprise_centre", _("Enterprise technology centre")
    INDUSTRIAL_INSTITUTE = "industrial_institute", _("Industrial technology research institute")
    INCUBATOR = "incubator", _("Incubator")
    MAKER_SPACE = "maker_space", _("Maker space")
    ACCELERATOR = "accelerator", _("Accelerator")
    CONCEPT_CENTRE = "concept_centre", _("Concept-verification centre")
    PILOT_BASE = "pilot_base", _("Pilot-scale base")


class PlatformLevel(models.TextChoices):
    NATIONAL = "national", _("National")
    PROVINCIAL = "provincial", _("Provincial")
    MUNICIPAL = "municipal", _("Municipal")
    DISTRICT = "district", _("District")


LEVEL_COLOR = {
    PlatformLevel.NATIONAL: "danger",
    PlatformLevel.PROVINCIAL: "primary",
    PlatformLevel.MUNICIPAL: "success",
    PlatformLevel.DISTRICT: "secondary",
}


class HostKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise")
    UNIVERSITY = "university", _("University")
    INSTITUTE = "institute", _("Research institute")
    HK_MACAO = "hk_macao", _("Hong Kong or Macao institution")
    GOVERNMENT = "government", _("Government body")
    OTHER = "other", _("Other host")


class PlatformQuerySet(AreaBoundQuerySet):
    def in_force(self, day: datetime.date):
        """Recognised on or before `day` and valid on it (no end: valid)."""
        return self.filter(Q(recognised_on__isnull=True) | Q(recognised_on__lte=day)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )

    def expiring(self, day: datetime.date, days: int = EXPIRING_DAYS):
        """Valid on `day` and ending within `days` days of it."""
        return self.filter(valid_to__gte=day, valid_to__lte=day + datetime.timedelta(days=days))


class Platform(models.Model):
    area = models.ForeignKey(
        "areas.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="innovation_platforms"
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=24, choices=PlatformKind.choices)
    level = models.CharField(_("level"), max_length=12, choices=PlatformLevel.choices)
    host_kind = models.CharField(
        _("host kind"), max_length=12, choices=HostKind.choices, default=HostKind.ENTERPRISE
    )
    host_enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("host enterprise"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="innovation_platforms",
    )
    host_name = models.CharField(
        _("host institution"),
        max_length=200,
        blank=True,
        help_text=_("A university or institution outside the registry (the enterprise's name otherwise)."),
    )
    recognised_on = models.DateField(_("recognised on"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    recognised_by = models.CharField(_("recognised by"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    # The day the area's staff were told the recognition ends soon (`warnings`); cleared when `valid_to`
    # moves, so that a renewed recognition is warned of again.
    warned_on = models.DateField(_("expiry warned on"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    area_path = "area__path"
    objects = PlatformQuerySet.as_manager()

    class Meta:
        ordering = ["area__path", "name"]
        verbose_name = _("innovation platform")
        verbose_name_plural = _("innovation platforms")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(recognised_on__isnull=True)
                | Q(valid_to__gt=models.F("recognised_on")),
                name="innovation_platform_valid_after_recognised",
            )
        ]
        indexes = [models.Index(fields=["valid_to"], name="innovation_platform_valid_to")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("innovation:platform", args=[self.pk])

    @property
    def host(self) -> str:
        return self.host_enterprise.name if self.host_enterprise_id else self.host_name

    @property
    def level_color(self) -> str:
        return LEVEL_COLOR.get(self.level, "secondary")

    def days_left(self, day: datetime.date) -> int | None:
        return None if self.valid_to is None else (self.valid_to - day).days


# The yearly figures, in the order pages show them: (field, label, unit).
YEAR_FIGURES = ("rd_staff", "projects", "patents", "incubated", "graduated", "occupancy")


class PlatformYear(models.Model):
    """A platform's figures of one year; a figure left blank is unknown (and never erases one stored:
    `services.record_platform_year`)."""

    platform = models.ForeignKey(
        Platform, verbose_name=_("platform"), on_delete=models.CASCADE, related_name="years"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    rd_staff = models.PositiveIntegerField(_("R&D staff"), null=True, blank=True)
    projects = models.PositiveIntegerField(_("research projects"), null=True, blank=True)
    patents = models.PositiveIntegerField(_("patents"), null=True, blank=True)
    incubated = models.PositiveIntegerField(_("incubated enterprises"), null=True, blank=True)
    graduated = models.PositiveIntegerField(_("graduated enterprises"), null=True, blank=True)
    occupancy = FractionField(_("occupancy"), null=True, blank=True, help_text=_("A fraction: 0.85 is 85 %."))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    area_path = "platform__area__path"
    objects = AreaBoundQuerySet.as_manager()

    class Meta:
        ordering = ["platform", "-year"]
        verbose_name = _("platform's year")
        verbose_name_plural = _("platforms' years")
        constraints = [
            models.UniqueConstraint(fields=["platform", "year"], name="innovation_platform_year_once"),
            models.CheckConstraint(
                condition=Q(occupancy__isnull=True) | Q(occupancy__gte=0, occupancy__lte=1),
                name="innovation_platform_occupancy",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.platform} {self.year}"

    def get_absolute_url(self) -> str:
        return self.platform.get_absolute_url()
