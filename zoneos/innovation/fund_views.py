"""Pages of talents and funds: the talents list (by category, with the services each received, and the
talent teams), the funds list with their totals and the chains no industry fund focuses on yet (the
zone wants one for each key future industry), a fund's page with its investments, exits and what it
invested, exited and still holds; and the panel of funds on a chain's page (`chain_panel`). Thin:
totals come from `figures`."""

from __future__ import annotations

from django.db.models import Count, Prefetch

from zoneos.accounts.scoping import ScopedPrefetch, scope
from zoneos.chains.models import Chain
from zoneos.core import navigation
from zoneos.core.roles import VIEW
from zoneos.core.views import ReadsRequiredMixin, ScopedDetailView, ScopedListView, narrow

from . import figures
from .filters import FundFilter, TalentFilter
from .fund_models import Exit, Fund, FundKind, Investment
from .talent_models import Talent, TalentCategory, TalentService, TalentTeam


class TalentListView(ReadsRequiredMixin, ScopedListView):
    model = reads_model = Talent
    filterset_class = TalentFilter
    template_name = "innovation/talent_list.html"
    paginate_by = 50

    def base_queryset(self):
        return (
            Talent.objects.select_related("enterprise", "team")
            .prefetch_related(Prefetch("services", TalentService.objects.order_by("-received_on", "pk")))
            .order_by("enterprise__name", "name", "pk")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        teams = narrow(scope(TalentTeam.objects.all(), user, VIEW), self.request)
        by_category = dict(self.object_list.order_by().values_list("category").annotate(n=Count("pk")))
        context.update(
            categories=TalentCategory.choices,
            by_category=[
                {"value": value, "label": label, "count": by_category.get(value, 0)}
                for value, label in TalentCategory.choices
                if by_category.get(value)
            ],
            teams=teams.select_related("enterprise")
            .annotate(talent_count=Count("talents", distinct=True))
            .prefetch_related(Prefetch("services", TalentService.objects.order_by("-received_on", "pk")))
            .order_by("enterprise__name", "name", "pk")[:100],
        )
        return context


class FundListView(ReadsRequiredMixin, ScopedListView):
    model = reads_model = Fund
    filterset_class = FundFilter
    template_name = "innovation/fund_list.html"
    paginate_by = 50

    def base_queryset(self):
        return figures.with_totals(
            Fund.objects.select_related("area")
            .prefetch_related("focus_chains")
            .order_by("area__path", "name", "pk")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        chains = narrow(scope(Chain.objects.filter(area__isnull=False), user, VIEW), self.request)
        context.update(
            kinds=FundKind.choices,
            totals=figures.totals(self.object_list),
            chains=scope(Chain.objects.filter(area__isnull=False), user, VIEW).order_by("code"),
            uncovered=figures.chains_without_industry_fund(chains).select_related("area").order_by("code"),
        )
        return context


class FundDetailView(ScopedDetailView):
    """A fund with its focus chains, its totals and its investments, each with its exits."""

    model = Fund
    template_name = "innovation/fund_detail.html"

    def get_queryset(self):
        return figures.with_totals(super().get_queryset().select_related("area"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        fund, user = self.object, self.request.user
        investments = figures.investments_with_exits(
            scope(Investment.objects.filter(fund=fund), user, VIEW)
            .select_related("enterprise")
            .prefetch_related(ScopedPrefetch("exits", Exit.objects.order_by("exited_on", "pk"), user))
            .order_by("-invested_on", "pk")
        )
        context.update(
            investments=investments,
            chains=scope(fund.focus_chains.all(), user, VIEW).order_by("code"),
        )
        return context


def chain_panel(request, context):
    """A chain's page: the funds that focus on it (industry funds first) with what they invested and
    still hold, or, when no industry fund does, that the zone wants one for each key future industry."""
    if not navigation.reads(request.user, Fund):
        return None
    chain = context["chain"]
    funds = list(figures.funds_for_chain(chain, request.user))
    return {
        "template": "innovation/_chain_funds_panel.html",
        "funds": funds,
        "has_industry_fund": any(f.kind == FundKind.INDUSTRY for f in funds),
    }
