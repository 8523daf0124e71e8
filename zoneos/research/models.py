"""Research projects (科研项目) of a zone's programmes: the programme with its budget rules as data, the
project with its undertaking unit, partners, PI, period and budget by category, budget adjustments
checked against the rules, the experts' evaluation, and the expenditures against the categories.

A programme hangs on a zone (or a park); a project on the area it is run in (a park, or a zone without
parks), and everything of a project reaches that area through it, so one scoping policy per model
reads them all from the area tree. Amounts are yuan (Decimal); shares are fractions (0.1000 = 10 %).
A project's status moves only by the steps of `workflow.PROJECT_WORKFLOW`.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zoneos.areas.models import AreaBoundQuerySet
from zoneos.core.models import FractionField

MONEY = {"max_digits": 18, "decimal_places": 2}


class Category(models.TextChoices):
    """The budget categories of a research project (the national S&T programmes' headings)."""

    EQUIPMENT = "equipment", _("Equipment")
    MATERIALS = "materials", _("Materials")
    TESTING = "testing", _("Testing and processing")
    FUEL_POWER = "fuel_power", _("Fuel and power")
    TRAVEL = "travel", _("Travel, conferences and international cooperation")
    PUBLICATION = "publication", _("Publication and intellectual property")
    LABOUR = "labour", _("Labour")
    EXPERTS = "experts", _("Expert consultation")
    INDIRECT = "indirect", _("Indirect costs")


class Status(models.TextChoices):
    APPLICATION = "application", _("Application")
    FORMAL_CHECK = "formal_check", _("Formal check")
    EVALUATION = "evaluation", _("Expert evaluation")
    APPROVED = "approved", _("Approved")
    CONTRACTED = "contracted", _("In progress (contract signed)")
    MIDTERM = "midterm", _("Mid-term check passed")
    ACCEPTED = "accepted", _("Accepted (验收)")
    CLOSED = "closed", _("Closed")
    REJECTED = "rejected", _("Rejected")


STATUS_COLOR = {
    Status.APPLICATION: "secondary",
    Status.FORMAL_CHECK: "info",
    Status.EVALUATION: "info",
    Status.APPROVED: "primary",
    Status.CONTRACTED: "primary",
    Status.MIDTERM: "primary",
    Status.ACCEPTED: "success",
    Status.CLOSED: "dark",
    Status.REJECTED: "danger",
}
# Money is spent, and adjusted, while the contract runs.
RUNNING = frozenset({Status.CONTRACTED, Status.MIDTERM})
# The budget is the applicant's until it is approved; after that it moves only by adjustments.
BUDGET_OPEN = frozenset({Status.APPLICATION, Status.FORMAL_CHECK})


def default_criteria() -> list:
    return [
        {"code": "innovation", "name": "创新性 Innovation", "max": 30},
        {"code": "feasibility", "name": "可行性 Feasibility", "max": 25},
        {"code": "team", "name": "团队基础 Team", "max": 20},
        {"code": "budget", "name": "预算合理性 Budget", "max": 15},
        {"code": "impact", "name": "预期效益 Expected impact", "max": 10},
    ]


class Programme(models.Model):
    """A zone's research programme (a call for projects), with its rules as data: the categories a
    project's budget may not move money into (`frozen`), the share of a project's total a PI may move
    between categories without approval (`pi_share`), the cap on indirect costs as a share of the
    total (`indirect_cap`), and the criteria experts score (`criteria`: code, name, maximum points)."""

    area = models.ForeignKey(
        "areas.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="research_programmes"
    )
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"))
    frozen = models.JSONField(
        _("categories that may not rise"),
        default=list,
        blank=True,
        help_text=_("Budget categories no adjustment may move money into."),
    )
    # Shares (`FractionField`): stored and sent through the API as fractions, typed and shown in per cent.
    pi_share = FractionField(
        _("share a PI may move alone"),
        default=Decimal("0.1000"),
        help_text=_("Of the project's total budget, over all its adjustments; beyond it an admin approves."),
    )
    indirect_cap = FractionField(
        _("indirect cost cap"), default=Decimal("0.2000"), help_text=_("Of the total budget.")
    )
    criteria = models.JSONField(_("evaluation criteria"), default=default_criteria)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    area_path = "area__path"
    objects = AreaBoundQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "code"]
        verbose_name = _("research programme")
        verbose_name_plural = _("research programmes")
        constraints = [
            models.UniqueConstraint(fields=["area", "code"], name="research_programme_code_once_per_area"),
            models.CheckConstraint(
                condition=Q(pi_share__gte=0, pi_share__lte=1, indirect_cap__gte=0, indirect_cap__lte=1),
                name="research_programme_shares_are_fractions",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("research:programme", args=[self.pk])

    @property
    def frozen_labels(self) -> list[str]:
        return [str(Category(c).label) for c in self.frozen if c in Category.values]

    @property
    def criteria_total(self) -> int:
        return sum(int(c.get("max", 0)) for c in self.criteria)


class ResearchProject(models.Model):
    """A research project run in an area, undertaken by an enterprise of the registry or by an
    institution named in text, with its partners (Hong Kong and Macao institutions among them), PI and
    period; its status moves by the workflow's steps."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="projects"
    )
    area = models.ForeignKey(
        "areas.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="research_projects"
    )
    code = models.CharField(_("project number"), max_length=40)
    title = models.CharField(_("title"), max_length=300)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("undertaking enterprise"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="research_projects",
    )
    institution = models.CharField(
        _("undertaking institution"),
        max_length=200,
        blank=True,
        help_text=_("A university or institute not in the registry (instead of an enterprise)."),
    )
    partners = models.JSONField(
        _("partners"),
        default=list,
        blank=True,
        help_text=_("Each partner's name and region (mainland, hk, mo, tw or abroad)."),
    )
    pi_name = models.CharField(_("principal investigator"), max_length=100)
    pi_contact = models.CharField(_("PI's contact"), max_length=100, blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    status = models.CharField(
        _("status"), max_length=14, choices=Status.choices, default=Status.APPLICATION, editable=False
    )
    contract_no = models.CharField(_("contract number"), max_length=60, blank=True, editable=False)
    summary = models.TextField(_("summary"), blank=True)
    # The warnings last told to the area's staff (the nightly sweep), so each is told once.
    warned = models.CharField(max_length=200, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    area_path = "area__path"
    objects = AreaBoundQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "code"]
        verbose_name = _("research project")
        verbose_name_plural = _("research projects")
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="research_project_code_once"),
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")), name="research_project_ends_after"
            ),
        ]
        indexes = [models.Index(fields=["status", "ends_on"], name="research_project_status_end")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("research:project", args=[self.pk])

    @property
    def undertaker(self) -> str:
        return self.enterprise.name if self.enterprise_id else self.institution

    @property
    def status_color(self) -> str:
        return STATUS_COLOR.get(self.status, "secondary")

    @property
    def cross_border_partners(self) -> list[dict]:
        return [p for p in self.partners if isinstance(p, dict) and p.get("region") in ("hk", "mo")]


class ProjectStep(models.Model):
    """The event row of one workflow step taken on a project: who, when, from and to, with the opinion."""

    project = models.ForeignKey(
        ResearchProject, verbose_name=_("project"), on_delete=models.CASCADE, related_name="steps"
    )
    kind = models.CharField(_("step"), max_length=20)
    from_status = models.CharField(_("from"), max_length=14, choices=Status.choices)
    to_status = models.CharField(_("to"), max_length=14, choices=Status.choices)
    opinion = models.TextField(_("opinion"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)

    area_path = "project__area__path"
    objects = AreaBoundQuerySet.as_manager()

    class Meta:
        ordering = ["project", "at", "pk"]
        verbose_name = _("project step")
        verbose_name_plural = _("project steps")

    def __str__(self) -> str:
        return f"{self.project.code} · {self.kind}"


class BudgetLine(models.Model):
    """The approved amount of one category of a project's budget (yuan)."""

    project = models.ForeignKey(
        ResearchProject, verbose_name=_("project"), on_delete=models.CASCADE, related_name="budget_lines"
    )
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)

    area_path = "project__area__path"
    objects = AreaBoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = [
            models.UniqueConstraint(fields=["project", "category"], name="research_budget_line_once"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="research_budget_line_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.project.code} · {self.get_category_display()}"

    def get_absolute_url(self) -> str:
        return self.project.get_absolute_url()


class AdjustmentStatus(models.TextChoices):
    EFFECTIVE = "effective", _("In effect")
    PENDING = "pending", _("Awaiting approval")
    REFUSED = "refused", _("Refused")


class BudgetAdjustment(models.Model):
    """A move of money from one category of a project's budget to another. Within the PI's share it is
    in effect at once; beyond it, it waits for an admin's approval (`needs_approval`)."""

    project = models.ForeignKey(
        ResearchProject, verbose_name=_("project"), on_delete=models.CASCADE, related_name="adjustments"
    )
    from_category = models.CharField(_("from category"), max_length=12, choices=Category.choices)
    to_category = models.CharField(_("to category"), max_length=12, choices=Category.choices)
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)
    reason = models.TextField(_("reason"))
    status = models.CharField(_("status"), max_length=10, choices=AdjustmentStatus.choices)
    needs_approval = models.BooleanField(_("needs approval"), default=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    requested_on = models.DateField(_("requested on"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    opinion = models.TextField(_("opinion"), blank=True)

    area_path = "project__area__path"
    objects = AreaBoundQuerySet.as_manager()

    class Meta:
        ordering = ["project", "-requested_on", "-pk"]
        verbose_name = _("budget adjustment")
        verbose_name_plural = _("budget adjustments")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="research_adjustment_positive"),
            models.CheckConstraint(
                condition=~Q(from_category=models.F("to_category")), name="research_adjustment_two_categories"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project.code} · {self.get_from_category_display()} → {self.get_to_category_display()}"

    def get_absolute_url(self) -> str:
        return self.project.get_absolute_url() + "#adjustments"


class Reviewer(models.Model):
    """An expert assigned to evaluate a project, with their conflict-of-interest declaration. An expert
    who declares a conflict cannot score, and a conflicted expert's scores never count."""

    project = models.ForeignKey(
        ResearchProject, verbose_name=_("project"), on_delete=models.CASCADE, related_name="reviewers"
    )
    name = models.CharField(_("expert"), max_length=100)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    conflict = models.BooleanField(_("conflict of interest declared"), default=False)
    conflict_note = models.TextField(_("conflict of interest"), blank=True)
    declared_on = models.DateField(_("declared on"), null=True, blank=True)
    scored_on = models.DateField(_("scored on"), null=True, blank=True)

    area_path = "project__area__path"
    objects = AreaBoundQuerySet.as_manager()

    class Meta:
        ordering = ["project", "pk"]
        verbose_name = _("reviewer")
        verbose_name_plural = _("reviewers")
        constraints = [models.UniqueConstraint(fields=["project", "name"], name="research_reviewer_once")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return self.project.get_absolute_url() + "#evaluation"


class Score(models.Model):
    """One reviewer's points on one criterion of the programme."""

    reviewer = models.ForeignKey(
        Reviewer, verbose_name=_("reviewer"), on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.CharField(_("criterion"), max_length=40)
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=2)

    area_path = "reviewer__project__area__path"
    objects = AreaBoundQuerySet.as_manager()

    class Meta:
        ordering = ["reviewer", "pk"]
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["reviewer", "criterion"], name="research_score_once"),
            models.CheckConstraint(condition=Q(points__gte=0), name="research_score_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} · {self.criterion}: {self.points}"


def voucher_path(instance, filename: str) -> str:
    return f"research/vouchers/{instance.project_id}/{filename}"


class Expenditure(models.Model):
    """Money spent on a project, against one category of its budget, with its accounting voucher (the
    voucher's number, and its scan through the upload check)."""

    project = models.ForeignKey(
        ResearchProject, verbose_name=_("project"), on_delete=models.PROTECT, related_name="expenditures"
    )
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)
    spent_on = models.DateField(_("spent on"))
    description = models.CharField(_("description"), max_length=300)
    voucher_no = models.CharField(_("voucher number"), max_length=60)
    voucher = models.FileField(_("voucher file"), upload_to=voucher_path, max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    area_path = "project__area__path"
    objects = AreaBoundQuerySet.as_manager()

    class Meta:
        ordering = ["project", "-spent_on", "-pk"]
        verbose_name = _("expenditure")
        verbose_name_plural = _("expenditures")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="research_expenditure_positive")
        ]
        indexes = [models.Index(fields=["project", "category"], name="research_expenditure_category")]

    def __str__(self) -> str:
        return f"{self.project.code} · {self.voucher_no}"

    def get_absolute_url(self) -> str:
        return self.project.get_absolute_url() + "#expenditures"

    def get_voucher_url(self) -> str:
        return reverse("research:voucher", args=[self.pk])
