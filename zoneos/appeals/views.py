"""Pages of the service desk: the queue (a department's, or an enterprise's own appeals), submitting
an appeal, an appeal's page with its deadlines, timeline and the steps the user may take now, the
desk's dashboard and its xlsx export, symposia with their live counts, and the chief service
officer's workbench. Reads go through scope(); every change is a call to `services`."""

from __future__ import annotations

import datetime
import tempfile
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import TemplateView

from zoneos.accounts.models import User
from zoneos.accounts.scoping import may_write, memberships, placeable_areas, scope
from zoneos.areas.models import Area, Department
from zoneos.core.errors import Conflict
from zoneos.core.filters import as_id
from zoneos.core.roles import VIEW, Role
from zoneos.core.views import ScopedListView, current_area, narrow
from zoneos.enterprises.models import Enterprise
from zoneos.tabular.export import ExportColumn, safe
from zoneos.workdays.calendar import working_days_elapsed

from . import services, stats
from .filters import AppealFilter
from .forms import (
    ATTACH,
    STEPS,
    AttachForm,
    SubmitForm,
    SymposiumForm,
    VisitForm,
    is_recorder,
    may_submit,
)
from .models import (
    OWING,
    Appeal,
    AppealEvent,
    Channel,
    Escalation,
    EventKind,
    Rating,
    Status,
    Symposium,
    Visit,
)

# What a queue row shows, and nothing more: the queue of a busy department must render fast.
ROW_FIELDS = (
    "id",
    "title",
    "category",
    "status",
    "received_at",
    "reply_due",
    "deadline_provisional",
    "paused_at",
    "overdue",
    "urged",
    "urge_count",
    "supervised",
    "enterprise__id",
    "enterprise__name",
    "enterprise__name_en",
    "department__id",
    "department__name",
    "department__name_en",
    "handler__id",
    "handler__username",
    "handler__display_name",
)


def _appeals(user):
    return scope(Appeal.objects.all(), user, VIEW)


def _rows(queryset):
    return queryset.select_related("enterprise", "department", "handler").only(*ROW_FIELDS)


def _today_bounds() -> tuple[datetime.datetime, datetime.datetime]:
    start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    return start, start + datetime.timedelta(days=1)


def _running() -> Q:
    """Appeals whose reply clock runs: the department owes a reply and is not waiting on the enterprise."""
    return Q(status__in=OWING, paused_at__isnull=True)


def _overdue_q() -> Q:
    return Q(status__in=OWING, overdue=True)


def _due_today_q() -> Q:
    start, end = _today_bounds()
    return _running() & Q(reply_due__gte=start, reply_due__lt=end)


# `?due=` on the queue and the export: the tiles at the top of the queue link to these.
DUE = {"overdue": _overdue_q, "today": _due_today_q}


def _counts(appeals) -> dict:
    """The queue's tiles, in one aggregate."""
    return appeals.aggregate(
        open=Count("pk", filter=~Q(status=Status.CLOSED)),
        overdue=Count("pk", filter=_overdue_q()),
        due_today=Count("pk", filter=_due_today_q()),
    )


def _filter_data(query):
    """The query string without the filters left empty (a form sends `status=` for "all statuses")."""
    data = query.copy()
    for key in list(data):
        values = [v for v in data.getlist(key) if v.strip()]
        if values:
            data.setlist(key, values)
        else:
            del data[key]
    return data


def _roles(user) -> set[str]:
    return {m.role for m in memberships(user)}


def _only_enterprise(user) -> bool:
    return not user.is_superuser and _roles(user) == {Role.ENTERPRISE}


def _only_handler(user) -> bool:
    return not user.is_superuser and _roles(user) == {Role.HANDLER}


# The queue -----------------------------------------------------------------------------------------
class QueueView(ScopedListView):
    """A department's queue for its handlers, "my appeals" for an enterprise, every appeal in reach
    for the zone's staff; filterable, 50 a page, counted in one aggregate."""

    model = Appeal
    filterset_class = AppealFilter
    template_name = "appeals/queue.html"
    partial_template_name = "appeals/_queue_table.html"
    paginate_by = 50

    def get_queryset(self):
        user = self.request.user
        base = narrow(_appeals(user), self.request)
        self.base = base
        data = _filter_data(self.request.GET)
        data.setdefault("open", "true")  # a queue opens on what is still open
        self.filterset = AppealFilter(data, queryset=_rows(base), request=self.request)
        queryset = self.filterset.qs if self.filterset.is_valid() else _rows(base).none()
        due = self.request.GET.get("due", "")
        if due in DUE:
            queryset = queryset.filter(DUE[due]())
        if self.request.GET.get("sort") == "due":
            return queryset.order_by("reply_due", "id")
        return queryset.order_by("-received_at", "-id")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        handler_only = _only_handler(user)
        departments = []
        if not handler_only:
            departments = list(narrow(scope(Department.objects.all(), user, VIEW), self.request))
        query = self.request.GET.copy()
        for key in ("page", "sort"):
            query.pop(key, None)
        export = self.request.GET.copy()
        export.pop("page", None)
        area = current_area(self.request)
        if area is not None and "within" not in export:
            export["within"] = str(area.pk)
        context.update(
            counts=_counts(self.base),
            queue_of=[m.department.label for m in memberships(user) if m.role == Role.HANDLER],
            now=timezone.now(),
            mine=_only_enterprise(user),
            handler_only=handler_only,
            may_submit=may_submit(user),
            departments=departments if len(departments) > 1 else [],
            open_value=self.filterset.data.get("open"),
            due=self.request.GET.get("due", ""),
            sort=self.request.GET.get("sort", ""),
            sort_query=query.urlencode(),
            export_query=export.urlencode(),
            errors=self.filterset.errors,
        )
        return context


# Submitting -----------------------------------------------------------------------------------------
class SubmitView(LoginRequiredMixin, TemplateView):
    """An enterprise submits its appeal online; the zone's staff record one received by hotline, on a
    visit or at a symposium (`?symposium=` or `?visit=` preselects where it was raised)."""

    template_name = "appeals/submit.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not may_submit(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def initial(self) -> dict:
        initial: dict = {"received_at": timezone.localtime().replace(second=0, microsecond=0)}
        form = SubmitForm(user=self.request.user)
        if not form.staff:
            return initial
        initial["channel"] = Channel.HOTLINE
        symposium_id = as_id(self.request.GET.get("symposium"))
        if symposium_id and form.fields["symposium"].queryset.filter(pk=symposium_id).exists():
            initial.update(symposium=symposium_id, channel=Channel.SYMPOSIUM)
        visit = as_id(self.request.GET.get("visit"))
        visit = form.fields["visit"].queryset.filter(pk=visit).first() if visit else None
        if visit is not None:
            initial.update(visit=visit.pk, enterprise=visit.enterprise_id, channel=Channel.VISIT)
        enterprise_id = as_id(self.request.GET.get("enterprise"))
        if enterprise_id and "enterprise" not in initial:
            initial["enterprise"] = enterprise_id
        return initial

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = kwargs.get("form") or SubmitForm(user=self.request.user, initial=self.initial())
        visit_id = form["visit"].value() if "visit" in form.fields else None
        visit = form.fields["visit"].queryset.filter(pk=as_id(visit_id)).first() if as_id(visit_id) else None
        context.update(form=form, visit=visit)
        return context

    def post(self, request, *args, **kwargs):
        form = SubmitForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                appeal = services.submit(by=request.user, **form.service_arguments())
            except ValidationError as exc:
                _errors_to(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc) or _("You may not submit appeals for this enterprise."))
            else:
                messages.success(
                    request,
                    _("The appeal is received. A reply is due by %(due)s.")
                    % {"due": timezone.localtime(appeal.reply_due).strftime("%Y-%m-%d %H:%M")},
                )
                return redirect(appeal.get_absolute_url())
        return self.render_to_response(self.get_context_data(form=form), status=400)


def _errors_to(form, exc: ValidationError) -> None:
    """A service's ValidationError onto the form: each message on the field it names."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


# An appeal's page and its steps ---------------------------------------------------------------------
def _span(start: datetime.datetime, end: datetime.datetime) -> str:
    """From `start` to the later `end`: in working days, or in hours and minutes within a day."""
    days = working_days_elapsed(start, end)
    if days >= 1:
        return ngettext("%(n)s working day", "%(n)s working days", days) % {"n": days}
    hours, minutes = divmod(max(int((end - start).total_seconds() // 60), 1), 60)
    if hours:
        return _("%(h)s h %(m)s min") % {"h": hours, "m": minutes}
    return _("%(m)s min") % {"m": minutes}


def deadline_clock(appeal: Appeal, now: datetime.datetime) -> dict:
    """The deadline whose clock runs now (as the sweep reads it) and the time left or overdue by."""
    if appeal.status not in OWING:
        if appeal.replied_at is not None:
            return {"state": "replied", "on_time": appeal.replied_on_time}
        return {"state": "none"}
    if appeal.paused_at is not None:
        return {"state": "paused", "since": appeal.paused_at}
    signing = appeal.status == Status.ASSIGNED and appeal.sign_for_due < appeal.reply_due
    due = appeal.sign_for_due if signing else appeal.reply_due
    if due < now:
        span = _span(due, now)
        text = _("Sign-for overdue by %(span)s") if signing else _("Reply overdue by %(span)s")
        return {"state": "late", "due": due, "signing": signing, "text": text % {"span": span}}
    span = _span(now, due)
    text = _("%(span)s left to sign for") if signing else _("%(span)s left to reply")
    return {"state": "running", "due": due, "signing": signing, "text": text % {"span": span}}


def _described(event: AppealEvent) -> AppealEvent:
    """The event's details as people read them (its `data` holds ids and codes)."""
    data, kind, detail, tone = event.data or {}, event.kind, "", "secondary"
    if kind == EventKind.ASSIGN and data.get("department"):
        detail = " · ".join(str(v) for v in (data["department"], data.get("handler")) if v)
    elif kind == EventKind.RETURN and data.get("department"):
        detail = _("from %(department)s") % {"department": data["department"]}
    elif kind in EXTENSION_EVENTS and isinstance(data.get("days"), int):
        detail = ngettext("%(n)s working day", "%(n)s working days", data["days"]) % {"n": data["days"]}
    elif kind == EventKind.EVALUATE and data.get("rating") in Rating.values:
        detail = Rating(data["rating"]).label
    elif kind == EventKind.ESCALATE and data.get("level") in Escalation.values:
        detail, tone = Escalation(data["level"]).label, "danger"
    elif kind == EventKind.REPLY and "on_time" in data:
        detail, tone = (_("On time"), "success") if data["on_time"] else (_("Late"), "danger")
    elif kind == EventKind.SIGN_FOR and data.get("late"):
        detail, tone = _("Late"), "danger"
    event.detail, event.tone = detail, tone
    return event


EXTENSION_EVENTS = {EventKind.REQUEST_EXTENSION, EventKind.APPROVE_EXTENSION, EventKind.REJECT_EXTENSION}


LEADING = {"assign", "sign_for", "reply", "evaluate", "approve_extension", "resume"}


def _scoped_appeal(user, pk) -> Appeal:
    return get_object_or_404(
        _appeals(user).select_related(
            "enterprise__area", "area", "department__area", "handler", "submitter", "symposium", "visit"
        ),
        pk=pk,
    )


class DetailView(LoginRequiredMixin, TemplateView):
    template_name = "appeals/detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        appeal = kwargs.get("appeal") or _scoped_appeal(user, self.kwargs["pk"])
        failed, failed_form = kwargs.get("failed") or (None, None)
        steps = []
        # The step that moves the appeal on comes first (and opens): reply before "ask for more time".
        allowed = sorted(services.allowed_actions(user, appeal), key=lambda name: name not in LEADING)
        for name in allowed:
            step = STEPS[name]
            form = failed_form if name == failed else step.form(user=user, appeal=appeal, prefix=name)
            steps.append({"name": name, "step": step, "form": form})
        active = failed if failed in {s["name"] for s in steps} else (steps[0]["name"] if steps else None)
        may_attach = appeal.status != Status.CLOSED and (
            services.is_enterprise(user, appeal)
            or services.is_dispatcher(user, appeal)
            or services.is_handler(user, appeal)
        )
        now = timezone.now()
        context.update(
            appeal=appeal,
            now=now,
            clock=deadline_clock(appeal, now),
            steps=steps,
            active=active,
            events=[_described(e) for e in appeal.events.select_related("by")],
            attachments=appeal.attachments.select_related("uploaded_by"),
            attach_form=failed_form if failed == "attach" else AttachForm(prefix="attach"),
            may_attach=may_attach,
            error=kwargs.get("error"),
        )
        return context


class StepView(DetailView):
    """POST /appeals/<id>/<step>/: the step's form to its service; field errors and refusals come back
    on the appeal's page, success redirects to it."""

    def get(self, request, pk, step):
        if step not in STEPS and step != "attach":
            raise Http404
        return redirect("appeals:detail", pk=pk)

    def post(self, request, pk, step):
        if step not in STEPS and step != "attach":
            raise Http404
        definition = ATTACH if step == "attach" else STEPS[step]
        appeal = _scoped_appeal(request.user, pk)
        form = definition.form(request.POST, request.FILES, user=request.user, appeal=appeal, prefix=step)
        error, status = None, 400
        if form.is_valid():
            try:
                definition.run(appeal, request.user, form.cleaned_data)
            except ValidationError as exc:
                _errors_to(form, exc)
            except Conflict as exc:
                error, status = str(exc.detail), 409
            except PermissionDenied as exc:
                error, status = str(exc) or _("You may not take this step on this appeal."), 403
            else:
                messages.success(request, _("%(step)s: done.") % {"step": definition.label})
                return redirect(appeal.get_absolute_url())
        context = self.get_context_data(appeal=appeal, failed=(step, form), error=error)
        return self.render_to_response(context, status=status)


class AttachmentView(LoginRequiredMixin, View):
    """An attachment, to whoever sees its appeal."""

    def get(self, request, pk, file_pk):
        appeal = get_object_or_404(_appeals(request.user), pk=pk)
        attachment = get_object_or_404(appeal.attachments, pk=file_pk)
        try:
            handle = attachment.file.open("rb")
        except FileNotFoundError as exc:
            raise Http404 from exc
        return FileResponse(handle, as_attachment=True, filename=attachment.name)


# The dashboard and the export -------------------------------------------------------------------------
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


def xlsx_response(rows, columns: list[ExportColumn], basename: str):
    """Like `tabular.export.response`, but dates and times stay dates (Excel can sort and filter them)."""
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
    for row in rows:
        sheet.append([_cell(sheet, column.value(row)) for column in columns])
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
            .iterator(chunk_size=2000)
        )
        return xlsx_response(rows, appeal_columns(), "appeals")


# Symposia ---------------------------------------------------------------------------------------------
def _symposia(request):
    return stats.with_counts(
        narrow(scope(Symposium.objects.select_related("area"), request.user, VIEW), request)
    )


class SymposiumListView(LoginRequiredMixin, TemplateView):
    """政企座谈会: the symposia in reach with their appeals solved and in progress; staff who dispatch
    appeals hold new ones here."""

    template_name = "appeals/symposia.html"

    def may_create(self) -> bool:
        return may_write(self.request.user, Symposium)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        symposia = _symposia(self.request).order_by("-held_on", "-id")
        page = Paginator(symposia, 50).get_page(self.request.GET.get("page"))
        for s in page.object_list:
            s.in_progress = s.appeal_count - s.solved
        may_create = self.may_create()
        context.update(
            page_obj=page,
            symposia=page.object_list,
            may_create=may_create,
            form=kwargs.get("form") or (SymposiumForm(user=self.request.user) if may_create else None),
        )
        return context

    def post(self, request, *args, **kwargs):
        if not self.may_create():
            raise PermissionDenied
        form = SymposiumForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                symposium = services.save_symposium(by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                _errors_to(form, exc)
            except PermissionDenied as exc:
                form.add_error("area", str(exc))
            else:
                messages.success(request, _("The symposium is recorded."))
                return redirect(symposium.get_absolute_url())
        return self.render_to_response(self.get_context_data(form=form), status=400)


class SymposiumDetailView(LoginRequiredMixin, TemplateView):
    """A symposium, its attendees and its appeals, with a count of solved versus in progress that
    htmx refreshes (`?part=counts` answers just that fragment)."""

    template_name = "appeals/symposium.html"

    def partial(self) -> bool:
        return bool(self.request.htmx) and self.request.GET.get("part") == "counts"

    def get_template_names(self):
        return ["appeals/_symposium_counts.html"] if self.partial() else [self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        symposium = get_object_or_404(_symposia(self.request), pk=self.kwargs["pk"])
        appeals = _appeals(self.request.user).filter(symposium=symposium)
        counts = stats.open_counts(appeals)
        counts["share"] = round(100 * counts["solved"] / counts["total"]) if counts["total"] else 0
        context.update(symposium=symposium, counts=counts, now=timezone.now())
        if not self.partial():
            context.update(
                appeals=_rows(appeals).order_by("-received_at", "-id")[:500],
                attendees=[line.strip() for line in symposium.attendees.splitlines() if line.strip()],
                may_record=is_recorder(self.request.user),
            )
        return context


# The chief service officer's workbench ----------------------------------------------------------------
def _month(request) -> tuple[int, int]:
    """`?month=YYYY-MM`, else the current month."""
    month = stats.parse_month(request.GET.get("month", ""))
    if month is None:
        today = timezone.localdate()
        return today.year, today.month
    return month


class WorkbenchView(LoginRequiredMixin, TemplateView):
    """首席服务官: the officer's enterprises with their open appeals, the open appeals themselves,
    their visits (record one here; a visit may raise an appeal) and the month's visit report.
    Superusers and area staff choose among the service officers in their scope."""

    template_name = "appeals/workbench.html"

    def chooses(self) -> bool:
        user = self.request.user
        return user.is_superuser or any(
            m.area_id and m.role != Role.SERVICE_OFFICER for m in memberships(user)
        )

    def officers(self):
        user = self.request.user
        enterprises = scope(Enterprise.objects.all(), user, VIEW)
        return (
            scope(User.objects.all(), user, VIEW)
            .filter(Q(memberships__role=Role.SERVICE_OFFICER) | Q(served_enterprises__in=enterprises))
            .distinct()
            .order_by("username")
        )

    def officer(self, officers):
        user = self.request.user
        is_officer = any(m.role == Role.SERVICE_OFFICER for m in memberships(user))
        if not self.chooses():
            return user if is_officer or user.served_enterprises.exists() else None
        chosen = as_id(self.request.GET.get("officer"))
        if chosen:
            return get_object_or_404(officers, pk=chosen)
        if is_officer or user.served_enterprises.exists():
            return user
        return officers.first()

    def visit_enterprises(self, officer):
        """Whom the user may record a visit to: their own enterprises, else any in their areas."""
        user = self.request.user
        enterprises = scope(Enterprise.objects.all(), user, VIEW).order_by("name", "pk")
        own = enterprises.filter(service_officer=officer)
        if own.exists():
            return own
        return enterprises.filter(area__in=placeable_areas(Visit, user))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        chooses = self.chooses()
        officers = self.officers() if chooses else User.objects.none()
        officer = self.officer(officers)
        year, month = _month(self.request)
        visits_in_reach = narrow(scope(Visit.objects.all(), user, VIEW), self.request)
        report = stats.visit_report(visits_in_reach, year, month)
        names = {u.username: str(u) for u in User.objects.filter(username__in=[r["officer"] for r in report])}
        for row in report:
            row["name"] = names.get(row["officer"], row["officer"])
        context.update(
            chooses=chooses,
            officers=officers,
            officer=officer,
            month_value=f"{year}-{month:02d}",
            report=report,
            now=timezone.now(),
        )
        if officer is None:
            return context
        mine = next((r for r in report if r["officer"] == officer.username), None)
        served = scope(Enterprise.objects.all(), user, VIEW).filter(service_officer=officer)
        enterprises = list(served.select_related("area").order_by("name", "pk"))
        open_appeals = _appeals(user).filter(enterprise__in=served.values("pk")).exclude(status=Status.CLOSED)
        per_enterprise = dict(
            open_appeals.order_by()
            .values_list("enterprise_id")
            .annotate(n=Count("id"))
            .values_list("enterprise_id", "n")
        )
        for e in enterprises:
            e.open_appeals = per_enterprise.get(e.pk, 0)
        enterprises.sort(key=lambda e: -e.open_appeals)  # those with open appeals first, then by name
        may_record = officer.pk == user.pk and may_write(user, Visit)
        context.update(
            mine=mine or {"visits": 0, "enterprises": 0, "appeals_raised": 0},
            enterprises=enterprises,
            appeals=_rows(open_appeals).order_by("reply_due", "id")[:100],
            open_total=sum(per_enterprise.values()),
            visits=scope(Visit.objects.select_related("enterprise"), user, VIEW)
            .filter(officer=officer)
            .annotate(appeal_count=Count("appeals"))
            .order_by("-visited_on", "-id")[:50],
            may_record=may_record,
            may_raise=is_recorder(user),
            visit_form=kwargs.get("visit_form")
            or (VisitForm(enterprises=self.visit_enterprises(officer)) if may_record else None),
        )
        return context

    def post(self, request, *args, **kwargs):
        if not may_write(request.user, Visit):
            raise PermissionDenied
        form = VisitForm(request.POST, enterprises=self.visit_enterprises(request.user))
        if form.is_valid():
            try:
                services.record_visit(by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                _errors_to(form, exc)
            except PermissionDenied as exc:
                form.add_error("enterprise", str(exc))
            else:
                messages.success(request, _("The visit is recorded."))
                return redirect("appeals:workbench")
        return self.render_to_response(self.get_context_data(visit_form=form), status=400)
