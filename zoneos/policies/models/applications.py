"""Applications for policy items (惠企事项申报): who applies for which item in which year, the state its
review has reached, each step with its author, opinion and date, objections raised during publicity,
and the eligibility trace frozen when it was submitted.

The states and the steps between them are one table, `APPLICATION_WORKFLOW` in
`services/applications.py`; nothing else changes `status`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zoneos.areas.models import AreaBoundQuerySet

MONEY = {"max_digits": 18, "decimal_places": 2}


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OFFERED = "offered", _("Awaiting the enterprise's confirmation")
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned for supplement")
    PRELIMINARY = "preliminary", _("Passed preliminary review")
    REVIEW = "review", _("Passed department review")
    PUBLICITY = "publicity", _("In publicity")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    PAID = "paid", _("Paid")
    CLOSED = "closed", _("Closed")


S = ApplicationStatus
APPLICATION_COLOR = {
    S.DRAFT: "secondary",
    S.OFFERED: "info",
    S.SUBMITTED: "primary",
    S.ACCEPTED: "primary",
    S.RETURNED: "warning",
    S.PRELIMINARY: "primary",
    S.REVIEW: "primary",
    S.PUBLICITY: "info",
    S.APPROVED: "success",
    S.REJECTED: "danger",
    S.PAID: "success",
    S.CLOSED: "dark",
}
# Where the enterprise (or staff for it) holds the pen; where the reviewers do; where money is owed.
WITH_APPLICANT = frozenset({S.DRAFT, S.OFFERED, S.RETURNED})
UNDER_REVIEW = frozenset({S.SUBMITTED, S.ACCEPTED, S.PRELIMINARY, S.REVIEW, S.PUBLICITY})
GRANTED = frozenset({S.APPROVED, S.PAID, S.CLOSED})


class PolicyApplication(models.Model):
    item = models.ForeignKey(
        "policies.PolicyItem", verbose_name=_("item"), on_delete=models.PROTECT, related_name="applications"
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="policy_applications",
    )
    year = models.PositiveSmallIntegerField(_("budget year"))
    status = models.CharField(_("status"), max_length=12, choices=ApplicationStatus.choices, default=S.DRAFT)
    automatic = models.BooleanField(
        _("automatic (免申即享)"),
        default=False,
        help_text=_("Offered by the platform, confirmed by the enterprise."),
    )
    declared = models.JSONField(_("declared"), default=dict, blank=True)
    requested_amount = models.DecimalField(_("requested amount"), null=True, blank=True, **MONEY)
    approved_amount = models.DecimalField(_("approved amount"), null=True, blank=True, **MONEY)
    paid_amount = models.DecimalField(_("paid amount"), default=0, **MONEY)
    bank_name = models.CharField(_("bank"), max_length=200, blank=True)
    bank_account = models.CharField(_("bank account"), max_length=64, blank=True)
    reason = models.TextField(_("reason for rejection"), blank=True)
    # What the rules answered when the application was submitted, kept as it was then.
    trace = models.JSONField(_("eligibility at submission"), null=True, blank=True)
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    publicity_days = models.PositiveSmallIntegerField(_("publicity (working days)"), null=True, blank=True)
    publicity_ends = models.DateField(_("publicity ends"), null=True, blank=True)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    payment_due = models.DateField(_("payment due"), null=True, blank=True)
    paid_on = models.DateField(_("paid in full on"), null=True, blank=True)
    # Working days from approval to the last instalment (the dashboards' median reads this column).
    payment_working_days = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    # Set by the sweep when the payment is past due and not complete.
    payment_overdue = models.BooleanField(_("payment overdue"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    area_path = "enterprise__area__path"
    objects = AreaBoundQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("policy application")
        verbose_name_plural = _("policy applications")
        indexes = [
            models.Index(fields=["status", "payment_due"], name="policy_app_payment_due"),
            models.Index(fields=["item", "year", "status"], name="policy_app_item_year"),
        ]
        constraints = [
            # One live application per item, enterprise and year (a rejected or closed one may be
            # followed by a new one).
            models.UniqueConstraint(
                fields=["item", "enterprise", "year"],
                condition=~models.Q(status__in=["rejected", "closed"]),
                name="policy_app_one_live",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item} · {self.enterprise}"

    def get_absolute_url(self) -> str:
        return reverse("policies:application", args=[self.pk])

    @property
    def color(self) -> str:
        return APPLICATION_COLOR.get(self.status, "secondary")

    @property
    def outstanding(self):
        """What is approved and not yet paid."""
        if self.approved_amount is None:
            return None
        return self.approved_amount - (self.paid_amount or 0)

    def overdue_on(self, day) -> bool:
        return bool(self.payment_due and self.status == S.APPROVED and day > self.payment_due)


class StepKind(models.TextChoices):
    CREATE = "create", _("Created")
    OFFER = "offer", _("Offered (免申即享)")
    SUBMIT = "submit", _("Submitted")
    CONFIRM = "confirm", _("Confirmed by the enterprise")
    ACCEPT = "accept", _("Accepted")
    RETURN = "return", _("Returned for supplement")
    RESUBMIT = "resubmit", _("Resubmitted")
    PRELIMINARY = "preliminary", _("Preliminary review passed")
    REVIEW = "review", _("Department review passed")
    PUBLICIZE = "publicize", _("Publicity started")
    OBJECT = "object", _("Objection recorded")
    APPROVE = "approve", _("Approved")
    REJECT = "reject", _("Rejected")
    PAY = "pay", _("Payment")
    CLOSE = "close", _("Closed")
    WITHDRAW = "withdraw", _("Withdrawn")
    OVERDUE = "overdue", _("Payment overdue")


class ApplicationStep(models.Model):
    """One step of an application: its author, opinion and date (the timeline and the event row)."""

    application = models.ForeignKey(PolicyApplication, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(_("step"), max_length=12, choices=StepKind.choices)
    from_status = models.CharField(_("from"), max_length=12, choices=ApplicationStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=12, choices=ApplicationStatus.choices, blank=True)
    opinion = models.TextField(_("opinion"), blank=True)
    on = models.DateField(_("date"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("application step")
        verbose_name_plural = _("application steps")

    def __str__(self) -> str:
        return f"{self.application}: {self.get_kind_display()}"
