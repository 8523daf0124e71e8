"""The policy catalogue: policies, the items they are split into (the unit that is matched, applied for
and paid), their dated rule versions, the dated parameters rules share, the facts enterprises declare
that the registry does not hold, and the per-enterprise, per-year metrics bulk matching reads.

A policy hangs on the area it applies to and is seen from that area's whole subtree and from above
(an enterprise in a park sees the zone's policies). Rule versions are drafts until published; a
published version never changes (the services answer 409) and never overlaps another of its item.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from zoneos.areas.models import AreaBoundQuerySet
from zoneos.core.models import BilingualName

MONEY = {"max_digits": 18, "decimal_places": 2}
FIGURE = {"max_digits": 20, "decimal_places": 2, "null": True, "blank": True}


class Category(models.TextChoices):
    REDUCTION = "reduction", _("Reduction")
    AWARD = "award", _("Award or subsidy")
    ENTITLEMENT = "entitlement", _("Entitlement")
    QUALIFICATION = "qualification", _("Qualification")


CATEGORY_COLOR = {
    Category.REDUCTION: "info",
    Category.AWARD: "success",
    Category.ENTITLEMENT: "primary",
    Category.QUALIFICATION: "warning",
}


class Mode(models.TextChoices):
    AUTOMATIC = "automatic", _("No application (automatic)")
    QUICK = "quick", _("Quick application")
    APPLICATION = "application", _("Application and review")


class Policy(models.Model):
    title = models.CharField(_("title"), max_length=300)
    title_en = models.CharField(_("English title"), max_length=300, blank=True)
    issuer = models.CharField(_("issuer"), max_length=200, blank=True)
    document_no = models.CharField(_("document number"), max_length=100, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    effective_from = models.DateField(_("effective from"), null=True, blank=True)
    effective_to = models.DateField(_("effective to"), null=True, blank=True)
    area = models.ForeignKey(
        "areas.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="policies"
    )
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    summary = models.TextField(_("summary"), blank=True)
    source_url = models.URLField(_("source link"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    area_path = "area__path"
    objects = AreaBoundQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_on", "pk"]
        verbose_name = _("policy")
        verbose_name_plural = _("policies")
        indexes = [models.Index(fields=["area", "category"], name="policy_area_category")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("policies:catalogue") + f"?policy={self.pk}"

    @property
    def label(self) -> str:
        if (get_language() or "").startswith("en") and self.title_en:
            return self.title_en
        return self.title

    @property
    def category_color(self) -> str:
        return CATEGORY_COLOR.get(self.category, "secondary")


def attachment_path(instance, filename: str) -> str:
    return f"policies/{instance.policy_id}/{filename}"


class Attachment(models.Model):
    """A file of a policy (the document itself, a guide, a form), served through a scoped view."""

    policy = models.ForeignKey(
        Policy, verbose_name=_("policy"), on_delete=models.CASCADE, related_name="attachments"
    )
    name = models.CharField(_("name"), max_length=200)
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=300)
    size = models.PositiveBigIntegerField(_("size"), default=0, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now, editable=False)

    area_path = "policy__area__path"
    objects = AreaBoundQuerySet.as_manager()

    class Meta:
        ordering = ["policy", "pk"]
        verbose_name = _("policy attachment")
        verbose_name_plural = _("policy attachments")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        """The download, through the view that finds the policy in the caller's scope first."""
        return reverse("policies:attachment", args=[self.pk])


class PolicyItem(BilingualName, models.Model):
    """An item (惠企事项): what is matched, applied for and paid."""

    policy = models.ForeignKey(
        Policy, verbose_name=_("policy"), on_delete=models.CASCADE, related_name="items"
    )
    code = models.CharField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=300)
    name_en = models.CharField(_("English name"), max_length=300, blank=True)
    department = models.ForeignKey(
        "areas.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="policy_items",
    )
    mode = models.CharField(_("delivery mode"), max_length=16, choices=Mode.choices, default=Mode.APPLICATION)
    window_opens = models.DateField(_("application window opens"), null=True, blank=True)
    window_closes = models.DateField(_("application window closes"), null=True, blank=True)
    payment_days = models.PositiveSmallIntegerField(
        _("payment within (working days after approval)"), default=60
    )
    budget_per_year = models.DecimalField(_("budget per year (yuan)"), null=True, blank=True, **MONEY)
    materials = models.TextField(_("materials required"), blank=True)
    contact = models.CharField(_("contact"), max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    area_path = "policy__area__path"
    objects = AreaBoundQuerySet.as_manager()

    class Meta:
        ordering = ["policy", "code"]
        verbose_name = _("policy item")
        verbose_name_plural = _("policy items")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("policies:item", args=[self.pk])


class RuleStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class Rule(models.Model):
    """One version of an item's eligibility rule, in force from `effective_from` to `effective_to`
    (inclusive; open-ended when empty). `criteria` and `benefit` are the JSON trees of `criteria.py`."""

    item = models.ForeignKey(
        PolicyItem, verbose_name=_("item"), on_delete=models.CASCADE, related_name="rules"
    )
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective to"), null=True, blank=True)
    criteria = models.JSONField(_("criteria"), default=dict)
    benefit = models.JSONField(_("benefit"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=RuleStatus.choices, default=RuleStatus.DRAFT
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    area_path = "item__policy__area__path"
    objects = AreaBoundQuerySet.as_manager()

    class Meta:
        ordering = ["item", "-effective_from", "pk"]
        verbose_name = _("rule version")
        verbose_name_plural = _("rule versions")
        indexes = [models.Index(fields=["item", "status", "effective_from"], name="rule_item_in_force")]

    def __str__(self) -> str:
        return f"{self.item.code} {self.effective_from:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("policies:rule-editor", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.status == RuleStatus.PUBLISHED


class Parameter(models.Model):
    """A dated threshold several rules share (the 5 / 4 / 3 % R&D tiers), with its source clause.
    A rule's value `{"param": code}` reads the value in force on the date it is evaluated for."""

    code = models.CharField(_("code"), max_length=64)
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=6)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    source = models.CharField(_("source clause"), max_length=300, blank=True)
    last_verified = models.DateField(_("last verified"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["code", "-valid_from"]
        verbose_name = _("rule parameter")
        verbose_name_plural = _("rule parameters")
        constraints = [models.UniqueConstraint(fields=["code", "valid_from"], name="parameter_code_from")]

    def __str__(self) -> str:
        return f"{self.code} = {self.value} ({self.valid_from:%Y-%m-%d})"


def evidence_path(instance, filename: str) -> str:
    return f"policies/facts/{instance.enterprise_id}/{filename}"


class DeclaredFact(models.Model):
    """A fact the registry does not hold (debt ratio, class-I IP...), declared for a year by the
    enterprise or staff with its evidence, and verified by staff; usable as a rule variable."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.CASCADE,
        related_name="declared_facts",
    )
    variable = models.CharField(_("fact"), max_length=64)
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=6)
    evidence = models.FileField(_("evidence"), upload_to=evidence_path, max_length=300, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    area_path = "enterprise__area__path"
    objects = AreaBoundQuerySet.as_manager()

    class Meta:
        ordering = ["enterprise", "variable", "-year"]
        verbose_name = _("declared fact")
        verbose_name_plural = _("declared facts")
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "variable", "year"], name="declaredfact_key")
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.variable} {self.year}"

    @property
    def is_verified(self) -> bool:
        """Verified facts alone count in matching (`verified_at`, not `verified_by`: the verification
        stands if the verifier's account is ever removed)."""
        return self.verified_at is not None

    def get_evidence_url(self) -> str:
        """The evidence through the view that finds the fact in the caller's scope ("" without one),
        never a public media URL."""
        return reverse("policies:fact-evidence", args=[self.pk]) if self.evidence else ""


class Metrics(models.Model):
    """What bulk matching reads of an enterprise's year: that year's figures, the sums over the last
    three years it has to have and over the last two (NULL when one of them is missing), the previous
    two years' revenue and the previous year's R&D expense, so that a ratio or a growth is compared by
    multiplication, never by dividing in SQL. Kept exact by `metrics.refresh`, which follows every
    writer of figures; one row per enterprise and year with figures."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.CASCADE, related_name="policy_metrics"
    )
    year = models.PositiveSmallIntegerField()
    revenue = models.DecimalField(**FIGURE)
    main_business_revenue = models.DecimalField(**FIGURE)
    output_value = models.DecimalField(**FIGURE)
    tax_paid = models.DecimalField(**FIGURE)
    rd_expense = models.DecimalField(**FIGURE)
    exports = models.DecimalField(**FIGURE)
    employees = models.PositiveIntegerField(null=True, blank=True)
    rd_staff = models.PositiveIntegerField(null=True, blank=True)
    invention_patents = models.PositiveIntegerField(null=True, blank=True)
    revenue_prev = models.DecimalField(**FIGURE)
    revenue_prev2 = models.DecimalField(**FIGURE)
    revenue_3y = models.DecimalField(**FIGURE)
    rd_expense_3y = models.DecimalField(**FIGURE)
    rd_expense_prev = models.DecimalField(**FIGURE)
    rd_expense_2y = models.DecimalField(**FIGURE)
    above_designated_size = models.BooleanField(default=False)
    size_class = models.CharField(max_length=8, blank=True)

    area_path = "enterprise__area__path"
    objects = AreaBoundQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["enterprise", "year"], name="policymetrics_key")]
        indexes = [models.Index(fields=["year", "enterprise"], name="policymetrics_year")]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.year}"
