"""Industrial chains: a chain is a tree of links (upstream, midstream, downstream), each link named by
the GB/T 4754 codes and the keywords of the enterprises that make it up. Enterprises, investment
projects and key projects are placed on links; a zone's strength rule says when a link is strong, weak
or missing.

A chain without an area is a shared template that every member of staff reads; a zone adopts it as
its own copy (`source` remembers which) and edits that. A placement hangs on the area of the record it
places, so a park's staff see their own park's placements and no other's.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models, router, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from zoneos.areas.models import AreaBoundQuerySet
from zoneos.core.models import BilingualName

from . import cells
from .cells import ChainLabel, ChainMembers, ChainYear  # noqa: F401  (the cells' models)


class Segment(models.TextChoices):
    UPSTREAM = "upstream", _("Upstream")
    MIDSTREAM = "midstream", _("Midstream")
    DOWNSTREAM = "downstream", _("Downstream")


class Strength(models.TextChoices):
    STRONG = "strong", _("Strong")
    WEAK = "weak", _("Weak")
    MISSING = "missing", _("Missing")


STRENGTH_COLOR = {Strength.STRONG: "success", Strength.WEAK: "warning", Strength.MISSING: "danger"}
# What a link's strength leaves to fill: the gap is its weight times this.
STRENGTH_GAP = {Strength.STRONG: Decimal("0"), Strength.WEAK: Decimal("0.5"), Strength.MISSING: Decimal("1")}


def effective_weight(weight: Decimal, bottleneck: bool) -> Decimal:
    """A link's weight in the gap score: a bottleneck (卡脖子) counts double."""
    return weight * 2 if bottleneck else weight


class Role(models.TextChoices):
    LEADER = "leader", _("Chain leader")
    KEY = "key", _("Key enterprise")
    MEMBER = "member", _("Member")


class Chain(BilingualName, models.Model):
    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    area = models.ForeignKey(
        "areas.Area",
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="chains",
        help_text=_("Empty for a shared template."),
    )
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("English description"), blank=True)
    # The chain-chief system (链长制): the official who heads the chain and the department that leads its
    # work. The service officers of the chain's leaders and key enterprises are theirs (`chief_team`).
    chief = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("chain chief"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="chains_headed",
    )
    chief_title = models.CharField(
        _("chief's office"), max_length=100, blank=True, help_text=_("Such as 区委副书记 or 管委会副主任.")
    )
    lead_department = models.ForeignKey(
        "areas.Department",
        verbose_name=_("lead department"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="chains_led",
    )
    source = models.ForeignKey(
        "self",
        verbose_name=_("adopted from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="copies",
        editable=False,
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    area_path = "area__path"
    objects = AreaBoundQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("industrial chain")
        verbose_name_plural = _("industrial chains")

    def __str__(self) -> str:
        return self.name

    @property
    def is_template(self) -> bool:
        return self.area_id is None

    @property
    def description_label(self) -> str:
        english = (get_language() or "").startswith("en")
        return self.description_en if english and self.description_en else self.description


class Link(BilingualName, models.Model):
    chain = models.ForeignKey(Chain, verbose_name=_("chain"), on_delete=models.CASCADE, related_name="links")
    code = models.CharField(_("code"), max_length=40)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent link"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    segment = models.CharField(_("segment"), max_length=12, choices=Segment.choices)
    industry_codes = models.JSONField(_("industry codes"), default=list, blank=True)
    keywords = models.JSONField(_("keywords"), default=list, blank=True)
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=2, default=Decimal("1"))
    bottleneck = models.BooleanField(
        _("bottleneck"), default=False, help_text=_("A chokepoint technology: its weight counts double.")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    benchmark_share = models.DecimalField(
        _("benchmark share (%)"),
        max_digits=6,
        decimal_places=3,
        null=True,
        blank=True,
        help_text=_(
            "The link's share of the chain's output value nationally or in the province, in per cent: "
            "the zone's own share is compared with it (location quotient)."
        ),
    )
    benchmark_source = models.CharField(
        _("benchmark source"),
        max_length=200,
        blank=True,
        help_text=_("Where the share comes from, e.g. 全国 2024 or 广东省 2024."),
    )

    area_path = "chain__area__path"
    objects = AreaBoundQuerySet.as_manager()

    class Meta:
        ordering = ["chain", "position", "code"]
        verbose_name = _("chain link")
        verbose_name_plural = _("chain links")
        constraints = [models.UniqueConstraint(fields=["chain", "code"], name="link_code_once_per_chain")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    # A link moved under another parent, or deleted with its placements and the links below it, changes
    # which links its enterprises count on: the chain's cells are recomputed (zoneos.chains.cells).
    def save(self, *args, **kwargs):
        with transaction.atomic(using=kwargs.get("using") or router.db_for_write(type(self))):
            stored = type(self)._default_manager.filter(pk=self.pk).values_list("parent_id", flat=True)
            moved = self.pk is not None and list(stored) not in ([], [self.parent_id])
            super().save(*args, **kwargs)
            if moved:
                cells.refresh(chains=[self.chain_id])

    def delete(self, *args, **kwargs):
        with transaction.atomic(using=kwargs.get("using") or router.db_for_write(type(self))):
            deleted = super().delete(*args, **kwargs)
            cells.refresh(chains=[self.chain_id])
        return deleted

    @property
    def effective_weight(self) -> Decimal:
        return effective_weight(self.weight, self.bottleneck)


class SupplyEdge(models.Model):
    """This link's output feeds that one: the flow view of a chain."""

    chain = models.ForeignKey(Chain, on_delete=models.CASCADE, related_name="edges")
    source = models.ForeignKey(Link, verbose_name=_("from"), on_delete=models.CASCADE, related_name="feeds")
    target = models.ForeignKey(Link, verbose_name=_("to"), on_delete=models.CASCADE, related_name="fed_by")

    area_path = "chain__area__path"
    objects = AreaBoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("supply relation")
        verbose_name_plural = _("supply relations")
        constraints = [
            models.UniqueConstraint(fields=["source", "target"], name="supply_edge_once"),
            models.CheckConstraint(condition=~Q(source=models.F("target")), name="supply_edge_not_to_itself"),
        ]

    def __str__(self) -> str:
        return f"{self.source} → {self.target}"


class Placement(models.Model):
    """An enterprise, an investment project or a key project on a link; the area is the placed
    record's (kept by the services), so scoping reads it like any record of that area."""

    link = models.ForeignKey(
        Link, verbose_name=_("link"), on_delete=models.CASCADE, related_name="placements"
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="chain_placements",
    )
    project = models.ForeignKey(
        "pipeline.Project",
        verbose_name=_("investment project"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="chain_placements",
    )
    key_project = models.ForeignKey(
        "supervision.KeyProject",
        verbose_name=_("key project"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="chain_placements",
    )
    role = models.CharField(_("role"), max_length=8, choices=Role.choices, default=Role.MEMBER)
    area = models.ForeignKey("areas.Area", on_delete=models.CASCADE, related_name="+", editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    area_path = "area__path"
    objects = AreaBoundQuerySet.as_manager()

    class Meta:
        ordering = ["link", "pk"]
        verbose_name = _("chain placement")
        verbose_name_plural = _("chain placements")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(enterprise__isnull=False, project__isnull=True, key_project__isnull=True)
                    | Q(enterprise__isnull=True, project__isnull=False, key_project__isnull=True)
                    | Q(enterprise__isnull=True, project__isnull=True, key_project__isnull=False)
                ),
                name="placement_places_one_record",
            ),
            models.UniqueConstraint(
                fields=["enterprise", "link"],
                condition=Q(enterprise__isnull=False),
                name="placement_enterprise_once",
            ),
            models.UniqueConstraint(
                fields=["project", "link"], condition=Q(project__isnull=False), name="placement_project_once"
            ),
            models.UniqueConstraint(
                fields=["key_project", "link"],
                condition=Q(key_project__isnull=False),
                name="placement_key_once",
            ),
        ]
        indexes = [models.Index(fields=["link", "area"], name="placement_link_area")]

    def __str__(self) -> str:
        return f"{self.link} · {self.placed}"

    # Every write of an enterprise's placement keeps the chain's cells (zoneos.chains.cells): the
    # enterprise's part is read under its row's lock before and after.
    def save(self, *args, **kwargs):
        with transaction.atomic(using=kwargs.get("using") or router.db_for_write(type(self))):
            enterprises = self._enterprises()
            cells.take_out(cells.contribution(enterprises))
            super().save(*args, **kwargs)
            cells.put_in(cells.contribution(enterprises | self._enterprises()))

    def delete(self, *args, **kwargs):
        with transaction.atomic(using=kwargs.get("using") or router.db_for_write(type(self))):
            enterprises = self._enterprises()
            cells.take_out(cells.contribution(enterprises))
            deleted = super().delete(*args, **kwargs)
            cells.put_in(cells.contribution(enterprises))
        return deleted

    @property
    def placed(self):
        return self.enterprise or self.project or self.key_project

    def _enterprises(self) -> set[int]:
        """The enterprise placed (and the one stored, if this write changes it), their rows locked."""
        from zoneos.enterprises.models import Enterprise

        ids = {self.enterprise_id} - {None}
        if self.pk is not None:
            stored = type(self)._default_manager.filter(pk=self.pk).values_list("enterprise_id", flat=True)
            ids |= set(stored) - {None}
        if ids:
            list(Enterprise.objects.select_for_update().filter(pk__in=sorted(ids)).values_list("pk"))
        return ids


class StrengthRule(models.Model):
    """When a zone calls a link strong, weak or missing, from a date on. The newest rule in force on
    the date asked for, of the area or the nearest area above it, applies; none: the defaults."""

    area = models.ForeignKey(
        "areas.Area", verbose_name=_("area"), on_delete=models.CASCADE, related_name="chain_strength_rules"
    )
    effective_from = models.DateField(_("effective from"))
    strong_enterprises = models.PositiveIntegerField(
        _("active enterprises for strong"),
        default=3,
        help_text=_("A link with at least this many is strong…"),
    )
    strong_above_size = models.PositiveIntegerField(
        _("of which above designated size"),
        default=1,
        help_text=_("…when this many of them are above designated size."),
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    area_path = "area__path"
    objects = AreaBoundQuerySet.as_manager()

    class Meta:
        ordering = ["area", "-effective_from"]
        verbose_name = _("chain strength rule")
        verbose_name_plural = _("chain strength rules")
        constraints = [
            models.UniqueConstraint(fields=["area", "effective_from"], name="strength_rule_once_a_day"),
            models.CheckConstraint(condition=Q(strong_enterprises__gte=1), name="strength_rule_needs_one"),
        ]

    def __str__(self) -> str:
        return f"{self.area} {self.effective_from:%Y-%m-%d}"


class Candidate(models.Model):
    """An enterprise outside the zone that could fill its chain's gaps (补链): a target for investment.

    Kept by the zone that keeps the chain (`area` is the chain's), with the links it fits and the chain
    leaders of the zone it already supplies. Turned into a pipeline lead once (`project`), which the
    chain's page then follows to landing."""

    area = models.ForeignKey(
        "areas.Area", verbose_name=_("area"), on_delete=models.CASCADE, related_name="chain_candidates"
    )
    chain = models.ForeignKey(
        Chain, verbose_name=_("chain"), on_delete=models.CASCADE, related_name="candidates"
    )
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(
        _("short name"), max_length=60, blank=True, help_text=_("How people write it in visit notes.")
    )
    uscc = models.CharField(_("USCC"), max_length=18, blank=True)
    province = models.CharField(_("province"), max_length=40, blank=True)
    city = models.CharField(_("city"), max_length=40, blank=True)
    industry_code = models.CharField(_("industry code"), max_length=4, blank=True)
    industry_section = models.CharField(max_length=1, blank=True, editable=False)
    revenue = models.DecimalField(_("revenue (yuan)"), max_digits=18, decimal_places=2, null=True, blank=True)
    labels = models.JSONField(_("labels"), default=list, blank=True)
    links = models.ManyToManyField(
        Link, verbose_name=_("links it fits"), blank=True, related_name="candidates"
    )
    supplies = models.ManyToManyField(
        "enterprises.Enterprise",
        verbose_name=_("supplies"),
        blank=True,
        related_name="chain_suppliers",
        help_text=_("Enterprises of the zone it already supplies (its chain leaders, say)."),
    )
    note = models.TextField(_("note"), blank=True)
    project = models.OneToOneField(
        "pipeline.Project",
        verbose_name=_("lead"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="chain_candidate",
        editable=False,
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    area_path = "area__path"
    objects = AreaBoundQuerySet.as_manager()

    class Meta:
        ordering = ["chain", "name"]
        verbose_name = _("chain target")
        verbose_name_plural = _("chain targets")
        constraints = [
            models.UniqueConstraint(fields=["chain", "name"], name="candidate_name_once_per_chain"),
            models.UniqueConstraint(
                fields=["chain", "uscc"], condition=~Q(uscc=""), name="candidate_uscc_once_per_chain"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Rejection(models.Model):
    """A suggestion staff turned down: the enterprise is not suggested for the link again."""

    link = models.ForeignKey(Link, on_delete=models.CASCADE, related_name="rejections")
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.CASCADE, related_name="chain_rejections"
    )
    area = models.ForeignKey("areas.Area", on_delete=models.CASCADE, related_name="+", editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    area_path = "area__path"
    objects = AreaBoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("rejected suggestion")
        verbose_name_plural = _("rejected suggestions")
        constraints = [models.UniqueConstraint(fields=["link", "enterprise"], name="rejection_once")]

    def __str__(self) -> str:
        return f"{self.link} ✕ {self.enterprise}"
