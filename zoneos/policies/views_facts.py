"""Declared facts on the staff side: the facts awaiting verification in the reviewer's scope, each with
its evidence and a Verify button (the `verify_fact` service), and the evidence's download, which finds
the fact in the caller's scope first (zoneos.core.files), never a public media URL."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from zoneos.accounts.scoping import scope
from zoneos.core.files import download
from zoneos.core.navigation import reads
from zoneos.core.roles import CHANGE, VIEW
from zoneos.core.views import narrow

from . import services
from .models import DeclaredFact
from .variables import VARIABLES


def may_verify(user) -> bool:
    """Staff who may change some declared facts (enterprise users declare, they never verify)."""
    return user.is_superuser or reads(user, DeclaredFact, action=CHANGE)


class FactsToVerifyView(LoginRequiredMixin, TemplateView):
    """The declared facts no one has verified yet, the oldest first; a POST verifies one (`fact`)."""

    template_name = "policies/facts.html"
    LIMIT = 200

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not may_verify(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        waiting = narrow(
            scope(DeclaredFact.objects.filter(verified_at__isnull=True), self.request.user, CHANGE),
            self.request,
        )
        rows = list(
            waiting.select_related("enterprise__area", "declared_by").order_by("updated_at", "pk")[
                : self.LIMIT
            ]
        )
        for fact in rows:
            var = VARIABLES.get(fact.variable)
            fact.label = var.label if var else fact.variable
            fact.shown = format(fact.value.normalize(), "f")
        context.update(facts=rows, total=waiting.count(), limit=self.LIMIT)
        return context

    def post(self, request):
        raw = request.POST.get("fact", "")
        fact = get_object_or_404(
            scope(DeclaredFact.objects.select_related("enterprise"), request.user, CHANGE),
            pk=int(raw) if raw.isdigit() and len(raw) < 18 else 0,
        )
        try:
            services.verify_fact(fact, by=request.user)
        except PermissionDenied:
            raise Http404 from None
        messages.success(
            request,
            _("Verified: %(fact)s of %(year)s for %(enterprise)s.")
            % {
                "fact": VARIABLES[fact.variable].label if fact.variable in VARIABLES else fact.variable,
                "year": fact.year,
                "enterprise": fact.enterprise.name,
            },
        )
        return redirect(reverse("policies:facts"))


class FactEvidenceView(LoginRequiredMixin, View):
    """A declared fact's evidence, to whoever sees the fact (its enterprise's users and the staff of
    its area); 404 elsewhere, and when it has none."""

    def get(self, request, pk):
        fact = get_object_or_404(scope(DeclaredFact.objects.exclude(evidence=""), request.user, VIEW), pk=pk)
        return download(fact.evidence)
