"""The Django admin's way through the services: add, change and delete (one record, an inline row, or
"delete selected") call the app's service with the signed-in user as author, so figures, events and
history stay as right as they are after a page or an API call; a refusal is shown on the form.

An admin says which operations it offers by defining `service_create`, `service_update` and
`service_delete`; an operation it does not define is refused (no button, 403 on a forged request).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.contrib import admin, messages
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import router, transaction
from django.db.models import ProtectedError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from .errors import Conflict
from .throttle import ThrottledAdminAuthenticationForm

# The admin's login counts failures and refuses locked usernames and addresses like /login/.
admin.site.login_form = ThrottledAdminAuthenticationForm


class Refused(Exception):
    """A service said no; `errors` are (field or None, message) pairs for the form."""

    def __init__(self, errors: list[tuple[str | None, str]]):
        super().__init__("; ".join(m for _f, m in errors))
        self.errors = errors


def refusal(exc: Exception) -> list[tuple[str | None, str]]:
    if isinstance(exc, ValidationError):
        if hasattr(exc, "error_dict"):
            return [
                (None if field == NON_FIELD_ERRORS else field, str(message))
                for field, found in exc.message_dict.items()
                for message in found
            ]
        return [(None, str(m)) for m in exc.messages]
    if isinstance(exc, Conflict):
        return [(None, str(exc.detail))]
    if isinstance(exc, ProtectedError):
        return [(None, _("Other records still use this one."))]
    return [(None, str(exc) or _("You may not do this."))]


@contextmanager
def refusing() -> Iterator[None]:
    """Turn what a service raises when it says no into `Refused` (so the admin shows it, not a 500)."""
    try:
        yield
    except (ValidationError, Conflict, PermissionDenied, ProtectedError) as exc:
        raise Refused(refusal(exc)) from exc


def copy_into(target, saved) -> None:
    """What the service wrote, onto the instance the admin holds (it logs and redirects with it)."""
    for field in saved._meta.concrete_fields:
        setattr(target, field.attname, getattr(saved, field.attname))
    target._state.adding = False
    target._state.db = saved._state.db


def fresh(obj):
    """The row as stored: services compare against it, not against the form's unsaved values."""
    return type(obj)._default_manager.get(pk=obj.pk)


def _with_errors(form_class, errors):
    class RefusedForm(form_class):
        def clean(self):
            data = super().clean()
            for field, message in errors:
                if field in self.fields:
                    self.add_error(field, message)
                elif field:
                    self.add_error(None, f"{field}: {message}")
                else:
                    self.add_error(None, message)
            return data

    RefusedForm.__name__ = form_class.__name__
    return RefusedForm


class ServiceInline:
    """An inline whose rows are written by services: define `service_create(request, parent, data)`,
    `service_update(request, obj, changes)`, `service_delete(request, obj)`; what is not defined is
    refused."""

    service_create = service_update = service_delete = None

    def has_add_permission(self, request, obj=None):
        return self.service_create is not None and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self.service_update is not None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self.service_delete is not None and super().has_delete_permission(request, obj)


class ServiceAdmin(admin.ModelAdmin):
    """A ModelAdmin that writes only through the app's services (see the module's docstring).

    `service_create(request, data)` and `service_update(request, obj, changes)` return the saved
    record; `obj` is the row as stored and `changes` holds only the fields the form changed.
    """

    service_create = service_update = service_delete = None

    # Permissions: an operation without a service is not offered.
    def has_add_permission(self, request):
        return self.service_create is not None and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return self.service_update is not None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self.service_delete is not None and super().has_delete_permission(request, obj)

    # Writes.
    def form_data(self, form, change: bool) -> dict:
        names = form.changed_data if change else list(form.fields)
        return {name: form.cleaned_data[name] for name in names if name in form.cleaned_data}

    def save_model(self, request, obj, form, change):
        data = self.form_data(form, change)
        with refusing():
            if change:
                saved = self.service_update(request, fresh(obj), data)
            else:
                saved = self.service_create(request, data)
        copy_into(obj, saved)

    def save_related(self, request, form, formsets, change):
        # No form.save_m2m(): a service sets many-to-many fields from `data` with the rest.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change):
        inline = next(
            (i for i in self.get_inline_instances(request, form.instance) if i.model is formset.model), None
        )
        # What formset.save() would leave for the admin's change message.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        with refusing():
            for row in formset.deleted_forms:
                if row.instance.pk is not None:
                    inline.service_delete(request, fresh(row.instance))
                    formset.deleted_objects.append(row.instance)
            for row in formset.forms:
                if row in formset.deleted_forms or not row.has_changed():
                    continue
                if row.instance.pk is None:
                    data = {n: row.cleaned_data[n] for n in row.fields if n in row.cleaned_data}
                    for name in (formset.fk.name, "id", "DELETE"):
                        data.pop(name, None)
                    formset.new_objects.append(inline.service_create(request, form.instance, data))
                else:
                    changes = {n: row.cleaned_data[n] for n in row.changed_data if n in row.cleaned_data}
                    saved = inline.service_update(request, fresh(row.instance), changes)
                    formset.changed_objects.append((saved, list(changes)))

    def delete_model(self, request, obj):
        with refusing():
            self.service_delete(request, obj)

    def delete_queryset(self, request, queryset):
        # "Delete selected": all or nothing, each record through its service.
        with transaction.atomic(using=router.db_for_write(self.model)), refusing():
            for obj in queryset:
                self.service_delete(request, obj)

    # A refusal: the form again with the service's errors, or a message.
    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except Refused as exc:
            request._service_refusal = exc.errors
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        errors = getattr(request, "_service_refusal", None)
        return _with_errors(form, errors) if errors else form

    def _refused(self, request, exc: Refused):
        for field, message in exc.errors:
            self.message_user(request, f"{field}: {message}" if field else message, messages.ERROR)

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except Refused as exc:
            self._refused(request, exc)
            opts = self.opts
            url = reverse(
                f"admin:{opts.app_label}_{opts.model_name}_change",
                args=[object_id],
                current_app=self.admin_site.name,
            )
            return HttpResponseRedirect(url)

    def changelist_view(self, request, extra_context=None):
        if request.method != "POST":
            return super().changelist_view(request, extra_context)
        try:
            with transaction.atomic(using=router.db_for_write(self.model)):
                return super().changelist_view(request, extra_context)
        except Refused as exc:
            self._refused(request, exc)
            return HttpResponseRedirect(request.get_full_path())


class NoWrites:
    """No add, change or delete in the back office."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(NoWrites, admin.ModelAdmin):
    """For looking records up: they change only through services that need more than a form (state
    moves with their events, locks, computed figures) or are written by the platform itself."""


class ReadOnlyInline(NoWrites):
    """Rows shown beside their record, written only by its services."""

    can_delete = False
    extra = 0
