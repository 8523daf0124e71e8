"""An appeal's page: its deadlines, timeline and files, and the forms of the steps the user may take
now (made from the workflow table); a step's POST runs the step's service."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import TemplateView

from zoneos.core.errors import Conflict
from zoneos.core.files import download
from zoneos.workdays.calendar import working_days_elapsed

from .. import services
from ..forms import AttachForm
from ..models import OWING, Appeal, AppealEvent, Escalation, EventKind, Rating, Status
from .queue import _appeals, _errors_to

WORKFLOW = services.APPEAL_WORKFLOW


def _span(start: datetime.datetime, end: datetime.datetime) -> str:
    """From `start` to the later `end`: in working days, or in hours and minutes within a day."""
    days = working_days_elapsed(start, end)
    if days >= 1:
        return ngettext("%(n)s working day", "%(n)s working days", days) % {"n": days}
    hours, minutes = divmod(max(int((end - start).total_seconds() // 60), 1), 60)
    if hours:
        return _("%(h)s h %(m)s min") % {"h": hours, "m": minutes}
    return _("%(m)s min") % {"m": minutes}


def deadline_clock(appeal: Appeal, now: datetime.datetime) -> dict:
    """The deadline whose clock runs now (as the sweep reads it) and the time left or overdue by."""
    if appeal.status not in OWING:
        if appeal.replied_at is not None:
            return {"state": "replied", "on_time": appeal.replied_on_time}
        return {"state": "none"}
    if appeal.paused_at is not None:
        return {"state": "paused", "since": appeal.paused_at}
    signing = appeal.status == Status.ASSIGNED and appeal.sign_for_due < appeal.reply_due
    due = appeal.sign_for_due if signing else appeal.reply_due
    if due < now:
        span = _span(due, now)
        text = _("Sign-for overdue by %(span)s") if signing else _("Reply overdue by %(span)s")
        return {"state": "late", "due": due, "signing": signing, "text": text % {"span": span}}
    span = _span(now, due)
    text = _("%(span)s left to sign for") if signing else _("%(span)s left to reply")
    return {"state": "running", "due": due, "signing": signing, "text": text % {"span": span}}


def _described(event: AppealEvent) -> AppealEvent:
    """The event's details as people read them (its `data` holds ids and codes)."""
    data, kind, detail, tone = event.data or {}, event.kind, "", "secondary"
    if kind == EventKind.ASSIGN and data.get("department"):
        detail = " · ".join(str(v) for v in (data["department"], data.get("handler")) if v)
    elif kind == EventKind.RETURN and data.get("department"):
        detail = _("from %(department)s") % {"department": data["department"]}
    elif kind in EXTENSION_EVENTS and isinstance(data.get("days"), int):
        detail = ngettext("%(n)s working day", "%(n)s working days", data["days"]) % {"n": data["days"]}
    elif kind == EventKind.EVALUATE and data.get("rating") in Rating.values:
        detail = Rating(data["rating"]).label
    elif kind == EventKind.ESCALATE and data.get("level") in Escalation.values:
        detail, tone = Escalation(data["level"]).label, "danger"
    elif kind == EventKind.REPLY and "on_time" in data:
        detail, tone = (_("On time"), "success") if data["on_time"] else (_("Late"), "danger")
    elif kind == EventKind.SIGN_FOR and data.get("late"):
        detail, tone = _("Late"), "danger"
    event.detail, event.tone = detail, tone
    return event


EXTENSION_EVENTS = {EventKind.REQUEST_EXTENSION, EventKind.APPROVE_EXTENSION, EventKind.REJECT_EXTENSION}


def _scoped_appeal(user, pk) -> Appeal:
    return get_object_or_404(
        _appeals(user).select_related(
            "enterprise__area", "area", "department__area", "handler", "submitter", "symposium", "visit"
        ),
        pk=pk,
    )


class DetailView(LoginRequiredMixin, TemplateView):
    template_name = "appeals/detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        appeal = kwargs.get("appeal") or _scoped_appeal(user, self.kwargs["pk"])
        failed, failed_form = kwargs.get("failed") or (None, None)
        steps = []
        # The step that moves the appeal on comes first (and opens): reply before "ask for more time".
        allowed = [WORKFLOW[name] for name in services.allowed_actions(user, appeal)]
        for step in sorted(allowed, key=lambda step: not step.extra.get("leads")):
            name = step.name
            if name == failed:
                form = failed_form
            else:
                form = WORKFLOW.form_class(name)(user=user, record=appeal, prefix=name)
            steps.append({"name": name, "step": step, "form": form})
        active = failed if failed in {s["name"] for s in steps} else (steps[0]["name"] if steps else None)
        may_attach = appeal.status != Status.CLOSED and services.may_attach(user, appeal)
        now = timezone.now()
        context.update(
            appeal=appeal,
            now=now,
            clock=deadline_clock(appeal, now),
            steps=steps,
            active=active,
            events=[_described(e) for e in appeal.events.select_related("by")],
            attachments=appeal.attachments.select_related("uploaded_by"),
            attach_form=failed_form if failed == "attach" else AttachForm(prefix="attach"),
            may_attach=may_attach,
            error=kwargs.get("error"),
        )
        return context


def _attach(appeal: Appeal, *, by, file) -> None:
    services.attach(appeal, by=by, upload=file)


class StepView(DetailView):
    """POST /appeals/<id>/<step>/: the step's form to its service; field errors and refusals come back
    on the appeal's page, success redirects to it."""

    def get(self, request, pk, step):
        if step not in WORKFLOW and step != "attach":
            raise Http404
        return redirect("appeals:detail", pk=pk)

    def post(self, request, pk, step):
        if step not in WORKFLOW and step != "attach":
            raise Http404
        appeal = _scoped_appeal(request.user, pk)
        if step == "attach":
            form = AttachForm(request.POST, request.FILES, prefix=step)
            label, run = _("Attach a file"), _attach
        else:
            form_class = WORKFLOW.form_class(step)
            form = form_class(request.POST, request.FILES, user=request.user, record=appeal, prefix=step)
            label, run = WORKFLOW[step].label, WORKFLOW[step].run
        error, status = None, 400
        if form.is_valid():
            try:
                run(appeal, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                _errors_to(form, exc)
            except Conflict as exc:
                error, status = str(exc.detail), 409
            except PermissionDenied as exc:
                error, status = str(exc) or _("You may not take this step on this appeal."), 403
            else:
                messages.success(request, _("%(step)s: done.") % {"step": label})
                return redirect(appeal.get_absolute_url())
        context = self.get_context_data(appeal=appeal, failed=(step, form), error=error)
        return self.render_to_response(context, status=status)


class AttachmentView(LoginRequiredMixin, View):
    """An attachment, to whoever sees its appeal."""

    def get(self, request, pk, file_pk):
        appeal = get_object_or_404(_appeals(request.user), pk=pk)
        attachment = get_object_or_404(appeal.attachments, pk=file_pk)
        return download(attachment.file, attachment.name)
