"""The desk's dashboard (figures for an area and a received-date range) and the xlsx export of the
appeals a queue's filters select."""

from __future__ import annotations

import datetime
import tempfile
from urllib.parse import urlencode

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import FileResponse, Http404, HttpResponseBadRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from zoneos.accounts.scoping import scope
from zoneos.areas.models import Area, Department
from zoneos.core.filters import as_id
from zoneos.core.replica import read_alias, reading_from_replica
from zoneos.core.roles import VIEW
from zoneos.core.views import current_area
from zoneos.security.events import record
from zoneos.security.models import EventKind
from zoneos.tabular.export import ExportColumn, safe
from zoneos.workdays.calendar import working_days_elapsed

from .. import stats
from ..filters import AppealFilter
from .queue import DUE, _appeals, _filter_data


def _area_choice(request, areas) -> Area | None:
    """`?area=` among the areas the user sees, else the area chosen in the header, else all."""
    if request.GET.get("area"):
        area = areas.filter(pk=as_id(request.GET["area"])).first() if as_id(request.GET["area"]) else None
        if area is None:
            raise Http404
        return area
    chosen = current_area(request)
    return areas.filter(pk=chosen.pk).first() if chosen else None


class DashboardView(LoginRequiredMixin, TemplateView):
    """The desk's figures for an area and a received-date range (stats.dashboard over the scoped
    appeals): tiles, a chart by category and by status, departments with their ranking."""

    template_name = "appeals/dashboard.html"

    @reading_from_replica()
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs).render()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        request = self.request
        areas = scope(Area.objects.all(), request.user, VIEW).order_by("path")
        area = _area_choice(request, areas)
        data = {k: request.GET.get(k, "") for k in ("received_from", "received_to")}
        if area is not None:
            data["within"] = str(area.pk)
        filterset = AppealFilter(data, queryset=_appeals(request.user), request=request)
        appeals = filterset.qs if filterset.is_valid() else _appeals(request.user).none()
        board = stats.dashboard(appeals)
        names = {
            d.pk: d.label for d in Department.objects.filter(pk__in=[f.key for f in board.by_department])
        }
        for f in board.by_department:
            f.label = names.get(f.key) or _("Not yet assigned")
        statuses = [(s, label, n) for s, label, n in board.by_status if n]
        context.update(
            areas=areas,
            area=area,
            form=data,
            errors=filterset.errors,
            board=board,
            total=board.total,
            ranking=board.ranking(),
            export_query=urlencode({k: v for k, v in data.items() if v}),
            chart={
                "categories": [f.label for f in board.by_category],
                "replied": [f.replied for f in board.by_category],
                "waiting": [f.total - f.replied for f in board.by_category],
                "statuses": [{"name": label, "value": n} for _s, label, n in statuses],
                "labels": {"replied": _("Replied"), "waiting": _("Awaiting a reply")},
            },
        )
        return context


def _yes_no(value) -> str:
    if value is None:
        return ""
    return _("Yes") if value else _("No")


def appeal_columns() -> list[ExportColumn]:
    """The export's columns in the active language; dates and numbers stay typed."""

    def days_to_reply(a):
        return working_days_elapsed(a.received_at, a.replied_at) if a.replied_at else None

    return [
        ExportColumn(_("No."), lambda a: a.pk),
        ExportColumn(_("Received at"), lambda a: a.received_at),
        ExportColumn(_("Enterprise"), lambda a: a.enterprise.label),
        ExportColumn(_("USCC"), lambda a: a.enterprise.uscc or ""),
        ExportColumn(_("Area"), lambda a: a.area.label),
        ExportColumn(_("Category"), lambda a: a.get_category_display()),
        ExportColumn(_("Channel"), lambda a: a.get_channel_display()),
        ExportColumn(_("Title"), lambda a: a.title),
        ExportColumn(_("Status"), lambda a: a.get_status_display()),
        ExportColumn(_("Department"), lambda a: a.department.label if a.department else ""),
        ExportColumn(_("Handler"), lambda a: str(a.handler) if a.handler else ""),
        ExportColumn(_("Sign for by"), lambda a: a.sign_for_due),
        ExportColumn(_("Reply by"), lambda a: a.reply_due),
        ExportColumn(_("Provisional deadline"), lambda a: _yes_no(a.deadline_provisional)),
        ExportColumn(_("Replied at"), lambda a: a.replied_at),
        ExportColumn(_("Replied on time"), lambda a: _yes_no(a.replied_on_time)),
        ExportColumn(_("Working days to reply"), days_to_reply),
        ExportColumn(_("Rating"), lambda a: a.get_rating_display()),
        ExportColumn(_("Overdue"), lambda a: _yes_no(a.overdue)),
        ExportColumn(_("Times urged"), lambda a: a.urge_count),
        ExportColumn(_("Supervised"), lambda a: _yes_no(a.supervised)),
        ExportColumn(_("Times reopened"), lambda a: a.reopen_count),
        ExportColumn(_("Closed at"), lambda a: a.closed_at),
    ]


def _cell(sheet, value):
    from openpyxl.cell import WriteOnlyCell

    if isinstance(value, datetime.datetime):
        cell = WriteOnlyCell(sheet, value=timezone.localtime(value).replace(tzinfo=None))
        cell.number_format = "yyyy-mm-dd hh:mm"
    elif isinstance(value, datetime.date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "yyyy-mm-dd"
    else:
        cell = WriteOnlyCell(sheet, value=safe(value))
    return cell


def xlsx_response(rows, columns: list[ExportColumn], basename: str, *, request):
    """Like `tabular.export.response`, but dates and times stay dates (Excel can sort and filter them);
    logged in the security log like every export (the appeals carry contact names and phones)."""
    # openpyxl (0.1 s to import) is loaded by the process that exports, as in `tabular.export`, not by
    # every process that loads the URLs.
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    sheet = book.create_sheet(basename[:31])
    sheet.freeze_panes = "A2"
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(10, min(40, len(column.header) * 2 + 2))
    header = []
    for column in columns:
        cell = _cell(sheet, column.header)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    count = 0
    for row in rows:
        sheet.append([_cell(sheet, column.value(row)) for column in columns])
        count += 1
    record(
        EventKind.EXPORT,
        request,
        detail={"kind": basename, "format": "xlsx", "rows": count, "complete": True},
    )
    handle = tempfile.TemporaryFile()  # noqa: SIM115  (FileResponse closes it)
    book.save(handle)
    handle.seek(0)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"{basename}-{stamp}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


class ExportView(LoginRequiredMixin, View):
    """The appeals the query string selects (AppealFilter, and `?due=`), as xlsx."""

    def get(self, request):
        filterset = AppealFilter(_filter_data(request.GET), queryset=_appeals(request.user), request=request)
        if not filterset.is_valid():
            problems = "; ".join(f"{k}: {' '.join(v)}" for k, v in filterset.errors.items())
            return HttpResponseBadRequest(problems, content_type="text/plain; charset=utf-8")
        appeals = filterset.qs
        due = request.GET.get("due", "")
        if due in DUE:
            appeals = appeals.filter(DUE[due]())
        rows = (
            appeals.select_related("enterprise", "area", "department", "handler")
            .order_by("received_at", "id")
            .using(read_alias())
            .iterator(chunk_size=2000)
        )
        return xlsx_response(rows, appeal_columns(), "appeals", request=request)
