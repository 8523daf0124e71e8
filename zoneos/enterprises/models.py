"""The enterprise registry: who the zone's enterprises are, what they are recognised as, and their
yearly figures.

Derived columns (the industry section, pinyin of the name and of the business scope, the
above-designated-size flag and the size class of a year) are written by `services.py` (and the imports)
whenever their inputs change, so that filters, chain suggestions and the zone's statistics read plain
columns instead of recomputing rules over a million rows.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField

from zoneos.areas.models import AreaBoundQuerySet
from zoneos.audit.models import RevisionBase
from zoneos.core import industries
from zoneos.core.models import BilingualName

MONEY = {"max_digits": 18, "decimal_places": 2, "null": True, "blank": True}
# The business scope (经营范围) as a business licence prints it: a few hundred characters, rarely more.
BUSINESS_SCOPE_MAX = 2000


class CapitalOrigin(models.TextChoices):
    DOMESTIC = "domestic", _("Domestic")
    HONG_KONG = "hong_kong", _("Hong Kong")
    MACAO = "macao", _("Macao")
    TAIWAN = "taiwan", _("Taiwan")
    FOREIGN = "foreign", _("Foreign")
    JOINT_VENTURE = "joint_venture", _("Sino-foreign joint venture")

    @classmethod
    def needs_country(cls, origin) -> bool:
        """Capital from abroad names its country (and only it does): foreign capital and joint ventures."""
        return origin in WITH_COUNTRY


# The one declaration of which origins come with a country (the services, the imports and the pipeline
# read it through `CapitalOrigin.needs_country` or `capital_country_error`).
WITH_COUNTRY = frozenset({CapitalOrigin.FOREIGN, CapitalOrigin.JOINT_VENTURE})


def capital_country_error(origin, country) -> str | None:
    """What is wrong with this origin and country together, or None."""
    if CapitalOrigin.needs_country(origin) and not country:
        return str(_("Name the country the foreign capital comes from."))
    if not CapitalOrigin.needs_country(origin) and country:
        return str(_("A country is given only for foreign capital or a joint venture."))
    return None


class Status(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("enterprise status", "Active")
    MOVED_OUT = "moved_out", _("Moved out")
    DEREGISTERED = "deregistered", _("Deregistered")


STATUS_COLOR = {Status.ACTIVE: "success", Status.MOVED_OUT: "secondary", Status.DEREGISTERED: "dark"}


class SizeClass(models.TextChoices):
    LARGE = "large", _("Large")
    MEDIUM = "medium", _("Medium")
    SMALL = "small", _("Small")
    MICRO = "micro", _("Micro")


class LabelKind(models.TextChoices):
    HIGH_TECH = "high_tech", _("High-tech enterprise")
    TECH_SME = "tech_sme", _("Technology-based SME")
    INNOVATIVE_SME = "innovative_sme", _("Innovative SME")
    SPECIALIZED_SME = "specialized_sme", _("Specialised and sophisticated SME")
    LITTLE_GIANT = "little_giant", _("Little giant")
    ABOVE_DESIGNATED_SIZE = "above_designated_size", _("Above designated size")
    LISTED = "listed", _("Listed company")


LABEL_COLOR = {
    LabelKind.HIGH_TECH: "primary",
    LabelKind.TECH_SME: "info",
    LabelKind.INNOVATIVE_SME: "info",
    LabelKind.SPECIALIZED_SME: "success",
    LabelKind.LITTLE_GIANT: "warning",
    LabelKind.ABOVE_DESIGNATED_SIZE: "secondary",
    LabelKind.LISTED: "danger",
}


class IndicatorSource(models.TextChoices):
    STATISTICS = "statistics", _("Statistics bureau")
    ENTERPRISE = "enterprise", _("Enterprise report")
    TAX = "tax", _("Tax authority")
    IMPORT = "import", _("Spreadsheet import")
    MANUAL = "manual", _("Entered by staff")


class EmergingIndustry(BilingualName, models.Model):
    """The nine areas of the Strategic Emerging Industries classification (2018), as tags."""

    code = models.CharField(_("code"), max_length=8, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("strategic emerging industry")
        verbose_name_plural = _("strategic emerging industries")

    def __str__(self) -> str:
        return self.label


class Enterprise(BilingualName, models.Model):
    uscc = models.CharField(
        _("unified social credit code"), max_length=18, unique=True, null=True, blank=True
    )
    uscc_override = models.BooleanField(
        _("code accepted despite its check character"),
        default=False,
        help_text=_("For genuine early pilot codes that fail the mod-31 check. Needs a reason."),
    )
    uscc_override_reason = models.CharField(_("reason for accepting the code"), max_length=500, blank=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    area = models.ForeignKey(
        "areas.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="enterprises"
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    industry_code = models.CharField(_("industry code"), max_length=4, blank=True)
    industry_section = models.CharField(_("industry section"), max_length=1, blank=True, editable=False)
    emerging_industries = models.ManyToManyField(
        EmergingIndustry, verbose_name=_("strategic emerging industries"), blank=True
    )
    registered_on = models.DateField(_("registration date"), null=True, blank=True)
    registered_capital = models.DecimalField(_("registered capital (yuan)"), **MONEY)
    capital_origin = models.CharField(
        _("capital origin"), max_length=16, choices=CapitalOrigin.choices, default=CapitalOrigin.DOMESTIC
    )
    capital_country = CountryField(_("country of the foreign capital"), blank=True)
    parent_group = models.CharField(_("parent group"), max_length=200, blank=True)
    # A TextField's max_length only sizes the form's box: the validator enforces it. The database default
    # keeps inserts that name their columns (bench/registry_overview.py's COPY) working.
    business_scope = models.TextField(
        _("business scope"),
        max_length=BUSINESS_SCOPE_MAX,
        blank=True,
        default="",
        db_default="",
        validators=[MaxLengthValidator(BUSINESS_SCOPE_MAX)],
        help_text=_("As on the business licence; chain links' keywords are looked for here too."),
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE)
    service_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("chief service officer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="served_enterprises",
    )
    # Derived (services.py, the import): search keys and the size class of the latest year with figures.
    name_pinyin = models.CharField(max_length=600, blank=True, editable=False)
    name_initials = models.CharField(max_length=200, blank=True, editable=False, db_index=True)
    # The scope's syllables one by one (pinyin.spaced), where a keyword in pinyin is found as whole syllables.
    business_scope_pinyin = models.TextField(blank=True, default="", db_default="", editable=False)
    size_class = models.CharField(
        _("size class"), max_length=8, choices=SizeClass.choices, blank=True, editable=False
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    area_path = "area__path"
    objects = AreaBoundQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        indexes = [
            # Lists are ordered by name: a page of a zone-wide list reads the first rows in this order
            # instead of sorting every enterprise of the zone.
            models.Index(fields=["name", "id"], name="enterprise_name"),
            # With the id, an area's (active) enterprises are counted and matched to their labels or
            # figures from the index alone, without reading the rows.
            models.Index(fields=["area", "status", "id"], name="enterprise_area_status_id"),
            models.Index(fields=["industry_section", "industry_code"], name="enterprise_industry"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("enterprises:detail", args=[self.pk])

    @property
    def status_color(self) -> str:
        return STATUS_COLOR.get(self.status, "secondary")

    @property
    def industry(self):
        return industries.get(self.industry_code) if self.industry_code else None


class Label(models.Model):
    """A recognition the enterprise holds (high-tech certificate, specialised SME...) with its validity."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="labels"
    )
    kind = models.CharField(_("label"), max_length=24, choices=LabelKind.choices)
    certificate_no = models.CharField(_("certificate number"), max_length=100, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    area_path = "enterprise__area__path"
    objects = AreaBoundQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "-valid_from"]
        verbose_name = _("label")
        verbose_name_plural = _("labels")
        indexes = [
            models.Index(fields=["kind", "valid_from", "valid_to"], name="label_validity"),
            # "Holds this label today": the enterprises of a kind, checked for validity in the index.
            models.Index(
                fields=["kind", "enterprise", "valid_from", "valid_to"], name="label_kind_enterprise"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.valid_from:%Y-%m-%d})"

    @property
    def color(self) -> str:
        return LABEL_COLOR.get(self.kind, "secondary")

    def valid_in(self, year: int) -> bool:
        return self.valid_from <= datetime.date(year, 12, 31) and (
            self.valid_to is None or self.valid_to >= datetime.date(year, 1, 1)
        )

    @classmethod
    def valid_in_year_q(cls, year, prefix: str = "") -> Q:
        """Valid on at least one day of `year` (an int or an expression)."""
        return Q(**{f"{prefix}valid_from__year__lte": year}) & (
            Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__year__gte": year})
        )


class Indicator(models.Model):
    """One enterprise's figures for one year. Money in yuan."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="indicators"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    output_value = models.DecimalField(_("output value"), **MONEY)
    revenue = models.DecimalField(_("revenue"), **MONEY)
    main_business_revenue = models.DecimalField(_("main business revenue"), **MONEY)
    tax_paid = models.DecimalField(_("tax paid"), **MONEY)
    rd_expense = models.DecimalField(_("R&D expense"), **MONEY)
    exports = models.DecimalField(_("exports"), **MONEY)
    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    rd_staff = models.PositiveIntegerField(_("R&D staff"), null=True, blank=True)
    invention_patents = models.PositiveIntegerField(_("invention patents"), null=True, blank=True)
    source = models.CharField(
        _("source"), max_length=16, choices=IndicatorSource.choices, default=IndicatorSource.MANUAL
    )
    above_designated_size_set = models.BooleanField(
        _("above designated size (set explicitly)"),
        null=True,
        blank=True,
        help_text=_(
            "Leave empty to follow the rule: industrial and main business revenue of 20 million yuan or more."
        ),
    )
    # Derived (services.py).
    above_designated_size = models.BooleanField(_("above designated size"), default=False, editable=False)
    size_class = models.CharField(
        _("size class"), max_length=8, choices=SizeClass.choices, blank=True, editable=False
    )
    updated_at = models.DateTimeField(auto_now=True)

    area_path = "enterprise__area__path"
    objects = AreaBoundQuerySet.as_manager()

    class Meta:
        ordering = ["enterprise", "-year"]
        verbose_name = _("yearly figures")
        verbose_name_plural = _("yearly figures")
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "year"], name="indicator_enterprise_year")
        ]
        indexes = [models.Index(fields=["year", "enterprise"], name="indicator_year")]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("enterprises:detail", args=[self.enterprise_id]) + "?tab=figures"


class YearLock(models.Model):
    """A statistician's lock on a year's figures for an area's subtree."""

    area = models.ForeignKey("areas.Area", verbose_name=_("area"), on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("locked by"), on_delete=models.PROTECT, related_name="+"
    )
    locked_at = models.DateTimeField(_("locked at"), auto_now_add=True)

    area_path = "area__path"
    objects = AreaBoundQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "area__path"]
        verbose_name = _("year lock")
        verbose_name_plural = _("year locks")
        constraints = [models.UniqueConstraint(fields=["area", "year"], name="yearlock_area_year")]

    def __str__(self) -> str:
        return f"{self.area} {self.year}"


class Revision(RevisionBase):
    """A change to figures of a locked year."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("yearly figures"), on_delete=models.CASCADE, related_name="revisions"
    )

    class Meta(RevisionBase.Meta):
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")

    def __str__(self) -> str:
        return f"{self.indicator} · {self.reason}"
