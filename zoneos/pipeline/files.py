"""A stage move's evidence (agreement, land certificate, permit), downloaded through this view by
whoever sees the project (zoneos.core.files)."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404
from django.views import View

from zoneos.accounts.scoping import scope
from zoneos.core.files import download
from zoneos.core.roles import VIEW

from .models import Project, StageEvent


class EvidenceView(LoginRequiredMixin, View):
    def get(self, request, pk, event_pk):
        project = get_object_or_404(scope(Project.objects.all(), request.user, VIEW), pk=pk)
        event = get_object_or_404(
            StageEvent.objects.filter(project=project).exclude(evidence=""), pk=event_pk
        )
        return download(event.evidence)
