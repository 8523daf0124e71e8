"""Funds (基金): the industry funds and government guidance funds of a zone (or a park), their size,
manager and the government's share, the industrial chains they focus on, their investments in
enterprises of the registry and the exits from them.

A fund hangs on its area and, like a catalogue, is seen from the area's subtree and from above (a
park's staff read the zone's funds); its investments and exits reach the area through it. Amounts are
in yuan; shares and stakes are fractions from 0 to 1 (0.35 is 35 %), as every ratio of the API, and
pages show and take them in per cent. An exit takes back part of an investment's cost
(`amount`, at most what is left of it) and says what was received (`proceeds`); what remains
invested is the investments' cost less the exits' amounts.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zoneos.areas.models import AreaBoundQuerySet
from zoneos.core.models import FractionField
from zoneos.enterprises.models import MONEY


class FundKind(models.TextChoices):
    INDUSTRY = "industry", _("Industry fund")
    GUIDANCE = "guidance", _("Guidance fund")


class Round(models.TextChoices):
    ANGEL = "angel", _("Angel")
    SEED = "seed", _("Seed")
    PRE_A = "pre_a", _("Pre-A")
    A = "a", _("Series A")
    B = "b", _("Series B")
    C = "c", _("Series C")
    LATER = "later", _("Series D and later")
    PRE_IPO = "pre_ipo", _("Pre-IPO")
    STRATEGIC = "strategic", _("Strategic")
    OTHER = "other", _("Other round")


class ExitKind(models.TextChoices):
    TRANSFER = "transfer", _("Share transfer")
    BUYBACK = "buyback", _("Buyback")
    IPO = "ipo", _("Listing (IPO)")
    MERGER = "merger", _("Merger or acquisition")
    LIQUIDATION = "liquidation", _("Liquidation or write-off")
    OTHER = "other", _("Other exit")


class Fund(models.Model):
    area = models.ForeignKey(
        "areas.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="innovation_funds"
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=FundKind.choices, default=FundKind.INDUSTRY)
    size = models.DecimalField(_("size (yuan)"), **MONEY)
    manager = models.CharField(_("manager"), max_length=200, blank=True)
    government_share = FractionField(
        _("government share"), null=True, blank=True, help_text=_("A fraction: 0.35 is 35 %.")
    )
    focus_chains = models.ManyToManyField(
        "chains.Chain", verbose_name=_("focus chains"), blank=True, related_name="innovation_funds"
    )
    established_on = models.DateField(_("established on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    area_path = "area__path"
    objects = AreaBoundQuerySet.as_manager()

    class Meta:
        ordering = ["area__path", "name"]
        verbose_name = _("fund")
        verbose_name_plural = _("funds")
        constraints = [
            models.UniqueConstraint(fields=["area", "name"], name="innovation_fund_name_once_per_area"),
            models.CheckConstraint(
                condition=Q(government_share__isnull=True)
                | Q(government_share__gte=0, government_share__lte=1),
                name="innovation_fund_government_share",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("innovation:fund", args=[self.pk])


class Investment(models.Model):
    fund = models.ForeignKey(
        Fund, verbose_name=_("fund"), on_delete=models.PROTECT, related_name="investments"
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="fund_investments",
    )
    round = models.CharField(_("round"), max_length=10, choices=Round.choices, default=Round.OTHER)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=18, decimal_places=2)
    invested_on = models.DateField(_("invested on"))
    stake = FractionField(_("stake"), null=True, blank=True, help_text=_("A fraction: 0.35 is 35 %."))
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    area_path = "fund__area__path"
    objects = AreaBoundQuerySet.as_manager()

    class Meta:
        ordering = ["fund", "-invested_on", "pk"]
        verbose_name = _("fund investment")
        verbose_name_plural = _("fund investments")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="innovation_investment_amount_positive"),
            models.CheckConstraint(
                condition=Q(stake__isnull=True) | Q(stake__gt=0, stake__lte=1),
                name="innovation_investment_stake",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.fund} → {self.enterprise}"

    def get_absolute_url(self) -> str:
        return self.fund.get_absolute_url() + f"#investment-{self.pk}"


class Exit(models.Model):
    investment = models.ForeignKey(
        Investment, verbose_name=_("investment"), on_delete=models.CASCADE, related_name="exits"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=ExitKind.choices, default=ExitKind.TRANSFER)
    exited_on = models.DateField(_("exited on"))
    amount = models.DecimalField(
        _("cost exited (yuan)"),
        max_digits=18,
        decimal_places=2,
        help_text=_("The part of the investment's cost taken back."),
    )
    proceeds = models.DecimalField(_("proceeds (yuan)"), **MONEY)
    stake = FractionField(_("stake sold"), null=True, blank=True, help_text=_("A fraction: 0.35 is 35 %."))
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    area_path = "investment__fund__area__path"
    objects = AreaBoundQuerySet.as_manager()

    class Meta:
        ordering = ["investment", "-exited_on", "pk"]
        verbose_name = _("fund exit")
        verbose_name_plural = _("fund exits")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="innovation_exit_amount_positive"),
            models.CheckConstraint(
                condition=Q(stake__isnull=True) | Q(stake__gt=0, stake__lte=1), name="innovation_exit_stake"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.investment} · {self.exited_on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return self.investment.fund.get_absolute_url() + f"#investment-{self.investment_id}"
