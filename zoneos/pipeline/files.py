"""A stage move's evidence (agreement, land certificate, permit), downloaded through this view by
whoever sees the project: the file is never on a public media URL, in development or in production
(nginx answers 404 under /media/)."""

from __future__ import annotations

from pathlib import PurePath

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.views import View

from zoneos.accounts.scoping import scope
from zoneos.core.roles import VIEW

from .models import Project, StageEvent


class EvidenceView(LoginRequiredMixin, View):
    def get(self, request, pk, event_pk):
        project = get_object_or_404(scope(Project.objects.all(), request.user, VIEW), pk=pk)
        event = get_object_or_404(
            StageEvent.objects.filter(project=project).exclude(evidence=""), pk=event_pk
        )
        try:
            handle = event.evidence.open("rb")
        except FileNotFoundError as exc:
            raise Http404 from exc
        return FileResponse(handle, as_attachment=True, filename=PurePath(event.evidence.name).name)
