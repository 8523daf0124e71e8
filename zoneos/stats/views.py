"""The dashboard: an area's headline figures for a year, charts, targets and the data highlights."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from zoneos.accounts.scoping import may_place, membership_roots
from zoneos.core import money
from zoneos.core.filters import as_id, as_number
from zoneos.core.replica import reading_from_replica
from zoneos.core.views import ServiceFormView, current_area
from zoneos.policies.money_figures import money_figures
from zoneos.reports import innovation

from . import services
from .api import readable_areas
from .forms import TargetForm
from .highlights import highlights
from .models import Target


def _f(value) -> float:
    return float(value or 0)


def _share(part, whole) -> Decimal | None:
    """A part of a whole, rounded half up to a tenth of a percent as the highlights write it."""
    share = services.ratio(part, whole)
    return None if share is None else share.quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)


def _amount(value) -> tuple[str, str]:
    """An amount split into its number and its unit, for a headline figure that shows the unit smaller."""
    number, _space, unit = money.format_money(value, "large").partition(" ")
    return number, unit


class DashboardView(LoginRequiredMixin, TemplateView):
    template_name = "stats/dashboard.html"

    @reading_from_replica()
    def get(self, request, *args, **kwargs):
        # Rendered inside too: the template reads the breakdowns lazily.
        return super().get(request, *args, **kwargs).render()

    def _area(self):
        readable = readable_areas(self.request.user).select_related("parent")
        raw = self.request.GET.get("area", "")
        if raw:
            area = readable.filter(pk=as_id(raw)).first() if as_id(raw) else None
            if area is None:
                raise Http404
            return area
        chosen = current_area(self.request)
        if chosen is not None:
            return readable.filter(pk=chosen.pk).first()
        roots = [a for a in membership_roots(self.request.user) if readable.filter(pk=a.pk).exists()]
        return readable.filter(pk=roots[0].pk).first() if roots else None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        area = self._area()
        context["area"] = area
        if area is None:
            return context
        years = services.years_with_figures(area)
        raw_year = self.request.GET.get("year", "")
        year = as_number(raw_year) if as_number(raw_year) in years else (years[0] if years else None)
        context.update(years=years, year=year)
        if year is None:
            return context
        o = services.overview(area, year)
        innovation_and_space = innovation.figures(area, year)
        text = highlights(o, self.request.user, innovation_and_space)
        language = "en" if (get_language() or "").startswith("en") else "zh-hans"
        english = language == "en"
        trend = services.series(area, sorted(years)[-6:])
        # Charts use the unit of the headline figures, the screen's: 亿元.
        unit = money.unit_name("large")

        def amount(value) -> float:
            return float(money.in_unit(value or 0, "large"))

        def name(part):
            return (part.name_en or part.name) if english else part.name

        tax = gettext("Tax paid")
        charts = {
            "units": {"money": unit, "tax": f"{tax} ({unit})" if english else f"{tax}（{unit}）"},
            "trend": {
                "years": [str(y) for y, _ in trend],
                "output": [amount(f.output_value) for _, f in trend],
                "revenue": [amount(f.revenue) for _, f in trend],
                "tax": [amount(f.tax_paid) for _, f in trend],
            },
            "children": {
                "names": [name(p) for p in o.by_child],
                "output": [amount(p.figures.output_value) for p in o.by_child],
                "enterprises": [p.figures.enterprises for p in o.by_child],
            },
            "sections": [
                {"name": f"{p.key} {name(p)}".strip(), "value": amount(p.figures.output_value)}
                for p in o.by_industry_section
            ],
            "origins": [{"name": name(p), "value": p.figures.enterprises} for p in o.by_capital_origin],
        }
        context.update(
            o=o,
            f=o.figures,
            highlight=text[language],
            other_highlight=text["en" if language == "zh-hans" else "zh-hans"],
            charts=charts,
            chart_unit=unit,
            kpi_output=_amount(o.figures.output_value),
            kpi_revenue=_amount(o.figures.revenue),
            by_child=[(p, _share(p.figures.output_value, o.figures.output_value)) for p in o.by_child],
            readable=readable_areas(self.request.user).order_by("path")[:300],
            may_set_targets=may_place(Target, area, self.request.user),
            policy_money=money_figures(area, year),
            innovation=innovation_and_space,
        )
        return context


class TargetCreateView(ServiceFormView):
    model = Target
    form_class = TargetForm
    title = _("New target")
    list_url = "stats:dashboard"

    def get_initial(self):
        return {"area": self.request.GET.get("area"), "metric": "output_value"}

    def perform(self, data):
        return services.create_target(by=self.request.user, **data)
