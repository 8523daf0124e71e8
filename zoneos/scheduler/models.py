"""The state of the periodic jobs (one row per declared job) and the heartbeats of the processes that
readiness depends on (the scheduler and the task worker)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Outcome(models.TextChoices):
    OK = "ok", _("Succeeded")
    FAILED = "failed", _("Failed")


class ScheduledJob(models.Model):
    """A declared job: when it is next due, who holds its current run, and how its last run went.

    A scheduler starts a run only after claiming the row: an UPDATE that matches it only while it is due
    and not held (`locked_until` empty or past). The database lets one such UPDATE through, so two
    schedulers never start the same run."""

    name = models.CharField(_("name"), max_length=100, primary_key=True)
    every = models.PositiveIntegerField(_("every (seconds)"))
    next_run_at = models.DateTimeField(_("next run at"))
    locked_until = models.DateTimeField(_("held until"), null=True, blank=True)
    locked_by = models.CharField(_("held by"), max_length=200, blank=True)
    last_started_at = models.DateTimeField(_("last started at"), null=True, blank=True)
    last_finished_at = models.DateTimeField(_("last finished at"), null=True, blank=True)
    last_duration = models.FloatField(_("last duration (seconds)"), null=True, blank=True)
    last_outcome = models.CharField(_("last outcome"), max_length=10, choices=Outcome.choices, blank=True)
    last_result = models.TextField(_("last result"), blank=True)
    runs = models.PositiveIntegerField(_("runs"), default=0)
    failures = models.PositiveIntegerField(_("failures"), default=0)

    class Meta:
        verbose_name = _("scheduled job")
        verbose_name_plural = _("scheduled jobs")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Heartbeat(models.Model):
    """The last moment a process showed it is alive: `scheduler` (each pass of a scheduler) and `worker`
    (the task worker running the heartbeat task the scheduler queues every minute)."""

    name = models.CharField(_("name"), max_length=50, primary_key=True)
    at = models.DateTimeField(_("last seen at"))
    by = models.CharField(_("process"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("heartbeat")
        verbose_name_plural = _("heartbeats")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
