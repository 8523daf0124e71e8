"""Pages of key-project supervision: the summary dashboard, the year's plan table with inline monthly
entry, and a project's page with its cumulative chart against the plan. Reads go through scope() (the
summary through the areas the user may read), writes through the services."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from zoneos.accounts.scoping import may_place, scope
from zoneos.core.errors import Conflict
from zoneos.core.roles import VIEW
from zoneos.core.views import current_area

from . import progress, services
from .api import readable_areas
from .highlights import headline
from .models import KeyProject, MonthFigure, Report
from .progress import STATUS_COLOR, Status


def _month(request) -> tuple[int, int]:
    try:
        return services.parse_month(request.GET.get("month"))
    except ValidationError:
        today = datetime.date.today()
        last = today.replace(day=1) - datetime.timedelta(days=1)  # the last month that has ended
        return last.year, last.month


class SummaryView(LoginRequiredMixin, TemplateView):
    template_name = "supervision/summary.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        areas = readable_areas(self.request.user).order_by("path")
        raw = self.request.GET.get("area", "")
        area = areas.filter(pk=int(raw)).first() if raw.isdigit() else None
        chosen = current_area(self.request)
        area = area or (areas.filter(pk=chosen.pk).first() if chosen else None) or areas.first()
        year, month = _month(self.request)
        context.update(areas=areas, area=area, year=year, month=month, month_value=f"{year}-{month:02d}")
        if area is None:
            return context
        s = services.summary(area, year, month)
        for child in s["by_child"]:
            child["color"] = STATUS_COLOR.get(child["status"], "secondary")
        context.update(
            s=s,
            status_color=STATUS_COLOR.get(s["status"], "secondary"),
            status_label=Status(s["status"]).label if s["status"] else "",
            headline=headline(area, year, month, s),
            chart={
                "names": [c["name"] for c in s["by_child"]],
                "rates": [float(Decimal(c["completion_rate"] or 0) * 100) for c in s["by_child"]],
                "progress": float(Decimal(s["time_progress"]) * 100),
            },
        )
        return context


class PlanView(LoginRequiredMixin, TemplateView):
    """The year's key projects of an area, month by month, with this month's entry inline."""

    template_name = "supervision/plan.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        year, month = _month(self.request)
        projects = scope(KeyProject.objects.filter(year=year), user, VIEW).select_related("area")
        area = current_area(self.request)
        if area is not None:
            projects = projects.filter(area__path__startswith=area.path)
        projects = projects.prefetch_related(
            Prefetch("figures", queryset=MonthFigure.objects.order_by("month"), to_attr="by_month")
        ).order_by("area__path", "name")
        rows = [_row(p, month, user) for p in projects]
        context.update(
            rows=rows,
            year=year,
            month=month,
            month_value=f"{year}-{month:02d}",
            months=range(1, 13),
            years=sorted(set(KeyProject.objects.values_list("year", flat=True)), reverse=True) or [year],
        )
        return context


def _row(project: KeyProject, month: int, user) -> dict:
    figures = {f.month: f for f in getattr(project, "by_month", None) or project.figures.all()}
    current = figures.get(month)
    report = project.reports.filter(month=month).first() if current and current.reported else None
    return {
        "report": report,
        "project": project,
        "figures": [figures.get(m) for m in range(1, 13)],
        "current": current,
        "rate": progress.rate(current.completed, project.annual_plan) if current else None,
        "color": STATUS_COLOR.get(current.status, "secondary") if current else "secondary",
        "status": Status(current.status).label if current and current.status else "",
        "may_report": may_place(Report, project.area, user) and month > services.locked_through(project),
        "month": month,
    }


class ReportView(LoginRequiredMixin, View):
    """The inline entry of a month's completed investment (htmx answers with the project's row)."""

    def post(self, request, pk):
        project = get_object_or_404(
            scope(KeyProject.objects.select_related("area"), request.user, VIEW), pk=pk
        )
        month = request.POST.get("month", "")
        error = None
        try:
            raw = (request.POST.get("completed") or "").replace(",", "").strip()
            try:
                completed = Decimal(raw)
            except ArithmeticError as exc:
                raise ValidationError({"completed": [_("Give the amount in yuan.")]}) from exc
            services.submit_report(
                project,
                by=request.user,
                month=month,
                covers_january_february=request.POST.get("covers_january_february") == "on",
                completed=completed,
                progress_note=request.POST.get("progress_note", ""),
            )
        except PermissionDenied:
            raise
        except Conflict as exc:
            error = str(exc.detail)
        except ValidationError as exc:
            error = " ".join(m for ms in exc.message_dict.values() for m in ms)
        if request.htmx:
            project = KeyProject.objects.select_related("area").get(pk=project.pk)
            try:
                _year, number = services.parse_month(month)
            except ValidationError:
                number = 1
            row = _row(project, number, request.user)
            return render(
                request,
                "supervision/_plan_row.html",
                {"row": row, "error": error, "months": range(1, 13), "month_value": month},
            )
        if error:
            messages.error(request, error)
        else:
            messages.success(request, _("Saved."))
        return redirect(project.get_absolute_url())


class KeyProjectDetailView(LoginRequiredMixin, TemplateView):
    template_name = "supervision/detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        project = get_object_or_404(
            scope(KeyProject.objects.select_related("area", "project"), self.request.user, VIEW),
            pk=kwargs["pk"],
        )
        figures = list(project.figures.order_by("month"))
        reports = list(
            project.reports.select_related("by").prefetch_related("revisions__by").order_by("month")
        )
        elapsed = [
            float(progress.time_progress(project.year, m) * project.annual_plan) / 1e8 for m in range(1, 13)
        ]
        context.update(
            project=project,
            figures=figures,
            reports=reports,
            locked_through=services.locked_through(project),
            may_report=may_place(Report, project.area, self.request.user),
            chart={
                "months": [
                    f"{m}月" if self.request.LANGUAGE_CODE.startswith("zh") else f"{m:02d}"
                    for m in range(1, 13)
                ],
                "completed": [round(float(f.completed) / 1e8, 4) for f in figures],
                "plan": [round(v, 4) for v in elapsed],
            },
        )
        return context
