"""The demo's policy money, on whatever policy items the catalogue demo loaded: a budget per item for
this year, applications of the items' enterprises in every state of the review (some offered by the
automatic track, some returned, rejected, in publicity with an objection), approvals paid on time, in
two instalments, or late, and one still unpaid past its due date, flagged by the sweep.

Written through the services (so every step has its author and is in the history); the dates of the
steps are then moved back to when they would have happened, so a demo loaded today shows months of
work. Idempotent: an item that already has applications is left alone.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from zoneos.core import demo
from zoneos.enterprises.models import Enterprise

from . import applications as services
from . import money
from .applications_automatic import offer
from .models import (
    ApplicationStatus,
    ApplicationStep,
    Budget,
    LedgerEntry,
    Payment,
    PolicyApplication,
    PolicyItem,
)

S = ApplicationStatus
DEFAULT_BUDGET = Decimal("5000000.00")
# The path each demo application takes: the last state it reaches, and how its money goes.
PLANS = [
    ("paid", "on_time"),
    ("paid", "instalments"),
    ("paid", "late"),
    ("approved", "overdue"),
    ("approved", "waiting"),
    ("paid", "on_time"),
    ("publicity", ""),
    ("review", ""),
    ("preliminary", ""),
    ("accepted", ""),
    ("submitted", ""),
    ("returned", ""),
    ("rejected", ""),
    ("closed", ""),
    ("draft", ""),
]
VERBS = {
    "submitted": ("submit",),
    "accepted": ("submit", "accept"),
    "preliminary": ("submit", "accept", "preliminary"),
    "review": ("submit", "accept", "preliminary", "review"),
    "publicity": ("submit", "accept", "preliminary", "review", "publicize"),
    "approved": ("submit", "accept", "preliminary", "review", "publicize", "approve"),
    "paid": ("submit", "accept", "preliminary", "review", "publicize", "approve"),
    "closed": ("submit", "accept", "preliminary", "review", "publicize", "approve"),
    "returned": ("submit", "return"),
    "rejected": ("submit", "accept", "reject"),
    "draft": (),
}
OPINIONS = {
    "accept": "材料齐全，予以受理。",
    "preliminary": "经园区初审，企业基本情况属实。",
    "review": "经部门复审，符合申报条件。",
    "publicize": "拟兑现名单在管委会网站公示。",
    "return": "请补充上年度专项审计报告。",
    "reject": "申报年度研发投入未达到规定比例。",
}
USERS = {  # who takes a step in the demo when they are its party (else the demo's superuser)
    "submit": ("enterprise", "service", "parkstaff"),
    "accept": ("service", "parkstaff", "admin"),
    "preliminary": ("parkstaff", "admin"),
    "review": ("handler", "admin"),
    "publicize": ("handler", "admin"),
    "approve": ("handler", "admin"),
    "pay": ("handler", "admin"),
    "return": ("service", "parkstaff", "admin"),
    "reject": ("handler", "admin"),
    "close": ("handler", "admin"),
}


def _author(ctx, step: str, application):
    for name in USERS.get(step, ()):
        user = ctx.users.get(name)
        if user is not None and services.APPLICATION_WORKFLOW.may(user, application, step):
            return user
    return ctx.by


def _take(ctx, application, step: str, **inputs):
    application = PolicyApplication.objects.get(pk=application.pk)
    if step == "approve":
        PolicyApplication.objects.filter(pk=application.pk).update(
            publicity_ends=timezone.localdate() - datetime.timedelta(days=1)
        )
        application.refresh_from_db()
    if step in OPINIONS and step not in ("reject",):
        inputs.setdefault("opinion", OPINIONS[step])
    if step == "reject":
        inputs.setdefault("reason", OPINIONS["reject"])
    return services.APPLICATION_WORKFLOW.take(step, application, by=_author(ctx, step, application), **inputs)


@demo.step(order=99)
def load_policy_money(ctx: demo.DemoContext) -> None:
    today = timezone.localdate()
    # Items that have applications already (a second load, or real use) are left alone.
    items = list(
        PolicyItem.objects.filter(applications__isnull=True)
        .select_related("policy__area", "department")
        .order_by("policy__area__path", "code")
    )
    if not items:
        return
    for item in items:
        _budget, created = Budget.objects.get_or_create(
            item=item, year=today.year, defaults={"amount": item.budget_per_year or DEFAULT_BUDGET}
        )
        ctx.created += created
    plans = iter(PLANS * 4)
    for item in items:
        if item.mode == "automatic":
            ctx.created += len(offer(item, on=today, by=ctx.by))
            continue
        enterprises = list(
            Enterprise.objects.in_subtree(item.policy.area).filter(status="active").order_by("pk")[:3]
        )
        for n, enterprise in enumerate(enterprises):
            state, money_plan = next(plans, ("draft", ""))
            application = services.create_application(
                by=ctx.by,
                item=item,
                enterprise=enterprise,
                requested_amount=str(Decimal(100_000 + 50_000 * n)),
                declared={"statement": "按政策要求申报，相关材料已上传。"},
            )
            ctx.created += 1
            for step in VERBS[state]:
                inputs = {"approved_amount": application.requested_amount} if step == "approve" else {}
                application = _take(ctx, application, step, **inputs)
            if state in ("paid", "closed") or money_plan:
                application = _pay(
                    ctx, application, money_plan or "on_time", final=state in ("paid", "closed")
                )
            if state == "closed":
                application = _take(ctx, application, "close")
            _backdate(application, today, n, money_plan)
    money.sweep(today)


def _pay(ctx, application, plan: str, *, final: bool):
    if not final:
        return application
    amount = application.approved_amount
    if plan == "instalments":
        first = (amount * Decimal("0.8")).quantize(Decimal("0.01"))
        application = _take(ctx, application, "pay", amount=first, voucher="记账凭证-预拨80%")
        amount -= first
    return _take(ctx, application, "pay", amount=amount, voucher="记账凭证-清算")


def _backdate(application, today: datetime.date, n: int, plan: str) -> None:
    """Move the steps back to when they would have happened: submitted some four months ago, a step
    every week or so; paid on time, or late, against the item's promised working days."""
    application = PolicyApplication.objects.select_related("item").get(pk=application.pk)
    steps = list(application.steps.order_by("id"))
    # Late and overdue payments need an approval more than the promised working days ago.
    ago = {"waiting": 45, "late": 200, "overdue": 200}.get(plan, 130 - 9 * n)
    start = today - datetime.timedelta(days=ago)
    day = start
    approved_on = None
    for step in steps:
        if step.kind == "approve":
            approved_on = day
        step.on = day
        day += datetime.timedelta(days=7)
    payments = list(application.payments.order_by("id"))
    if approved_on is not None:
        due = services.working_days_after(approved_on, application.item.payment_days)
        late = plan == "late"
        for i, payment in enumerate(payments):
            payment.paid_on = (
                min(due + datetime.timedelta(days=10 + i), today)
                if late
                else approved_on + datetime.timedelta(days=20 + 15 * i)
            )
            payment.on_time = payment.paid_on <= due
        for step in steps:
            if step.kind == "pay" and payments:
                step.on = payments[
                    min(len(payments) - 1, [s.pk for s in steps if s.kind == "pay"].index(step.pk))
                ].paid_on
        Payment.objects.bulk_update(payments, ["paid_on", "on_time"])
        LedgerEntry.objects.filter(application=application, kind="commit").update(on=approved_on)
        fields = {"approved_on": approved_on, "payment_due": due, "submitted_on": start}
        if application.status in (S.PAID, S.CLOSED) and payments:
            fields["paid_on"] = payments[-1].paid_on
            fields["payment_working_days"] = money.working_days(approved_on, payments[-1].paid_on)
        PolicyApplication.objects.filter(pk=application.pk).update(**fields)
    elif application.submitted_on:
        PolicyApplication.objects.filter(pk=application.pk).update(submitted_on=start)
    ApplicationStep.objects.bulk_update(steps, ["on"])
