"""The one table of an appeal's steps. Each row says the states a step starts from, the state it leads
to (none for the flags: urging, pausing, resuming), the parties who take it, any further condition,
its inputs, its words on the page and in the API document, and the service verb that runs it.

The verbs in `steps.py` check against this table under their row lock and write the state it leads to;
`allowed_actions`, the appeal page's step forms, the API's step actions (with their OpenAPI entries)
and the permission matrix's appeal cases are all derived from it.
"""

from __future__ import annotations

from functools import partial

from django.db.models import OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zoneos.accounts.models import Membership, User
from zoneos.accounts.scoping import scope
from zoneos.areas.models import Department, subtree_q
from zoneos.core.roles import VIEW, Role
from zoneos.core.workflow import Input, Step, Workflow

from ..models import ANSWERED, OWING, Appeal, EventKind, Rating, Status
from ..styles import StyledForm
from . import steps
from .parties import DISPATCHER, ENTERPRISE, HANDLER, HEAD

S = Status


def serving_departments(user, appeal: Appeal | None):
    """Departments in the user's scope that may serve the appeal's area: on it, above it or below it."""
    departments = scope(Department.objects.select_related("area"), user, VIEW).order_by("area__path", "name")
    if appeal is None:
        return departments
    path = appeal.area.path
    parts = [p for p in path.strip("/").split("/") if p]
    above = ["/" + "/".join(parts[:i]) + "/" for i in range(1, len(parts) + 1)]
    return departments.filter(Q(area__path__in=above) | subtree_q(Department, path))


def _handlers():
    return User.objects.filter(memberships__role=Role.HANDLER).distinct()


def _handler_choices(user, appeal: Appeal):
    """The handlers of the departments a page offers, each with the department they work in."""
    works = Membership.objects.filter(role=Role.HANDLER, department__in=serving_departments(user, appeal))
    where = works.filter(user=OuterRef("pk")).order_by("-pk")
    return (
        User.objects.filter(pk__in=works.values("user_id"))
        .annotate(
            department_name=Subquery(where.values("department__name")[:1]),
            department_name_en=Subquery(where.values("department__name_en")[:1]),
        )
        .order_by("username")
    )


def _handler_label(user) -> str:
    department = Department(name=user.department_name or "", name_en=user.department_name_en or "")
    return f"{user} · {department.label}"


def _not_paused(appeal: Appeal) -> bool:
    return appeal.paused_at is None


def _refusal(appeal: Appeal, step: Step) -> str:
    return _("An appeal that is %(status)s cannot be %(step)s.") % {
        "status": appeal.get_status_display(),
        "step": EventKind(step.event_kind).label.lower(),
    }


NOTE = Input("note", "text", _("Note"), max_length=2000, rows=2)
REASON = Input("reason", "text", _("Reason"), required=True, max_length=2000, rows=3)
# Signed for or in progress: the department works on the appeal.
AT_WORK = frozenset({S.SIGNED_FOR, S.IN_PROGRESS})

APPEAL_WORKFLOW = Workflow(
    "appeal",
    state="status",
    form_base=StyledForm,
    refusal=_refusal,
    forbidden=_("You may not take this step on this appeal."),
    steps=[
        Step(
            "assign",
            _("Assign"),
            frozenset({S.SUBMITTED, S.RETURNED, S.REOPENED, S.ASSIGNED}),
            S.ASSIGNED,
            (DISPATCHER,),
            steps.assign,
            inputs=(
                Input(
                    "department",
                    "record",
                    _("Department"),
                    required=True,
                    model=Department,
                    queryset=lambda user, appeal: scope(Department.objects.all(), user, VIEW),
                    page_queryset=serving_departments,
                    label_from_instance=lambda d: f"{d.label} · {d.area.label}",
                    initial=lambda user, appeal: appeal.department_id if appeal else None,
                ),
                Input(
                    "handler",
                    "record",
                    _("Handler"),
                    help=_("Optional: otherwise every handler of the department sees it in their queue."),
                    allow_null=True,
                    model=User,
                    queryset=lambda user, appeal: _handlers(),
                    page_queryset=_handler_choices,
                    label_from_instance=_handler_label,
                ),
                NOTE,
            ),
            summary="Route the appeal to a department (and a handler)",
            help=_("Route the appeal to the department that handles it; its sign-for clock starts now."),
            icon="signpost-split",
            extra={"leads": True},
        ),
        Step(
            "sign_for",
            _("Sign for"),
            frozenset({S.ASSIGNED}),
            S.SIGNED_FOR,
            (HANDLER,),
            steps.sign_for,
            when=_not_paused,
            summary="Sign for the appeal (the department takes it on)",
            help=_("Your department takes the appeal on. The reply deadline keeps running."),
            icon="check2-square",
            extra={"leads": True},
        ),
        Step(
            "return",
            _("Return"),
            frozenset({S.ASSIGNED, S.SIGNED_FOR}),
            S.RETURNED,
            (HANDLER,),
            steps.return_appeal,
            inputs=(REASON,),
            when=_not_paused,
            summary="Return a mis-routed appeal, with the reason",
            help=_("Not your department's business: it goes back to routing with your reason."),
            icon="arrow-return-left",
            button="outline-danger",
        ),
        Step(
            "start",
            _("Start work"),
            frozenset({S.SIGNED_FOR}),
            S.IN_PROGRESS,
            (HANDLER,),
            steps.start,
            when=_not_paused,
            summary="Start working on the appeal",
            help=_("Mark the appeal as being worked on."),
            icon="play-circle",
            button="outline-primary",
        ),
        Step(
            "request_extension",
            _("Ask for more time"),
            AT_WORK,
            S.EXTENSION_REQUESTED,
            (HANDLER,),
            steps.request_extension,
            inputs=(
                Input(
                    "days",
                    "int",
                    _("More working days"),
                    required=True,
                    min_value=1,
                    max_value=steps.MAX_EXTENSION_DAYS,
                ),
                Input("reason", "text", _("Reason"), required=True, max_length=2000, rows=2),
            ),
            when=_not_paused,
            summary="Ask for more working days before the reply deadline",
            help=_("Asked before the reply deadline; a head of the department or the zone decides."),
            icon="hourglass-split",
            button="outline-primary",
        ),
        Step(
            "approve_extension",
            _("Approve the extension"),
            frozenset({S.EXTENSION_REQUESTED}),
            S.IN_PROGRESS,
            (HEAD, DISPATCHER),
            partial(steps.decide_extension, approve=True),
            inputs=(NOTE,),
            summary="Approve the extension: the reply deadline moves",
            help=_("The reply deadline moves by the working days asked for."),
            icon="check2-circle",
            button="success",
            extra={"leads": True},
        ),
        Step(
            "reject_extension",
            _("Refuse the extension"),
            frozenset({S.EXTENSION_REQUESTED}),
            S.IN_PROGRESS,
            (HEAD, DISPATCHER),
            partial(steps.decide_extension, approve=False),
            inputs=(NOTE,),
            summary="Refuse the extension",
            help=_("The reply deadline stays as it is."),
            icon="x-circle",
            button="outline-danger",
        ),
        Step(
            "pause",
            _("Wait on the enterprise"),
            AT_WORK,
            None,
            (HANDLER,),
            steps.pause,
            inputs=(REASON,),
            when=_not_paused,
            summary="Wait on the enterprise: the deadlines stop",
            help=_("The deadlines stop until the enterprise provides what is asked for."),
            icon="pause-circle",
            button="outline-secondary",
        ),
        Step(
            "resume",
            _("Resume"),
            AT_WORK,
            None,
            (HANDLER, DISPATCHER),
            steps.resume,
            inputs=(NOTE,),
            when=lambda appeal: appeal.paused_at is not None,
            summary="Resume: the deadlines move by the working time spent waiting",
            help=_("The deadlines move by the working time spent waiting."),
            icon="play-circle",
            extra={"leads": True},
        ),
        Step(
            "reply",
            _("Reply"),
            AT_WORK,
            S.REPLIED,
            (HANDLER,),
            steps.reply,
            # A reply while waiting on the enterprise ends the wait: no `when`.
            inputs=(
                Input("reply", "text", _("Reply to the enterprise"), required=True, max_length=10000, rows=6),
            ),
            summary="Reply to the enterprise",
            help=_("The enterprise is told and asked to confirm and rate the reply."),
            icon="reply",
            extra={"leads": True},
        ),
        Step(
            "evaluate",
            _("Rate the reply"),
            frozenset({S.REPLIED}),
            S.EVALUATED,
            (ENTERPRISE, DISPATCHER),
            steps.evaluate,
            inputs=(
                Input("rating", "choice", _("Rating"), required=True, choices=Rating.choices),
                Input(
                    "comment",
                    "text",
                    _("Comment"),
                    max_length=2000,
                    rows=2,
                    help=_("Required when dissatisfied: say what is still wrong."),
                ),
            ),
            summary="Confirm and rate the reply (the enterprise, or staff after a return call)",
            help=_("Does the reply settle the appeal?"),
            icon="star",
            extra={"leads": True},
        ),
        Step(
            "close",
            pgettext_lazy("appeal step", "Close"),
            ANSWERED,
            S.CLOSED,
            (DISPATCHER,),
            steps.close,
            inputs=(NOTE,),
            summary="Close the appeal",
            help=_("Settle the appeal; unrated, once the enterprise's time to confirm has passed."),
            icon="archive",
            button="outline-secondary",
        ),
        Step(
            "reopen",
            _("Reopen"),
            ANSWERED,
            S.REOPENED,
            (ENTERPRISE, DISPATCHER),
            steps.reopen,
            inputs=(REASON,),
            # A rated reply is reopened only when it was rated dissatisfied.
            when=lambda appeal: appeal.status != S.EVALUATED or appeal.rating == Rating.DISSATISFIED,
            summary="Reopen the appeal: the reply did not settle it",
            help=_("The reply did not settle it: the appeal goes back to routing with a new deadline."),
            icon="arrow-counterclockwise",
            button="outline-danger",
        ),
        Step(
            "urge",
            _("Urge"),
            OWING,
            None,
            (ENTERPRISE, DISPATCHER),
            steps.urge,
            inputs=(NOTE,),
            summary="Urge the appeal (催办)",
            help=_("Remind whoever holds the appeal; it is flagged as urged."),
            icon="bell",
            button="outline-warning",
        ),
    ],
)


def allowed_actions(user, appeal: Appeal) -> list[str]:
    """The steps `user` may take on `appeal` now, in the order pages show them."""
    return APPEAL_WORKFLOW.allowed(user, appeal)
