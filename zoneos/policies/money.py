"""The money of policy items: budgets per item and year kept by the zone's admins, the ledger an
approval commits to and a payment disburses from, and the sweep that flags payments past their due
date (the approval date plus the item's promised working days).

A commit locks the budget's row (`select_for_update`) and checks what is left under that lock, so two
approvals at once on PostgreSQL never spend the same yuan; the database's check constraint
(committed ≤ amount) stands behind it.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from zoneos.accounts.models import User
from zoneos.accounts.scoping import require_placement
from zoneos.audit.context import acting
from zoneos.core.errors import Conflict
from zoneos.core.roles import Role
from zoneos.notifications.services import Notice, notify_many
from zoneos.workdays.calendar import working_days_elapsed

from .models import ApplicationStatus, Budget, LedgerEntry, LedgerKind, Payment, PolicyApplication

MAX_AMOUNT = Decimal(10**16)


def working_days(start: datetime.date, end: datetime.date) -> int:
    """Working days after `start` up to and including `end` (a year without official data counts by the
    weekday rule)."""
    return max(working_days_elapsed(start, end), 0)


def _amount(value, field: str) -> Decimal:
    try:
        amount = Decimal(str(value))
    except ArithmeticError:
        raise ValidationError({field: [_("Give an amount in yuan.")]}) from None
    if not amount.is_finite() or amount < 0 or amount >= MAX_AMOUNT:
        raise ValidationError({field: [_("Give an amount in yuan.")]})
    return amount.quantize(Decimal("0.01"))


# Budgets ---------------------------------------------------------------------------------------------
@transaction.atomic
def save_budget(*, by, item, year: int, amount, note: str = "", budget: Budget | None = None) -> Budget:
    """Set the budget of `item` for `year` (create it, or change its amount: never below what is
    already committed)."""
    require_placement(Budget, item.policy.area, by, _("You may not keep budgets of this item."))
    amount = _amount(amount, "amount")
    if budget is None:
        if Budget.objects.filter(item=item, year=year).exists():
            raise ValidationError({"year": [_("The item already has a budget for this year.")]})
        budget = Budget(item=item, year=year)
    else:
        budget = Budget.objects.select_for_update().get(pk=budget.pk)
        if amount < budget.committed:
            raise Conflict(
                _("%(committed)s yuan is already committed: the budget cannot be less.")
                % {"committed": budget.committed}
            )
    budget.amount, budget.note = amount, (note or "")[:500]
    with acting(by):
        budget.save()
    return budget


@transaction.atomic
def delete_budget(budget: Budget, *, by) -> None:
    require_placement(Budget, budget.item.policy.area, by, _("You may not keep budgets of this item."))
    if budget.ledger.exists():
        raise Conflict(_("Money has been committed against this budget; it cannot be deleted."))
    with acting(by):
        budget.delete()


def _locked_budget(application: PolicyApplication) -> Budget:
    budget = (
        Budget.objects.select_for_update().filter(item=application.item_id, year=application.year).first()
    )
    if budget is None:
        raise Conflict(
            _("The item has no budget for %(year)s: nothing can be approved against it.")
            % {"year": application.year}
        )
    return budget


def commit(application: PolicyApplication, amount: Decimal, *, by, on: datetime.date) -> LedgerEntry:
    """Commit `amount` of the item's budget for the application's year (inside the approval's
    transaction), or refuse (409) what the budget has not left."""
    budget = _locked_budget(application)
    if amount > budget.amount - budget.committed:
        raise Conflict(
            _("The budget of %(year)s has %(left)s yuan left: %(amount)s cannot be approved.")
            % {"year": budget.year, "left": budget.amount - budget.committed, "amount": amount}
        )
    Budget.objects.filter(pk=budget.pk).update(committed=F("committed") + amount)
    return LedgerEntry.objects.create(
        budget=budget, application=application, kind=LedgerKind.COMMIT, amount=amount, on=on, by=by
    )


def disburse(
    application: PolicyApplication, amount: Decimal, *, by, on: datetime.date, voucher: str
) -> Payment:
    budget = _locked_budget(application)
    Budget.objects.filter(pk=budget.pk).update(disbursed=F("disbursed") + amount)
    LedgerEntry.objects.create(
        budget=budget, application=application, kind=LedgerKind.DISBURSE, amount=amount, on=on, by=by
    )
    due = application.payment_due
    with acting(by):
        return Payment.objects.create(
            application=application,
            amount=amount,
            paid_on=on,
            voucher=voucher,
            on_time=due is None or on <= due,
            by=by,
        )


# The sweep -------------------------------------------------------------------------------------------
def overdue_q(today: datetime.date) -> Q:
    """Approved applications not paid in full by their due date."""
    return Q(status=ApplicationStatus.APPROVED, payment_due__lt=today)


def sweep(today: datetime.date | None = None) -> dict:
    """Flag the applications whose payment has become overdue (claimed with one conditional UPDATE
    each, so two sweeps never flag one twice), and tell the item's department and the enterprise's
    service officer in one digest per person and area."""
    today = today or timezone.localdate()
    candidates = list(
        PolicyApplication.objects.filter(overdue_q(today), payment_overdue=False).values_list("pk", flat=True)
    )
    flagged = []
    for pk in candidates:
        if PolicyApplication.objects.filter(pk=pk, payment_overdue=False).update(payment_overdue=True):
            flagged.append(pk)
    if flagged:
        _tell_overdue(flagged)
    return {"flagged": len(flagged)}


def _tell_overdue(ids: list[int]) -> None:
    from .models import ApplicationStep, StepKind

    today = timezone.localdate()
    applications = list(
        PolicyApplication.objects.filter(pk__in=ids).select_related(
            "item__department", "enterprise__area", "enterprise__service_officer"
        )
    )
    ApplicationStep.objects.bulk_create(
        ApplicationStep(application=a, kind=StepKind.OVERDUE, on=today, opinion=str(a.payment_due))
        for a in applications
    )
    handlers = defaultdict(set)
    departments = {a.item.department_id for a in applications} - {None}
    for user_id, department_id in User.objects.filter(
        is_active=True, memberships__role=Role.HANDLER, memberships__department_id__in=departments
    ).values_list("pk", "memberships__department_id"):
        handlers[department_id].add(user_id)
    people = User.objects.in_bulk(set().union(*handlers.values()) if handlers else set())
    digests: dict[tuple, list] = defaultdict(list)
    for a in applications:
        readers = {people[u] for u in handlers.get(a.item.department_id, ())}
        if a.enterprise.service_officer_id:
            readers.add(a.enterprise.service_officer)
        for user in readers:
            digests[(user.pk, a.enterprise.area_id)].append(a)
    notices = []
    for (user_id, _area), rows in digests.items():
        user = people.get(user_id) or rows[0].enterprise.service_officer
        lines = [f"{a.enterprise.name} · {a.item} · {a.outstanding} · {a.payment_due}" for a in rows]
        notices.append(
            Notice(
                "overdue",
                rows[0].enterprise.area,
                _("%(n)s policy payments are overdue") % {"n": len(rows)},
                "\n".join(lines),
                "/policies/applications/?overdue=1",
                (user,),
            )
        )
    notify_many(notices)
