"""Briefings: the monthly key-project supervision briefing of an area, rendered as PDF or xlsx and kept as
a file, and the schedules that have last month's briefing generated on a day of each month.

A briefing row is created (queued) by a request or a schedule; the task worker renders its file and
marks it done or failed. A schedule makes at most one briefing per format and month (a constraint, so
two sweeps running at once cannot both create it).
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zoneos.areas.models import AreaBoundQuerySet


class BriefingFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    XLSX = "xlsx", "Excel"


CONTENT_TYPES = {
    BriefingFormat.PDF: "application/pdf",
    BriefingFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class BriefingStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


STATUS_COLOR = {
    BriefingStatus.QUEUED: "secondary",
    BriefingStatus.DONE: "success",
    BriefingStatus.FAILED: "danger",
}

LANGUAGE_CHOICES = settings.LANGUAGES


def file_name(area, year: int, month: int, fmt: str) -> str:
    """`briefing-<area code>-2026-02.pdf`; a code with nothing plain ASCII in it falls back to the id."""
    code = re.sub(r"[^A-Za-z0-9_.]+", "-", area.code).strip("-.") or f"area{area.pk}"
    return f"briefing-{code}-{year}-{month:02d}.{fmt}"


class BriefingSchedule(models.Model):
    area = models.ForeignKey(
        "areas.Area", verbose_name=_("area"), on_delete=models.CASCADE, related_name="briefing_schedules"
    )
    day_of_month = models.PositiveSmallIntegerField(
        _("day of the month"),
        validators=[MinValueValidator(1), MaxValueValidator(28)],
        help_text=_("Last month's briefing is generated on this day (1–28)."),
    )
    formats = models.JSONField(_("formats"), default=list)
    language = models.CharField(_("language"), max_length=8, choices=LANGUAGE_CHOICES, default="zh-hans")
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    area_path = "area__path"
    objects = AreaBoundQuerySet.as_manager()

    class Meta:
        ordering = ["area__path", "day_of_month", "pk"]
        verbose_name = _("briefing schedule")
        verbose_name_plural = _("briefing schedules")
        constraints = [
            models.CheckConstraint(
                condition=Q(day_of_month__gte=1, day_of_month__lte=28), name="briefing_schedule_day_1_28"
            )
        ]

    def __str__(self) -> str:
        return f"{self.area} · {self.day_of_month}"


class Briefing(models.Model):
    area = models.ForeignKey(
        "areas.Area", verbose_name=_("area"), on_delete=models.CASCADE, related_name="briefings"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    format = models.CharField(_("format"), max_length=8, choices=BriefingFormat.choices)
    language = models.CharField(_("language"), max_length=8, choices=LANGUAGE_CHOICES, default="zh-hans")
    file = models.FileField(_("file"), upload_to="briefings/%Y/%m/", blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=BriefingStatus.choices, default=BriefingStatus.QUEUED
    )
    error = models.TextField(_("error"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    schedule = models.ForeignKey(
        BriefingSchedule,
        verbose_name=_("schedule"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="briefings",
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    generated_at = models.DateTimeField(_("generated at"), null=True, blank=True)

    area_path = "area__path"
    objects = AreaBoundQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("briefing")
        verbose_name_plural = _("briefings")
        constraints = [
            # A schedule makes each month's briefing once per format, however often the sweep runs.
            models.UniqueConstraint(
                fields=["schedule", "year", "month", "format"],
                condition=Q(schedule__isnull=False),
                name="briefing_once_per_schedule_month_format",
            )
        ]
        indexes = [models.Index(fields=["area", "year", "month"], name="briefing_area_month")]

    def __str__(self) -> str:
        return self.filename

    @property
    def month_value(self) -> str:
        return f"{self.year}-{self.month:02d}"

    @property
    def filename(self) -> str:
        return file_name(self.area, self.year, self.month, self.format)

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.format]

    @property
    def status_color(self) -> str:
        return STATUS_COLOR.get(self.status, "secondary")

    @property
    def ready(self) -> bool:
        return self.status == BriefingStatus.DONE and bool(self.file)
