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
from django.utils.translation import pgettext_lazy

from zoneos.areas.models import AreaBoundQuerySet
from zoneos.audit.models import RevisionBase
from zoneos.enterprises.models import MONEY

from .progress import STATUS_COLOR, Status, rate


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

    area_path = "area__path"
    objects = AreaBoundQuerySet.as_manager()

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

    @staticmethod
    def latest_lock_month():
        """An expression for `services.locked_through` over many projects at once: the last month of
        the project's year closed by a lock on its area or above (None: none)."""
        from django.db.models.lookups import StartsWith

        project_path = models.ExpressionWrapper(
            models.OuterRef("area__path"), output_field=models.CharField()
        )
        locks = (
            MonthLock.objects.filter(
                StartsWith(project_path, models.F("area__path")), year=models.OuterRef("year")
            )
            .order_by("-month")
            .values("month")[:1]
        )
        return models.Subquery(locks)


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

    area_path = "key_project__area__path"
    objects = AreaBoundQuerySet.as_manager()

    class Meta:
        ordering = ["key_project", "month"]
        verbose_name = _("monthly report")
        verbose_name_plural = _("monthly reports")
        constraints = [models.UniqueConstraint(fields=["key_project", "month"], name="report_once_a_month")]

    def __str__(self) -> str:
        return f"{self.key_project} {self.key_project.year}-{self.month:02d}"

    @property
    def period(self) -> str:
        """The months the report covers as people write them: 2026年1–2月 / Jan–Feb 2026, 2026年3月."""
        import calendar

        from zoneos.core.money import english

        year, first, last = self.key_project.year, self.first_month, self.month
        if english():
            months = (
                calendar.month_abbr[last]
                if first == last
                else f"{calendar.month_abbr[first]}–{calendar.month_abbr[last]}"
            )
            return f"{months} {year}"
        return f"{year}年{last}月" if first == last else f"{year}年{first}–{last}月"


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

    area_path = "area__path"
    objects = AreaBoundQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-month"]
        verbose_name = _("month lock")
        verbose_name_plural = _("month locks")
        constraints = [models.UniqueConstraint(fields=["area", "year", "month"], name="month_lock_once")]

    def __str__(self) -> str:
        return f"{self.area} {self.year}-{self.month:02d}"


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
        indexes = [
            models.Index(fields=["year", "month", "area"], name="month_figure_period_area"),
            # The red and yellow lists of a month, most behind first.
            models.Index(
                fields=["year", "month", "status", "gap_pp", "key_project"],
                name="month_figure_warned",
                condition=Q(status__in=["red", "yellow"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key_project} {self.year}-{self.month:02d}"

    @property
    def status_color(self) -> str:
        return STATUS_COLOR.get(self.status, "secondary")

    @property
    def completion_rate(self):
        return rate(self.completed, self.annual_plan)


class AreaMonth(models.Model):
    """Derived: the month rows of an area's own key projects summed, for each month of a year. Kept by
    `services.refresh_figures` in the transaction that rewrites the month rows (a delta of the projects
    it rewrites), so that a province's summary sums a few hundred rows instead of 100,000."""

    area = models.ForeignKey("areas.Area", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()
    projects = models.PositiveIntegerField(default=0)
    annual_plan = models.DecimalField(max_digits=22, decimal_places=2, default=0)
    completed = models.DecimalField(max_digits=22, decimal_places=2, default=0)
    funds_in_place = models.DecimalField(max_digits=22, decimal_places=2, default=0)
    new_starts = models.PositiveIntegerField(default=0)
    started = models.PositiveIntegerField(default=0)
    red = models.PositiveIntegerField(default=0)
    yellow = models.PositiveIntegerField(default=0)
    reported = models.PositiveIntegerField(default=0)  # projects with a report ending in this month

    area_path = "area__path"
    objects = AreaBoundQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["area", "year", "month"], name="area_month_once")]
        indexes = [models.Index(fields=["year", "month", "area"], name="area_month_period")]

    def __str__(self) -> str:
        return f"{self.area_id} {self.year}-{self.month:02d}"


# Evaluation ----------------------------------------------------------------------------------------
class EvaluationScheme(models.Model):
    """How an area's children are scored against each other for a year: the weight of each measure
    and how many key projects an area needs before its score is comparable. An area without its own
    scheme uses the nearest one above it, then the defaults."""

    area = models.ForeignKey(
        "areas.Area", verbose_name=_("area"), on_delete=models.CASCADE, related_name="evaluation_schemes"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    weight_completion = models.DecimalField(
        _("weight of the completion rate"), max_digits=5, decimal_places=2
    )
    weight_start = models.DecimalField(_("weight of the start rate"), max_digits=5, decimal_places=2)
    weight_funds = models.DecimalField(_("weight of funds in place"), max_digits=5, decimal_places=2)
    weight_signing = models.DecimalField(
        _("weight of signed projects against target"), max_digits=5, decimal_places=2
    )
    min_projects = models.PositiveSmallIntegerField(_("projects needed to be comparable"), default=3)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    area_path = "area__path"
    objects = AreaBoundQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "area__path"]
        verbose_name = _("evaluation scheme")
        verbose_name_plural = _("evaluation schemes")
        constraints = [models.UniqueConstraint(fields=["area", "year"], name="evaluation_scheme_once")]

    def __str__(self) -> str:
        return f"{self.area} {self.year}"


class SigningTarget(models.Model):
    """How many investment projects an area is to sign in a year (one of the evaluated measures)."""

    area = models.ForeignKey(
        "areas.Area", verbose_name=_("area"), on_delete=models.CASCADE, related_name="signing_targets"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    projects = models.PositiveIntegerField(_("projects to sign"))

    area_path = "area__path"
    objects = AreaBoundQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "area__path"]
        verbose_name = _("signing target")
        verbose_name_plural = _("signing targets")
        constraints = [models.UniqueConstraint(fields=["area", "year"], name="signing_target_once")]

    def __str__(self) -> str:
        return f"{self.area} {self.year}: {self.projects}"


# Supervision orders --------------------------------------------------------------------------------
class OrderStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", pgettext_lazy("supervision order", "Closed")


class SupervisionOrder(models.Model):
    """督办单: an order about a key project to an area or a department, due in working days."""

    key_project = models.ForeignKey(
        KeyProject, verbose_name=_("key project"), on_delete=models.PROTECT, related_name="orders"
    )
    to_area = models.ForeignKey(
        "areas.Area",
        verbose_name=_("to area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supervision_orders",
    )
    to_department = models.ForeignKey(
        "areas.Department",
        verbose_name=_("to department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supervision_orders",
    )
    subject = models.CharField(_("subject"), max_length=200)
    instructions = models.TextField(_("instructions"), blank=True)
    issued_on = models.DateField(_("issued on"))
    deadline_days = models.PositiveSmallIntegerField(_("deadline (working days)"))
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"), max_length=10, choices=OrderStatus.choices, default=OrderStatus.OPEN
    )
    answer = models.TextField(_("answer"), blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    area_path = "key_project__area__path"
    objects = AreaBoundQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = _("supervision order")
        verbose_name_plural = _("supervision orders")
        constraints = [
            models.CheckConstraint(
                condition=Q(to_area__isnull=False, to_department__isnull=True)
                | Q(to_area__isnull=True, to_department__isnull=False),
                name="order_to_one_addressee",
            )
        ]
        indexes = [models.Index(fields=["status", "due_on"], name="order_status_due")]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("supervision:order", args=[self.pk])

    @property
    def addressee(self):
        return self.to_area or self.to_department

    def overdue_on(self, today) -> bool:
        """Still open after its due date, or answered after it."""
        if self.status == OrderStatus.OPEN:
            return today > self.due_on
        return bool(self.answered_on and self.answered_on > self.due_on)


class OrderEvent(models.Model):
    """One step of an order: issued, answered, sent back, closed."""

    order = models.ForeignKey(SupervisionOrder, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(_("from"), max_length=10, choices=OrderStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=10, choices=OrderStatus.choices)
    note = models.TextField(_("note"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("order step")
        verbose_name_plural = _("order steps")

    def __str__(self) -> str:
        return f"{self.order}: {self.get_to_status_display()}"
