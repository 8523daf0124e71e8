"""Pages of research projects: the list with its filters and warnings, a project's page (its dashboard:
budget against spending per category, time and spending progress, warnings, the workflow's step forms,
the evaluation panel, adjustments and expenditures), the forms that add and change a project, the
auditors' workbook and a voucher's download; the confirmations that delete an application, take an
expert off a project and delete an expenditure recorded in error. Thin: figures come from `figures`,
every change from `services` and `workflow`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from zoneos.accounts.scoping import scope
from zoneos.audit.history import display_rows
from zoneos.core import navigation
from zoneos.core.errors import Conflict
from zoneos.core.files import download
from zoneos.core.roles import VIEW
from zoneos.core.views import ScopedListView, ServiceDeleteView, ServiceFormView

from . import figures, services
from .export import workbook
from .filters import ProjectFilter
from .forms import (
    AdjustmentForm,
    ConflictForm,
    DecideForm,
    ExpenditureForm,
    ProjectForm,
    ReviewerForm,
    ScoreForm,
)
from .models import (
    RUNNING,
    AdjustmentStatus,
    BudgetAdjustment,
    Expenditure,
    Programme,
    ResearchProject,
    Reviewer,
    Status,
)
from .workflow import APPROVER, KEEPER, PROJECT_WORKFLOW


class ProjectListView(ScopedListView):
    """Projects with their status, budget, spending and warnings; `?warned=1` keeps those warned of."""

    model = ResearchProject
    filterset_class = ProjectFilter
    template_name = "research/list.html"
    paginate_by = 50

    def base_queryset(self):
        return ResearchProject.objects.select_related("programme", "area", "enterprise").order_by(
            "-starts_on", "code", "pk"
        )

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.request.GET.get("warned") == "1":
            today = timezone.localdate()
            running = list(queryset.filter(status__in=RUNNING))
            warned = [pk for pk, s in figures.standings(running, today).items() if s.warnings]
            queryset = queryset.filter(pk__in=warned)
        return queryset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = list(context["object_list"])
        found = figures.standings(page, timezone.localdate())
        for project in page:
            project.standing = found[project.pk]
        context.update(
            object_list=page,
            statuses=Status.choices,
            programmes=scope(Programme.objects.all(), self.request.user, VIEW).order_by("-year", "code"),
            warned=self.request.GET.get("warned") == "1",
            sees_programmes=navigation.reads(self.request.user, Programme),
        )
        return context


class ProjectView(LoginRequiredMixin, TemplateView):
    """A project's dashboard, and the forms on it (each POST names its `form`)."""

    template_name = "research/project.html"

    def project(self) -> ResearchProject:
        queryset = scope(
            ResearchProject.objects.select_related("programme", "area", "enterprise"), self.request.user, VIEW
        )
        return get_object_or_404(queryset, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        project = kwargs.get("project") or self.project()
        user, posted = self.request.user, kwargs.get("posted") or {}
        today = timezone.localdate()
        standing = figures.standing(project, today)
        keeper, approver = KEEPER(user, project), APPROVER(user, project)
        # The experts are for staff (their scoping policy): the applicant's users never see them.
        sees_reviewers = navigation.reads(user, Reviewer)
        evaluation = figures.evaluation(project) if sees_reviewers else None
        criteria = project.programme.criteria
        tab = self.request.GET.get("tab", "overview")
        context.update(
            project=project,
            object=project,
            tab=tab if tab in ("overview", "history") else "overview",
            standing=standing,
            time_pct=int(standing.time_rate * 100),
            spent_pct=min(int((standing.spent_rate or 0) * 100), 100),
            evaluation=evaluation,
            result=figures.evaluation(project),
            criteria=criteria,
            keeper=keeper,
            approver=approver,
            running=project.status in RUNNING,
            evaluating=project.status == Status.EVALUATION,
            step_forms=self._step_forms(project, posted.get("step")),
            steps=project.steps.select_related("by"),
            adjustments=scope(BudgetAdjustment.objects.filter(project=project), user, VIEW).select_related(
                "requested_by", "decided_by"
            ),
            expenditures=scope(Expenditure.objects.filter(project=project), user, VIEW),
            reviewer_form=posted.get("reviewer") or ReviewerForm(),
            adjustment_form=posted.get("adjustment") or AdjustmentForm(),
            expenditure_form=posted.get("expenditure") or ExpenditureForm(initial={"spent_on": today}),
            score_forms={
                r["reviewer"].pk: (
                    posted.get("score")
                    if posted.get("score") is not None
                    and posted["score"].data.get("reviewer") == str(r["reviewer"].pk)
                    else ScoreForm(criteria=criteria, initial={"reviewer": r["reviewer"].pk})
                )
                for r in (evaluation.rows if evaluation else [])
            },
            posted_reviewer=_as_int(posted["score"].data.get("reviewer")) if posted.get("score") else None,
            pending=AdjustmentStatus.PENDING,
            may_edit=keeper,
        )
        if context["tab"] == "history":
            context["history"] = display_rows(project, user)
        return context

    def _step_forms(self, project, posted=None) -> list[dict]:
        forms = []
        for name in PROJECT_WORKFLOW.allowed(self.request.user, project):
            step = PROJECT_WORKFLOW[name]
            form = posted if posted is not None and posted.step.name == name else None
            if form is None:
                form = PROJECT_WORKFLOW.form_class(name)(user=self.request.user, record=project, prefix=None)
            forms.append({"name": name, "step": step, "form": form})
        return forms

    # Posts ------------------------------------------------------------------------------------------
    def post(self, request, pk):
        project = self.project()
        kind = request.POST.get("form", "")
        if kind not in FORMS:
            raise Http404
        handler, form = getattr(self, f"_post_{kind}"), FORMS[kind](request, project)
        if form.is_valid():
            try:
                done = handler(project, form)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            except (Conflict, PermissionDenied) as exc:
                messages.error(request, str(exc.detail if isinstance(exc, Conflict) else exc))
                return redirect(project.get_absolute_url() + POSTS[kind])
            else:
                messages.success(request, done)
                return redirect(project.get_absolute_url() + POSTS[kind])
        context = self.get_context_data(project=project, posted={kind: form})
        return self.render_to_response(context, status=400)

    def _post_step(self, project, form):
        PROJECT_WORKFLOW.take(form.step.name, project, by=self.request.user, **form.cleaned_data)
        return _("Done: %(step)s.") % {"step": form.step.label}

    def _post_reviewer(self, project, form):
        services.assign_reviewer(project, by=self.request.user, **form.cleaned_data)
        return _("The expert is assigned.")

    def _post_conflict(self, project, form):
        reviewer = _reviewer(project, form.cleaned_data["reviewer"], self.request.user)
        services.declare_conflict(
            reviewer,
            by=self.request.user,
            conflict=form.cleaned_data["conflict"],
            note=form.cleaned_data["conflict_note"],
        )
        return _("The declaration is recorded.")

    def _post_score(self, project, form):
        reviewer = _reviewer(project, form.cleaned_data["reviewer"], self.request.user)
        points = {k: v for k, v in form.cleaned_data.items() if k != "reviewer" and v is not None}
        services.score(reviewer, by=self.request.user, points=points)
        return _("The scores are recorded.")

    def _post_adjustment(self, project, form):
        done = services.request_adjustment(project, by=self.request.user, **form.cleaned_data)
        if done.status == AdjustmentStatus.PENDING:
            return _("The move is beyond the PI's share: it awaits an admin's approval.")
        return _("The budget is adjusted.")

    def _post_decide(self, project, form):
        adjustment = (
            scope(BudgetAdjustment.objects.filter(project=project), self.request.user, VIEW)
            .filter(pk=form.cleaned_data["adjustment"])
            .first()
        )
        if adjustment is None:
            raise Http404
        approve = form.cleaned_data["decision"] == "approve"
        services.decide_adjustment(
            adjustment, by=self.request.user, approve=approve, opinion=form.cleaned_data["opinion"]
        )
        return _("The adjustment is approved.") if approve else _("The adjustment is refused.")

    def _post_expenditure(self, project, form):
        services.record_expenditure(project, by=self.request.user, **form.cleaned_data)
        return _("The expenditure is recorded.")


def _as_int(value):
    return int(value) if str(value or "").isdigit() else None


def _reviewer(project, pk, user) -> Reviewer:
    found = scope(Reviewer.objects.filter(project=project), user, VIEW).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


# Each form the page posts, and the part of the page it comes back to.
POSTS = {
    "step": "",
    "reviewer": "#evaluation",
    "conflict": "#evaluation",
    "score": "#evaluation",
    "adjustment": "#adjustments",
    "decide": "#adjustments",
    "expenditure": "#expenditures",
}


def _step_form(request, project):
    name = request.POST.get("step", "")
    if name not in PROJECT_WORKFLOW:
        raise Http404
    return PROJECT_WORKFLOW.form_class(name)(request.POST, user=request.user, record=project)


FORMS = {
    "step": _step_form,
    "reviewer": lambda request, project: ReviewerForm(request.POST),
    "conflict": lambda request, project: ConflictForm(request.POST),
    "score": lambda request, project: ScoreForm(request.POST, criteria=project.programme.criteria),
    "adjustment": lambda request, project: AdjustmentForm(request.POST),
    "decide": lambda request, project: DecideForm(request.POST),
    "expenditure": lambda request, project: ExpenditureForm(request.POST, request.FILES),
}


class _ProjectForm(ServiceFormView):
    model = ResearchProject
    form_class = ProjectForm
    template_name = "research/project_form.html"
    list_url = "research:list"

    def form_valid(self, form):
        self._form = form
        return super().form_valid(form)

    def perform(self, data):
        try:
            return self.run(self._form.service_data())
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):
                raise
            aliases = getattr(self._form, "aliases", {})
            renamed = {aliases.get(k, k): v for k, v in exc.message_dict.items()}
            if "budget" in renamed:
                renamed["__all__"] = renamed.pop("budget")
            raise ValidationError(renamed) from exc


class ProjectCreateView(_ProjectForm):
    title = gettext_lazy("New research project")

    def run(self, data):
        return services.create_project(by=self.request.user, **data)


class ProjectUpdateView(_ProjectForm):
    editing = True
    title = gettext_lazy("Edit research project")

    def run(self, data):
        return services.update_project(self.object, by=self.request.user, **data)


class ProjectDeleteView(ServiceDeleteView):
    """An application not yet submitted, deleted by its keepers (the service refuses any other)."""

    model = ResearchProject
    success_url_name = "research:list"

    def perform(self, obj):
        services.delete_project(obj, by=self.request.user)


class ReviewerRemoveView(ServiceDeleteView):
    """An expert taken off a project in evaluation (one who declared a conflict, say), back to the panel."""

    model = Reviewer

    def action_label(self):
        return _("Remove the expert")

    def perform(self, obj):
        services.remove_reviewer(obj, by=self.request.user)

    def success_url(self, obj):
        return obj.get_absolute_url()


class ExpenditureDeleteView(ServiceDeleteView):
    """An expenditure recorded in error, deleted while the contract runs; the history keeps it."""

    model = Expenditure

    def perform(self, obj):
        services.delete_expenditure(obj, by=self.request.user)

    def success_url(self, obj):
        return obj.get_absolute_url()


class WorkbookView(LoginRequiredMixin, View):
    """The project's workbook for auditors, to whoever reads the project."""

    def get(self, request, pk):
        project = get_object_or_404(
            scope(ResearchProject.objects.select_related("programme"), request.user, VIEW), pk=pk
        )
        return workbook(project, request)


class VoucherView(LoginRequiredMixin, View):
    """An expenditure's voucher scan, to whoever sees the expenditure; 404 elsewhere and without one."""

    def get(self, request, pk):
        expenditure = get_object_or_404(
            scope(Expenditure.objects.exclude(voucher=""), request.user, VIEW), pk=pk
        )
        return download(expenditure.voucher)
