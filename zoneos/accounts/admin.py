"""Back-office pages of users and memberships, written through `services` (history authored by the
signed-in user). Users are never deleted (history keeps its authors): they are deactivated, by the
action here. Staff and superuser flags, groups and Django permissions have no service (superusers are
made by Django's own commands), so they are read-only here."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import SetPasswordMixin, UserCreationForm
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from zoneos.audit.context import current_actor
from zoneos.core.admin import Refused, ServiceAdmin, ServiceInline, refusing

from . import services, twofactor
from .models import Membership, User


class PasswordForm(SetPasswordMixin, forms.Form):
    """The admin's "change password" page, saving through `services.update_user`."""

    password1, password2 = SetPasswordMixin.create_password_fields()

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean(self):
        self.validate_passwords()
        self.validate_password_for_user(self.user)
        # There is no service to disable password sign-in: a password is always set here.
        self.cleaned_data["set_usable_password"] = True
        return super().clean()

    def save(self, commit=True):
        # The page's user, as the audit middleware knows it (the admin view does not pass the request).
        return services.update_user(self.user, by=current_actor(), password=self.cleaned_data["password1"])

    @property
    def changed_data(self):
        return ["password"] if self.cleaned_data.get("password1") else []


class MembershipInline(ServiceInline, admin.TabularInline):
    model = Membership
    fk_name = "user"
    extra = 0
    fields = [f for f in services.MEMBERSHIP_FIELDS if f != "user"]
    autocomplete_fields = ["area", "department", "enterprise"]

    def service_create(self, request, parent, data):
        return services.create_membership(by=request.user, user=parent, **data)

    def service_update(self, request, obj, changes):
        return services.update_membership(obj, by=request.user, **changes)

    def service_delete(self, request, obj):
        services.delete_membership(obj, by=request.user)


@admin.register(User)
class UserAdmin(ServiceAdmin, DjangoUserAdmin):
    add_form = UserCreationForm
    change_password_form = PasswordForm
    add_fieldsets = (
        (None, {"fields": ("username", "password1", "password2")}),
        ("ZoneOS", {"fields": ("display_name", "email", "home_area")}),
    )
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("ZoneOS", {"fields": ("display_name", "email", "home_area", "is_active")}),
        (_("Privileges"), {"fields": ("is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    readonly_fields = ["is_staff", "is_superuser", "groups", "user_permissions", "last_login", "date_joined"]
    list_display = ["username", "display_name", "email", "is_active", "is_superuser"]
    search_fields = ["username", "display_name", "email"]
    inlines = [MembershipInline]
    actions = ["deactivate"]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    def service_create(self, request, data):
        password = data.pop("password1")
        data.pop("password2", None)
        return services.create_user(by=request.user, password=password, **data)

    def service_update(self, request, obj, changes):
        changes.pop("password", None)  # changed on its own page, through PasswordForm
        return services.update_user(obj, by=request.user, **changes)

    @admin.action(description=_("Deactivate the selected users"))
    def deactivate(self, request, queryset):
        done = 0
        for user in queryset.filter(is_active=True):
            try:
                with refusing():
                    services.deactivate_user(user, by=request.user)
            except Refused as exc:
                self._refused(request, exc)
                continue
            done += 1
        self.message_user(
            request,
            ngettext("%(count)d user deactivated.", "%(count)d users deactivated.", done) % {"count": done},
            messages.SUCCESS,
        )


@admin.register(Membership)
class MembershipAdmin(ServiceAdmin):
    list_display = ["user", "role", "area", "department", "enterprise", "is_head"]
    list_filter = ["role"]
    autocomplete_fields = ["user", "area", "department", "enterprise"]
    fields = services.MEMBERSHIP_FIELDS

    def service_create(self, request, data):
        return services.create_membership(by=request.user, **data)

    def service_update(self, request, obj, changes):
        return services.update_membership(obj, by=request.user, **changes)

    def service_delete(self, request, obj):
        services.delete_membership(obj, by=request.user)


# The admin's sign-in asks for the second factor beside the password (still throttled: the form
# subclasses core's ThrottledAdminAuthenticationForm), and a session that owes one is not let in.
admin.site.login_form = twofactor.admin_form_class()
admin.site.login_template = "admin/zoneos_login.html"
admin.site.has_permission = twofactor.admin_has_permission(admin.site.has_permission)
# Devices are set up by their owners ("My account") and reset by admins on the user's page, both
# recorded in the user's history; django-otp's own device admin would show secrets and bypass that.
for _model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
