"""Pages of the pipeline: the board by stage, the filterable list with export, a project's page with
its timeline, the funnel dashboard, the conflicts queue and signing batches. Thin: they read through
scope() and write through the services (the board's drag and drop calls the same `transition`)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch, Q, Sum
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from zoneos.accounts.scoping import in_scope, may_write, scope
from zoneos.areas.models import Area, subtree_q
from zoneos.core import money, navigation
from zoneos.core.errors import Conflict
from zoneos.core.filters import as_id
from zoneos.core.replica import read_alias
from zoneos.core.roles import CHANGE, VIEW
from zoneos.core.views import (
    ReadsRequiredMixin,
    ScopedDetailView,
    ScopedListView,
    ServiceFormView,
    current_area,
    narrow,
)
from zoneos.tabular import export

from . import services
from .exports import project_columns
from .filters import ProjectFilter
from .forms import FollowUpForm, MoveForm, ProjectForm, SigningBatchForm
from .funnel import funnel_for
from .models import ConflictStatus, FollowUp, InvestorConflict, Project, SigningBatch, StageEvent
from .moves import PROJECT_MOVES, moves_from
from .stages import COLOR, FORWARD, StageCategory

C = StageCategory
BOARD_COLUMNS = [*FORWARD, C.ON_HOLD]
BOARD_LIMIT = 20  # cards per column, newest first; the rest are counted, and the list shows them all


def yi(value) -> float:
    """Yuan in the unit of the investment screens for charts (亿元, the page's amounts' unit)."""
    return float(money.in_unit(value or 0, "large"))


def large_unit() -> str:
    return money.unit_name("large")


class ProjectListView(ScopedListView):
    model = Project
    filterset_class = ProjectFilter
    template_name = "pipeline/project_list.html"
    partial_template_name = "pipeline/_project_table.html"
    paginate_by = 25

    def base_queryset(self):
        return Project.objects.select_related("area", "owner", "plan_group").order_by("-lead_on", "-pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["total"] = (
            context["paginator"].count if context.get("paginator") else len(context["object_list"])
        )
        context["stage_choices"] = StageCategory.choices
        return context


class ProjectExportView(ProjectListView):
    def get(self, request, *args, **kwargs):
        rows = self.get_queryset().using(read_alias()).iterator(chunk_size=2000)
        fmt = "csv" if request.GET.get("as") == "csv" else "xlsx"
        return export.response(rows, project_columns(), "projects", fmt, request=request)


# What a card shows and its moves read, and nothing more (a board compiles one query per column).
CARD_FIELDS = (
    "id", "name", "investor_name", "total_investment", "stage", "stage_on", "paused_from", "lead_on",
    "flagged", "area__id", "area__name", "area__name_en",
    "owner__id", "owner__username", "owner__display_name",
)  # fmt: skip
_SAMPLE_PK = 987654321


def _url_for(name: str):
    """`pk -> reverse(name, args=[pk])`, reversing once: a project's URLs differ only in its id."""
    sample = reverse(name, args=[_SAMPLE_PK])
    head, _sep, tail = sample.partition(str(_SAMPLE_PK))
    return lambda pk: f"{head}{pk}{tail}"


class BoardView(LoginRequiredMixin, TemplateView):
    """Projects by stage, as cards; moving a card calls `services.transition`."""

    template_name = "pipeline/board.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        projects = narrow(scope(Project.objects.all(), user, VIEW), self.request)
        area = None
        area_id = as_id(self.request.GET.get("area"))
        if area_id:
            area = scope(Area.objects.all(), user, VIEW).filter(pk=area_id).first()
            if area is not None:
                projects = projects.in_subtree(area)
        q = self.request.GET.get("q", "").strip()
        if q:
            projects = projects.filter(Q(name__icontains=q) | Q(investor_name__icontains=q))
        totals = {
            row["stage"]: row
            for row in projects.values("stage")
            .annotate(n=Count("pk"), total=Sum("total_investment"))
            .order_by()
        }
        names = services.stage_names(area or current_area(self.request))
        today = services.today()
        # The list behind each column's "show all": the same projects, that stage.
        query = {"q": q} if q else {}
        if area is not None:
            query["within"] = area.pk
        # Named by area id as well as by the scope's join: the planner then reads the area-stage index
        # (rows of the user's areas) rather than walking every project by date until it finds 30 of them.
        column_of = projects.filter(area_id__in=scope(Area.objects.all(), user, VIEW).values("pk"))
        days_text = _("%(n)s d")
        page_url, move_url = _url_for("pipeline:detail"), _url_for("pipeline:move")
        columns = []
        for category in BOARD_COLUMNS:
            row = totals.get(category, {})
            # The column's newest cards only (one query each, LIMIT N, on the area-stage index): the
            # page costs the same for a park of ten projects and one of ten thousand.
            cards = list(
                column_of.filter(stage=category)
                .select_related("area", "owner")
                .only(*CARD_FIELDS)
                .order_by("-lead_on", "-pk")[:BOARD_LIMIT]
            )
            for project in cards:
                # Whoever may move projects gets the moves the card's state allows (the service checks
                # the project itself); dropping needs a note, so it is made on the project's page.
                project.moves = [c for c in moves_from(project) if c != C.DROPPED]
                project.days_in_stage = (today - project.stage_on).days
                # What each card shows, made here once rather than by template tags per card (a board
                # holds a few hundred cards; tags and URL reversing were most of its cost).
                project.days_text = days_text % {"n": project.days_in_stage}
                project.url, project.move_url = page_url(project.pk), move_url(project.pk)
            count = row.get("n", 0)
            columns.append(
                {
                    "category": category,
                    "name": names[category],
                    "color": COLOR[category],
                    "count": count,
                    "total": row.get("total") or Decimal(0),
                    "projects": cards,
                    "more": count - len(cards),
                    "list_query": urlencode({**query, "stage": category}),
                }
            )
        context.update(
            columns=columns,
            dropped=totals.get(C.DROPPED, {}).get("n", 0),
            dropped_query=urlencode({**query, "stage": C.DROPPED}),
            areas=scope(Area.objects.exclude(kind="region"), user, VIEW).order_by("path"),
            area=area,
            q=q,
            may_move=may_write(user, Project),
            stage_labels={c: names[c] for c in StageCategory.values},
        )
        return context


def _back(request, project: Project) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return project.get_absolute_url()


class MoveView(LoginRequiredMixin, View):
    """POST a move. The board sends it with `fetch` and gets JSON; the project page posts a form."""

    def post(self, request, pk):
        project = get_object_or_404(scope(Project.objects.all(), request.user, VIEW), pk=pk)
        wants_json = request.headers.get("Accept", "").startswith("application/json")
        form = MoveForm(request.POST, request.FILES)
        if not form.is_valid():
            return self._fail(request, project, wants_json, form.errors.as_text(), 400)
        inputs = dict(form.cleaned_data)
        backdate = inputs.pop("backdate_lead", False)
        try:
            with transaction.atomic():
                if backdate and inputs.get("on"):
                    services.backdate_lead(project, by=request.user, on=inputs["on"])
                PROJECT_MOVES.take(inputs.pop("to"), project, by=request.user, **inputs)
        except PermissionDenied:
            return self._fail(request, project, wants_json, _("You may not move this project."), 403)
        except Conflict as exc:
            return self._fail(request, project, wants_json, str(exc.detail), 409)
        except ValidationError as exc:
            text = " ".join(m for ms in exc.message_dict.values() for m in ms)
            return self._fail(request, project, wants_json, text, 400)
        project.refresh_from_db()
        message = _("%(project)s is now %(stage)s.") % {
            "project": project,
            "stage": services.stage_names(project.area)[project.stage],
        }
        messages.success(request, message)  # shown by the page the board reloads, or redirected to
        if wants_json:
            return JsonResponse({"ok": True, "stage": project.stage, "message": message})
        return redirect(_back(request, project))

    @staticmethod
    def _fail(request, project, wants_json, text, status):
        if wants_json:
            return JsonResponse({"ok": False, "detail": text}, status=status)
        messages.error(request, text)
        return redirect(_back(request, project))


class ProjectDetailView(ScopedDetailView):
    model = Project
    template_name = "pipeline/project_detail.html"

    def get_queryset(self):
        return scope(
            Project.objects.select_related("area", "owner", "plan_group", "signing_batch", "enterprise"),
            self.request.user,
            VIEW,
        ).prefetch_related(
            Prefetch("events", queryset=StageEvent.objects.select_related("by")),
            Prefetch("follow_ups", queryset=FollowUp.objects.select_related("by")),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        project = self.object
        names = services.stage_names(project.area)
        timeline = [
            {"on": e.on, "kind": "move", "event": e, "stage": names.get(e.to_category, e.to_category)}
            for e in project.events.all()
        ] + [{"on": f.on, "kind": "follow_up", "follow_up": f} for f in project.follow_ups.all()]
        timeline.sort(key=lambda item: (item["on"], 0 if item["kind"] == "move" else 1), reverse=True)
        moves = PROJECT_MOVES.allowed(self.request.user, project)
        reached = {e.to_category for e in project.events.all()}
        steps = [
            {"category": c, "name": names[c], "done": c in reached, "current": c == project.stage}
            for c in FORWARD
        ]
        conflicts = project.conflicts.filter(status=ConflictStatus.OPEN).select_related("zone")
        context.update(
            stage_name=names[project.stage],
            timeline=timeline,
            steps=steps,
            move_form=MoveForm(moves=moves) if moves else None,
            follow_up_form=FollowUpForm(initial={"on": services.today()}),
            conflicts=conflicts,
            breadcrumb=list(scope(project.area.ancestors(), self.request.user, VIEW)) + [project.area],
            today=services.today(),
        )
        context["panels"] = navigation.page_panels("pipeline:detail", self.request, context)
        return context


class ProjectCreateView(ServiceFormView):
    model = Project
    form_class = ProjectForm
    title = gettext_lazy("New project")
    list_url = "pipeline:list"

    def get_initial(self):
        area = current_area(self.request)
        return {
            "area": area.pk if area and area.kind != "region" else None,
            "owner": self.request.user.pk,
        }

    def perform(self, data):
        project = services.create_project(by=self.request.user, **data)
        if project.flagged:
            messages.warning(
                self.request,
                _(
                    "Another park of the zone already follows this investor: "
                    "the zone's coordinators will decide."
                ),
            )
        return project


class ProjectUpdateView(ServiceFormView):
    model = Project
    form_class = ProjectForm
    editing = True
    title = gettext_lazy("Edit project")
    list_url = "pipeline:list"

    def perform(self, data):
        return services.update_project(self.object, by=self.request.user, **data)


class FollowUpCreateView(LoginRequiredMixin, View):
    def post(self, request, pk):
        project = get_object_or_404(scope(Project.objects.all(), request.user, VIEW), pk=pk)
        if not in_scope(project, request.user, CHANGE):
            raise PermissionDenied
        form = FollowUpForm(request.POST)
        if form.is_valid():
            try:
                services.create_follow_up(by=request.user, project=project, **form.cleaned_data)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("Follow-up recorded."))
                return redirect(project.get_absolute_url())
        return render(
            request,
            "core/form.html",
            {
                "form": form,
                "title": _("Record a follow-up"),
                "object": project,
                "cancel_url": project.get_absolute_url(),
            },
            status=400,
        )


class FunnelView(LoginRequiredMixin, ReadsRequiredMixin, TemplateView):
    template_name = "pipeline/funnel.html"
    reads_model = Project

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        areas = scope(Area.objects.all(), user, VIEW).order_by("path")
        area_id = as_id(self.request.GET.get("area"))
        area = areas.filter(pk=area_id).first() if area_id else None
        area = area or current_area(self.request)
        start = _date(self.request.GET.get("from"))
        end = _date(self.request.GET.get("to"))
        figures = funnel_for(user, area, start, end)
        names = services.stage_names(area)
        for stage in figures["stages"]:
            stage["name"] = names[stage["category"]]
        forward = [s for s in figures["stages"] if s["category"] in FORWARD]
        context.update(
            f=figures,
            area=area,
            areas=areas,
            start=start,
            end=end,
            unit=large_unit(),
            charts={
                "funnel": funnel_shape(forward),
                "now": {
                    "names": [s["name"] for s in figures["stages"]],
                    "counts": [s["count"] for s in figures["stages"]],
                    "investment": [yi(s["total_investment"]) for s in figures["stages"]],
                },
                "areas": {
                    "names": [r["label"] for r in figures["by_area"]],
                    "investment": [yi(r["total_investment"]) for r in figures["by_area"]],
                    "counts": [r["count"] for r in figures["by_area"]],
                },
                "industries": [
                    {"name": r["label"], "value": yi(r["total_investment"])}
                    for r in figures["by_industry"]
                    if r["count"]
                ],
            },
        )
        context["panels"] = navigation.page_panels("pipeline:funnel", self.request, context)
        return context


def funnel_shape(stages) -> list[dict]:
    """The funnel chart's rows: each stage's count of projects that entered it, drawn never wider than
    the stage before (projects recorded from a later stage would widen it); the label keeps the count."""
    rows, widest = [], None
    for stage in stages:
        count = stage["entered"]
        widest = count if widest is None else min(widest, count)
        rows.append({"name": stage["name"], "value": widest, "count": count})
    return rows


def _date(raw):
    try:
        return datetime.date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


class ConflictListView(LoginRequiredMixin, TemplateView):
    template_name = "pipeline/conflicts.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        conflicts = (
            narrow_conflicts(scope(InvestorConflict.objects.all(), self.request.user, VIEW), self.request)
            .select_related("zone", "chosen_area", "resolved_by")
            .prefetch_related(Prefetch("projects", queryset=Project.objects.select_related("area", "owner")))
        )
        context["open"] = [c for c in conflicts if c.status == ConflictStatus.OPEN]
        context["resolved"] = [c for c in conflicts if c.status == ConflictStatus.RESOLVED][:20]
        return context


def narrow_conflicts(queryset, request):
    area = current_area(request)
    if area is None:
        return queryset
    # A conflict hangs on its zone: show those of the zones above and below the chosen area.
    return queryset.filter(subtree_q(queryset.model, area) | Q(zone_id__in=area.ancestor_ids() + [area.pk]))


class ResolveView(LoginRequiredMixin, View):
    """Choosing the park that goes on drops the other parks' projects: the first POST shows what will
    be dropped (both projects, their stages, links) and asks for the reason; the second, confirmed and
    with a reason, resolves."""

    def post(self, request, pk):
        conflict = get_object_or_404(scope(InvestorConflict.objects.all(), request.user, VIEW), pk=pk)
        area = Area.objects.filter(pk=as_id(request.POST.get("area")) or 0).first()
        if area is None:
            messages.error(request, _("Choose the park that goes on."))
            return redirect("pipeline:conflicts")
        note = (request.POST.get("note") or "").strip()
        if not request.POST.get("confirm") or not note:
            projects = list(conflict.projects.select_related("area", "owner"))
            error = _("Give the reason for the choice.") if request.POST.get("confirm") else ""
            context = {
                "conflict": conflict,
                "area": area,
                "projects": projects,
                "dropped": services.dropped_by_choice(projects, area),
                "note": note,
                "error": error,
            }
            return render(request, "pipeline/conflict_confirm.html", context, status=400 if error else 200)
        try:
            services.resolve_conflict(conflict, by=request.user, area=area, note=note)
        except PermissionDenied:
            raise
        except (Conflict, ValidationError) as exc:
            messages.error(request, str(getattr(exc, "detail", None) or " ".join(exc.messages)))
        else:
            messages.success(request, _("Resolved: %(area)s goes on with the investor.") % {"area": area})
        return redirect("pipeline:conflicts")


class BatchListView(ScopedListView):
    model = SigningBatch
    template_name = "pipeline/batch_list.html"
    paginate_by = 25

    def get_queryset(self):
        self.filterset = None
        batches = narrow(
            scope(SigningBatch.objects.select_related("area"), self.request.user, VIEW), self.request
        )
        # The totals count the projects the user may see.
        visible = scope(Project.objects.all(), self.request.user, VIEW).values("pk")
        inside = Q(projects__in=visible)
        return batches.annotate(
            project_count=Count("projects", filter=inside),
            total=Sum("projects__total_investment", filter=inside),
        ).order_by("-held_on", "name")


class BatchCreateView(ServiceFormView):
    model = SigningBatch
    form_class = SigningBatchForm
    title = gettext_lazy("New signing batch")
    list_url = "pipeline:batches"

    def get_initial(self):
        area = current_area(self.request)
        return {"area": area.pk if area and area.kind != "region" else None, "held_on": services.today()}

    def perform(self, data):
        return services.create_batch(by=self.request.user, **data)


class BatchDetailView(LoginRequiredMixin, TemplateView):
    template_name = "pipeline/batch.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        batch = (
            scope(SigningBatch.objects.select_related("area"), self.request.user, VIEW)
            .filter(pk=kwargs["pk"])
            .first()
        )
        if batch is None:
            raise Http404
        projects = scope(batch.projects.select_related("area", "owner"), self.request.user, VIEW).order_by(
            "-total_investment"
        )
        context.update(
            batch=batch,
            projects=projects,
            total=sum((p.total_investment or 0 for p in projects), Decimal(0)),
            expected_output=sum((p.expected_output or 0 for p in projects), Decimal(0)),
        )
        return context


def overdue_panel(request) -> dict | None:
    """For the home page: the officer's next actions past their date."""
    actions = list(services.overdue_actions(request.user)[:10])
    if not actions and not may_write(request.user, Project):
        return None
    return {
        "template": "pipeline/_overdue.html",
        "actions": actions,
        "today": services.today(),
        "board_url": reverse("pipeline:board"),
    }
