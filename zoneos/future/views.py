"""Pages of future industries: the industries with each zone's readiness, a zone's "Ten Ones" board
(ten cards, green, amber or red, with their proofs and the forms that add them), the scenarios and a
scenario's page (its steps, the enterprises confirmed and those that fit), and a proof's document,
downloaded through the proof's scope. Thin: states come from `board`, changes from the services."""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from zoneos.accounts.scoping import in_scope, may_write, scope
from zoneos.core import evidence
from zoneos.core.errors import Conflict
from zoneos.core.files import download
from zoneos.core.ids import as_id
from zoneos.core.roles import CHANGE, VIEW
from zoneos.core.views import ReadsRequiredMixin, ScopedDetailView, ScopedListView, ServiceFormView, narrow

from . import scenarios, services
from .board import readiness, readiness_of
from .filters import ScenarioFilter
from .forms import BoardForm, ScenarioForm
from .models import Board, FutureIndustry, Proof, Scenario, ScenarioMatch, ScenarioStatus


def _errors(exc: ValidationError) -> str:
    return " ".join(e for errors in exc.message_dict.values() for e in errors)


class IndustryListView(LoginRequiredMixin, ReadsRequiredMixin, TemplateView):
    """Every future industry the user sees, with the boards of the zones in reach and their readiness."""

    reads_model = FutureIndustry
    template_name = "future/industry_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        industries = list(
            scope(FutureIndustry.objects.select_related("area"), user, VIEW).order_by("position", "code")
        )
        boards = list(narrow(scope(Board.objects.select_related("area"), user, VIEW), self.request))
        states = readiness(boards, user, records=False)
        by_industry = defaultdict(list)
        for board in boards:
            board.state = states[board.pk]
            by_industry[board.industry_id].append(board)
        for industry in industries:
            industry.zone_boards = by_industry.get(industry.pk, [])
        context.update(
            industries=industries,
            may_create=may_write(user, Board),
            scenario_count=scope(Scenario.objects.all(), user, VIEW).count(),
        )
        return context


class BoardView(ScopedDetailView):
    """The ten cards of a zone's board for an industry; keepers add and remove proofs here."""

    model = Board
    template_name = "future/board.html"

    def get_queryset(self):
        return super().get_queryset().select_related("area", "industry")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        board, user = self.object, self.request.user
        state = readiness_of(board, user)
        may_change = context["may_change"]
        candidates = {}
        if may_change:
            for kind in evidence.kinds():
                if kind.model is not None:
                    rows = list(kind.candidates(board.area, user)[:200])
                    candidates[kind.key] = [(r.pk, kind.describe(r)) for r in rows]
        for item in state.items:
            item.forms = (
                [{"kind": kind, "choices": candidates.get(kind.key, [])} for kind in item.kinds]
                if may_change
                else []
            )
        context.update(state=state, items=state.items, errors=kwargs.get("errors") or {})
        return context


class AddProofView(LoginRequiredMixin, View):
    def post(self, request, pk):
        board = get_object_or_404(scope(Board.objects.all(), request.user, VIEW), pk=pk)
        item = request.POST.get("item", "")
        try:
            services.add_proof(
                board,
                by=request.user,
                item=item,
                kind=request.POST.get("kind", ""),
                record=request.POST.get("record") or None,
                document=request.FILES.get("document"),
                title=request.POST.get("title", ""),
                note=request.POST.get("note", ""),
            )
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        except PermissionDenied as exc:
            messages.error(request, str(exc) or _("You may not change this record."))
        else:
            messages.success(request, _("The proof is added."))
        return redirect(f"{board.get_absolute_url()}#item-{item}")


class RemoveProofView(LoginRequiredMixin, View):
    def post(self, request, pk):
        proof = get_object_or_404(scope(Proof.objects.select_related("board"), request.user, VIEW), pk=pk)
        if not in_scope(proof, request.user, CHANGE):
            raise PermissionDenied
        services.remove_proof(proof, by=request.user)
        messages.success(request, _("The proof is removed."))
        return redirect(f"{proof.board.get_absolute_url()}#item-{proof.item}")


class ProofDocumentView(LoginRequiredMixin, View):
    """A proof's document, to whoever sees its board."""

    def get(self, request, pk):
        proof = get_object_or_404(scope(Proof.objects.exclude(document=""), request.user, VIEW), pk=pk)
        return download(proof.document)


class BoardCreateView(ServiceFormView):
    model = Board
    form_class = BoardForm
    title = gettext_lazy("New Ten Ones board")
    list_url = "future:list"

    def get_initial(self):
        return {"industry": self.request.GET.get("industry") or None}

    def perform(self, data):
        return services.create_board(by=self.request.user, **data)


class ScenarioListView(ScopedListView):
    model = Scenario
    filterset_class = ScenarioFilter
    template_name = "future/scenario_list.html"
    paginate_by = 50

    def base_queryset(self):
        return Scenario.objects.select_related(
            "area", "industry", "owner_enterprise", "owner_department"
        ).order_by("-created_at", "pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            statuses=ScenarioStatus.choices,
            industries=scope(FutureIndustry.objects.all(), self.request.user, VIEW),
        )
        return context


class ScenarioView(ScopedDetailView):
    """A scenario: what it seeks, its steps, the enterprises confirmed with their reasons and, for its
    keepers while it takes matches, those that fit to confirm."""

    model = Scenario
    template_name = "future/scenario.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("area", "industry", "owner_enterprise", "owner_department")
            .prefetch_related(
                Prefetch("matches", ScenarioMatch.objects.select_related("enterprise", "confirmed_by"))
            )
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        scenario, user = self.object, self.request.user
        matchable = context["may_change"] and scenario.status in (
            ScenarioStatus.OPEN,
            ScenarioStatus.MATCHING,
            ScenarioStatus.MATCHED,
        )
        steps = []
        for name in scenarios.WORKFLOW.allowed(user, scenario):
            step = scenarios.WORKFLOW[name]
            steps.append(
                {"step": step, "form": scenarios.WORKFLOW.form_class(name)(user=user, record=scenario)}
            )
        context.update(
            matches=list(scenario.matches.all()),
            suggestions=scenarios.suggestions(scenario, user) if matchable else [],
            matchable=matchable,
            wanted=scenarios.wanted(scenario),
            steps=steps,
            events=scenario.events.select_related("by"),
        )
        return context

    def post(self, request, pk):
        scenario = get_object_or_404(self.get_queryset(), pk=pk)
        what = request.POST.get("do", "")
        try:
            if what == "confirm":
                ids = [i for i in (as_id(v) for v in request.POST.getlist("enterprise")) if i is not None]
                scenarios.confirm_matches(scenario, ids, by=request.user)
                messages.success(request, _("%(n)s enterprises confirmed.") % {"n": len(ids)})
            elif what == "unmatch":
                scenarios.remove_match(scenario, as_id(request.POST.get("enterprise")) or 0, by=request.user)
                messages.success(request, _("The match is removed."))
            elif what in scenarios.WORKFLOW:
                form = scenarios.WORKFLOW.form_class(what)(request.POST, user=request.user, record=scenario)
                form.is_valid()
                scenarios.WORKFLOW.take(what, scenario, by=request.user, **form.cleaned_data)
                messages.success(request, _("Done."))
            else:
                messages.error(request, _("Choose what to do."))
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        except Conflict as exc:
            messages.error(request, str(exc.detail))
        except PermissionDenied as exc:
            messages.error(request, str(exc) or _("You may not change this record."))
        return redirect(scenario.get_absolute_url())


class _ScenarioForm(ServiceFormView):
    model = Scenario
    form_class = ScenarioForm
    list_url = "future:scenarios"

    def form_valid(self, form):
        self._form = form
        return super().form_valid(form)

    def perform(self, data):
        return self.run(self._form.service_data())


class ScenarioCreateView(_ScenarioForm):
    title = gettext_lazy("New application scenario")

    def get_initial(self):
        return {"industry": self.request.GET.get("industry") or None}

    def run(self, data):
        return scenarios.create_scenario(by=self.request.user, **data)


class ScenarioUpdateView(_ScenarioForm):
    editing = True
    title = gettext_lazy("Edit application scenario")

    def run(self, data):
        return scenarios.update_scenario(self.object, by=self.request.user, **data)
