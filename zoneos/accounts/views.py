"""Pages for users and memberships (thin: scope() to read, services to write)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from zoneos.accounts.scoping import scope
from zoneos.core.roles import VIEW
from zoneos.core.views import ScopedDetailView, ScopedListView, ServiceDeleteView, ServiceFormView

from . import passwords, services, twofactor
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
        context["two_factor_on"] = twofactor.has_device(self.object)
        context["sign_ins"] = passwords.sign_ins(self.object, self.request.user)
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


# Two-factor sign-in: one's own on "My account", enrolment (also the second step of a first sign-in of
# a user who must have it), and an admin's reset of another user's.


class AccountView(LoginRequiredMixin, TemplateView):
    template_name = "accounts/account.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(
            device=TOTPDevice.objects.filter(user=user, confirmed=True).first(),
            backup_left=twofactor.backup_codes_left(user),
            required=twofactor.required_for(user),
            sign_ins=passwords.sign_ins(user, user),
        )
        return context


class TwoFactorEnrolView(View):
    """Scan, type a code, get backup codes. For a signed-in user (from "My account"), or for one who
    gave the right password and must enrol before being signed in; anyone else signs in first."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.subject, self.pending = request.user, False
        else:
            self.subject, self.pending = twofactor.pending_user(request), True
            if self.subject is None:
                return redirect_to_login(request.get_full_path())
        return super().dispatch(request, *args, **kwargs)

    def render(self, form, codes=None, next_url=None):
        key = twofactor.enrolment_key(self.request)
        context = {
            "subject": self.subject,
            "form": form,
            "codes": codes,
            "next_url": next_url,
            "required": twofactor.required_for(self.subject) or self.pending,
        }
        if not codes:
            context.update(
                qr=twofactor.qr_svg(twofactor.config_url(self.subject, key)),
                secret=twofactor.secret_text(key),
            )
        template = (
            "accounts/two_factor_enrol_signin.html" if self.pending else "accounts/two_factor_enrol.html"
        )
        return render(self.request, template, context)

    def get(self, request):
        return self.render(TwoFactorCodeForm())

    def post(self, request):
        form = TwoFactorCodeForm(request.POST)
        if not form.is_valid():
            return self.render(form)
        key = twofactor.enrolment_key(request)
        try:
            device, codes = twofactor.enrol(self.subject, key, form.cleaned_data["token"])
        except ValidationError as exc:
            form.add_error("token", exc.message_dict["token"])
            return self.render(form)
        if self.pending:
            next_url = twofactor.finish_sign_in(request, self.subject, device)
        else:
            otp_login(request, device)
            request.session.pop(twofactor.ENROL_KEY, None)
            next_url = reverse("accounts:account")
        return self.render(form, codes=codes, next_url=next_url)


class TwoFactorRemoveView(LoginRequiredMixin, View):
    """Turn one's own second factor off, proving it with a current code (not for those who must have it)."""

    def post(self, request):
        user = request.user
        if twofactor.required_for(user):
            raise PermissionDenied
        try:
            twofactor.check_code(request, user, request.POST.get("token", ""))
            twofactor.remove(user, by=user)
        except ValidationError as exc:
            view = AccountView.as_view(extra_context={"remove_error": " ".join(exc.messages)})
            request.method = "GET"
            return view(request)
        messages.success(request, _("Two-factor sign-in is off."))
        return redirect("accounts:account")


class TwoFactorResetView(ServiceDeleteView):
    """An admin removes another user's second factor (a lost phone): the user signs in with the password
    and, if their role requires it, enrols again. Recorded in the user's history."""

    model = User
    success_url_name = "accounts:users"

    def get_object(self):
        obj = super().get_object()
        if obj.pk == self.request.user.pk:
            raise PermissionDenied
        return obj

    def action_label(self):
        return _("Reset two-factor sign-in")

    def perform(self, obj):
        twofactor.remove(obj, by=self.request.user)

    def post(self, request, pk):
        response = super().post(request, pk)
        return redirect(self.get_object().get_absolute_url()) if response.status_code == 302 else response


class TwoFactorCodeForm(forms.Form):
    token = twofactor.CodeField(max_length=6)
