"""Money of policy items: a budget per item and year with its ledger (an approval commits, a payment
disburses, a closed approval releases), and the payments of an application (instalments allowed).

`committed` and `disbursed` on a budget are the sums of its ledger, written in the same transaction as
the ledger row under the budget's row lock, so that two approvals at once never spend the same yuan.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from zoneos.areas.models import AreaBoundQuerySet

from .applications import MONEY, PolicyApplication


class Budget(models.Model):
    item = models.ForeignKey(
        "policies.PolicyItem", verbose_name=_("item"), on_delete=models.PROTECT, related_name="budgets"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.DecimalField(_("budget"), **MONEY)
    committed = models.DecimalField(_("committed"), default=0, editable=False, **MONEY)
    disbursed = models.DecimalField(_("disbursed"), default=0, editable=False, **MONEY)
    note = models.CharField(_("note"), max_length=500, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    area_path = "item__policy__area__path"
    objects = AreaBoundQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "item_id"]
        verbose_name = _("budget")
        verbose_name_plural = _("budgets")
        constraints = [
            models.UniqueConstraint(fields=["item", "year"], name="policy_budget_item_year"),
            models.CheckConstraint(
                condition=Q(committed__lte=F("amount")) & Q(disbursed__lte=F("committed")),
                name="policy_budget_not_overspent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item} · {self.year}"

    @property
    def left(self):
        return self.amount - self.committed


class LedgerKind(models.TextChoices):
    COMMIT = "commit", _("Committed (approval)")
    DISBURSE = "disburse", _("Disbursed (payment)")
    RELEASE = "release", _("Released")


class LedgerEntry(models.Model):
    budget = models.ForeignKey(Budget, on_delete=models.PROTECT, related_name="ledger")
    application = models.ForeignKey(
        PolicyApplication, on_delete=models.PROTECT, related_name="ledger", null=True, blank=True
    )
    kind = models.CharField(_("kind"), max_length=10, choices=LedgerKind.choices)
    amount = models.DecimalField(_("amount"), **MONEY)
    on = models.DateField(_("date"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount}"


class Payment(models.Model):
    application = models.ForeignKey(PolicyApplication, on_delete=models.PROTECT, related_name="payments")
    amount = models.DecimalField(_("amount"), **MONEY)
    paid_on = models.DateField(_("paid on"))
    voucher = models.CharField(_("voucher"), max_length=100, blank=True)
    on_time = models.BooleanField(_("on time"), default=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    area_path = "application__enterprise__area__path"
    objects = AreaBoundQuerySet.as_manager()

    class Meta:
        ordering = ["paid_on", "id"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="policy_payment_positive")]

    def __str__(self) -> str:
        return f"{self.application} · {self.amount}"
