"""Symposia with enterprises (with their live counts of appeals solved and in progress) and the chief
service officer's workbench (their enterprises, open appeals, visits and the month's visit report)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from zoneos.accounts.models import User
from zoneos.accounts.scoping import may_write, memberships, placeable_areas, scope
from zoneos.core.filters import as_id
from zoneos.core.roles import VIEW, Role
from zoneos.core.views import narrow
from zoneos.enterprises.models import Enterprise

from .. import services, stats
from ..forms import SymposiumForm, VisitForm, is_recorder
from ..models import Appeal, Status, Symposium, Visit
from .queue import _appeals, _errors_to, _rows


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
            visits=_newest_visits(scope(Visit.objects.all(), user, VIEW).filter(officer=officer)),
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


def _newest_visits(visits, n: int = 50) -> list[Visit]:
    """The `n` newest of these visits with the appeals raised on each (`appeal_count`): the visits read
    first off the (officer, day) index, then their appeals counted for those visits alone (grouping the
    visits joined to their enterprises and appeals scans every enterprise of the province)."""
    newest = list(visits.select_related("enterprise").order_by("-visited_on", "-id")[:n])
    raised = dict(
        Appeal.objects.filter(visit_id__in=[v.pk for v in newest])
        .order_by()
        .values_list("visit_id")
        .annotate(n=Count("pk"))
        .values_list("visit_id", "n")
    )
    for visit in newest:
        visit.appeal_count = raised.get(visit.pk, 0)
    return newest
