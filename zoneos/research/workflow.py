"""The one table of a research project's steps (`PROJECT_WORKFLOW`), and the services that take them.

application ─submit→ formal_check ─pass_check→ evaluation ─approve→ approved ─sign_contract→
contracted ─pass_midterm→ midterm ─accept→ accepted ─close→ closed; the formal check may return an
application to its applicant; a project in formal check or evaluation may be rejected, and a rejected
one closed. The area's keepers (admins, park staff) take the steps; approval and acceptance (验收) are
the admins'. Approval waits for the evaluation's result (three reviewers who scored without a conflict).

Every step is one transaction: it locks the project's row, asks the table whether the user takes the
step and the state allows it (403, 409), writes the new status and the history with its author.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zoneos.accounts.scoping import memberships
from zoneos.audit.context import acting
from zoneos.core.workflow import Input, Party, Step, Workflow

from . import figures
from .models import BudgetLine, ProjectStep, ResearchProject, Status
from .scoping import ADMINS, KEEPERS

S = Status


def _over(user, project, roles) -> bool:
    if user.is_superuser:
        return True
    path = project.area.path
    return any(m.role in roles and m.area_id and path.startswith(m.area.path) for m in memberships(user))


KEEPER = Party("keeper", lambda user, project: _over(user, project, KEEPERS))
APPROVER = Party("approver", lambda user, project: _over(user, project, ADMINS))


def _locked(project) -> ResearchProject:
    return (
        ResearchProject.objects.select_for_update(of=("self",))
        .select_related("area", "programme")
        .get(pk=project.pk)
    )


def _move(name: str, project, by, *, fields=(), prepare=None, opinion: str = "") -> ResearchProject:
    project = _locked(project)
    step = PROJECT_WORKFLOW.check(project, name, by)
    if prepare is not None:
        prepare(project)
    before, project.status = project.status, step.target
    with acting(by):
        project.save(update_fields=["status", "updated_at", *fields])
    ProjectStep.objects.create(
        project=project,
        kind=step.event_kind,
        from_status=before,
        to_status=project.status,
        opinion=(opinion or "").strip(),
        by=by,
    )
    return project


def _required(value, field: str, message) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError({field: [message]})
    return text


def _plain(name: str, *, opinion_required: bool = False):
    @transaction.atomic
    def run(project, *, by, opinion: str = "") -> ResearchProject:
        if opinion_required:
            _required(opinion, "opinion", _("Give the reason."))
        return _move(name, project, by, opinion=opinion)

    run.__name__ = name
    return run


@transaction.atomic
def submit(project, *, by, opinion: str = "") -> ResearchProject:
    """Hand the application in for the formal check: it needs a budget."""

    def prepare(project):
        if not BudgetLine.objects.filter(project=project, amount__gt=0).exists():
            raise ValidationError({"budget": [_("Give the budget by category before submitting.")]})

    return _move("submit", project, by, prepare=prepare, opinion=opinion)


@transaction.atomic
def sign_contract(project, *, by, contract_no: str = "") -> ResearchProject:
    def prepare(project):
        project.contract_no = _required(contract_no, "contract_no", _("Give the contract number."))[:60]

    return _move("sign_contract", project, by, fields=("contract_no",), prepare=prepare)


pass_check = _plain("pass_check")
return_application = _plain("return", opinion_required=True)
approve = _plain("approve")
reject = _plain("reject", opinion_required=True)
pass_midterm = _plain("pass_midterm")
accept = _plain("accept")
close = _plain("close")


def _has_result(project) -> bool:
    return figures.evaluation(project).result is not None


def _refusal(project, step: Step) -> str:
    if step.name == "approve" and project.status == S.EVALUATION:
        return _("The evaluation has no result yet: it needs %(n)s reviewers' scores without a conflict.") % {
            "n": figures.MIN_REVIEWERS
        }
    return _("A project in “%(status)s” cannot take the step “%(step)s”.") % {
        "status": project.get_status_display(),
        "step": step.label,
    }


OPINION = Input("opinion", "text", gettext_lazy("Opinion"), max_length=2000, rows=2)
REASON = Input("opinion", "text", gettext_lazy("Reason"), required=True, max_length=2000, rows=2)


def _row(name, label, sources, target, who, run, **kwargs) -> Step:
    return Step(name, label, frozenset(sources), target, tuple(who), run, **kwargs)


PROJECT_WORKFLOW = Workflow(
    "research_project",
    state="status",
    refusal=_refusal,
    forbidden=gettext_lazy("You may not take this step on this project."),
    steps=[
        _row("submit", gettext_lazy("Submit for the formal check"), {S.APPLICATION}, S.FORMAL_CHECK,
             (KEEPER,), submit, inputs=(OPINION,), icon="send",
             summary="Submit the application for the formal check (it needs a budget)"),
        _row("pass_check", gettext_lazy("Pass the formal check"), {S.FORMAL_CHECK}, S.EVALUATION,
             (KEEPER,), pass_check, inputs=(OPINION,), icon="check2",
             summary="Pass the formal check: the project goes to expert evaluation"),
        _row("return", gettext_lazy("Return to the applicant"), {S.FORMAL_CHECK}, S.APPLICATION,
             (KEEPER,), return_application, inputs=(REASON,), icon="arrow-return-left",
             button="outline-warning", summary="Return the application for completion, with the reason"),
        _row("approve", gettext_lazy("Approve"), {S.EVALUATION}, S.APPROVED, (APPROVER,), approve,
             inputs=(OPINION,), when=_has_result, icon="check2-circle", button="success",
             summary="Approve the project (needs the evaluation's result: three reviewers' scores)"),
        _row("reject", gettext_lazy("Reject"), {S.FORMAL_CHECK, S.EVALUATION}, S.REJECTED, (KEEPER,),
             reject, inputs=(REASON,), icon="x-circle", button="outline-danger",
             summary="Reject the project, with the reason"),
        _row("sign_contract", gettext_lazy("Sign the contract"), {S.APPROVED}, S.CONTRACTED, (KEEPER,),
             sign_contract,
             inputs=(Input("contract_no", "text", gettext_lazy("Contract number"), required=True,
                           max_length=60),),
             icon="pen", summary="Record the signed contract: the project runs and money may be spent"),
        _row("pass_midterm", gettext_lazy("Pass the mid-term check"), {S.CONTRACTED}, S.MIDTERM,
             (KEEPER,), pass_midterm, inputs=(OPINION,), icon="clipboard-check",
             summary="Record the mid-term check as passed"),
        _row("accept", gettext_lazy("Accept (验收)"), {S.MIDTERM}, S.ACCEPTED, (APPROVER,), accept,
             inputs=(OPINION,), icon="award", button="success",
             summary="Accept the project's results (验收)"),
        _row("close", gettext_lazy("Close"), {S.ACCEPTED, S.REJECTED}, S.CLOSED, (KEEPER,), close,
             inputs=(OPINION,), icon="archive", button="outline-secondary", summary="Close the project"),
    ],
)  # fmt: skip
