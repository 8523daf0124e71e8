"""The queue (a department's, or an enterprise's own appeals) and submitting an appeal, with the
helpers the desk's other pages share: the appeals in reach, a queue row's fields, the `?due=` tiles."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from zoneos.accounts.scoping import memberships, scope
from zoneos.areas.models import Department
from zoneos.core.filters import as_id
from zoneos.core.roles import VIEW, Role
from zoneos.core.views import ScopedListView, current_area, narrow

from .. import services
from ..filters import AppealFilter
from ..forms import SubmitForm, may_submit
from ..models import OWING, Appeal, Channel, Status

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


NOT_CLOSED = tuple(s for s in Status if s != Status.CLOSED)


def _counts(appeals) -> dict:
    """The queue's tiles, in one query grouped by status and overdue flag over the appeals not yet
    closed only (the indexes on area, status and on department, status, reply date find them without
    reading the closed ones, which are most of a zone's appeals)."""
    rows = (
        appeals.filter(status__in=NOT_CLOSED)
        .order_by()
        .values_list("status", "overdue")
        .annotate(n=Count("pk"), today=Count("pk", filter=_due_today_q()))
    )
    counts = {"open": 0, "overdue": 0, "due_today": 0}
    for status, overdue, n, today in rows:
        counts["open"] += n
        counts["overdue"] += n if overdue and status in OWING else 0
        counts["due_today"] += today
    return counts


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
