"""Pages of research programmes: the list, a programme's page (its budget rules and criteria as data, its
projects, its history) and the forms that add and change one. Thin: every change goes to the same
service functions the API calls (`services.create_programme`, `services.update_programme`), whose
refusals come back beside the field they name; who sees and who may write is the programme's scoping
policy, so the "New" and "Edit" buttons show for exactly the roles the API lets write."""

from __future__ import annotations

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from zoneos.accounts.scoping import scope
from zoneos.core.roles import VIEW
from zoneos.core.views import (
    ReadsRequiredMixin,
    ScopedDetailView,
    ScopedListView,
    ServiceFormView,
    current_area,
)

from . import services
from .filters import ProgrammeFilter
from .forms import ProgrammeForm
from .models import Category, Programme, ResearchProject


def _projects_per_programme(user, programmes) -> dict[int, int]:
    """Programme id -> the number of its projects the user sees (a park's staff: their park's)."""
    rows = (
        scope(ResearchProject.objects.filter(programme__in=programmes), user, VIEW)
        .values("programme")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["programme"]: row["n"] for row in rows}


class ProgrammeListView(ReadsRequiredMixin, ScopedListView):
    """The programmes the user reads, with their rules at a glance and how many projects they see;
    refused to whoever reads none (an enterprise's users), as the menu leaves it out for them."""

    model = Programme
    reads_model = Programme
    filterset_class = ProgrammeFilter
    template_name = "research/programme_list.html"

    def base_queryset(self):
        return Programme.objects.select_related("area").order_by("-year", "code", "pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = list(context["object_list"])
        counts = _projects_per_programme(self.request.user, [p.pk for p in page])
        for programme in page:
            programme.project_count = counts.get(programme.pk, 0)
        context["object_list"] = page
        return context


class ProgrammeView(ScopedDetailView):
    """A programme's rules and criteria, the projects run under it that the user sees, its history."""

    model = Programme
    template_name = "research/programme.html"

    def get_queryset(self):
        return super().get_queryset().select_related("area")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        programme = self.object
        context.update(
            categories=[(value, label, value in programme.frozen) for value, label in Category.choices],
            projects=scope(
                programme.projects.select_related("area", "enterprise"), self.request.user, VIEW
            ).order_by("-starts_on", "code", "pk")[:50],
        )
        return context


class _ProgrammeForm(ServiceFormView):
    model = Programme
    form_class = ProgrammeForm
    template_name = "research/programme_form.html"
    list_url = "research:programmes"

    def form_valid(self, form):
        self._form = form
        return super().form_valid(form)

    def perform(self, data):
        return self.run(self._form.service_data())


class ProgrammeCreateView(_ProgrammeForm):
    title = _("New research programme")

    def get_initial(self):
        area = current_area(self.request)
        return {"area": area.pk if area else None}

    def run(self, data):
        return services.create_programme(by=self.request.user, **data)


class ProgrammeUpdateView(_ProgrammeForm):
    editing = True
    title = _("Edit research programme")

    def run(self, data):
        return services.update_programme(self.object, by=self.request.user, **data)
