"""Plain generic page views over `scope()`, plus the shell's own pages (home, login, health).

List, detail, form and delete pages of every module subclass these; they read through the scoping
function, narrow to the area chosen in the switcher, and write only through services. The same view
answers htmx requests with just the fragment that changed.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, FormView, ListView, TemplateView

from zoneos.accounts import twofactor
from zoneos.accounts.scoping import in_scope, may_write, membership_roots, memberships, scope
from zoneos.areas.models import Area, AreaKind, Department, subtree_q
from zoneos.audit.history import display_rows
from zoneos.core import navigation, throttle
from zoneos.core.errors import Conflict
from zoneos.core.roles import CHANGE, VIEW
from zoneos.scheduler.health import readiness

SESSION_AREA = "zoneos_area_id"


class ReadsRequiredMixin:
    """A page about `reads_model` as a whole (a funnel, a plan): refused (403) to whoever the model's
    scoping policy grants nothing, the same rule that leaves the page out of their menu
    (navigation.reads), rather than shown empty."""

    reads_model = None

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not navigation.reads(request.user, self.reads_model):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def current_area(request) -> Area | None:
    """The area chosen in the switcher, if it is still within the user's scope."""
    if not request.user.is_authenticated:
        return None
    cached = getattr(request, "_zoneos_area", False)
    if cached is not False:
        return cached
    area = None
    area_id = request.session.get(SESSION_AREA)
    if area_id:
        area = scope(Area.objects.filter(pk=area_id), request.user, VIEW).first()
    request._zoneos_area = area
    return area


def narrow(queryset, request):
    """Narrow to the switcher's subtree (the scope has already been applied)."""
    area = current_area(request)
    if area is None:
        return queryset
    return queryset.filter(subtree_q(queryset.model, area))


class ScopedListView(LoginRequiredMixin, ListView):
    """A filterable, paginated list of the records the user may see, inside the chosen area."""

    filterset_class = None
    paginate_by = 50
    partial_template_name: str | None = None

    def base_queryset(self):
        return self.model._default_manager.all()

    def get_queryset(self):
        queryset = narrow(scope(self.base_queryset(), self.request.user, VIEW), self.request)
        self.filterset = self.filterset_class(
            self.request.GET or None, queryset=queryset, request=self.request
        )
        return self.filterset.qs if self.filterset.is_bound and self.filterset.is_valid() else queryset

    def get_template_names(self):
        if self.request.htmx and self.partial_template_name:
            return [self.partial_template_name]
        return super().get_template_names()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            filter=self.filterset,
            may_create=may_write(self.request.user, self.model),
            querystring=query.urlencode(),
        )
        return context


class ScopedDetailView(LoginRequiredMixin, DetailView):
    """One record with an Overview and a History tab; out of scope is 404."""

    tabs = ("overview", "history")

    def get_queryset(self):
        return scope(self.model._default_manager.all(), self.request.user, VIEW)

    def get_template_names(self):
        if self.request.htmx and self.request.GET.get("tab") == "history":
            return ["core/_history.html"]
        return super().get_template_names()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        tab = self.request.GET.get("tab", "overview")
        context["tab"] = tab if tab in self.tabs else "overview"
        context["may_change"] = in_scope(self.object, self.request.user, CHANGE)
        if context["tab"] == "history":
            context["history"] = display_rows(self.object, self.request.user)
        return context


class ServiceFormView(LoginRequiredMixin, FormView):
    """A create or edit form whose valid data goes to a service function.

    Subclasses implement `perform(data)` (returning the record) and, for edits, set `editing = True`
    so that the record comes from the scoped queryset (404 when out of reach).
    """

    template_name = "core/form.html"
    editing = False
    title = ""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.object = None
        if self.editing:
            self.object = (
                scope(self.model._default_manager.all(), request.user, VIEW).filter(pk=kwargs["pk"]).first()
            )
            if self.object is None:
                raise Http404
            if not in_scope(self.object, request.user, CHANGE):
                raise PermissionDenied
        elif not may_write(request.user, self.model):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        if self.object is not None:
            kwargs["instance"] = self.object
        return kwargs

    def form_valid(self, form):
        try:
            record = self.perform(form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
            return self.form_invalid(form)
        except (PermissionDenied, Conflict) as exc:
            form.add_error(None, str(exc.detail if isinstance(exc, Conflict) else exc))
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return redirect(record.get_absolute_url())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(object=self.object, title=self.title, cancel_url=self.cancel_url())
        return context

    def cancel_url(self) -> str:
        if self.object is not None:
            return self.object.get_absolute_url()
        return reverse(self.list_url)

    def perform(self, data: dict):
        raise NotImplementedError


class ServiceDeleteView(LoginRequiredMixin, View):
    """Confirm, then delete through the service; a record still in use explains why it stays."""

    model = None
    success_url_name = ""

    def get_object(self):
        obj = (
            scope(self.model._default_manager.all(), self.request.user, VIEW)
            .filter(pk=self.kwargs["pk"])
            .first()
        )
        if obj is None:
            raise Http404
        if not in_scope(obj, self.request.user, CHANGE):
            raise PermissionDenied
        return obj

    def get(self, request, pk):
        return render(
            request,
            "core/confirm_delete.html",
            {"object": self.get_object(), "action_label": self.action_label()},
        )

    def post(self, request, pk):
        obj = self.get_object()
        try:
            self.perform(obj)
        except (Conflict, PermissionDenied, ValidationError) as exc:
            detail = (
                exc.detail if isinstance(exc, Conflict) else " ".join(getattr(exc, "messages", [str(exc)]))
            )
            messages.error(request, str(detail))
            return redirect(obj.get_absolute_url())
        messages.success(request, _("%(record)s: done.") % {"record": obj})
        return redirect(self.success_url(obj))

    def success_url(self, obj) -> str:
        """Where to go once done (a record's parent page, say): the list by default."""
        return reverse(self.success_url_name)

    def action_label(self) -> str:
        return _("Delete")

    def perform(self, obj) -> None:
        raise NotImplementedError


class HomeView(LoginRequiredMixin, TemplateView):
    """The user's day: the panels the apps register for them (an enterprise's appeals and figures, a
    department's queue due today, overdue follow-ups), then, for the staff of areas, their areas with
    their parks and departments. A user whose home is another page (a leader's dashboard) lands there."""

    template_name = "core/home.html"

    def get(self, request, *args, **kwargs):
        target = navigation.landing_for(request.user)
        if target is not None:
            return redirect(target)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        chosen = current_area(self.request)
        # Area cards are for those who work over areas: an enterprise's user or a department's handler
        # has their own panels, and the parks and departments of the zone are not their business.
        over_areas = user.is_superuser or any(m.area_id and not m.enterprise_id for m in memberships(user))
        roots = ([chosen] if chosen else membership_roots(user)) if over_areas else []
        visible = scope(Area.objects.all(), user, VIEW)
        cards = []
        for root in roots:
            inside = visible.in_subtree(root)
            cards.append(
                {
                    "area": root,
                    "breadcrumb": list(root.ancestors()),
                    "zones": inside.filter(kind=AreaKind.ZONE).exclude(pk=root.pk),
                    "parks": inside.filter(kind=AreaKind.PARK).exclude(pk=root.pk),
                    "departments": scope(Department.objects.in_subtree(root), user, VIEW).select_related(
                        "area"
                    ),
                }
            )
        panels = [panel for p in navigation.panels() if (panel := p.make(self.request))]
        context.update(
            cards=cards,
            panels=panels,
            memberships=memberships(user),  # loaded once per request, as the shell reads them too
        )
        return context


class SetAreaView(LoginRequiredMixin, View):
    """The area switcher: remember a subtree (or none) for every page of this session."""

    def post(self, request):
        area_id = request.POST.get("area") or ""
        if area_id:
            area = scope(Area.objects.filter(pk=area_id), request.user, VIEW).first()
            if area is None:
                raise Http404
            request.session[SESSION_AREA] = area.pk
        else:
            request.session.pop(SESSION_AREA, None)
        target = request.POST.get("next") or reverse("home")
        if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
            target = reverse("home")
        return HttpResponseRedirect(target)


class LoginView(auth_views.LoginView):
    """Django's login with throttling by username and by client address (see core/throttle.py)."""

    template_name = "core/login.html"
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        username = request.POST.get("username", "")
        if throttle.is_locked(username, throttle.client_address(request)):
            form = self.get_form()
            form.errors.clear()
            form.add_error(None, throttle.locked_message())
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        throttle.record_failure(self.request.POST.get("username", ""), throttle.client_address(self.request))
        return super().form_invalid(form)

    def form_valid(self, form):
        user = form.get_user()
        throttle.clear(user.username, throttle.client_address(self.request))
        # The second step: a code from the user's device, or, for those who must have one and have
        # none, enrolment. Until then the session holds a pending sign-in, nobody signed in.
        if twofactor.has_device(user):
            twofactor.start_pending(self.request, user, self.get_success_url())
            return redirect("login-code")
        if twofactor.required_for(user):
            twofactor.start_pending(self.request, user, self.get_success_url())
            return redirect("accounts:two-factor-enrol")
        return super().form_valid(form)


class LoginCodeForm(forms.Form):
    token = twofactor.CodeField()


class LoginCodeView(View):
    """The second step of signing in: the 6-digit code of the user's authenticator app, or one of their
    backup codes. Wrong codes are counted and locked out like wrong passwords."""

    template_name = "core/login_code.html"

    def dispatch(self, request, *args, **kwargs):
        self.user = twofactor.pending_user(request)
        if self.user is None:
            messages.info(request, _("Please sign in again."))
            return redirect("login")
        return super().dispatch(request, *args, **kwargs)

    def render(self, form, status=200):
        return render(
            request=self.request,
            template_name=self.template_name,
            context={"form": form, "pending": self.user},
            status=status,
        )

    def get(self, request):
        return self.render(LoginCodeForm())

    def post(self, request):
        form = LoginCodeForm(request.POST)
        if form.is_valid():
            try:
                device = twofactor.check_code(request, self.user, form.cleaned_data["token"])
            except ValidationError as exc:
                form.add_error("token" if exc.code == "invalid" else None, exc)
                return self.render(form, status=429 if exc.code == "throttled" else 200)
            return redirect(twofactor.finish_sign_in(request, self.user, device))
        return self.render(form)


def admin_login(request, extra_context=None):
    """/admin/login/: the admin site's own login, its form throttled like /login/
    (ThrottledAdminAuthenticationForm); refused while locked with 429, as /login/ is."""
    locked = request.method == "POST" and throttle.is_locked(
        request.POST.get("username", ""), throttle.client_address(request)
    )
    response = admin.site.login(request, extra_context)
    if locked:
        response.status_code = 429
    return response


def healthz(request):
    """200 when the database answers; 503 otherwise. No login needed."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001  (any database failure means unhealthy)
        return JsonResponse({"status": "error", "database": str(exc.__class__.__name__)}, status=503)
    return JsonResponse({"status": "ok", "database": connection.vendor})


def readyz(request):
    """200 when this deployment can serve: the database answers, every migration is applied, and the
    scheduler and the task worker were seen alive within ZONEOS_HEARTBEAT_MAX_AGE; 503 naming the
    checks that failed otherwise. No login needed; it tells states, never addresses or errors."""
    checks = readiness()
    failed = sorted(name for name, state in checks.items() if state != "ok")
    return JsonResponse(
        {"status": "unavailable" if failed else "ok", "failed": failed, "checks": checks},
        status=503 if failed else 200,
    )
