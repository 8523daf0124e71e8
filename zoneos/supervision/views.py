"""Pages of key-project supervision: the summary dashboard, the year's plan table with inline monthly
entry, and a project's page with its cumulative chart against the plan. Reads go through scope() (the
summary through the areas the user may read), writes through the services."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from zoneos.accounts.scoping import may_place, scope
from zoneos.areas.models import Area, Department
from zoneos.core import navigation
from zoneos.core.errors import Conflict
from zoneos.core.filters import as_id, as_number
from zoneos.core.money import YI, cumulative_label, parse_amount, unit_name
from zoneos.core.roles import VIEW
from zoneos.core.views import ReadsRequiredMixin, current_area

from . import evaluation, progress, services
from .highlights import headline
from .models import (
    EvaluationScheme,
    KeyProject,
    MonthFigure,
    OrderStatus,
    Report,
    SigningTarget,
    SupervisionOrder,
)
from .policies import readable_areas
from .progress import STATUS_COLOR, Status
from .services import ORDER_WORKFLOW


def _month(request, area=None) -> tuple[int, int]:
    """The month asked for (`?month=`), else the last month with reports of the key projects the user
    sees (in `area`, when given), else the last month that has ended. A month nobody has reported yet
    would show every project red against its time progress."""
    try:
        return services.parse_month(request.GET.get("month"))
    except ValidationError:
        pass
    request.supervision_month_defaulted = True
    latest = services.latest_reported_month(request.user, area)
    if latest:
        return latest
    today = timezone.localdate()
    last = today.replace(day=1) - datetime.timedelta(days=1)  # the last month that has ended
    request.supervision_month_defaulted = "ended"
    return last.year, last.month


def _month_note(request, year: int, month: int) -> str:
    """What the page says when it chose the month itself."""
    how = getattr(request, "supervision_month_defaulted", False)
    if not how:
        return ""
    if how == "ended":
        return _("Showing %(month)s, the last month that has ended: no month has reports yet.") % {
            "month": f"{year}-{month:02d}"
        }
    return _("Showing %(month)s, the last month with reports. Choose another month above.") % {
        "month": f"{year}-{month:02d}"
    }


# What modules above supervision offer on the summary page (the briefing downloads): callables taking
# (area, "YYYY-MM") and returning a list of {"url", "label", "icon", "testid"}.
SUMMARY_ACTIONS: list = []


class AreaMonthMixin:
    """The area (among those whose supervision figures the user reads) and the month a page shows:
    `?area=&month=`, else the area chosen in the header and the last month that has ended."""

    def area_and_month(self):
        areas = readable_areas(self.request.user).order_by("path")
        area_id = as_id(self.request.GET.get("area"))
        area = areas.filter(pk=area_id).first() if area_id else None
        chosen = current_area(self.request)
        area = area or (areas.filter(pk=chosen.pk).first() if chosen else None) or areas.first()
        year, month = _month(self.request, area)
        return areas, area, year, month

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        areas, area, year, month = self.area_and_month()
        context.update(
            areas=areas,
            area=area,
            year=year,
            month=month,
            month_value=f"{year}-{month:02d}",
            month_note=_month_note(self.request, year, month),
        )
        return context


class SummaryView(LoginRequiredMixin, AreaMonthMixin, TemplateView):
    template_name = "supervision/summary.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        area, year, month = context["area"], context["year"], context["month"]
        if area is None:
            return context
        s = services.summary(area, year, month)
        for child in s["by_child"]:
            child["color"] = STATUS_COLOR.get(child["status"], "secondary")
        charted = [c for c in s["by_child"] if c["projects"] and c["completion_rate"] is not None]
        context.update(
            s=s,
            status_color=STATUS_COLOR.get(s["status"], "secondary"),
            status_label=Status(s["status"]).label if s["status"] else "",
            headline=headline(area, year, month, s),
            actions=[a for offer in SUMMARY_ACTIONS for a in offer(area, f"{year}-{month:02d}")],
            # Only the sub-areas with key projects are drawn: one without has no rate, not 0 %.
            chart={
                "names": [c["name"] for c in charted],
                "rates": [float(Decimal(c["completion_rate"]) * 100) for c in charted],
                "progress": float(Decimal(s["time_progress"]) * 100),
            },
        )
        context["panels"] = navigation.page_panels("supervision:summary", self.request, context)
        return context


class RankingView(LoginRequiredMixin, AreaMonthMixin, TemplateView):
    """The children of an area ranked by their evaluation score; supervisors set the weights and the
    signing targets here."""

    template_name = "supervision/ranking.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        area, year, month = context["area"], context["year"], context["month"]
        if area is None:
            return context
        result = evaluation.ranking(area, year, month)
        for row in result["rows"]:
            row["color"] = STATUS_COLOR.get(row["status"], "secondary")
        weights = evaluation.weights_for(area, year)
        may_edit = may_place(EvaluationScheme, area, self.request.user)
        context.update(
            result=result,
            weights=weights,
            scheme_area=weights.scheme.area if weights.scheme else None,
            may_edit=may_edit,
            form=kwargs.get("form") or _scheme_initial(weights),
            errors=kwargs.get("errors") or {},
            children=list(area.children.order_by("code")),
            scheme_fields=[
                (name, EvaluationScheme._meta.get_field(name).verbose_name)
                for name in (*services.WEIGHTS, "min_projects")
            ],
            targets_form={
                t.area_id: str(t.projects) for t in SigningTarget.objects.filter(area__parent=area, year=year)
            },
            chart={
                "names": [r["name"] for r in result["rows"]],
                "scores": [float(r["score"] or 0) for r in result["rows"]],
                "comparable": [r["comparable"] for r in result["rows"]],
            },
        )
        return context

    def post(self, request, *args, **kwargs):
        """Save the area's scheme for the year and its children's signing targets, all or nothing."""
        areas, area, year, month = self.area_and_month()
        if area is None:
            raise PermissionDenied
        form = {name: request.POST.get(name, "").strip() for name in (*services.WEIGHTS, "min_projects")}
        targets = {
            child.pk: request.POST.get(f"target-{child.pk}", "").strip() for child in area.children.all()
        }
        errors: dict = {}
        try:
            with transaction.atomic():
                values = {}
                for name, raw in form.items():
                    try:
                        values[name] = int(raw) if name == "min_projects" else Decimal(raw)
                    except (ArithmeticError, ValueError):
                        errors[name] = [_("Give a number.")]
                if errors:
                    raise ValidationError(errors)
                scheme = EvaluationScheme.objects.filter(area=area, year=year).first()
                services.save_scheme(scheme, by=request.user, area=area, year=year, **values)
                existing = {t.area_id: t for t in SigningTarget.objects.filter(area__parent=area, year=year)}
                for child in area.children.all():
                    raw = targets[child.pk]
                    target = existing.get(child.pk)
                    if not raw:
                        if target is not None:
                            services.delete_signing_target(target, by=request.user)
                        continue
                    if as_number(raw) is None:
                        raise ValidationError({f"target-{child.pk}": [_("Give a whole number.")]})
                    if target is None or target.projects != as_number(raw):
                        services.save_signing_target(
                            target, by=request.user, area=child, year=year, projects=as_number(raw)
                        )
        except ValidationError as exc:
            errors = exc.message_dict
            context = self.get_context_data(form=form, errors=errors, **kwargs)
            context["targets_form"] = targets
            return self.render_to_response(context, status=400)
        messages.success(request, _("The evaluation scheme is saved."))
        return redirect(f"{request.path}?area={area.pk}&month={year}-{month:02d}")


def _scheme_initial(weights) -> dict:
    return {
        **{f"weight_{m}": f"{getattr(weights, m):g}" for m in evaluation.MEASURES},
        "min_projects": str(weights.min_projects),
    }


class PlanView(LoginRequiredMixin, ReadsRequiredMixin, TemplateView):
    """The year's key projects of an area, month by month, with this month's entry inline."""

    template_name = "supervision/plan.html"
    reads_model = KeyProject

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        area = current_area(self.request)
        year, month = _month(self.request, area)
        projects = scope(KeyProject.objects.filter(year=year), user, VIEW).select_related("area")
        if area is not None:
            projects = projects.in_subtree(area)
        projects = (
            projects.prefetch_related(
                Prefetch("figures", queryset=MonthFigure.objects.order_by("month"), to_attr="by_month"),
                Prefetch("reports", queryset=Report.objects.filter(month=month), to_attr="month_reports"),
            )
            .annotate(locked_month=KeyProject.latest_lock_month())
            .order_by("area__path", "name")
        )
        rows = [_row(p, month, user) for p in projects]
        context.update(
            rows=rows,
            year=year,
            month=month,
            month_value=f"{year}-{month:02d}",
            month_note=_month_note(self.request, year, month),
            months=range(1, 13),
            cumulative={m: cumulative_label(m) for m in range(1, 13)},
            years=sorted(set(KeyProject.objects.values_list("year", flat=True)), reverse=True) or [year],
        )
        return context


def _row(project: KeyProject, month: int, user) -> dict:
    # The plan page loads figures, the month's report and the lock with its projects; a single row
    # (the inline entry's answer) reads them here.
    by_month = getattr(project, "by_month", None)
    figures = {f.month: f for f in (project.figures.all() if by_month is None else by_month)}
    current = figures.get(month)
    reports = getattr(project, "month_reports", None)
    if not (current and current.reported):
        report = None
    elif reports is not None:
        report = reports[0] if reports else None
    else:
        report = project.reports.filter(month=month).first()
    locked = (
        project.locked_month or 0 if hasattr(project, "locked_month") else services.locked_through(project)
    )
    return {
        "report": report,
        "project": project,
        "figures": [figures.get(m) for m in range(1, 13)],
        "current": current,
        "rate": progress.rate(current.completed, project.annual_plan) if current else None,
        "color": STATUS_COLOR.get(current.status, "secondary") if current else "secondary",
        "status": Status(current.status).label if current and current.status else "",
        "may_report": may_place(Report, project.area, user) and month > locked,
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
            amounts = {}
            for name in ("completed", "funds_in_place"):
                raw = request.POST.get(name)
                if raw is None or (name != "completed" and not raw.strip()):
                    continue
                try:
                    # The plan's screen is in 亿元; "300万" or "2500元" say another unit.
                    amounts[name] = parse_amount(raw, YI)
                except ValueError as exc:
                    message = _("Give the amount in %(unit)s (or write 万元 or 元 after the number).") % {
                        "unit": unit_name("large")
                    }
                    raise ValidationError({name: [message]}) from exc
            texts = {n: request.POST[n] for n in ("progress_note", "problems") if n in request.POST}
            services.submit_report(
                project,
                by=request.user,
                month=month,
                covers_january_february=request.POST.get("covers_january_february") == "on",
                **amounts,
                **texts,
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
            may_issue=services.may_issue(project, self.request.user),
            orders=_marked(_orders(self.request.user).filter(key_project=project)),
            chart={
                "months": [
                    f"{m}月" if self.request.LANGUAGE_CODE.startswith("zh") else f"{m:02d}"
                    for m in range(1, 13)
                ],
                "completed": [round(float(f.completed) / 1e8, 4) for f in figures],
                "plan": [round(v, 4) for v in elapsed],
            },
        )
        context["panels"] = navigation.page_panels("supervision:detail", self.request, context)
        return context


# Supervision orders --------------------------------------------------------------------------------
ORDER_COLOR = {OrderStatus.OPEN: "primary", OrderStatus.ANSWERED: "info", OrderStatus.CLOSED: "secondary"}


def _orders(user):
    return scope(
        SupervisionOrder.objects.select_related("key_project__area", "to_area", "to_department", "issued_by"),
        user,
        VIEW,
    )


def _marked(orders) -> list:
    today = timezone.localdate()
    rows = list(orders)
    for order in rows:
        order.is_overdue = order.overdue_on(today)
        order.color = ORDER_COLOR[order.status]
    return rows


class OrderListView(LoginRequiredMixin, TemplateView):
    """The orders the user sees: open ones first, overdue ones flagged; filters by status and lateness."""

    template_name = "supervision/orders.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        orders = _orders(self.request.user)
        status = self.request.GET.get("status", "")
        if status in OrderStatus.values:
            orders = orders.filter(status=status)
        overdue = self.request.GET.get("overdue") == "1"
        if overdue:
            orders = orders.filter(services.overdue_q(today))
        rows = _marked(orders.order_by("status", "due_on", "-id")[:500])
        counts = _orders(self.request.user).aggregate(
            open=Count("pk", filter=Q(status=OrderStatus.OPEN)),
            late=Count("pk", filter=services.overdue_q(today) & Q(status=OrderStatus.OPEN)),
            answered=Count("pk", filter=Q(status=OrderStatus.ANSWERED)),
        )
        context.update(
            orders=rows,
            status=status,
            overdue=overdue,
            statuses=OrderStatus.choices,
            counts=counts,
            today=today,
        )
        return context


class OrderIssueView(LoginRequiredMixin, TemplateView):
    """Issue an order about a key project (supervisors)."""

    template_name = "supervision/order_form.html"

    def project(self):
        project = get_object_or_404(
            scope(KeyProject.objects.select_related("area"), self.request.user, VIEW), pk=self.kwargs["pk"]
        )
        if not services.may_issue(project, self.request.user):
            raise PermissionDenied
        return project

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        project = kwargs.get("project") or self.project()
        areas = list(project.area.ancestors().exclude(kind="region")) + [project.area]
        departments = scope(Department.objects.select_related("area"), self.request.user, VIEW).filter(
            area__path__in=[a.path for a in areas]
        )
        context.update(
            project=project,
            area_options=[(f"area-{a.pk}", a.label) for a in areas],
            department_options=[(f"department-{d.pk}", f"{d.label} · {d.area.label}") for d in departments],
            form=kwargs.get("form") or {"to": f"area-{project.area_id}", "deadline_days": "5"},
            errors=kwargs.get("errors") or {},
        )
        return context

    def post(self, request, pk):
        project = self.project()
        form = {
            k: request.POST.get(k, "").strip() for k in ("to", "subject", "instructions", "deadline_days")
        }
        kind, _sep, raw_id = form["to"].partition("-")
        target = {}
        if kind == "area" and as_id(raw_id):
            target["to_area"] = scope(Area.objects.all(), request.user, VIEW).filter(pk=as_id(raw_id)).first()
        elif kind == "department" and as_id(raw_id):
            target["to_department"] = (
                scope(Department.objects.all(), request.user, VIEW).filter(pk=as_id(raw_id)).first()
            )
        try:
            order = services.issue_order(
                by=request.user,
                key_project=project,
                subject=form["subject"],
                instructions=form["instructions"],
                deadline_days=as_number(form["deadline_days"]),
                **target,
            )
        except ValidationError as exc:
            errors = exc.message_dict
            if "to_area" in errors:
                errors["to"] = errors.pop("to_area")
            context = self.get_context_data(project=project, form=form, errors=errors)
            return self.render_to_response(context, status=400)
        messages.success(request, _("The order is issued, due on %(date)s.") % {"date": order.due_on})
        return redirect(order.get_absolute_url())


class OrderDetailView(LoginRequiredMixin, TemplateView):
    """An order with its steps; the addressee answers here, supervisors close it or send it back. The
    forms and buttons are those of the steps the user may take now, from the order's table."""

    template_name = "supervision/order.html"

    def order(self):
        return get_object_or_404(_orders(self.request.user), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        order = kwargs.get("order") or self.order()
        order.is_overdue = order.overdue_on(timezone.localdate())
        order.color = ORDER_COLOR[order.status]
        context.update(
            order=order,
            events=order.events.select_related("by"),
            step_forms=_step_forms(order, self.request.user, kwargs.get("posted")),
            errors=kwargs.get("errors") or {},
        )
        return context

    def post(self, request, pk):
        order = self.order()
        name = request.POST.get("step", "")
        if name not in ORDER_WORKFLOW:
            context = self.get_context_data(order=order, errors={"step": [_("Choose what to do.")]})
            return self.render_to_response(context, status=400)
        form = ORDER_WORKFLOW.form_class(name)(request.POST, user=request.user, record=order)
        if form.is_valid():
            try:
                ORDER_WORKFLOW.take(name, order, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            except Conflict as exc:
                messages.error(request, str(exc.detail))
                return redirect(order.get_absolute_url())
            else:
                return redirect(order.get_absolute_url())
        context = self.get_context_data(order=order, posted=form)
        return self.render_to_response(context, status=400)


def _step_forms(order: SupervisionOrder, user, posted=None) -> list[dict]:
    """One form per group of the steps the user may take now that share their inputs (closing and
    sending back both take a note), with a button per step; the posted form keeps its data and
    errors. Each form's first text field is `order-text` to the browser tests."""
    groups: list[dict] = []
    for name in ORDER_WORKFLOW.allowed(user, order):
        step = ORDER_WORKFLOW[name]
        inputs = tuple(spec.name for spec in step.inputs)
        group = next((g for g in groups if g["inputs"] == inputs), None)
        if group is None:
            form = ORDER_WORKFLOW.form_class(name)(user=user, record=order)
            group = {"inputs": inputs, "form": form, "steps": []}
            groups.append(group)
        if posted is not None and posted.step.name == name:
            group["form"] = posted
        label = step.extra.get("labels", {}).get(order.status, step.label)
        group["steps"].append({"name": name, "label": label, "step": step})
    for group in groups:
        texts = [f for f in group["form"].fields.values() if isinstance(f.widget, forms.Textarea)]
        if texts:
            texts[0].widget.attrs["data-testid"] = "order-text"
    return groups
