"""Bulk imports: an uploaded file, its dry-run report, and its all-or-nothing commit."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class ImportKind(models.TextChoices):
    ENTERPRISES = "enterprises", _("Enterprises")
    INDICATORS = "indicators", _("Yearly figures")
    PROJECTS = "projects", _("Investment projects")
    MONTHLY_REPORTS = "monthly_reports", _("Key projects' monthly reports")


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to be checked")
    CHECKING = "checking", _("Checking")
    INVALID = "invalid", _("Has errors")
    READY = "ready", _("Ready to import")
    COMMITTING = "committing", _("Importing")
    COMMITTED = "committed", _("Imported")
    FAILED = "failed", _("Failed")


STATUS_COLOR = {
    ImportStatus.QUEUED: "secondary",
    ImportStatus.CHECKING: "info",
    ImportStatus.INVALID: "danger",
    ImportStatus.READY: "primary",
    ImportStatus.COMMITTING: "info",
    ImportStatus.COMMITTED: "success",
    ImportStatus.FAILED: "danger",
}
RUNNING = frozenset({ImportStatus.QUEUED, ImportStatus.CHECKING, ImportStatus.COMMITTING})


class ImportJob(models.Model):
    kind = models.CharField(_("kind"), max_length=16, choices=ImportKind.choices)
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    status = models.CharField(
        _("status"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    errors = models.JSONField(default=list, blank=True)  # the first errors: {row, column, message}
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    message = models.CharField(max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.original_name}"

    def get_absolute_url(self) -> str:
        return reverse("tabular:detail", args=[self.pk])

    @property
    def status_color(self) -> str:
        return STATUS_COLOR.get(self.status, "secondary")

    @property
    def running(self) -> bool:
        return self.status in RUNNING

    @property
    def percent(self) -> int:
        if self.status in (ImportStatus.COMMITTED, ImportStatus.READY, ImportStatus.INVALID):
            return 100
        return min(100, round(100 * self.processed_rows / self.total_rows)) if self.total_rows else 0
