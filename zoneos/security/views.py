"""Pages: the signed-in user's API tokens (create, shown once; list; revoke), with the tokens of the
users an admin manages beside them, and the security log for admins and superusers (filters,
csv/xlsx export)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from zoneos.accounts.scoping import scope
from zoneos.core.errors import Conflict
from zoneos.core.roles import VIEW
from zoneos.tabular import export

from . import services
from .exports import event_columns
from .filters import ApiTokenFilter, SecurityEventFilter
from .forms import TokenForm
from .models import ApiToken, SecurityEvent
from .scoping import may_read_log


class TokensView(LoginRequiredMixin, View):
    """GET: the page. POST: create a token and show its secret, on this answer only (never stored,
    never redirected to, not cached)."""

    template_name = "security/tokens.html"

    def get(self, request):
        return self.page(request, TokenForm())

    def post(self, request):
        form = TokenForm(request.POST)
        secret = None
        if form.is_valid():
            try:
                token, secret = services.create_token(
                    by=request.user,
                    name=form.cleaned_data["name"],
                    expires_at=form.expires_at(),
                    request=request,
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error("expires_on" if field == "expires_at" else field, errors)
            else:
                form = TokenForm()
                return self.page(request, form, created=token, secret=secret)
        return self.page(request, form, status=400)

    def page(self, request, form, created=None, secret=None, status=200):
        visible = scope(ApiToken.objects.select_related("user", "revoked_by"), request.user, VIEW)
        managed = ApiTokenFilter(
            request.GET or None, queryset=visible.exclude(user=request.user), request=request
        )
        others = managed.qs if managed.is_bound and managed.is_valid() else managed.queryset
        response = render(
            request,
            self.template_name,
            {
                "form": form,
                "created": created,
                "secret": secret,
                "own": visible.filter(user=request.user),
                "managed": others[:200],
                "manages_others": visible.exclude(user=request.user).exists() or managed.is_bound,
                "filter": managed,
            },
            status=status,
        )
        response["Cache-Control"] = "no-store"
        return response


class TokenRevokeView(LoginRequiredMixin, View):
    def post(self, request, pk):
        token = scope(ApiToken.objects.select_related("user"), request.user, VIEW).filter(pk=pk).first()
        if token is None:
            raise Http404
        try:
            services.revoke_token(token, by=request.user, request=request)
        except (Conflict, PermissionDenied) as exc:
            messages.error(request, str(exc.detail if isinstance(exc, Conflict) else exc))
        else:
            messages.success(request, _("The token %(token)s is revoked.") % {"token": token})
        target = request.POST.get("next") or reverse("security:tokens")
        if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
            target = reverse("security:tokens")
        return redirect(target)


class SecurityEventListView(LoginRequiredMixin, ListView):
    """The security log, newest first; admins see their users' events, superusers every event."""

    template_name = "security/event_list.html"
    paginate_by = 50

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not may_read_log(request.user):
            raise PermissionDenied(_("Only admins and superusers read the security log."))
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        events = scope(SecurityEvent.objects.select_related("user"), self.request.user, VIEW)
        self.filterset = SecurityEventFilter(self.request.GET or None, queryset=events, request=self.request)
        return self.filterset.qs if self.filterset.is_bound and self.filterset.is_valid() else events

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            filter=self.filterset, querystring=query.urlencode(), retention_days=services.retention_days()
        )
        return context


class SecurityEventExportView(SecurityEventListView):
    def get(self, request, *args, **kwargs):
        rows = self.get_queryset().iterator(chunk_size=2000)
        fmt = "csv" if request.GET.get("as") == "csv" else "xlsx"
        return export.response(rows, event_columns(), "security-events", fmt, request=request)
