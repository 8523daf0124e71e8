"""Supervision orders (督办): issued about a key project to an area or a department, due in working
days, answered by the addressee, closed or sent back by supervisors.

`ORDER_WORKFLOW` is the one table of an order's steps; the verbs below run it, and the API's step
actions, the order page's forms and `allowed_actions` are made from it. Issuing and withdrawing (an
order's creation and deletion) are verbs of their own.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zoneos.accounts.scoping import may_place, memberships, require
from zoneos.areas.models import Area
from zoneos.audit.context import acting
from zoneos.core.errors import Conflict
from zoneos.core.roles import CHANGE, Role
from zoneos.core.workflow import Input, Party, Step, Workflow
from zoneos.workdays.calendar import CalendarMissing, add_working_days

from ..models import KeyProject, OrderEvent, OrderStatus, SupervisionOrder

MAX_DEADLINE_DAYS = 60
# Who answers for an addressed area (a department's handlers answer for their department).
ANSWERING_ROLES = frozenset({Role.PARK_STAFF, Role.ADMIN, Role.SUPERVISOR, Role.LEADER})


def overdue_q(today: datetime.date) -> Q:
    """Orders open past their due date, or answered after it."""
    return Q(status=OrderStatus.OPEN, due_on__lt=today) | Q(answered_on__gt=F("due_on"))


def may_answer(order: SupervisionOrder, user) -> bool:
    """The addressee answers: staff of the addressed area (or above it), or the addressed department's
    handlers; superusers too."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    for m in memberships(user):
        if order.to_department_id and m.department_id == order.to_department_id:
            return True
        if (
            order.to_area_id
            and m.area_id
            and m.role in ANSWERING_ROLES
            and order.to_area.path.startswith(m.area.path)
        ):
            return True
    return False


def may_issue(project: KeyProject, user) -> bool:
    return may_place(SupervisionOrder, project.area, user)


def _move_order(order: SupervisionOrder, step: Step, *, by, note: str = "") -> SupervisionOrder:
    """Write the step checked under the order's row lock: the new state is the step's target."""
    before = order.status
    order.status = step.target
    with acting(by):
        order.save()
    OrderEvent.objects.create(order=order, from_status=before, to_status=step.target, note=note, by=by)
    return order


def _locked_order(order: SupervisionOrder) -> SupervisionOrder:
    return (
        SupervisionOrder.objects.select_for_update(of=("self",))
        .select_related("key_project__area", "to_area", "to_department")
        .get(pk=order.pk)
    )


@transaction.atomic
def issue_order(
    *,
    by,
    key_project: KeyProject,
    subject: str,
    deadline_days: int,
    to_area: Area | None = None,
    to_department=None,
    instructions: str = "",
    issued_on: datetime.date | None = None,
) -> SupervisionOrder:
    """Issue an order about `key_project` to an area or a department, due `deadline_days` working days
    after the day it is issued (counted from the next day)."""
    if not may_issue(key_project, by):
        raise PermissionDenied(_("You may not issue supervision orders about this project."))
    errors: dict = {}
    if bool(to_area) == bool(to_department):
        errors["to_area"] = [_("Address the order to one area or one department.")]
    if not (subject or "").strip():
        errors["subject"] = [_("Say what the order is about.")]
    if deadline_days is None or not 1 <= deadline_days <= MAX_DEADLINE_DAYS:
        errors["deadline_days"] = [
            _("Give a deadline of 1 to %(max)s working days.") % {"max": MAX_DEADLINE_DAYS}
        ]
    issued_on = issued_on or timezone.localdate()
    due_on = None
    if "deadline_days" not in errors:
        try:
            due_on = add_working_days(issued_on, deadline_days)
        except CalendarMissing as exc:
            errors["deadline_days"] = [str(exc)]
    if errors:
        raise ValidationError(errors)
    order = SupervisionOrder(
        key_project=key_project,
        to_area=to_area,
        to_department=to_department,
        subject=subject.strip(),
        instructions=instructions,
        issued_on=issued_on,
        deadline_days=deadline_days,
        due_on=due_on,
        issued_by=by,
    )
    with acting(by):
        order.save()
    OrderEvent.objects.create(order=order, to_status=OrderStatus.OPEN, note=instructions, by=by)
    return order


@transaction.atomic
def answer_order(order: SupervisionOrder, *, by, answer: str) -> SupervisionOrder:
    order = _locked_order(order)
    step = ORDER_WORKFLOW.check(order, "answer", by)
    if not (answer or "").strip():
        raise ValidationError({"answer": [_("Write the answer.")]})
    order.answer = answer.strip()
    order.answered_on = timezone.localdate()
    return _move_order(order, step, by=by, note=order.answer)


@transaction.atomic
def close_order(order: SupervisionOrder, *, by, note: str = "") -> SupervisionOrder:
    """Accept the answer, or withdraw an open order (a note is then needed)."""
    order = _locked_order(order)
    step = ORDER_WORKFLOW.check(order, "close", by)
    if order.status == OrderStatus.OPEN and not (note or "").strip():
        raise ValidationError({"note": [_("Say why an unanswered order is closed.")]})
    order.closed_on = timezone.localdate()
    return _move_order(order, step, by=by, note=(note or "").strip())


@transaction.atomic
def send_back_order(order: SupervisionOrder, *, by, note: str = "") -> SupervisionOrder:
    """The answer does not settle it: the order is open again, with the same due date."""
    order = _locked_order(order)
    step = ORDER_WORKFLOW.check(order, "send_back", by)
    if not (note or "").strip():
        raise ValidationError({"note": [_("Say what the answer lacks.")]})
    order.answered_on = None
    return _move_order(order, step, by=by, note=note.strip())


# The table ------------------------------------------------------------------------------------------
ADDRESSEE = Party("addressee", lambda user, order: may_answer(order, user))
SUPERVISOR = Party("supervisor", lambda user, order: may_issue(order.key_project, user))
NOTE = Input("note", "text", gettext_lazy("Note"), max_length=2000, rows=4)
ORDER_WORKFLOW = Workflow(
    "order",
    state="status",
    steps=[
        Step(
            "answer",
            gettext_lazy("Send the answer"),
            frozenset({OrderStatus.OPEN}),
            OrderStatus.ANSWERED,
            (ADDRESSEE,),
            answer_order,
            inputs=(Input("answer", "text", gettext_lazy("Answer"), required=True, max_length=5000, rows=4),),
            summary="Answer the order (its addressee)",
            help=gettext_lazy("Say what has been done about the order."),
            icon="reply",
            forbidden=gettext_lazy("Only the addressee answers this order."),
        ),
        # Closing accepts the answer; closing an open order withdraws it, and then a note is needed.
        Step(
            "close",
            gettext_lazy("Accept and close"),
            frozenset({OrderStatus.OPEN, OrderStatus.ANSWERED}),
            OrderStatus.CLOSED,
            (SUPERVISOR,),
            close_order,
            inputs=(NOTE,),
            summary="Close the order: accept its answer, or withdraw it with a note",
            help=gettext_lazy("An order closed before it is answered is withdrawn: say why in the note."),
            icon="check2-circle",
            button="success",
            forbidden=gettext_lazy("Only supervisors close orders."),
            extra={"labels": {OrderStatus.OPEN: gettext_lazy("Withdraw")}},
        ),
        Step(
            "send_back",
            gettext_lazy("Send back"),
            frozenset({OrderStatus.ANSWERED}),
            OrderStatus.OPEN,
            (SUPERVISOR,),
            send_back_order,
            inputs=(NOTE,),
            summary="Send the answer back: the order is open again",
            help=gettext_lazy("Say what the answer lacks: the order is open again, with the same due date."),
            icon="arrow-counterclockwise",
            button="outline-danger",
            path="send-back",
            forbidden=gettext_lazy("Only supervisors send answers back."),
        ),
    ],
    refusal=lambda order, step: (
        _("An order that is %(now)s cannot become %(to)s.")
        % {"now": order.get_status_display(), "to": OrderStatus(step.target).label}
    ),
)


@transaction.atomic
def withdraw_order(order: SupervisionOrder, *, by) -> None:
    """Delete an order issued by mistake; only while nobody has answered it."""
    order = _locked_order(order)
    require(order, by, CHANGE)
    if order.status != OrderStatus.OPEN or order.events.filter(to_status=OrderStatus.ANSWERED).exists():
        raise Conflict(_("The order has been answered; close it instead."))
    with acting(by):
        order.delete()
