from django.contrib import admin

from .models import Appeal, RoutingRule, SlaPolicy, SlaRule, Symposium, Visit


class SlaRuleInline(admin.TabularInline):
    model = SlaRule
    extra = 0


@admin.register(SlaPolicy)
class SlaPolicyAdmin(admin.ModelAdmin):
    list_display = ["name", "area", "valid_from"]
    inlines = [SlaRuleInline]


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    list_display = ["area", "category", "department"]


@admin.register(Appeal)
class AppealAdmin(admin.ModelAdmin):
    """For looking things up; every change goes through the pages or the API (the step table)."""

    list_display = ["title", "enterprise", "category", "status", "department", "reply_due", "overdue"]
    list_filter = ["status", "category", "overdue"]
    search_fields = ["title", "enterprise__name"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


admin.site.register(Symposium)
admin.site.register(Visit)
