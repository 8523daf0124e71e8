"""Key-project supervision: the year's key projects with their annual planned investment, monthly
reports of what was completed, month locks, and the month-by-month figures derived from the reports.

Cumulative figures are never typed: `MonthFigure` holds, for every project and every month of its
year, the cumulative completed investment and the status that follows, written by `services` whenever a
report, a plan or a status rule changes, so that a summary over a province is one indexed aggregate.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zoneos.audit.models import RevisionBase
from zoneos.enterprises.models import MONEY

from .progress import STATUS_COLOR, Status


class KeyProjectKind(models.TextChoices):
    NEW_START = "new_start", _("New start")
    CONTINUING = "continuing", _("Continuing")


class KeyProject(models.Model):
    year = models.PositiveSmallIntegerField(_("year"))
    name = models.CharField(_("name"), max_length=200)
    area = models.ForeignKey(
        "areas.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="key_projects"
    )
    project = models.ForeignKey(
        "pipeline.Project",
        verbose_name=_("investment project"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="key_projects",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=KeyProjectKind.choices)
    total_investment = models.DecimalField(_("total investment (yuan)"), **MONEY)
    annual_plan = models.DecimalField(_("annual planned investment (yuan)"), max_digits=18, decimal_places=2)
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_completion = models.DateField(_("planned completion"), null=True, blank=True)
    planned_production = models.DateField(_("planned production"), null=True, blank=True)
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    actual_completion = models.DateField(_("actual completion"), null=True, blank=True)
    actual_production = models.DateField(_("actual production"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-year", "area__path", "name"]
        verbose_name = _("key project")
        verbose_name_plural = _("key projects")
        constraints = [
            models.UniqueConstraint(fields=["year", "area", "name"], name="key_project_once_a_year_in_area")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"

    def get_absolute_url(self) -> str:
        return reverse("supervision:detail", args=[self.pk])

    @classmethod
    def subtree_q(cls, path: str) -> Q:
        return Q(area__path__startswith=path)


class Report(models.Model):
    """What a key project completed in a month (or in January and February together)."""

    key_project = models.ForeignKey(KeyProject, on_delete=models.CASCADE, related_name="reports")
    month = models.PositiveSmallIntegerField(_("month"))
    first_month = models.PositiveSmallIntegerField(_("first month covered"))
    completed = models.DecimalField(_("completed investment (yuan)"), max_digits=18, decimal_places=2)
    funds_in_place = models.DecimalField(_("funds in place (yuan)"), **MONEY)
    progress_note = models.TextField(_("progress"), blank=True)
    problems = models.TextField(_("problems"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["key_project", "month"]
        verbose_name = _("monthly report")
        verbose_name_plural = _("monthly reports")
        constraints = [models.UniqueConstraint(fields=["key_project", "month"], name="report_once_a_month")]

    def __str__(self) -> str:
        return f"{self.key_project} {self.key_project.year}-{self.month:02d}"

    @property
    def period(self) -> str:
        year = self.key_project.year
        if self.first_month != self.month:
            return f"{year}-{self.first_month:02d}..{year}-{self.month:02d}"
        return f"{year}-{self.month:02d}"


class ReportRevision(RevisionBase):
    """A change to a report of a locked month."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="revisions")

    class Meta(RevisionBase.Meta):
        verbose_name = _("report revision")
        verbose_name_plural = _("report revisions")

    def __str__(self) -> str:
        return f"{self.report} · {self.reason}"


class MonthLock(models.Model):
    """Reports of this month and earlier months of the year are closed for the area's subtree."""

    area = models.ForeignKey(
        "areas.Area", verbose_name=_("area"), on_delete=models.CASCADE, related_name="month_locks"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("locked by"), on_delete=models.PROTECT, related_name="+"
    )
    locked_at = models.DateTimeField(_("locked at"), auto_now_add=True)

    class Meta:
        ordering = ["-year", "-month"]
        verbose_name = _("month lock")
        verbose_name_plural = _("month locks")
        constraints = [models.UniqueConstraint(fields=["area", "year", "month"], name="month_lock_once")]

    def __str__(self) -> str:
        return f"{self.area} {self.year}-{self.month:02d}"

    @classmethod
    def subtree_q(cls, path: str) -> Q:
        return Q(area__path__startswith=path)


class StatusRule(models.Model):
    """The thresholds of the status, as rules in force from a date (versioned data, not constants)."""

    effective_from = models.DateField(_("in force from"), unique=True)
    yellow_at = models.DecimalField(
        _("yellow at a gap of (points)"), max_digits=6, decimal_places=2, help_text=_("e.g. -10")
    )
    red_below = models.DecimalField(
        _("red below a gap of (points)"), max_digits=6, decimal_places=2, help_text=_("e.g. -30")
    )
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        ordering = ["-effective_from"]
        verbose_name = _("status rule")
        verbose_name_plural = _("status rules")

    def __str__(self) -> str:
        return f"{self.effective_from}: {self.yellow_at} / {self.red_below}"


class MonthFigure(models.Model):
    """Derived: a key project's cumulative figures and status at the end of each month of its year."""

    key_project = models.ForeignKey(KeyProject, on_delete=models.CASCADE, related_name="figures")
    area = models.ForeignKey("areas.Area", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()
    new_start = models.BooleanField(default=False)
    started = models.BooleanField(default=False)
    annual_plan = models.DecimalField(max_digits=18, decimal_places=2)
    completed = models.DecimalField(max_digits=18, decimal_places=2)  # cumulative, January to this month
    funds_in_place = models.DecimalField(max_digits=18, decimal_places=2)  # cumulative
    reported = models.BooleanField(default=False)  # a report ends in this month
    gap_pp = models.DecimalField(max_digits=9, decimal_places=4, null=True)
    status = models.CharField(max_length=8, choices=Status.choices, blank=True)

    class Meta:
        ordering = ["key_project", "month"]
        constraints = [models.UniqueConstraint(fields=["key_project", "month"], name="month_figure_once")]
        indexes = [models.Index(fields=["year", "month", "area"], name="month_figure_period_area")]

    def __str__(self) -> str:
        return f"{self.key_project} {self.year}-{self.month:02d}"

    @property
    def status_color(self) -> str:
        return STATUS_COLOR.get(self.status, "secondary")

    @property
    def completion_rate(self):
        from .progress import rate

        return rate(self.completed, self.annual_plan)
