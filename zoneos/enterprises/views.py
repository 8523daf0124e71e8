"""Pages of the registry: the filterable list with exports, an enterprise's page (labels, figures by
year with a chart, history), and the forms. Thin: reads through scope(), writes through services."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from zoneos.accounts.scoping import in_scope, scope
from zoneos.core import money
from zoneos.core.replica import read_alias
from zoneos.core.roles import CHANGE, VIEW
from zoneos.core.views import (
    ScopedDetailView,
    ScopedListView,
    ServiceDeleteView,
    ServiceFormView,
    current_area,
)
from zoneos.tabular import export

from . import services
from .exports import enterprise_columns
from .filters import EnterpriseFilter
from .forms import EnterpriseForm, IndicatorForm, LabelForm
from .models import Enterprise, Indicator, Label, LabelKind

FIGURES_TAB = "figures"


def _listing():
    today = datetime.date.today()
    current = Label.objects.filter(valid_from__lte=today).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=today)
    )
    # The scope's syllables serve the chains' suggestions only: the list and its exports leave them be.
    return (
        Enterprise.objects.select_related("area")
        .defer("business_scope_pinyin")
        .prefetch_related(Prefetch("labels", queryset=current.order_by("kind"), to_attr="current_labels"))
    )


class EnterpriseListView(ScopedListView):
    model = Enterprise
    filterset_class = EnterpriseFilter
    template_name = "enterprises/enterprise_list.html"
    partial_template_name = "enterprises/_enterprise_table.html"
    paginate_by = 25

    def base_queryset(self):
        return _listing().order_by("name", "pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["total"] = (
            context["paginator"].count if context.get("paginator") else len(context["object_list"])
        )
        return context


class EnterpriseExportView(EnterpriseListView):
    """The list as it is filtered on the page, as xlsx or csv."""

    def get(self, request, *args, **kwargs):
        rows = self.get_queryset().prefetch_related(None).using(read_alias()).iterator(chunk_size=2000)
        fmt = "csv" if request.GET.get("as") == "csv" else "xlsx"
        return export.response(rows, enterprise_columns(), "enterprises", fmt, request=request)


class EnterpriseDetailView(ScopedDetailView):
    model = Enterprise
    template_name = "enterprises/enterprise_detail.html"
    tabs = ("overview", FIGURES_TAB, "history")

    def get_queryset(self):
        return scope(Enterprise.objects.select_related("area"), self.request.user, VIEW).prefetch_related(
            "emerging_industries", "labels"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        enterprise = self.object
        figures = list(enterprise.indicators.order_by("year").prefetch_related("revisions__by"))
        locked_years = {f.year for f in figures if services.is_locked(enterprise, f.year)}
        context.update(
            figures=list(reversed(figures)),
            locked_years=locked_years,
            labels=enterprise.labels.all(),
            today=datetime.date.today(),
            label_kinds=LabelKind,
            chart={
                "years": [f.year for f in figures],
                "output": [_float(f.output_value) for f in figures],
                "revenue": [_float(f.revenue) for f in figures],
                "tax": [_float(f.tax_paid) for f in figures],
                "rd": [_float(f.rd_expense) for f in figures],
            },
            breadcrumb=list(scope(enterprise.area.ancestors(), self.request.user, VIEW)) + [enterprise.area],
        )
        return context


def _float(value):
    """An amount as a number of the page's one unit (万元), for the chart."""
    return None if value is None else float(money.in_unit(value))


class EnterpriseCreateView(ServiceFormView):
    model = Enterprise
    form_class = EnterpriseForm
    title = _("New enterprise")
    list_url = "enterprises:list"

    def get_initial(self):

        area = current_area(self.request)
        return {"area": area.pk if area and area.kind != "region" else None}

    def perform(self, data):
        return services.create_enterprise(by=self.request.user, **data)


class EnterpriseUpdateView(ServiceFormView):
    model = Enterprise
    form_class = EnterpriseForm
    editing = True
    title = _("Edit enterprise")
    list_url = "enterprises:list"

    def perform(self, data):
        return services.update_enterprise(self.object, by=self.request.user, **data)


class EnterpriseDeleteView(ServiceDeleteView):
    model = Enterprise
    success_url_name = "enterprises:list"

    def perform(self, obj):
        services.delete_enterprise(obj, by=self.request.user)


class _EnterpriseChildForm(ServiceFormView):
    """A form about one enterprise (its figures or labels); the enterprise must be changeable."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.object = getattr(self, "object", None)
        self.enterprise = get_object_or_404(
            scope(Enterprise.objects.select_related("area"), request.user, VIEW), pk=kwargs["enterprise"]
        )
        if not in_scope(self.enterprise, request.user, CHANGE):
            raise PermissionDenied
        return super(ServiceFormView, self).dispatch(request, *args, **kwargs)

    def cancel_url(self) -> str:
        return self.enterprise.get_absolute_url() + "?tab=" + self.tab

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object"] = self.enterprise
        return context


class IndicatorFormView(_EnterpriseChildForm):
    form_class = IndicatorForm
    tab = FIGURES_TAB

    def dispatch(self, request, *args, **kwargs):
        self.object = None
        if "pk" in kwargs:
            self.indicator = Indicator.objects.filter(
                pk=kwargs["pk"], enterprise_id=kwargs["enterprise"]
            ).first()
            if self.indicator is None:
                raise Http404
        else:
            self.indicator = None
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("instance", None)
        if self.indicator is not None:
            kwargs["instance"] = self.indicator
            kwargs["locked"] = services.is_locked(self.enterprise, self.indicator.year)
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Edit figures") if self.indicator else _("Add yearly figures")
        return context

    def perform(self, data):
        if self.indicator is None:
            services.create_indicator(by=self.request.user, enterprise=self.enterprise, **data)
        else:
            data.pop("year", None)
            reason = data.pop("reason", None)
            if reason is not None:
                services.revise_indicator(self.indicator, by=self.request.user, reason=reason, **data)
            else:
                services.update_indicator(self.indicator, by=self.request.user, **data)
        return _Redirect(self.enterprise, FIGURES_TAB)


class LabelCreateView(_EnterpriseChildForm):
    form_class = LabelForm
    title = _("Add label")
    tab = "overview"

    def perform(self, data):
        services.create_label(by=self.request.user, enterprise=self.enterprise, **data)
        return _Redirect(self.enterprise, "overview")


class LabelDeleteView(ServiceDeleteView):
    model = Label
    success_url_name = "enterprises:list"

    def get_object(self):
        label = super().get_object()
        self.enterprise = label.enterprise
        return label

    def perform(self, obj):
        services.delete_label(obj, by=self.request.user)

    def post(self, request, pk):
        from django.shortcuts import redirect

        response = super().post(request, pk)
        if response.status_code == 302 and hasattr(self, "enterprise"):
            return redirect(self.enterprise.get_absolute_url())
        return response


class _Redirect:
    """What a child form's `perform` returns: where to go afterwards."""

    def __init__(self, enterprise: Enterprise, tab: str):
        self.url = f"{enterprise.get_absolute_url()}?tab={tab}"

    def get_absolute_url(self) -> str:
        return self.url
