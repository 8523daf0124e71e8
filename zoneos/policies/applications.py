"""Applications for policy items and the one table of their steps (`APPLICATION_WORKFLOW`).

draft ─submit→ submitted ─accept→ accepted ─preliminary→ preliminary ─review→ review ─publicize→
publicity ─approve→ approved ─pay (the last instalment)→ paid ─close→ closed; an offer of the automatic
track (免申即享) is confirmed by the enterprise with its bank account; reviewers return an application
for supplement (补正) or reject it with a reason; the applicant withdraws what is not yet under review.

Every verb is one transaction: it locks the application's row, asks the table whether the user takes
the step and the state allows it (403, 409), writes the new state, the step row (author, opinion,
date) and the history with its author. The eligibility trace is frozen when the application is
submitted (or offered, and again when the offer is confirmed).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zoneos.audit.context import acting
from zoneos.core.errors import Conflict
from zoneos.core.money import AmountInput
from zoneos.core.workflow import Input, Step, Workflow
from zoneos.workdays.calendar import due_in_working_days

from . import money
from .matching import eligibility
from .models import ApplicationStatus, ApplicationStep, PolicyApplication, StepKind
from .review_parties import APPLICANT, DEPARTMENT, ENTERPRISE, PARK, REVIEWERS, WINDOW, is_applicant

S = ApplicationStatus
DEFAULT_PUBLICITY_DAYS = 5
MAX_PUBLICITY_DAYS = 30


def frozen_trace(application: PolicyApplication, on: datetime.date, **known) -> dict:
    """What the rules say of the enterprise for the item on `on`, as JSON to keep. `known`: the rule
    and parameters when the caller has them (`matching.eligibility`)."""
    found = eligibility(application.enterprise, application.item, on, **known)
    return {"on": on.isoformat(), **_jsonable(found)}


def _jsonable(value):
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, Decimal | datetime.date):
        return str(value) if isinstance(value, Decimal) else value.isoformat()
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def working_days_after(day: datetime.date, days: int) -> datetime.date:
    """The `days`-th working day after `day` (次日起). A day in a year the calendar has no official data
    for yet is judged by the weekday rule: an approval in December is not refused for want of next
    year's holiday notice, and its due date may move by a day or two once the notice is entered."""
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
    return timezone.localtime(due_in_working_days(start, days).due).date()


def _clean_amount(value, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value))
    except ArithmeticError:
        raise ValidationError({field: [_("Give an amount in yuan.")]}) from None
    if not amount.is_finite() or amount < 0 or amount >= Decimal(10**16):
        raise ValidationError({field: [_("Give an amount in yuan.")]})
    return amount.quantize(Decimal("0.01"))


@transaction.atomic
def create_application(
    *, by, item, enterprise, declared=None, requested_amount=None, year: int | None = None
) -> PolicyApplication:
    """A draft application of `enterprise` for `item` (by the enterprise, or staff applying for it)."""
    application = PolicyApplication(
        item=item,
        enterprise=enterprise,
        year=year or timezone.localdate().year,
        declared=declared if isinstance(declared, dict) else {},
        requested_amount=_clean_amount(requested_amount, "requested_amount"),
        created_by=by,
    )
    if declared is not None and not isinstance(declared, dict):
        raise ValidationError({"declared": [_("Give the declared facts as an object of names and values.")]})
    if not is_applicant(by, application):
        raise PermissionDenied(_("You may not apply for this enterprise."))
    _save_new(application, by)
    _step(application, StepKind.CREATE, by=by, before="")
    return application


def _save_new(application: PolicyApplication, by) -> None:
    live = PolicyApplication.objects.filter(
        item=application.item, enterprise=application.enterprise, year=application.year
    ).exclude(status__in=[S.REJECTED, S.CLOSED])
    if live.exists():
        raise Conflict(_("The enterprise already has an application for this item and year."))
    try:
        with transaction.atomic(), acting(by):
            application.save()
    except IntegrityError:  # the same application made at the same moment elsewhere
        raise Conflict(_("The enterprise already has an application for this item and year.")) from None


def _step(application, kind, *, by, before: str, opinion: str = "", on=None) -> ApplicationStep:
    return ApplicationStep.objects.create(
        application=application,
        kind=kind,
        from_status=before,
        to_status=application.status if before != application.status else "",
        opinion=opinion or "",
        on=on or timezone.localdate(),
        by=by,
    )


def _locked(application: PolicyApplication) -> PolicyApplication:
    return (
        PolicyApplication.objects.select_for_update(of=("self",))
        .select_related("item__department__area", "enterprise__area")
        .get(pk=application.pk)
    )


def _begin(application: PolicyApplication, name: str, by) -> tuple[PolicyApplication, Step]:
    application = _locked(application)
    return application, APPLICATION_WORKFLOW.check(application, name, by)


def _move(application, step: Step, *, by, opinion: str = "", fields=()) -> PolicyApplication:
    before = application.status
    if step.target:
        application.status = step.target
    with acting(by):
        application.save(update_fields=["status", *fields])
    _step(application, step.event_kind, by=by, before=before, opinion=(opinion or "").strip())
    return application


def _required(value: str, field: str, message) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError({field: [message]})
    return text


# The verbs ------------------------------------------------------------------------------------------
@transaction.atomic
def submit(application, *, by, opinion: str = "") -> PolicyApplication:
    application, step = _begin(application, "submit", by)
    return _hand_in(application, step, by=by, opinion=opinion)


def _hand_in(application, step, *, by, opinion: str = "", fields=()) -> PolicyApplication:
    today = timezone.localdate()
    application.trace = frozen_trace(application, today)
    application.submitted_on = today
    return _move(application, step, by=by, opinion=opinion, fields=("trace", "submitted_on", *fields))


@transaction.atomic
def confirm(application, *, by, bank_name: str = "", bank_account: str = "", opinion: str = ""):
    """The enterprise confirms an offer of the automatic track with the account to be paid into."""
    application, step = _begin(application, "confirm", by)
    application.bank_name = _required(bank_name, "bank_name", _("Name the bank."))[:200]
    application.bank_account = _required(bank_account, "bank_account", _("Give the account number."))[:64]
    return _hand_in(application, step, by=by, opinion=opinion, fields=("bank_name", "bank_account"))


@transaction.atomic
def resubmit(application, *, by, opinion: str = "") -> PolicyApplication:
    application, step = _begin(application, "resubmit", by)
    return _hand_in(application, step, by=by, opinion=opinion)


def _plain(name: str, *, opinion_required: bool = False):
    @transaction.atomic
    def run(application, *, by, opinion: str = "") -> PolicyApplication:
        application, step = _begin(application, name, by)
        if opinion_required:
            _required(opinion, "opinion", _("Give the reason."))
        return _move(application, step, by=by, opinion=opinion)

    run.__name__ = name
    return run


accept = _plain("accept")
return_for_supplement = _plain("return", opinion_required=True)
pass_preliminary = _plain("preliminary")
pass_review = _plain("review")
close = _plain("close")
withdraw = _plain("withdraw")


@transaction.atomic
def publicize(application, *, by, days: int | None = None, opinion: str = "") -> PolicyApplication:
    """Publish the result for `days` working days (公示), from the next working day."""
    application, step = _begin(application, "publicize", by)
    days = DEFAULT_PUBLICITY_DAYS if days in (None, "") else days
    if not 1 <= int(days) <= MAX_PUBLICITY_DAYS:
        raise ValidationError({"days": [_("Give 1 to %(max)s working days.") % {"max": MAX_PUBLICITY_DAYS}]})
    ends = working_days_after(timezone.localdate(), int(days))
    application.publicity_days, application.publicity_ends = int(days), ends
    return _move(application, step, by=by, opinion=opinion, fields=("publicity_days", "publicity_ends"))


@transaction.atomic
def record_objection(application, *, by, objection: str = "") -> PolicyApplication:
    """An objection raised during publicity, kept on the timeline for the approver to weigh."""
    application, step = _begin(application, "object", by)
    return _move(
        application, step, by=by, opinion=_required(objection, "objection", _("Say what is objected."))
    )


@transaction.atomic
def approve(application, *, by, approved_amount=None, opinion: str = "") -> PolicyApplication:
    """Approve an amount (the requested one unless said): it is committed against the item's budget
    of the application's year, or the step is refused (409) when the budget has not that much left."""
    application, step = _begin(application, "approve", by)
    amount = _clean_amount(approved_amount, "approved_amount")
    if amount is None:
        amount = application.requested_amount or _estimate(application)
    if amount is None or amount <= 0:
        raise ValidationError({"approved_amount": [_("Give the approved amount.")]})
    today = timezone.localdate()
    due = working_days_after(today, application.item.payment_days)
    money.commit(application, amount, by=by, on=today)
    application.approved_amount, application.approved_on, application.payment_due = amount, today, due
    return _move(
        application, step, by=by, opinion=opinion, fields=("approved_amount", "approved_on", "payment_due")
    )


def _estimate(application) -> Decimal | None:
    amount = (application.trace or {}).get("amount")
    try:
        return Decimal(str(amount)) if amount not in (None, "") else None
    except ArithmeticError:
        return None


@transaction.atomic
def reject(application, *, by, reason: str = "") -> PolicyApplication:
    application, step = _begin(application, "reject", by)
    application.reason = _required(reason, "reason", _("Give the reason for the rejection."))
    return _move(application, step, by=by, opinion=application.reason, fields=("reason",))


@transaction.atomic
def pay(application, *, by, amount=None, paid_on=None, voucher: str = "") -> PolicyApplication:
    """Record an instalment; the one that completes the approved amount makes the application paid."""
    application, step = _begin(application, "pay", by)
    amount = _clean_amount(amount, "amount")
    if amount is None or amount <= 0:
        raise ValidationError({"amount": [_("Give the amount paid.")]})
    paid_on = paid_on or timezone.localdate()
    if paid_on < application.approved_on:
        raise ValidationError({"paid_on": [_("A payment cannot precede the approval.")]})
    if amount > application.outstanding:
        raise Conflict(
            _("Only %(left)s yuan of the approved amount is still to be paid.")
            % {"left": application.outstanding}
        )
    money.disburse(application, amount, by=by, on=paid_on, voucher=(voucher or "").strip()[:100])
    application.paid_amount = (application.paid_amount or 0) + amount
    fields = ["paid_amount"]
    complete = application.paid_amount == application.approved_amount
    if complete:
        application.paid_on = paid_on
        application.payment_working_days = money.working_days(application.approved_on, paid_on)
        application.payment_overdue = False
        fields += ["paid_on", "payment_working_days", "payment_overdue"]
    before = application.status
    if complete:
        application.status = step.target
    with acting(by):
        application.save(update_fields=["status", *fields])
    opinion = _("%(amount)s yuan paid on %(on)s") % {"amount": amount, "on": paid_on.isoformat()}
    if voucher:
        opinion += f" · {voucher.strip()[:100]}"
    _step(application, StepKind.PAY, by=by, before=before, opinion=opinion, on=paid_on)
    return application


# The table ------------------------------------------------------------------------------------------
OPINION = Input("opinion", "text", gettext_lazy("Opinion"), max_length=2000, rows=2)
REQUIRED_OPINION = Input("opinion", "text", gettext_lazy("Opinion"), required=True, max_length=2000, rows=3)
REVIEWABLE = frozenset({S.SUBMITTED, S.ACCEPTED, S.PRELIMINARY, S.REVIEW, S.PUBLICITY})


def _publicity_over(application) -> bool:
    return application.publicity_ends is not None and timezone.localdate() > application.publicity_ends


def _refusal(application, step: Step) -> str:
    if step.name == "approve" and application.status == S.PUBLICITY:
        return _("The publicity runs until %(day)s: approve after it.") % {"day": application.publicity_ends}
    return _("An application that is %(status)s cannot take the step “%(step)s”.") % {
        "status": application.get_status_display().lower(),
        "step": step.label,
    }


def _step_row(name, label, sources, target, who, run, **kwargs) -> Step:
    return Step(name, label, frozenset(sources), target, tuple(who), run, **kwargs)


APPLICATION_WORKFLOW = Workflow(
    "policy_application",
    state="status",
    refusal=_refusal,
    forbidden=gettext_lazy("You may not take this step on this application."),
    steps=[
        _step_row(
            "submit",
            gettext_lazy("Submit"),
            {S.DRAFT},
            S.SUBMITTED,
            (APPLICANT,),
            submit,
            inputs=(OPINION,),
            summary="Submit the application (its eligibility is frozen now)",
            help=gettext_lazy("The eligibility as the rules see it today is kept with the application."),
            icon="send",
        ),
        _step_row(
            "confirm",
            gettext_lazy("Confirm and give the bank account"),
            {S.OFFERED},
            S.SUBMITTED,
            (ENTERPRISE,),
            confirm,
            inputs=(
                Input("bank_name", "text", gettext_lazy("Bank"), required=True, max_length=200),
                Input("bank_account", "text", gettext_lazy("Account number"), required=True, max_length=64),
                OPINION,
            ),
            summary="Confirm an automatic (免申即享) offer with the account to be paid into",
            help=gettext_lazy("The platform found the enterprise eligible: confirm the account to be paid."),
            icon="bank",
        ),
        _step_row(
            "resubmit",
            gettext_lazy("Resubmit"),
            {S.RETURNED},
            S.SUBMITTED,
            (APPLICANT,),
            resubmit,
            inputs=(OPINION,),
            summary="Resubmit after supplementing what was asked for",
            icon="send",
        ),
        _step_row(
            "accept",
            gettext_lazy("Accept (受理)"),
            {S.SUBMITTED},
            S.ACCEPTED,
            (WINDOW,),
            accept,
            inputs=(OPINION,),
            summary="Accept the application for review (受理)",
            icon="inbox",
        ),
        _step_row(
            "preliminary",
            gettext_lazy("Pass the preliminary review"),
            {S.ACCEPTED},
            S.PRELIMINARY,
            (PARK,),
            pass_preliminary,
            inputs=(OPINION,),
            summary="Pass the park's preliminary review (初审)",
            icon="check2",
        ),
        _step_row(
            "review",
            gettext_lazy("Pass the department review"),
            {S.PRELIMINARY},
            S.REVIEW,
            (DEPARTMENT,),
            pass_review,
            inputs=(OPINION,),
            summary="Pass the department's review (复审)",
            icon="check2-all",
        ),
        _step_row(
            "publicize",
            gettext_lazy("Start the publicity"),
            {S.REVIEW},
            S.PUBLICITY,
            (DEPARTMENT,),
            publicize,
            inputs=(
                Input(
                    "days",
                    "int",
                    gettext_lazy("Working days"),
                    min_value=1,
                    max_value=MAX_PUBLICITY_DAYS,
                    help=gettext_lazy("5 unless said."),
                ),
                OPINION,
            ),
            summary="Publish the result for N working days (公示)",
            icon="megaphone",
        ),
        _step_row(
            "object",
            gettext_lazy("Record an objection"),
            {S.PUBLICITY},
            None,
            (DEPARTMENT, WINDOW),
            record_objection,
            inputs=(
                Input("objection", "text", gettext_lazy("Objection"), required=True, max_length=2000, rows=3),
            ),
            summary="Record an objection raised during the publicity",
            icon="exclamation-triangle",
            button="outline-warning",
        ),
        _step_row(
            "approve",
            gettext_lazy("Approve"),
            {S.PUBLICITY},
            S.APPROVED,
            (DEPARTMENT,),
            approve,
            when=_publicity_over,
            inputs=(
                AmountInput(
                    "approved_amount",
                    "decimal",
                    gettext_lazy("Approved amount"),
                    help=gettext_lazy("The requested amount unless said."),
                ),
                OPINION,
            ),
            summary="Approve an amount, committed against the item's budget (409 beyond it)",
            icon="check2-circle",
            button="success",
        ),
        _step_row(
            "reject",
            gettext_lazy("Reject"),
            REVIEWABLE,
            S.REJECTED,
            REVIEWERS,
            reject,
            inputs=(Input("reason", "text", gettext_lazy("Reason"), required=True, max_length=2000, rows=3),),
            summary="Reject the application, with the reason",
            icon="x-circle",
            button="outline-danger",
        ),
        _step_row(
            "return",
            gettext_lazy("Return for supplement"),
            {S.SUBMITTED, S.ACCEPTED, S.PRELIMINARY},
            S.RETURNED,
            REVIEWERS,
            return_for_supplement,
            inputs=(REQUIRED_OPINION,),
            summary="Return the application for supplement (补正)",
            icon="arrow-return-left",
            button="outline-warning",
        ),
        _step_row(
            "pay",
            gettext_lazy("Record a payment"),
            {S.APPROVED},
            S.PAID,
            (DEPARTMENT,),
            pay,
            inputs=(
                AmountInput("amount", "decimal", gettext_lazy("Amount"), required=True),
                Input("paid_on", "date", gettext_lazy("Paid on")),
                Input("voucher", "text", gettext_lazy("Voucher"), max_length=100),
            ),
            summary="Record a payment; the instalment that completes the approved amount makes it paid",
            icon="cash-coin",
            button="success",
        ),
        _step_row(
            "close",
            gettext_lazy("Close"),
            {S.PAID, S.REJECTED},
            S.CLOSED,
            (DEPARTMENT, WINDOW),
            close,
            inputs=(OPINION,),
            summary="Close the application",
            icon="archive",
            button="outline-secondary",
        ),
        _step_row(
            "withdraw",
            gettext_lazy("Withdraw"),
            {S.DRAFT, S.OFFERED, S.SUBMITTED, S.RETURNED},
            S.CLOSED,
            (APPLICANT,),
            withdraw,
            inputs=(OPINION,),
            summary="Withdraw the application (or decline an offer)",
            icon="x-lg",
            button="outline-secondary",
        ),
    ],
)


def allowed_actions(user, application) -> list[str]:
    return APPLICATION_WORKFLOW.allowed(user, application)
