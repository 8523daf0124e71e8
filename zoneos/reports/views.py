"""The briefings page: download the briefing of an area and month (PDF or Excel), keep copies made by the
task worker, and keep the schedules. Reads go through the areas whose supervision figures the user may
read and through scope(); writes through the services. htmx requests get the fragment that changed."""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from zoneos.accounts.scoping import placeable_areas, scope
from zoneos.chains import coverage as chain_coverage
from zoneos.chains.models import Chain
from zoneos.chains.views import area_for
from zoneos.core.errors import Conflict
from zoneos.core.filters import MAX_ID, as_number
from zoneos.core.roles import CHANGE, VIEW
from zoneos.core.views import current_area, narrow
from zoneos.supervision.policies import readable_areas
from zoneos.supervision.services import parse_month

from . import chain_map, services
from .api import attachment, briefing_format
from .filters import BriefingFilter
from .models import Briefing, BriefingFormat, BriefingSchedule, BriefingStatus, file_name

LISTED = 30


def _default_month() -> tuple[int, int]:
    return services.last_month(timezone.localdate())


def _pick(areas, raw: str | None):
    """The area of id `raw` among `areas`, or None (for anything that is not an id a database holds)."""
    raw = (raw or "").strip()
    if not re.fullmatch(r"[0-9]{1,19}", raw) or not 0 < int(raw) <= MAX_ID:
        return None
    return areas.filter(pk=int(raw)).first()


def _errors(exc: ValidationError) -> str:
    return " ".join(m for ms in exc.message_dict.values() for m in ms)


def _briefings(request):
    base = Briefing.objects.select_related("area", "requested_by", "schedule")
    queryset = narrow(scope(base, request.user, VIEW), request)  # the switcher's subtree
    data = {k: request.GET[k] for k in ("format", "status") if request.GET.get(k)}
    filterset = BriefingFilter(data, queryset=queryset, request=request)
    rows = filterset.qs if filterset.is_valid() else queryset
    return filterset, list(rows[:LISTED])


def _schedules(request):
    rows = BriefingSchedule.objects.select_related("area", "created_by")
    return narrow(scope(rows, request.user, VIEW), request)


def _list_context(request) -> dict:
    filterset, briefings = _briefings(request)
    removable = set(
        scope(
            Briefing.objects.filter(pk__in=[b.pk for b in briefings], schedule=None), request.user, CHANGE
        ).values_list("pk", flat=True)
    )
    for briefing in briefings:
        briefing.removable = briefing.pk in removable
    return {
        "filterset": filterset,
        "briefings": briefings,
        "running": any(b.status == BriefingStatus.QUEUED for b in briefings),
    }


def _schedule_context(request) -> dict:
    schedules = list(_schedules(request))
    changeable = set(
        scope(
            BriefingSchedule.objects.filter(pk__in=[s.pk for s in schedules]), request.user, CHANGE
        ).values_list("pk", flat=True)
    )
    for schedule in schedules:
        schedule.changeable = schedule.pk in changeable
    return {
        "schedules": schedules,
        "schedule_areas": placeable_areas(BriefingSchedule, request.user).order_by("path"),
        "formats": BriefingFormat.choices,
        "briefing_languages": settings.LANGUAGES,
        "days": range(1, 29),
    }


class BriefingsView(LoginRequiredMixin, View):
    def get(self, request):
        if request.htmx and request.GET.get("part") == "list":
            return render(request, "reports/_briefing_list.html", _list_context(request))
        areas = readable_areas(request.user).order_by("path")
        area = _pick(areas, request.GET.get("area"))
        chosen = current_area(request)
        area = area or (areas.filter(pk=chosen.pk).first() if chosen else None) or areas.first()
        try:
            year, month = parse_month(request.GET.get("month"))
        except ValidationError:
            year, month = _default_month()
        context = {
            "areas": areas,
            "area": area,
            "month_value": f"{year}-{month:02d}",
            **_list_context(request),
            **_schedule_context(request),
        }
        return render(request, "reports/briefings.html", context)


class DownloadView(LoginRequiredMixin, View):
    """The briefing rendered now, in the page's language (the "Briefing PDF" button of other pages)."""

    def get(self, request):
        from .briefing import render_pdf, render_xlsx

        area = _pick(readable_areas(request.user), request.GET.get("area"))
        if area is None:
            raise Http404
        try:
            year, month = parse_month(request.GET.get("month"))
            fmt = briefing_format(request.GET.get("format"))
        except ValidationError as exc:
            messages.error(request, _errors(exc))
            return redirect(f"{reverse('reports:briefings')}?area={area.pk}")
        render_file = render_pdf if fmt == BriefingFormat.PDF else render_xlsx
        return attachment(render_file(area, year, month), file_name(area, year, month, fmt), fmt)


class RequestView(LoginRequiredMixin, View):
    """Queue briefings to be kept (PDF and Excel unless the form names one)."""

    def post(self, request):
        area = _pick(readable_areas(request.user), request.POST.get("area"))
        formats = request.POST.getlist("formats") or [BriefingFormat.PDF, BriefingFormat.XLSX]
        error = notice = None
        try:
            services.request_briefing(
                by=request.user, area=area, month=request.POST.get("month"), formats=formats
            )
        except ValidationError as exc:
            error = _errors(exc)
        else:
            notice = _("The briefing is being prepared; it appears in the list when ready.")
        if request.htmx:
            context = {**_list_context(request), "error": error, "notice": notice}
            return render(request, "reports/_briefing_list.html", context)
        if error:
            messages.error(request, error)
        else:
            messages.success(request, notice)
        return redirect("reports:briefings")


class FileView(LoginRequiredMixin, View):
    def get(self, request, pk):
        briefing = get_object_or_404(
            scope(Briefing.objects.select_related("area"), request.user, VIEW), pk=pk
        )
        if not briefing.ready:
            raise Http404
        return FileResponse(
            briefing.file.open("rb"),
            as_attachment=True,
            filename=briefing.filename,
            content_type=briefing.content_type,
        )


class BriefingDeleteView(LoginRequiredMixin, View):
    def post(self, request, pk):
        briefing = get_object_or_404(scope(Briefing.objects.all(), request.user, VIEW), pk=pk)
        error = None
        try:
            services.delete_briefing(briefing, by=request.user)
        except PermissionDenied as exc:
            error = str(exc)
        except Conflict as exc:
            error = str(exc.detail)
        if request.htmx:
            return render(request, "reports/_briefing_list.html", {**_list_context(request), "error": error})
        if error:
            messages.error(request, error)
        return redirect("reports:briefings")


class ScheduleCreateView(LoginRequiredMixin, View):
    def post(self, request):
        area = _pick(placeable_areas(BriefingSchedule, request.user), request.POST.get("area"))
        day = request.POST.get("day_of_month", "")
        try:
            services.create_schedule(
                by=request.user,
                area=area,
                day_of_month=int(day) if re.fullmatch(r"[0-9]{1,2}", day) else 0,
                formats=request.POST.getlist("formats"),
                language=request.POST.get("language", ""),
            )
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Schedule added."))
        return redirect("reports:briefings")


class ScheduleDeleteView(LoginRequiredMixin, View):
    def post(self, request, pk):
        schedule = get_object_or_404(_schedules(request), pk=pk)
        error = None
        try:
            services.delete_schedule(schedule, by=request.user)
        except PermissionDenied as exc:
            error = str(exc)
        if request.htmx:
            return render(request, "reports/_schedules.html", {**_schedule_context(request), "error": error})
        if error:
            messages.error(request, error)
        else:
            messages.success(request, _("Schedule removed."))
        return redirect("reports:briefings")


class ChainMapView(LoginRequiredMixin, View):
    """A chain's investment attraction map (招商图谱) as A4 PDF or xlsx, in the page's language, for the
    area and year the chain's page shows (`?area=`, `?year=`, `?format=pdf|xlsx`)."""

    def get(self, request, pk):
        chain = get_object_or_404(
            scope(Chain.objects.filter(area__isnull=False), request.user, VIEW).select_related(
                "area", "chief", "lead_department"
            ),
            pk=pk,
        )
        area = area_for(request, chain)
        if area is None:
            raise Http404
        try:
            fmt = briefing_format(request.GET.get("format"))
        except ValidationError as exc:
            messages.error(request, _errors(exc))
            return redirect("chains:detail", pk=chain.pk)
        year = as_number(request.GET.get("year", "")) or chain_coverage.latest_year(timezone.localdate())
        data = chain_map.map_data(chain, area, request.user, year=year)
        render_file = chain_map.render_pdf if fmt == BriefingFormat.PDF else chain_map.render_xlsx
        return attachment(render_file(data), chain_map.file_name(data, fmt), fmt)


def chain_map_panel(request, context):
    """The chain page's downloads of its attraction map (for a zone's chain read in an area)."""
    if context.get("area") is None:
        return None
    return {"template": "reports/_chain_map_panel.html", "chain": context["chain"], "area": context["area"]}
