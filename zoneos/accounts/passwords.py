"""Passwords and sign-ins, by the user themselves and by their admins: changing one's password,
resetting a forgotten one through an e-mailed link that expires (Django's token machinery: the link
dies once used, after PASSWORD_RESET_TIMEOUT, or when the password changes), an admin setting a new
password or sending the link for a user they manage, and each user's sign-in history.

A reset never signs the user in: they sign in afterwards with the new password, so throttling and the
second factor apply as to any sign-in. The links in e-mails start with ZONEOS_SITE_URL (the address
people reach the site by), falling back to the address of the request."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView

from zoneos.accounts.scoping import memberships, require, scope
from zoneos.core.roles import CHANGE, VIEW, Role
from zoneos.core.throttle import client_address
from zoneos.security.models import EventKind, SecurityEvent

from . import services
from .models import User

SIGN_IN_KINDS = (EventKind.SIGN_IN, EventKind.SIGN_IN_FAILED, EventKind.LOCKOUT)
HISTORY_LENGTH = 20
# Reset e-mails asked for from one address (or for one e-mail address) in an hour.
RESET_REQUESTS_PER_HOUR = 5


def may_read_sign_ins(person, viewer) -> bool:
    """A user reads their own sign-ins; an admin those of the users of their areas (the security log's
    rule, zoneos.security.scoping)."""
    if viewer.pk == person.pk or viewer.is_superuser:
        return True
    from zoneos.security.scoping import managed_users

    for membership in memberships(viewer):
        if membership.role == Role.ADMIN and membership.area_id:
            users = managed_users(membership, VIEW)
            if users is not None and User.objects.filter(pk=person.pk, pk__in=users).exists():
                return True
    return False


def sign_ins(person, viewer) -> list[SecurityEvent] | None:
    """The latest sign-ins of `person` (successful, failed, locked out), or None when `viewer` may not
    read them."""
    if not may_read_sign_ins(person, viewer):
        return None
    events = SecurityEvent.objects.filter(user_id=person.pk, kind__in=SIGN_IN_KINDS)
    return list(events.order_by("-at", "-pk")[:HISTORY_LENGTH])


def site_url(request) -> str:
    return (getattr(settings, "ZONEOS_SITE_URL", "") or request.build_absolute_uri("/")).rstrip("/")


def reset_hours() -> int:
    return max(1, settings.PASSWORD_RESET_TIMEOUT // 3600)


def send_reset_link(user, request) -> bool:
    """E-mail `user` a link to choose a new password; False when they have no e-mail address."""
    if not user.email or not user.is_active or not user.has_usable_password():
        return False
    form = auth_forms.PasswordResetForm({"email": user.email})
    form.is_valid()
    form.send_mail(
        "registration/password_reset_subject.txt",
        "registration/password_reset_email.txt",
        _reset_context(user, request),
        settings.DEFAULT_FROM_EMAIL,
        user.email,
    )
    return True


def _reset_context(user, request) -> dict:
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("accounts:password-reset-confirm", kwargs={"uidb64": uid, "token": token})
    return {"user": user, "link": site_url(request) + path, "hours": reset_hours()}


def _over_limit(*keys: str) -> bool:
    over = False
    for key in keys:
        name = f"zoneos:password-reset:{key}"
        count = cache.get_or_set(name, 0, 3600)
        if count >= RESET_REQUESTS_PER_HOUR:
            over = True
        else:
            try:
                cache.incr(name)
            except ValueError:
                cache.set(name, 1, 3600)
    return over


class ResetRequestForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"), max_length=254)


class PasswordResetView(FormView):
    """Anyone may ask; the answer is the same whether or not the address belongs to a user, so the page
    tells nobody who has an account. Asking too often from one address sends nothing more."""

    template_name = "accounts/password_reset.html"
    form_class = ResetRequestForm

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        if not _over_limit(f"addr:{client_address(self.request)}", f"email:{email.lower()}"):
            for user in User.objects.filter(email__iexact=email, is_active=True):
                send_reset_link(user, self.request)
        return self.render_to_response(self.get_context_data(form=form, sent=True))

    def get_context_data(self, **kwargs):
        return super().get_context_data(hours=reset_hours(), **kwargs)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("login")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Your password is changed. Sign in with the new one."))
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    """One's own password, proven by the current one; the session stays signed in (and verified)."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:account")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Your password is changed."))
        return response


class AdminPasswordForm(forms.Form):
    how = forms.ChoiceField(
        label=_("How"),
        choices=[("link", _("E-mail the user a link to choose one")), ("set", _("Set a new password now"))],
        widget=forms.RadioSelect,
        initial="link",
    )
    password = forms.CharField(
        label=_("New password"),
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Only when setting it now: tell the user, who should change it after signing in."),
    )


class AdminPasswordResetView(LoginRequiredMixin, FormView):
    """An admin resets the password of a user they manage (one whose memberships all lie in the admin's
    areas: the rule of user administration); anyone else gets 404 or 403 as for editing the user."""

    template_name = "accounts/password_admin_reset.html"
    form_class = AdminPasswordForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.person = get_object_or_404(scope(User.objects.all(), request.user, VIEW), pk=kwargs["pk"])
        require(self.person, request.user, CHANGE)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(person=self.person, hours=reset_hours(), **kwargs)

    def form_valid(self, form):
        if form.cleaned_data["how"] == "link":
            if not send_reset_link(self.person, self.request):
                form.add_error("how", _("This user has no e-mail address: set a new password instead."))
                return self.form_invalid(form)
            messages.success(
                self.request,
                _("A link to choose a new password was sent to %(email)s.") % {"email": self.person.email},
            )
        else:
            password = form.cleaned_data["password"]
            if not password:
                form.add_error("password", _("Type the new password."))
                return self.form_invalid(form)
            try:
                services.update_user(self.person, by=self.request.user, password=password)
            except ValidationError as exc:
                for message in exc.message_dict.get("password", exc.messages):
                    form.add_error("password", message)
                return self.form_invalid(form)
            messages.success(self.request, _("The password of %(user)s is changed.") % {"user": self.person})
        return redirect(self.person.get_absolute_url())
