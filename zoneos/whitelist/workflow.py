"""The steps of a whitelist application, one table (`APPLICATION_WORKFLOW`):

    draft ─submit→ submitted ─zone_approve→ zone_approved ─to_customs→ at_customs ─approve→ approved
                       │                                                  └─reject→ rejected
                       └─return→ returned ─submit→ submitted

The applicant submits (with at least one item); the zone (its admins) approves or returns it, hands it
to customs (with the xlsx of `customs`) and records customs' answer: the approval with its number and
validity (each item approved for the quantity applied for), or the rejection with its reason. Every
verb is one transaction: it locks the application's row, asks the table whether the user takes the step
and the state allows it (403, 409), writes the new state, the step row (author, opinion, date) and the
history with its author.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zoneos.audit.context import acting
from zoneos.core.workflow import Input, Step, Workflow

from .models import ApplicationStep, Status, WhitelistApplication
from .parties import APPLICANT, ZONE
from .services import _locked

S = Status
MAX_YEARS = 5  # an approval longer than this is a typing error


def record_step(application, kind: str, *, by, before: str, opinion: str = "") -> ApplicationStep:
    return ApplicationStep.objects.create(
        application=application,
        kind=kind,
        from_status=before,
        to_status=application.status if before != application.status else "",
        opinion=(opinion or "").strip(),
        on=timezone.localdate(),
        by=by,
    )


def _begin(application, name: str, by):
    application = _locked(application)
    return application, APPLICATION_WORKFLOW.check(application, name, by)


def _move(application, step: Step, *, by, opinion: str = "", fields=()) -> WhitelistApplication:
    before = application.status
    application.status = step.target
    with acting(by):
        application.save(update_fields=["status", "updated_at", *fields])
    record_step(application, step.event_kind, by=by, before=before, opinion=opinion)
    return application


def _required(value, field: str, message) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError({field: [message]})
    return text


@transaction.atomic
def submit(application, *, by, opinion: str = ""):
    application, step = _begin(application, "submit", by)
    if not application.items.exists():
        raise ValidationError({"items": [_("List at least one item before submitting.")]})
    application.submitted_on = timezone.localdate()
    return _move(application, step, by=by, opinion=opinion, fields=("submitted_on",))


@transaction.atomic
def zone_approve(application, *, by, opinion: str = ""):
    application, step = _begin(application, "zone_approve", by)
    return _move(application, step, by=by, opinion=opinion)


@transaction.atomic
def return_for_changes(application, *, by, opinion: str = ""):
    application, step = _begin(application, "return", by)
    opinion = _required(opinion, "opinion", _("Say what is to be changed."))
    return _move(application, step, by=by, opinion=opinion)


@transaction.atomic
def to_customs(application, *, by, customs_reference: str = "", opinion: str = ""):
    application, step = _begin(application, "to_customs", by)
    application.customs_reference = (customs_reference or "").strip()[:100]
    return _move(application, step, by=by, opinion=opinion, fields=("customs_reference",))


@transaction.atomic
def approve(application, *, by, approval_number: str = "", valid_from=None, valid_to=None, opinion: str = ""):
    """Customs' approval: its number and validity; each item is approved for the quantity applied for."""
    application, step = _begin(application, "approve", by)
    errors: dict = {}
    number = (approval_number or "").strip()
    if not number:
        errors["approval_number"] = [_("Give customs' approval number.")]
    for field, value in (("valid_from", valid_from), ("valid_to", valid_to)):
        if not isinstance(value, datetime.date):
            errors[field] = [_("This field is required.")]
    if not errors and valid_to < valid_from:
        errors["valid_to"] = [_("The validity ends on or after the day it starts.")]
    elif not errors and (valid_to - valid_from).days > MAX_YEARS * 366:
        errors["valid_to"] = [_("An approval runs for at most %(n)s years.") % {"n": MAX_YEARS}]
    if errors:
        raise ValidationError(errors)
    application.approval_number = number[:100]
    application.valid_from, application.valid_to = valid_from, valid_to
    application.expiry_warned_on = application.holding_warned_on = None
    with acting(by):
        for item in application.items.all():
            item.approved_quantity = item.quantity
            item.save(update_fields=["approved_quantity", "updated_at"])
    fields = ("approval_number", "valid_from", "valid_to", "expiry_warned_on", "holding_warned_on")
    return _move(application, step, by=by, opinion=opinion, fields=fields)


@transaction.atomic
def reject(application, *, by, reason: str = ""):
    application, step = _begin(application, "reject", by)
    application.reason = _required(reason, "reason", _("Give the reason for the rejection."))
    return _move(application, step, by=by, opinion=application.reason, fields=("reason",))


OPINION = Input("opinion", "text", gettext_lazy("Opinion"), max_length=2000, rows=2)


def _refusal(application, step: Step) -> str:
    return _("An application that is %(status)s cannot take the step “%(step)s”.") % {
        "status": application.get_status_display().lower(),
        "step": step.label,
    }


def _step(name, label, sources, target, who, run, **kwargs) -> Step:
    return Step(name, label, frozenset(sources), target, tuple(who), run, **kwargs)


APPLICATION_WORKFLOW = Workflow(
    "whitelist_application",
    state="status",
    refusal=_refusal,
    forbidden=gettext_lazy("You may not take this step on this application."),
    steps=[
        _step(
            "submit",
            gettext_lazy("Submit to the zone"),
            {S.DRAFT, S.RETURNED},
            S.SUBMITTED,
            (APPLICANT,),
            submit,
            inputs=(OPINION,),
            summary="Submit the application to the zone's review (at least one item)",
            icon="send",
        ),
        _step(
            "zone_approve",
            gettext_lazy("Approve in the zone's review"),
            {S.SUBMITTED},
            S.ZONE_APPROVED,
            (ZONE,),
            zone_approve,
            inputs=(OPINION,),
            summary="Approve the application in the zone's review",
            icon="check2",
            button="success",
        ),
        _step(
            "return",
            gettext_lazy("Return for changes"),
            {S.SUBMITTED},
            S.RETURNED,
            (ZONE,),
            return_for_changes,
            inputs=(
                Input("opinion", "text", gettext_lazy("Opinion"), required=True, max_length=2000, rows=3),
            ),
            summary="Return the application to the applicant for changes",
            icon="arrow-return-left",
            button="outline-warning",
        ),
        _step(
            "to_customs",
            gettext_lazy("Submit to customs"),
            {S.ZONE_APPROVED},
            S.AT_CUSTOMS,
            (ZONE,),
            to_customs,
            inputs=(
                Input("customs_reference", "text", gettext_lazy("Customs reference"), max_length=100),
                OPINION,
            ),
            summary="Record that the application (its customs xlsx) was handed to customs",
            help=gettext_lazy("Download the customs sheet first: it lists the items in customs' fields."),
            icon="box-arrow-up-right",
        ),
        _step(
            "approve",
            gettext_lazy("Record customs' approval"),
            {S.AT_CUSTOMS},
            S.APPROVED,
            (ZONE,),
            approve,
            inputs=(
                Input(
                    "approval_number", "text", gettext_lazy("Approval number"), required=True, max_length=100
                ),
                Input(
                    "valid_from",
                    "date",
                    gettext_lazy("Valid from"),
                    required=True,
                    initial=lambda u, a: a.period_from,
                ),
                Input(
                    "valid_to",
                    "date",
                    gettext_lazy("Valid to"),
                    required=True,
                    initial=lambda u, a: a.period_to,
                ),
                OPINION,
            ),
            summary="Record customs' approval with its number and validity",
            icon="check2-circle",
            button="success",
        ),
        _step(
            "reject",
            gettext_lazy("Record customs' rejection"),
            {S.AT_CUSTOMS},
            S.REJECTED,
            (ZONE,),
            reject,
            inputs=(Input("reason", "text", gettext_lazy("Reason"), required=True, max_length=2000, rows=3),),
            summary="Record customs' rejection with its reason",
            icon="x-circle",
            button="outline-danger",
        ),
    ],
)
STEP_LABELS = {"create": gettext_lazy("Created"), **{s.name: s.label for s in APPLICATION_WORKFLOW}}


def step_label(kind: str) -> str:
    return str(STEP_LABELS.get(kind, kind))
