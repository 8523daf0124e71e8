"""Back-office pages of the investment pipeline. Projects, follow-ups, signing batches and the
industrial plan are written through `services` (conflict detection, plan groups and history follow);
a project's stage moves only through `services.transition` (with its evidence and stage event), and a
cross-park conflict is resolved only through `services.resolve_conflict`, so both are read-only here.
Stage names are reference data: a form of names, kept here as it is."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from zoneos.core.admin import ReadOnlyAdmin, ReadOnlyInline, ServiceAdmin

from . import services
from .models import FollowUp, IndustryGroup, InvestorConflict, Project, SigningBatch, Stage, StageEvent


@admin.register(Stage)
class StageAdmin(admin.ModelAdmin):
    list_display = ["category", "zone", "name", "name_en"]
    list_filter = ["category"]


class StageEventInline(ReadOnlyInline, admin.TabularInline):
    model = StageEvent
    fields = readonly_fields = [
        "from_category",
        "to_category",
        "on",
        "by",
        "note",
        "evidence",
        "left_on",
        "days",
    ]


class NewProjectForm(forms.ModelForm):
    lead_on = forms.DateField(
        label=_("lead since"), required=False, help_text=_("The day the lead came in; today if left empty.")
    )


@admin.register(Project)
class ProjectAdmin(ServiceAdmin):
    list_display = ["name", "area", "investor_name", "stage", "total_investment", "lead_on", "flagged"]
    list_filter = ["stage", "source", "flagged"]
    search_fields = ["name", "investor_name", "investor_uscc"]
    autocomplete_fields = ["area"]
    raw_id_fields = ["owner", "enterprise", "signing_batch"]
    inlines = [StageEventInline]
    SHOWN = ("stage", "stage_on", "paused_from", "flagged", "plan_group")

    def get_fields(self, request, obj=None):
        if obj is None:
            return [*services.PROJECT_FIELDS, "lead_on"]
        return [*services.PROJECT_FIELDS, "lead_on", *self.SHOWN]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else ["lead_on", *self.SHOWN]

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            # Not a form field of the model (it is not editable): the form declares it.
            kwargs.update(form=NewProjectForm, exclude=["lead_on"])
        return super().get_form(request, obj, **kwargs)

    def service_create(self, request, data):
        return services.create_project(by=request.user, **data)

    def service_update(self, request, obj, changes):
        return services.update_project(obj, by=request.user, **changes)

    def service_delete(self, request, obj):
        services.delete_project(obj, by=request.user)


@admin.register(FollowUp)
class FollowUpAdmin(ServiceAdmin):
    list_display = ["project", "kind", "on", "next_action_on", "next_action_done", "by"]
    list_filter = ["kind", "next_action_done"]
    raw_id_fields = ["project"]

    def get_fields(self, request, obj=None):
        return ["project", *services.FOLLOW_UP_FIELDS, *([] if obj is None else ["by"])]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else ["project", "by"]

    def service_create(self, request, data):
        return services.create_follow_up(by=request.user, **data)

    def service_update(self, request, obj, changes):
        return services.update_follow_up(obj, by=request.user, **changes)

    def service_delete(self, request, obj):
        services.delete_follow_up(obj, by=request.user)


@admin.register(IndustryGroup)
class IndustryGroupAdmin(ServiceAdmin):
    list_display = ["name", "zone", "category"]
    list_filter = ["category"]
    fields = services.GROUP_FIELDS

    def service_create(self, request, data):
        return services.create_group(by=request.user, **data)

    def service_update(self, request, obj, changes):
        return services.update_group(obj, by=request.user, **changes)

    def service_delete(self, request, obj):
        services.delete_group(obj, by=request.user)


@admin.register(SigningBatch)
class SigningBatchAdmin(ServiceAdmin):
    list_display = ["name", "area", "held_on", "mode"]
    fields = services.BATCH_FIELDS

    def service_create(self, request, data):
        return services.create_batch(by=request.user, **data)

    def service_update(self, request, obj, changes):
        return services.update_batch(obj, by=request.user, **changes)

    def service_delete(self, request, obj):
        services.delete_batch(obj, by=request.user)


@admin.register(InvestorConflict)
class InvestorConflictAdmin(ReadOnlyAdmin):
    list_display = ["investor_key", "zone", "status", "chosen_area", "opened_at", "resolved_at"]
    list_filter = ["status"]
