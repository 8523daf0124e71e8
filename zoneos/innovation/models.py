"""Innovation points (创新积分): a zone's indicator system as data, and the enterprises' consents to
share their points with a partner bank (创新积分贷).

A `PointsSystem` belongs to a zone and applies from `effective_from`: the newest in force on a day, of
the area asked for or the nearest area above it, scores that day (as chains' strength rules). Each of
its `PointsIndicator` rows reads one policy variable (`zoneos.policies.variables.VARIABLES`, the one
definition of each figure) and scores it piecewise by `brackets` (`[{"from", "to", "points"}]`, `from`
included, `to` excluded, either open when null) or, for a label (a yes/no variable), by fixed
`label_points`; the points are multiplied by `weight`. A `Consent` lets the zone hand an enterprise's
points to one bank from `given_on` until `withdrawn_on` (excluded).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zoneos.areas.models import AreaBoundQuerySet

WEIGHT = {"max_digits": 6, "decimal_places": 3}
POINTS = {"max_digits": 8, "decimal_places": 2}


class PointsSystem(models.Model):
    area = models.ForeignKey(
        "areas.Area", verbose_name=_("zone"), on_delete=models.CASCADE, related_name="innovation_systems"
    )
    name = models.CharField(_("name"), max_length=200)
    effective_from = models.DateField(_("effective from"))
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    area_path = "area__path"
    objects = AreaBoundQuerySet.as_manager()

    class Meta:
        ordering = ["area", "-effective_from"]
        verbose_name = _("innovation points system")
        verbose_name_plural = _("innovation points systems")
        constraints = [
            models.UniqueConstraint(fields=["area", "effective_from"], name="innovation_system_once_a_day"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.effective_from:%Y-%m-%d})"


class PointsIndicator(models.Model):
    system = models.ForeignKey(
        PointsSystem, verbose_name=_("system"), on_delete=models.CASCADE, related_name="indicators"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    variable = models.CharField(_("variable"), max_length=60)
    label = models.CharField(_("label"), max_length=200, blank=True)
    weight = models.DecimalField(_("weight"), **WEIGHT, default=1)
    brackets = models.JSONField(_("brackets"), default=list, blank=True)
    label_points = models.DecimalField(
        _("points when held"),
        **POINTS,
        null=True,
        blank=True,
        help_text=_("For a label (a yes/no variable): the points when the enterprise holds it."),
    )

    area_path = "system__area__path"
    objects = AreaBoundQuerySet.as_manager()

    class Meta:
        ordering = ["system", "position", "pk"]
        verbose_name = _("innovation points indicator")
        verbose_name_plural = _("innovation points indicators")
        constraints = [
            models.UniqueConstraint(fields=["system", "variable"], name="innovation_indicator_once"),
        ]

    def __str__(self) -> str:
        return self.label or self.variable

    @property
    def title(self) -> str:
        """The indicator's label, else its variable's."""
        from zoneos.policies.variables import VARIABLES

        if self.label:
            return self.label
        var = VARIABLES.get(self.variable)
        return str(var.label) if var else self.variable


class ConsentQuerySet(AreaBoundQuerySet):
    def valid_on(self, day):
        """Consents given on or before `day` and not withdrawn by then (withdrawn on `day`: not valid)."""
        return self.filter(given_on__lte=day).filter(Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=day))


class Consent(models.Model):
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.CASCADE,
        related_name="innovation_consents",
    )
    bank = models.CharField(_("bank"), max_length=100)
    given_on = models.DateField(_("given on"))
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    area_path = "enterprise__area__path"
    objects = ConsentQuerySet.as_manager()

    class Meta:
        ordering = ["enterprise", "bank", "-given_on"]
        verbose_name = _("consent to share innovation points")
        verbose_name_plural = _("consents to share innovation points")
        constraints = [
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gte=models.F("given_on")),
                name="innovation_consent_withdrawn_after_given",
            ),
        ]
        indexes = [models.Index(fields=["bank", "given_on"], name="innovation_consent_bank")]

    def __str__(self) -> str:
        return f"{self.enterprise} → {self.bank}"


# Platforms, talents and funds (issue 20, parts 1 and 5) live in modules of their own.
from .fund_models import Exit, Fund, FundKind, Investment  # noqa: E402, F401
from .platform_models import Platform, PlatformKind, PlatformLevel, PlatformYear  # noqa: E402, F401
from .talent_models import Talent, TalentService, TalentTeam  # noqa: E402, F401
