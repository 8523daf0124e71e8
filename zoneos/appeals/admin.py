"""Back-office pages of the appeals desk. Deadline policies, routing rules, symposia and visits are
written through `services` (a policy with all its rules at once); an appeal moves only through the
step table (`services.assign`, `reply`, ...), with its events and deadlines, so it is read-only here."""

from django.contrib import admin

from zoneos.core.admin import ReadOnlyAdmin, ServiceAdmin, copy_into, fresh, refusing

from . import services
from .models import Appeal, RoutingRule, SlaPolicy, SlaRule, Symposium, Visit


class WholeRecord(ServiceAdmin):
    """These services take the whole record (`instance=` to change one), not only what changed."""

    def form_data(self, form, change):
        return super().form_data(form, change=False)

    def service_update(self, request, obj, changes):
        return self.service_create(request, {**changes, "instance": obj})


class SlaRuleInline(admin.TabularInline):
    model = SlaRule
    extra = 0


@admin.register(SlaPolicy)
class SlaPolicyAdmin(WholeRecord):
    """`save_policy` writes the policy and every rule together, so the write happens once the rules'
    rows are read (in `save_related`)."""

    list_display = ["name", "area", "valid_from"]
    fields = ["area", "name", "valid_from"]
    inlines = [SlaRuleInline]

    def save_model(self, request, obj, form, change):
        pass

    def save_related(self, request, form, formsets, change):
        rules = [
            {k: row.cleaned_data[k] for k in ("category", "sign_for_hours", "reply_days")}
            for formset in formsets
            for row in formset.forms
            if row.cleaned_data.get("category") and not row.cleaned_data.get("DELETE")
        ]
        data = {**self.form_data(form, change), "rules": rules}
        with refusing():
            if change:
                saved = services.save_policy(by=request.user, instance=fresh(form.instance), **data)
            else:
                saved = services.save_policy(by=request.user, **data)
        copy_into(form.instance, saved)
        for formset in formsets:  # what formset.save() leaves for the admin's change message
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []

    def service_create(self, request, data):  # writes happen in save_related
        raise NotImplementedError

    def service_delete(self, request, obj):
        services.delete_policy(obj, by=request.user)


@admin.register(RoutingRule)
class RoutingRuleAdmin(WholeRecord):
    list_display = ["area", "category", "department"]
    fields = ["area", "category", "department"]

    def service_create(self, request, data):
        return services.save_routing_rule(by=request.user, **data)

    def service_delete(self, request, obj):
        services.delete_routing_rule(obj, by=request.user)


@admin.register(Appeal)
class AppealAdmin(ReadOnlyAdmin):
    """For looking things up; every change goes through the pages or the API (the step table)."""

    list_display = ["title", "enterprise", "category", "status", "department", "reply_due", "overdue"]
    list_filter = ["status", "category", "overdue"]
    search_fields = ["title", "enterprise__name"]


@admin.register(Symposium)
class SymposiumAdmin(WholeRecord):
    list_display = ["title", "area", "held_on", "created_by"]
    fields = ["area", "title", "held_on", "attendees", "notes"]

    def service_create(self, request, data):
        return services.save_symposium(by=request.user, **data)

    def service_delete(self, request, obj):
        services.delete_symposium(obj, by=request.user)


@admin.register(Visit)
class VisitAdmin(WholeRecord):
    list_display = ["enterprise", "officer", "visited_on"]
    fields = ["enterprise", "visited_on", "summary"]
    raw_id_fields = ["enterprise"]

    def service_create(self, request, data):
        return services.record_visit(by=request.user, **data)

    def service_delete(self, request, obj):
        services.delete_visit(obj, by=request.user)
