"""Statistics of the zone: the rollup the overview reads, and the targets it is measured against.

`Rollup` holds, for each area that has enterprises, each year, industry section and capital origin,
the counts and sums of its active enterprises' figures. It is written by `services.refresh` in the
same transaction as the registry change it follows, so the overview of a province of a million
enterprises sums a few thousand rows instead of five million.
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zoneos.areas.models import AreaBoundQuerySet
from zoneos.enterprises.models import MONEY

SUM = {"max_digits": 22, "decimal_places": 2, "default": 0}


class Rollup(models.Model):
    area = models.ForeignKey("areas.Area", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    industry_section = models.CharField(max_length=1, blank=True)
    capital_origin = models.CharField(max_length=16)
    enterprises = models.PositiveIntegerField(default=0)
    above_designated_size = models.PositiveIntegerField(default=0)
    high_tech = models.PositiveIntegerField(default=0)
    specialized_sme = models.PositiveIntegerField(default=0)
    little_giant = models.PositiveIntegerField(default=0)
    output_value = models.DecimalField(**SUM)
    revenue = models.DecimalField(**SUM)
    tax_paid = models.DecimalField(**SUM)
    # Output of the enterprises with output in both this year and the previous one, in each year.
    output_comparable = models.DecimalField(**SUM)
    output_comparable_prev = models.DecimalField(**SUM)

    area_path = "area__path"
    objects = AreaBoundQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["area", "year", "industry_section", "capital_origin"], name="rollup_cell"
            )
        ]
        indexes = [models.Index(fields=["year", "area"], name="rollup_year_area")]

    def __str__(self) -> str:
        return f"{self.area_id} {self.year} {self.industry_section} {self.capital_origin}"


class Metric(models.TextChoices):
    OUTPUT_VALUE = "output_value", _("Output value")
    REVENUE = "revenue", _("Revenue")
    TAX_PAID = "tax_paid", _("Tax paid")
    ENTERPRISES = "enterprises", _("Enterprises")
    ABOVE_DESIGNATED_SIZE = "above_designated_size", _("Enterprises above designated size")
    HIGH_TECH = "high_tech", _("High-tech enterprises")
    SPECIALIZED_SME = "specialized_sme", _("Specialised and sophisticated SMEs")
    LITTLE_GIANT = "little_giant", _("Little giants")


MONEY_METRICS = frozenset({Metric.OUTPUT_VALUE, Metric.REVENUE, Metric.TAX_PAID})


class Target(models.Model):
    """A goal for an area: a metric to reach by a year (e.g. Tonghu output value 100 billion by 2025)."""

    area = models.ForeignKey(
        "areas.Area", verbose_name=_("area"), on_delete=models.CASCADE, related_name="targets"
    )
    metric = models.CharField(_("metric"), max_length=32, choices=Metric.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("target value"), max_digits=22, decimal_places=2)
    note = models.CharField(_("note"), max_length=300, blank=True)

    area_path = "area__path"
    objects = AreaBoundQuerySet.as_manager()

    class Meta:
        ordering = ["area__path", "year", "metric"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(fields=["area", "metric", "year"], name="target_area_metric_year")
        ]

    def __str__(self) -> str:
        return f"{self.area} {self.get_metric_display()} {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("stats:dashboard") + f"?area={self.area_id}&year={self.year}"


__all__ = ["MONEY", "Metric", "Rollup", "Target"]
