"""Pages for users and memberships (thin: scope() to read, services to write)."""

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from zoneos.accounts.scoping import scope
from zoneos.core.roles import VIEW
from zoneos.core.views import ScopedDetailView, ScopedListView, ServiceDeleteView, ServiceFormView

from . import services
from .filters import MembershipFilter, UserFilter
from .forms import MembershipForm, UserCreateForm, UserUpdateForm
from .models import Membership, User


class UserListView(ScopedListView):
    model = User
    filterset_class = UserFilter
    template_name = "accounts/user_list.html"

    def base_queryset(self):
        return (
            User.objects.select_related("home_area")
            .annotate(membership_count=Count("memberships"))
            .order_by("username")
        )


class UserDetailView(ScopedDetailView):
    model = User
    template_name = "accounts/user_detail.html"
    context_object_name = "person"  # `user` is the signed-in user in every template

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["person_memberships"] = scope(
            self.object.memberships.all(), self.request.user, VIEW
        ).select_related("area", "department__area", "enterprise")
        return context


class UserCreateView(ServiceFormView):
    model = User
    form_class = UserCreateForm
    title = _("New user")
    list_url = "accounts:users"

    def perform(self, data):
        return services.create_user(by=self.request.user, **data)


class UserUpdateView(ServiceFormView):
    model = User
    form_class = UserUpdateForm
    editing = True
    title = _("Edit user")
    list_url = "accounts:users"

    def perform(self, data):
        return services.update_user(self.object, by=self.request.user, **data)


class UserDeactivateView(ServiceDeleteView):
    model = User
    success_url_name = "accounts:users"

    def action_label(self):
        return _("Deactivate")

    def perform(self, obj):
        services.deactivate_user(obj, by=self.request.user)


class MembershipListView(ScopedListView):
    model = Membership
    filterset_class = MembershipFilter
    template_name = "accounts/membership_list.html"

    def base_queryset(self):
        return Membership.objects.select_related("user", "area", "department__area", "enterprise")


class MembershipDetailView(ScopedDetailView):
    model = Membership
    template_name = "accounts/membership_detail.html"


class MembershipCreateView(ServiceFormView):
    model = Membership
    form_class = MembershipForm
    title = _("New membership")
    list_url = "accounts:memberships"

    def get_initial(self):
        return {
            k: self.request.GET.get(k)
            for k in ("user", "area", "department", "role")
            if k in self.request.GET
        }

    def perform(self, data):
        return services.create_membership(by=self.request.user, **data)


class MembershipUpdateView(ServiceFormView):
    model = Membership
    form_class = MembershipForm
    editing = True
    title = _("Edit membership")
    list_url = "accounts:memberships"

    def perform(self, data):
        return services.update_membership(self.object, by=self.request.user, **data)


class MembershipDeleteView(ServiceDeleteView):
    model = Membership
    success_url_name = "accounts:memberships"

    def action_label(self):
        return _("Remove")

    def perform(self, obj):
        services.delete_membership(obj, by=self.request.user)
