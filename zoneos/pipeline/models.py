"""The investment pipeline: projects from lead to production, their stage history and follow-ups,
signing batches, conflicts between parks over one investor, and the zone's industrial plan.

A project's stage moves only through `services.transition`, which checks the move against the table
of moves (`moves.PROJECT_MOVES`) and writes a `StageEvent` in the same transaction. The derived columns (the
investor key used to find conflicts, the categories a project has entered, the plan group it conforms
to) are written by the services whenever their inputs change.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models, router, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from zoneos.areas.models import AreaBoundQuerySet
from zoneos.core.models import BilingualName
from zoneos.enterprises.models import MONEY, CapitalOrigin
from zoneos.tabular.cells import Precision, SheetDate

from . import funnel_cells
from .stages import COLOR, StageCategory


class Stage(BilingualName, models.Model):
    """A zone's name for a stage category. Rows without a zone are the defaults every zone starts
    with; a zone that names a category its own way has its own row for it."""

    zone = models.ForeignKey(
        "areas.Area",
        verbose_name=_("zone"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="pipeline_stages",
    )
    category = models.CharField(_("category"), max_length=24, choices=StageCategory.choices)
    name = models.CharField(_("name"), max_length=50)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)

    class Meta:
        ordering = ["zone_id", "category"]
        verbose_name = _("pipeline stage")
        verbose_name_plural = _("pipeline stages")
        constraints = [
            models.UniqueConstraint(fields=["zone", "category"], name="stage_category_once_per_zone"),
            models.UniqueConstraint(
                fields=["category"], condition=Q(zone__isnull=True), name="stage_default_once"
            ),
        ]

    def __str__(self) -> str:
        return self.label


class DatePrecision(models.TextChoices):
    """How much of a date is known: a ledger that says "2025年3月" gave a month (stored as its first
    day), and pages show "2025-03", not the first of March."""

    DAY = Precision.DAY, _("Day")
    MONTH = Precision.MONTH, _("Month")
    YEAR = Precision.YEAR, _("Year")


def precision_field(verbose_name):
    return models.CharField(
        verbose_name, max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY, editable=False
    )


def date_text(on, precision: str) -> str:
    """ "2025-03-14", "2025-03" or "2025", as much of the date as is known."""
    return str(SheetDate(on, precision or Precision.DAY)) if on else ""


class ProjectSource(models.TextChoices):
    OWN_LEAD = "own_lead", _("Own lead")
    REFERRAL = "referral", _("Referral")
    EXHIBITION = "exhibition", _("Exhibition or fair")
    AGENCY = "agency", _("Agency")


class PlanCategory(models.TextChoices):
    PILLAR = "pillar", _("Pillar industry")
    EMERGING = "emerging", _("Emerging industry")
    FUTURE = "future", _("Future industry")


class IndustryGroup(BilingualName, models.Model):
    """One industry of a zone's declared plan ("3+3+X"): a name, a category and the GB/T 4754 codes
    (divisions, groups or classes) it covers."""

    zone = models.ForeignKey(
        "areas.Area", verbose_name=_("zone"), on_delete=models.CASCADE, related_name="industry_groups"
    )
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    category = models.CharField(_("category"), max_length=16, choices=PlanCategory.choices)
    codes = models.JSONField(_("industry codes"), default=list)

    area_path = "zone__path"
    objects = AreaBoundQuerySet.as_manager()

    class Meta:
        ordering = ["zone_id", "category", "name"]
        verbose_name = _("planned industry")
        verbose_name_plural = _("planned industries")
        constraints = [models.UniqueConstraint(fields=["zone", "name"], name="industry_group_name_in_zone")]

    def __str__(self) -> str:
        return self.label

    def covers(self, industry_code: str) -> bool:
        return bool(industry_code) and any(industry_code.startswith(code) for code in self.codes)


class SigningMode(models.TextChoices):
    ONSITE = "onsite", _("On site")
    CLOUD = "cloud", _("Cloud signing")


class SigningBatch(models.Model):
    """A signing event (集中签约): the projects signed there and their totals."""

    area = models.ForeignKey(
        "areas.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="signing_batches"
    )
    name = models.CharField(_("name"), max_length=200)
    held_on = models.DateField(_("date"))
    mode = models.CharField(_("mode"), max_length=8, choices=SigningMode.choices, default=SigningMode.ONSITE)
    note = models.TextField(_("note"), blank=True)

    area_path = "area__path"
    objects = AreaBoundQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "name"]
        verbose_name = _("signing batch")
        verbose_name_plural = _("signing batches")

    def __str__(self) -> str:
        return f"{self.name} ({self.held_on:%Y-%m-%d})"

    def get_absolute_url(self) -> str:
        return reverse("pipeline:batch", args=[self.pk])


class Project(models.Model):
    name = models.CharField(_("name"), max_length=200)
    code = models.CharField(
        _("project code"),
        max_length=24,
        blank=True,
        help_text=_("The code of the national investment project approval platform, when it has one."),
    )
    area = models.ForeignKey(
        "areas.Area", verbose_name=_("target area"), on_delete=models.PROTECT, related_name="projects"
    )
    investor_name = models.CharField(_("investor"), max_length=200)
    investor_uscc = models.CharField(_("investor's credit code"), max_length=18, blank=True)
    investor_group = models.CharField(_("investor's parent group"), max_length=200, blank=True)
    capital_origin = models.CharField(
        _("capital origin"), max_length=16, choices=CapitalOrigin.choices, default=CapitalOrigin.DOMESTIC
    )
    capital_country = CountryField(_("country of the capital"), blank=True)
    industry_code = models.CharField(_("industry code"), max_length=4, blank=True)
    industry_section = models.CharField(_("industry section"), max_length=1, blank=True, editable=False)
    total_investment = models.DecimalField(_("total investment (yuan)"), **MONEY)
    fixed_asset_investment = models.DecimalField(_("fixed-asset investment (yuan)"), **MONEY)
    expected_output = models.DecimalField(_("expected annual output value (yuan)"), **MONEY)
    expected_tax = models.DecimalField(_("expected annual tax (yuan)"), **MONEY)
    land_mu = models.DecimalField(
        _("land needed (mu)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    # What the project needs of a park's space beside land (matched by zoneos.space): floor space to
    # lease or buy, the floor load it carries and the clear height under the beams.
    floor_space_m2 = models.DecimalField(
        _("floor space needed (m²)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    floor_load = models.DecimalField(
        _("floor load needed (kN/m²)"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    clear_height = models.DecimalField(
        _("clear height needed (m)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    jobs = models.PositiveIntegerField(_("jobs"), null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("investment officer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="projects",
    )
    source = models.CharField(
        _("project source"), max_length=16, choices=ProjectSource.choices, default=ProjectSource.OWN_LEAD
    )
    description = models.TextField(_("description"), blank=True)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise in the registry"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="projects",
    )
    signing_batch = models.ForeignKey(
        SigningBatch,
        verbose_name=_("signing batch"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="projects",
    )

    # Kept by services.transition only.
    stage = models.CharField(
        _("stage"), max_length=24, choices=StageCategory.choices, default=StageCategory.LEAD, editable=False
    )
    stage_on = models.DateField(_("in this stage since"), editable=False)
    stage_on_precision = precision_field(_("precision of the stage date"))
    paused_from = models.CharField(max_length=24, blank=True, editable=False)
    lead_on = models.DateField(_("lead since"), editable=False)
    lead_on_precision = precision_field(_("precision of the lead date"))
    entered_mask = models.PositiveIntegerField(default=0, editable=False)
    # Derived: the normalised investor (for conflicts) and the plan industry the project fits.
    investor_key = models.CharField(max_length=200, blank=True, editable=False, db_index=True)
    plan_group = models.ForeignKey(
        IndustryGroup,
        verbose_name=_("planned industry"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        editable=False,
        related_name="projects",
    )
    flagged = models.BooleanField(_("open conflict"), default=False, editable=False)
    # Days spent in each category the project has left (summed over its spells there), kept by
    # services.transition, so that the funnel's median days is one pass over the projects.
    days_lead = models.PositiveIntegerField(null=True, editable=False)
    days_negotiating = models.PositiveIntegerField(null=True, editable=False)
    days_signed = models.PositiveIntegerField(null=True, editable=False)
    days_registered = models.PositiveIntegerField(null=True, editable=False)
    days_land_secured = models.PositiveIntegerField(null=True, editable=False)
    days_under_construction = models.PositiveIntegerField(null=True, editable=False)
    days_completed = models.PositiveIntegerField(null=True, editable=False)
    days_in_production = models.PositiveIntegerField(null=True, editable=False)
    days_on_hold = models.PositiveIntegerField(null=True, editable=False)

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    area_path = "area__path"
    objects = AreaBoundQuerySet.as_manager()

    class Meta:
        ordering = ["-lead_on", "-id"]
        verbose_name = _("investment project")
        verbose_name_plural = _("investment projects")
        indexes = [
            # A park's board column: its newest projects of one stage, read straight off the index.
            models.Index(fields=["area", "stage", "lead_on", "id"], name="project_board"),
            models.Index(fields=["lead_on"], name="project_lead_on"),
            models.Index(fields=["investor_uscc"], name="project_investor_uscc"),
        ]

    def __str__(self) -> str:
        return self.name

    # Every write of a project keeps its area's funnel cells (zoneos.pipeline.funnel_cells).
    def save(self, *args, **kwargs):
        with transaction.atomic(using=kwargs.get("using") or router.db_for_write(type(self))):
            before = self._stored()
            super().save(*args, **kwargs)
            after = [funnel_cells.values(self)]
            if before != after:
                funnel_cells.account(before, after, using=self._state.db)

    def get_absolute_url(self) -> str:
        return reverse("pipeline:detail", args=[self.pk])

    def delete(self, *args, **kwargs):
        with transaction.atomic(using=kwargs.get("using") or router.db_for_write(type(self))):
            before = self._stored()
            deleted = super().delete(*args, **kwargs)
            funnel_cells.account(before, [], using=self._state.db)
        return deleted

    def _stored(self) -> list[dict]:
        """The project's funnel values as stored, its row locked until the transaction ends."""
        if self.pk is None:
            return []
        rows = type(self)._default_manager.select_for_update().filter(pk=self.pk)
        return list(rows.values(*funnel_cells.SOURCE_FIELDS))

    @property
    def stage_color(self) -> str:
        return COLOR[self.stage]

    @property
    def stage_on_text(self) -> str:
        return date_text(self.stage_on, self.stage_on_precision)

    @property
    def lead_on_text(self) -> str:
        return date_text(self.lead_on, self.lead_on_precision)


class StageEvent(models.Model):
    """One move of a project: from which category to which, on which day, by whom, with what note
    and evidence. `days` is filled when the project leaves the category this move entered."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="events")
    from_category = models.CharField(_("from"), max_length=24, choices=StageCategory.choices, blank=True)
    to_category = models.CharField(_("to"), max_length=24, choices=StageCategory.choices)
    on = models.DateField(_("date"))
    on_precision = precision_field(_("precision of the date"))
    note = models.TextField(_("note"), blank=True)
    evidence = models.FileField(_("evidence"), upload_to="pipeline/evidence/%Y/%m/", blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("recorded"), auto_now_add=True)
    left_on = models.DateField(_("left on"), null=True, blank=True)
    days = models.PositiveIntegerField(_("days in the stage"), null=True, blank=True)

    class Meta:
        ordering = ["on", "id"]
        verbose_name = _("stage move")
        verbose_name_plural = _("stage moves")
        indexes = [models.Index(fields=["to_category", "project"], name="stage_event_category")]

    def __str__(self) -> str:
        return f"{self.project}: {self.get_to_category_display()} ({self.on_text})"

    @property
    def on_text(self) -> str:
        return date_text(self.on, self.on_precision)

    @property
    def evidence_url(self) -> str:
        """The evidence through the view that checks the project's scope (never a public media URL)."""
        if not self.evidence:
            return ""
        from django.urls import reverse

        return reverse("pipeline:evidence", args=[self.project_id, self.pk])


class FollowUpKind(models.TextChoices):
    VISIT = "visit", _("Visit")
    CALL = "call", _("Call")
    MEETING = "meeting", _("Meeting")
    CEREMONY = "ceremony", _("Ceremony")


class FollowUp(models.Model):
    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="follow_ups"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=FollowUpKind.choices)
    on = models.DateField(_("date"))
    summary = models.TextField(_("summary"))
    next_action = models.CharField(_("next action"), max_length=300, blank=True)
    next_action_on = models.DateField(_("next action due"), null=True, blank=True)
    next_action_done = models.BooleanField(_("next action done"), default=False)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    area_path = "project__area__path"
    objects = AreaBoundQuerySet.as_manager()

    class Meta:
        ordering = ["-on", "-id"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        indexes = [models.Index(fields=["next_action_on"], name="follow_up_next_action")]

    def __str__(self) -> str:
        return f"{self.project}: {self.get_kind_display()} {self.on}"


class ConflictStatus(models.TextChoices):
    OPEN = "open", _("Open")
    RESOLVED = "resolved", _("Resolved")


class InvestorConflict(models.Model):
    """Two or more parks of one zone courting the same investor; the zone decides which park goes on."""

    zone = models.ForeignKey(
        "areas.Area", verbose_name=_("zone"), on_delete=models.CASCADE, related_name="investor_conflicts"
    )
    investor_key = models.CharField(_("investor"), max_length=200)
    projects = models.ManyToManyField(Project, verbose_name=_("projects"), related_name="conflicts")
    status = models.CharField(
        _("status"), max_length=10, choices=ConflictStatus.choices, default=ConflictStatus.OPEN
    )
    chosen_area = models.ForeignKey(
        "areas.Area",
        verbose_name=_("chosen park"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    opened_at = models.DateTimeField(_("opened"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resolved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)

    area_path = "zone__path"
    objects = AreaBoundQuerySet.as_manager()

    class Meta:
        ordering = ["status", "-opened_at"]
        verbose_name = _("investor conflict")
        verbose_name_plural = _("investor conflicts")

    def __str__(self) -> str:
        return f"{self.zone}: {self.investor_key}"
