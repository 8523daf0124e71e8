"""Pages of funds: the funds list with their totals and the chains no industry fund focuses on yet (the
zone wants one for each key future industry), a fund's page with its investments, exits and what it
invested, exited and still holds; the forms that add and edit a fund, an investment (from the fund's
page) and an exit (from the investment's row); and the panel of funds on a chain's page
(`chain_panel`). Thin: totals come from `figures`, every write calls `fund_services` (the API's
functions); the buttons show to those the API lets write."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zoneos.accounts.scoping import ScopedPrefetch, scope
from zoneos.chains.models import Chain
from zoneos.core import navigation
from zoneos.core.roles import VIEW
from zoneos.core.views import ReadsRequiredMixin, ScopedDetailView, ScopedListView, ServiceFormView, narrow

from . import figures
from . import fund_services as services
from .filters import FundFilter
from .fund_forms import ExitForm, FundForm, InvestmentForm
from .fund_models import Exit, Fund, FundKind, Investment
from .nested import ChildFormView


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


class FundCreateView(ServiceFormView):
    model = Fund
    form_class = FundForm
    title = _("New fund")
    list_url = "innovation:funds"

    def perform(self, data):
        return services.create_fund(by=self.request.user, **data)


class FundUpdateView(FundCreateView):
    editing = True
    title = _("Edit fund")

    def perform(self, data):
        return services.update_fund(self.object, by=self.request.user, **data)


class InvestmentCreateView(ChildFormView):
    model = Investment
    parent_model = Fund
    form_class = InvestmentForm
    title = _("New investment")

    def perform(self, data):
        return services.create_investment(self.parent, by=self.request.user, **data)


class InvestmentUpdateView(ServiceFormView):
    model = Investment
    form_class = InvestmentForm
    editing = True
    title = _("Edit investment")

    def perform(self, data):
        return services.update_investment(self.object, by=self.request.user, **data)


class ExitCreateView(ChildFormView):
    model = Exit
    parent_model = Investment
    form_class = ExitForm
    title = _("Record an exit")

    def perform(self, data):
        return services.record_exit(self.parent, by=self.request.user, **data)


class ExitUpdateView(ServiceFormView):
    model = Exit
    form_class = ExitForm
    editing = True
    title = _("Edit exit")

    def perform(self, data):
        return services.update_exit(self.object, by=self.request.user, **data)


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
