"""Back-office pages of key-project supervision. Every write goes through `services`, so the month
figures (cumulative completion, gap, status) are rewritten as after a page or an API call, a locked
month refuses, and history names the signed-in user. Status rules are read-only here: a changed rule
restates every project's status from its date, which wants a service of its own. Supervision orders
move through their steps (issue, answer, send back, close) with events and working-day deadlines:
read-only here too."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from zoneos.core.admin import ReadOnlyAdmin, ReadOnlyInline, ServiceAdmin

from . import services
from .models import (
    EvaluationScheme,
    KeyProject,
    MonthLock,
    OrderEvent,
    Report,
    SigningTarget,
    StatusRule,
    SupervisionOrder,
)


@admin.register(KeyProject)
class KeyProjectAdmin(ServiceAdmin):
    list_display = ["name", "year", "area", "kind", "annual_plan"]
    list_filter = ["year", "kind"]
    search_fields = ["name"]
    autocomplete_fields = ["area"]
    raw_id_fields = ["project"]
    fields = services.KEY_PROJECT_FIELDS

    def service_create(self, request, data):
        return services.create_key_project(by=request.user, **data)

    def service_update(self, request, obj, changes):
        return services.update_key_project(obj, by=request.user, **changes)

    def service_delete(self, request, obj):
        services.delete_key_project(obj, by=request.user)


class ReportForm(forms.ModelForm):
    covers_january_february = forms.BooleanField(
        label=_("covers January and February"),
        required=False,
        help_text=_("Only for a February report."),
    )
    reason = forms.CharField(
        label=_("reason for revising"),
        required=False,
        max_length=500,
        help_text=_("Needed to change the report of a locked month."),
    )

    class Meta:
        model = Report
        fields = ["key_project", "month", *services.REPORT_FIELDS]


@admin.register(Report)
class ReportAdmin(ServiceAdmin):
    """A report is filed and changed with `submit_report` (a locked month answers with an error) or,
    with a reason, revised with `revise_report`. Deleting a report has no service: it is refused."""

    form = ReportForm
    list_display = ["key_project", "month", "first_month", "completed", "funds_in_place", "by", "updated_at"]
    list_filter = ["key_project__year", "month"]
    search_fields = ["key_project__name"]
    list_select_related = ["key_project", "by"]
    raw_id_fields = ["key_project"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["key_project", "month", "covers_january_february", *services.REPORT_FIELDS]
        return ["key_project", "month", "first_month", *services.REPORT_FIELDS, "reason", "by", "updated_at"]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else ["key_project", "month", "first_month", "by", "updated_at"]

    def form_data(self, form, change):
        data = super().form_data(form, change)
        data.pop("reason", None)
        return data

    def save_model(self, request, obj, form, change):
        request._revision_reason = (form.cleaned_data.get("reason") or "").strip()
        super().save_model(request, obj, form, change)

    def service_create(self, request, data):
        project = data.pop("key_project")
        month = f"{project.year}-{data.pop('month'):02d}"
        report, _created = services.submit_report(project, by=request.user, month=month, **data)
        return report

    def service_update(self, request, obj, changes):
        reason = getattr(request, "_revision_reason", "")
        if reason:
            return services.revise_report(obj, by=request.user, reason=reason, **changes)
        project = obj.key_project
        report, _created = services.submit_report(
            project,
            by=request.user,
            month=f"{project.year}-{obj.month:02d}",
            covers_january_february=obj.first_month != obj.month,
            **changes,
        )
        return report


@admin.register(MonthLock)
class MonthLockAdmin(ServiceAdmin):
    """Locked with `lock_month`, opened again with `unlock_month`; a lock is not edited."""

    list_display = ["area", "year", "month", "locked_by", "locked_at"]
    list_filter = ["year"]
    autocomplete_fields = ["area"]
    fields = ["area", "year", "month"]

    def service_create(self, request, data):
        month = f"{data['year']}-{data['month']:02d}"
        return services.lock_month(by=request.user, area=data["area"], month=month)

    def service_delete(self, request, obj):
        services.unlock_month(obj, by=request.user)


@admin.register(StatusRule)
class StatusRuleAdmin(ReadOnlyAdmin):
    list_display = ["effective_from", "yellow_at", "red_below", "source"]


@admin.register(EvaluationScheme)
class EvaluationSchemeAdmin(ServiceAdmin):
    list_display = ["area", "year", *services.WEIGHTS, "min_projects"]
    list_filter = ["year"]
    autocomplete_fields = ["area"]
    fields = services.SCHEME_FIELDS

    def service_create(self, request, data):
        return services.save_scheme(by=request.user, **data)

    def service_update(self, request, obj, changes):
        return services.save_scheme(obj, by=request.user, **changes)

    def service_delete(self, request, obj):
        services.delete_scheme(obj, by=request.user)


@admin.register(SigningTarget)
class SigningTargetAdmin(ServiceAdmin):
    list_display = ["area", "year", "projects"]
    list_filter = ["year"]
    autocomplete_fields = ["area"]
    fields = ["area", "year", "projects"]

    def service_create(self, request, data):
        return services.save_signing_target(by=request.user, **data)

    def service_update(self, request, obj, changes):
        return services.save_signing_target(obj, by=request.user, **changes)

    def service_delete(self, request, obj):
        services.delete_signing_target(obj, by=request.user)


class OrderEventInline(ReadOnlyInline, admin.TabularInline):
    model = OrderEvent
    fields = readonly_fields = ["from_status", "to_status", "note", "by", "at"]


@admin.register(SupervisionOrder)
class SupervisionOrderAdmin(ReadOnlyAdmin):
    list_display = ["subject", "key_project", "addressee", "issued_on", "due_on", "status"]
    list_filter = ["status"]
    search_fields = ["subject", "key_project__name"]
    inlines = [OrderEventInline]
