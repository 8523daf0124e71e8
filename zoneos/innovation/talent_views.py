"""Pages of talents: the list (by category, with the services each received, and the talent teams), a
talent's page and a team's page with the services received and their history, and the forms that
add and edit a talent, a team and a service received. Thin: every write calls `talent_services`, the
same functions the API calls; the buttons show to those the API lets write (`may_write`, `in_scope`)."""

from __future__ import annotations

from django.db.models import Count, Prefetch
from django.utils.translation import gettext_lazy as _

from zoneos.accounts.scoping import may_write, scope
from zoneos.core.roles import VIEW
from zoneos.core.views import ReadsRequiredMixin, ScopedDetailView, ScopedListView, ServiceFormView, narrow

from . import talent_services as services
from .filters import TalentFilter
from .nested import ChildFormView
from .talent_forms import ServiceForm, TalentForm, TeamForm
from .talent_models import Talent, TalentCategory, TalentService, TalentTeam


def _services(queryset):
    return Prefetch("services", queryset.order_by("-received_on", "pk"))


class TalentListView(ReadsRequiredMixin, ScopedListView):
    model = reads_model = Talent
    filterset_class = TalentFilter
    template_name = "innovation/talent_list.html"
    paginate_by = 50

    def base_queryset(self):
        return (
            Talent.objects.select_related("enterprise", "team")
            .prefetch_related(_services(TalentService.objects.all()))
            .order_by("enterprise__name", "name", "pk")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        teams = narrow(scope(TalentTeam.objects.all(), user, VIEW), self.request)
        by_category = dict(self.object_list.order_by().values_list("category").annotate(n=Count("pk")))
        context.update(
            categories=TalentCategory.choices,
            by_category=[
                {"value": value, "label": label, "count": by_category.get(value, 0)}
                for value, label in TalentCategory.choices
                if by_category.get(value)
            ],
            teams=teams.select_related("enterprise")
            .annotate(talent_count=Count("talents", distinct=True))
            .prefetch_related(_services(TalentService.objects.all()))
            .order_by("enterprise__name", "name", "pk")[:100],
            may_create_team=may_write(user, TalentTeam),
        )
        return context


class TalentDetailView(ScopedDetailView):
    """A talent with their enterprise and team, and the services they received."""

    model = Talent
    template_name = "innovation/talent_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("enterprise", "team")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        received = TalentService.objects.filter(talent=self.object)
        context["services"] = scope(received, self.request.user, VIEW).order_by("-received_on", "pk")
        return context


class TeamDetailView(ScopedDetailView):
    """A talent team with its talents listed and the services it received."""

    model = TalentTeam
    template_name = "innovation/team_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("enterprise")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, team = self.request.user, self.object
        context.update(
            talents=scope(Talent.objects.filter(team=team), user, VIEW).order_by("name", "pk"),
            services=scope(TalentService.objects.filter(team=team), user, VIEW).order_by(
                "-received_on", "pk"
            ),
        )
        return context


class TalentCreateView(ServiceFormView):
    model = Talent
    form_class = TalentForm
    title = _("New talent")
    list_url = "innovation:talents"

    def perform(self, data):
        return services.create_talent(by=self.request.user, **data)


class TalentUpdateView(TalentCreateView):
    editing = True
    title = _("Edit talent")

    def perform(self, data):
        return services.update_talent(self.object, by=self.request.user, **data)


class TeamCreateView(ServiceFormView):
    model = TalentTeam
    form_class = TeamForm
    title = _("New talent team")
    list_url = "innovation:talents"

    def perform(self, data):
        return services.create_team(by=self.request.user, **data)


class TeamUpdateView(TeamCreateView):
    editing = True
    title = _("Edit talent team")

    def perform(self, data):
        return services.update_team(self.object, by=self.request.user, **data)


class ServiceCreateView(ChildFormView):
    """A service received, recorded from the page of the talent (or the team) who received it."""

    model = TalentService
    form_class = ServiceForm
    title = _("Record a service received")
    recipient = "talent"

    def perform(self, data):
        return services.record_service(by=self.request.user, **{self.recipient: self.parent}, **data)


class TeamServiceCreateView(ServiceCreateView):
    parent_model = TalentTeam
    recipient = "team"


class TalentServiceCreateView(ServiceCreateView):
    parent_model = Talent


class ServiceUpdateView(ServiceFormView):
    model = TalentService
    form_class = ServiceForm
    editing = True
    title = _("Edit service received")

    def perform(self, data):
        return services.update_service(self.object, by=self.request.user, **data)
