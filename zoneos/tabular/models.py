"""Bulk imports: an uploaded file, its dry-run report, and its all-or-nothing commit.

A job's kind is plain text checked against `registry` (the apps above declare their kinds), so a new
kind needs no migration here. A job is run in numbered attempts: a failed or interrupted one can be
run again, and only the job's current attempt may write its outcome.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import lease, registry


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting for the worker")
    CHECKING = "checking", _("Checking")
    INVALID = "invalid", _("Has errors")
    MAPPING = "mapping", _("Needs the columns mapped")
    READY = "ready", _("Ready to import")
    COMMITTING = "committing", _("Importing")
    COMMITTED = "committed", _("Imported")
    FAILED = "failed", _("Failed")
    # Never stored: a checking or importing job whose worker's lease has expired reads as this.
    INTERRUPTED = "interrupted", _("Interrupted")


class ImportPhase(models.TextChoices):
    CHECK = "check", _("Dry run")
    COMMIT = "commit", _("Import")


STATUS_COLOR = {
    ImportStatus.QUEUED: "secondary",
    ImportStatus.CHECKING: "info",
    ImportStatus.INVALID: "danger",
    ImportStatus.MAPPING: "warning",
    ImportStatus.READY: "primary",
    ImportStatus.COMMITTING: "info",
    ImportStatus.COMMITTED: "success",
    ImportStatus.FAILED: "danger",
    ImportStatus.INTERRUPTED: "warning",
}
RUNNING = frozenset({ImportStatus.QUEUED, ImportStatus.CHECKING, ImportStatus.COMMITTING})
LEASED = frozenset({ImportStatus.CHECKING, ImportStatus.COMMITTING})  # a worker holds a lease
RERUNNABLE = frozenset({ImportStatus.FAILED, ImportStatus.INTERRUPTED})
# A checked job whose mapping (columns, units, sheet) may be changed, and which is then checked again.
REMAPPABLE = frozenset({ImportStatus.MAPPING, ImportStatus.READY, ImportStatus.INVALID})


class ImportJob(models.Model):
    kind = models.CharField(_("kind"), max_length=registry.KIND_LENGTH)
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
    message = models.CharField(max_length=500, blank=True)  # why the last run failed (the error, briefly)
    phase = models.CharField(max_length=8, choices=ImportPhase.choices, default=ImportPhase.CHECK)
    attempt = models.PositiveIntegerField(default=0)  # the current run; see `engine.run`
    # Which park or zone sent the sheet: its remembered mapping is looked up by this area.
    area = models.ForeignKey(
        "areas.Area",
        verbose_name=_("from area"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    sheet = models.CharField(_("sheet"), max_length=255, blank=True)  # the sheet the user picked
    # The user's choices for this file ({"columns": {index: {field, unit, clears}}, "confirmed": bool});
    # see `zoneos.tabular.mapping`.
    mapping = models.JSONField(default=dict, blank=True)
    # What the last dry run found about the table: its columns, units, period, skipped rows, notices,
    # and the first changes it would make (`zoneos.tabular.mapping.report`).
    report = models.JSONField(default=dict, blank=True)
    # Every field each updated record would change, as JSON lines (written by the dry run).
    changes_file = models.FileField(upload_to="imports/changes/%Y/%m/", blank=True)
    change_count = models.PositiveIntegerField(_("changed fields"), default=0)
    warning_count = models.PositiveIntegerField(_("warnings"), default=0)
    # The rows as the last dry run cleaned them from the file, for its commit (`zoneos.tabular.carry`),
    # and the key that ties them to that file, mapping, user and the records they were cleaned against.
    checked_file = models.FileField(upload_to="imports/checked/%Y/%m/", blank=True)
    checked_key = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        # /metrics counts jobs per status at every scrape: an index-only scan instead of the table.
        indexes = [models.Index(fields=["status"], name="importjob_status")]

    def __str__(self) -> str:
        return f"{self.kind_label} · {self.original_name}"

    def get_absolute_url(self) -> str:
        return reverse("tabular:detail", args=[self.pk])

    @property
    def kind_label(self) -> str:
        return registry.label(self.kind)

    @property
    def current_status(self) -> str:
        """The stored status, except that a run whose worker stopped renewing its lease is interrupted."""
        if self.status not in LEASED:
            return self.status
        seen = getattr(self, "_lease_seen", None)
        if seen is None or seen[:2] != (self.status, self.attempt):
            seen = (self.status, self.attempt, lease.alive(self.pk, self.attempt))
            self._lease_seen = seen
        return self.status if seen[2] else ImportStatus.INTERRUPTED

    @property
    def current_status_label(self) -> str:
        return ImportStatus(self.current_status).label

    @property
    def reason(self) -> str:
        """Why the job stopped, for its page and the API; empty unless it failed or was interrupted."""
        status = self.current_status
        if status == ImportStatus.INTERRUPTED:
            return gettext(
                "The worker stopped before it finished (it was restarted or killed). Nothing was "
                "written. Run it again."
            )
        if status == ImportStatus.FAILED:
            return gettext(
                "The import stopped on an unexpected error (%(error)s). Nothing was written; the "
                "details are in the server log. Run it again, and tell the administrator if it fails again."
            ) % {"error": self.message or "?"}
        return ""

    @property
    def rerunnable(self) -> bool:
        return self.current_status in RERUNNABLE

    @property
    def status_color(self) -> str:
        return STATUS_COLOR.get(self.current_status, "secondary")

    @property
    def running(self) -> bool:
        return self.current_status in RUNNING

    @property
    def remappable(self) -> bool:
        return self.current_status in REMAPPABLE

    @property
    def percent(self) -> int:
        if self.status in (
            ImportStatus.COMMITTED,
            ImportStatus.READY,
            ImportStatus.INVALID,
            ImportStatus.MAPPING,
        ):
            return 100
        return min(100, round(100 * self.processed_rows / self.total_rows)) if self.total_rows else 0


class ImportMapping(models.Model):
    """A mapping the user confirmed, kept per area, kind and header set: the next sheet with the same
    headers from the same park or zone is read the same way without asking."""

    area = models.ForeignKey(
        "areas.Area",
        verbose_name=_("area"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=registry.KIND_LENGTH)
    headers_key = models.CharField(max_length=64)  # `mapping.headers_key` of the sheet's header texts
    headers = models.JSONField(default=list, blank=True)  # the header texts, for people reading it
    mapping = models.JSONField(default=dict, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("set by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("set at"), auto_now=True)

    class Meta:
        verbose_name = _("import mapping")
        verbose_name_plural = _("import mappings")
        indexes = [models.Index(fields=["kind", "headers_key"], name="importmapping_key")]

    def __str__(self) -> str:
        return f"{registry.label(self.kind)} · {self.headers_key[:8]}"
