"""Pages of policy applications: the list (for an item, an enterprise, a status, the overdue
payments), a new application, an application's page with its step forms, timeline, payments and
frozen trace, and each reviewer's queue. The step forms and buttons are the steps the user may take
now, from the application's table; every change goes through the services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Max, Q
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from zoneos.accounts.scoping import memberships, roles, scope
from zoneos.audit.history import display_rows
from zoneos.core.errors import Conflict
from zoneos.core.filters import as_id, as_number
from zoneos.core.roles import VIEW, Role
from zoneos.core.views import narrow
from zoneos.enterprises.models import Enterprise

from . import applications as services
from .models import APPLICATION_COLOR, ApplicationStatus, PolicyApplication, PolicyItem
from .money import overdue_q
from .review_parties import APPLYING_ROLES
from .views_facts import may_verify

S = ApplicationStatus
WORKFLOW = services.APPLICATION_WORKFLOW
# Steps the applicant takes: a reviewer's queue is made of the others.
APPLICANT_STEPS = frozenset({"submit", "confirm", "resubmit", "withdraw"})
TRACE_COLOR = {
    "met": "success",
    "eligible": "success",
    "unmet": "danger",
    "not_eligible": "danger",
    "unknown": "warning",
    "manual_review": "info",
    "not_applicable": "secondary",
}


def applications_for(user):
    return scope(
        PolicyApplication.objects.select_related("item__department__area", "enterprise__area"), user, VIEW
    )


def may_apply(user) -> bool:
    return user.is_superuser or bool(roles(user) & (APPLYING_ROLES | {Role.ENTERPRISE}))


def _mark(rows, today):
    for a in rows:
        a.is_overdue = a.overdue_on(today)
    return rows


class ApplicationListView(LoginRequiredMixin, TemplateView):
    """Applications the user sees, for an item or an enterprise, by status; overdue payments flagged."""

    template_name = "policies/applications/list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, get = self.request.user, self.request.GET
        today = timezone.localdate()
        seen = narrow(applications_for(user), self.request)
        rows = seen
        item = enterprise = None
        if as_id(get.get("item", "")):
            item = get_object_or_404(scope(PolicyItem.objects.all(), user, VIEW), pk=as_id(get["item"]))
            rows = rows.filter(item=item)
        if as_id(get.get("enterprise", "")):
            enterprise = get_object_or_404(
                scope(Enterprise.objects.all(), user, VIEW), pk=as_id(get["enterprise"])
            )
            rows = rows.filter(enterprise=enterprise)
        counts = rows.aggregate(
            total=Count("pk"),
            review=Count(
                "pk", filter=Q(status__in=[S.SUBMITTED, S.ACCEPTED, S.PRELIMINARY, S.REVIEW, S.PUBLICITY])
            ),
            offered=Count("pk", filter=Q(status=S.OFFERED)),
            overdue=Count("pk", filter=overdue_q(today)),
        )
        status = get.get("status", "")
        if status in S.values:
            rows = rows.filter(status=status)
        overdue = get.get("overdue") == "1"
        if overdue:
            rows = rows.filter(overdue_q(today))
        year = as_number(get.get("year", ""))
        if year:
            rows = rows.filter(year=year)
        context.update(
            applications=_mark(list(rows.order_by("-created_at", "-id")[:500]), today),
            item=item,
            enterprise=enterprise,
            status=status,
            overdue=overdue,
            statuses=S.choices,
            counts=counts,
            may_apply=may_apply(user),
            query=get.urlencode(),
        )
        return context


class ApplicationCreateView(LoginRequiredMixin, TemplateView):
    """A new draft application: the enterprise's own users or staff applying for an enterprise."""

    template_name = "policies/applications/new.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not may_apply(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def choices(self):
        user = self.request.user
        items = scope(PolicyItem.objects.select_related("policy"), user, VIEW).order_by("code")
        own = [m.enterprise_id for m in memberships(user) if m.role == Role.ENTERPRISE]
        enterprises = scope(Enterprise.objects.all(), user, VIEW)
        if own and not user.is_superuser:
            enterprises = enterprises.filter(pk__in=own)
        return items[:500], enterprises.order_by("name")[:500]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        items, enterprises = self.choices()
        form = kwargs.get("form") or {
            "item": self.request.GET.get("item", ""),
            "enterprise": self.request.GET.get("enterprise", ""),
        }
        context.update(items=items, enterprises=enterprises, form=form, errors=kwargs.get("errors") or {})
        return context

    def post(self, request):
        items, enterprises = self.choices()
        form = {
            k: request.POST.get(k, "").strip()
            for k in ("item", "enterprise", "requested_amount", "statement")
        }
        errors: dict = {}
        item = items.model.objects.filter(pk__in=items.values("pk"), pk=as_id(form["item"]) or 0).first()
        enterprise = enterprises.model.objects.filter(
            pk__in=enterprises.values("pk"), pk=as_id(form["enterprise"]) or 0
        ).first()
        if item is None:
            errors["item"] = [_("Choose an item.")]
        if enterprise is None:
            errors["enterprise"] = [_("Choose an enterprise.")]
        if not errors:
            try:
                application = services.create_application(
                    by=request.user,
                    item=item,
                    enterprise=enterprise,
                    requested_amount=form["requested_amount"] or None,
                    declared={"statement": form["statement"]} if form["statement"] else {},
                )
            except ValidationError as exc:
                errors = exc.message_dict
            except Conflict as exc:
                errors = {"item": [str(exc.detail)]}
            else:
                messages.success(
                    request, _("The application is saved as a draft: submit it when it is ready.")
                )
                return redirect(application.get_absolute_url())
        return self.render_to_response(self.get_context_data(form=form, errors=errors), status=400)


class ApplicationDetailView(LoginRequiredMixin, TemplateView):
    """An application with its trace, timeline, payments and the forms of the steps the user may take."""

    template_name = "policies/applications/detail.html"

    def application(self):
        return get_object_or_404(applications_for(self.request.user), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        application = kwargs.get("application") or self.application()
        application.is_overdue = application.overdue_on(timezone.localdate())
        trace = application.trace or {}
        criteria = [
            {**c, "color": TRACE_COLOR.get(c.get("result"), "secondary")} for c in trace.get("criteria") or []
        ]
        context.update(
            application=application,
            steps=application.steps.select_related("by"),
            payments=application.payments.select_related("by"),
            trace=trace,
            trace_color=TRACE_COLOR.get(trace.get("result"), "secondary"),
            criteria=criteria,
            step_forms=_step_forms(application, self.request.user, kwargs.get("posted")),
            history=display_rows(application, self.request.user),
            errors=kwargs.get("errors") or {},
        )
        return context

    def post(self, request, pk):
        application = self.application()
        name = request.POST.get("step", "")
        if name not in WORKFLOW:
            context = self.get_context_data(
                application=application, errors={"step": [_("Choose what to do.")]}
            )
            return self.render_to_response(context, status=400)
        form = WORKFLOW.form_class(name)(request.POST, user=request.user, record=application)
        if form.is_valid():
            try:
                WORKFLOW.take(name, application, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            except Conflict as exc:
                messages.error(request, str(exc.detail))
                return redirect(application.get_absolute_url())
            else:
                messages.success(request, _("Done: %(step)s.") % {"step": WORKFLOW[name].label})
                return redirect(application.get_absolute_url())
        context = self.get_context_data(application=application, posted=form)
        return self.render_to_response(context, status=400)


def _step_forms(application, user, posted=None) -> list[dict]:
    """One form per step the user may take now, the posted one keeping its data and errors."""
    forms = []
    for name in WORKFLOW.allowed(user, application):
        step = WORKFLOW[name]
        form = posted if posted is not None and posted.step.name == name else None
        if form is None:
            form = WORKFLOW.form_class(name)(user=user, record=application, prefix=None)
        forms.append({"name": name, "step": step, "form": form})
    return forms


class ReviewQueueView(LoginRequiredMixin, TemplateView):
    """The applications waiting on the user: those where they may take a reviewer's step now, the
    longest waiting first."""

    template_name = "policies/applications/queue.html"
    LIMIT = 500

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        today = timezone.localdate()
        reviewer_states = set().union(*(s.sources for s in WORKFLOW if s.name not in APPLICANT_STEPS))
        rows = (
            narrow(applications_for(user), self.request)
            .filter(status__in=reviewer_states)
            .annotate(last_step=Max("steps__on"))
            .order_by("last_step", "id")[: self.LIMIT]
        )
        mine = []
        for a in rows:
            steps = [n for n in WORKFLOW.allowed(user, a) if n not in APPLICANT_STEPS]
            if steps:
                a.next_steps = [WORKFLOW[n] for n in steps]
                a.waiting = (today - a.last_step).days if a.last_step else 0
                a.is_overdue = a.overdue_on(today)
                mine.append(a)
        context.update(applications=mine, by_status=_count(mine), may_verify=may_verify(user))
        return context


def _count(rows) -> list[tuple]:
    counts: dict = {}
    for a in rows:
        counts[a.status] = counts.get(a.status, 0) + 1
    return [(S(k).label, APPLICATION_COLOR[k], n) for k, n in counts.items()]
