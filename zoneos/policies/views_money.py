"""The money dashboard: an area's policy money for a budget year — budgets, approved and paid amounts,
enterprises benefited, working days to payment and the on-time rate, by department and category — with
the overdue payments listed."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from zoneos.accounts.scoping import areas_for_roles
from zoneos.core import money
from zoneos.core.filters import as_id, as_number
from zoneos.core.views import current_area

from .api_applications import FIGURE_ROLES
from .models import Budget
from .money import overdue_q
from .money_figures import money_figures, years_with_applications
from .views_applications import applications_for


def _yuan(value) -> float:
    return float(money.in_unit(value or 0))  # charts in the screen's unit, 万元


class MoneyDashboardView(LoginRequiredMixin, TemplateView):
    template_name = "policies/money/dashboard.html"

    def _area(self, areas):
        raw = self.request.GET.get("area", "")
        if raw:
            area = areas.filter(pk=as_id(raw) or 0).first()
            if area is None:
                raise Http404
            return area
        chosen = current_area(self.request)
        if chosen is not None and areas.filter(pk=chosen.pk).exists():
            return chosen
        return areas.order_by("depth", "path").first()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        areas = areas_for_roles(self.request.user, FIGURE_ROLES)
        area = self._area(areas)
        context["area"] = area
        if area is None:
            return context
        today = timezone.localdate()
        years = sorted(set(years_with_applications(area)) | {today.year}, reverse=True)
        year = as_number(self.request.GET.get("year", ""))
        year = year if year in years else today.year
        figures = money_figures(area, year, today)
        overdue = (
            applications_for(self.request.user)
            .in_subtree(area)
            .filter(overdue_q(today), year=year)
            .order_by("payment_due", "id")[:200]
        )
        budgets = (
            Budget.objects.scope(self.request.user)
            .in_subtree(area)
            .filter(year=year)
            .select_related("item__department")
            .order_by("item__code")[:300]
        )
        chart = {
            "unit": money.unit_name(),
            "labels": {"approved": str(_("Approved")), "paid": str(_("Paid"))},
            "departments": [d["label"] for d in figures["by_department"]],
            "approved": [_yuan(d["approved_amount"]) for d in figures["by_department"]],
            "paid": [_yuan(d["paid_amount"]) for d in figures["by_department"]],
            "categories": [
                {"name": c["label"], "value": _yuan(c["approved_amount"])} for c in figures["by_category"]
            ],
            "statuses": [
                {"name": s["label"], "value": s["count"]} for s in figures["by_status"] if s["count"]
            ],
        }
        context.update(
            areas=areas.order_by("path")[:300],
            years=years,
            year=year,
            f=figures,
            overdue=overdue,
            budgets=budgets,
            chart=chart,
            today=today,
        )
        return context
