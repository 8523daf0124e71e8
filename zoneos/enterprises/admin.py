"""Back-office edits of the registry. Saves keep the derived columns and the statistics right, as
the services do; history is written by the audit log with the signed-in user as author."""

from django.contrib import admin

from . import services
from .models import Enterprise, Indicator, Label, Revision, YearLock


class LabelInline(admin.TabularInline):
    model = Label
    extra = 0


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    list_display = ["name", "uscc", "area", "industry_code", "capital_origin", "status", "size_class"]
    list_filter = ["status", "capital_origin", "industry_section", "size_class"]
    search_fields = ["name", "name_en", "uscc", "name_initials"]
    autocomplete_fields = ["area", "service_officer"]
    filter_horizontal = ["emerging_industries"]
    inlines = [LabelInline]

    def save_model(self, request, obj, form, change):
        before = Enterprise.objects.filter(pk=obj.pk).values_list("area_id", flat=True).first()
        services.validate_enterprise(obj)
        super().save_model(request, obj, form, change)
        services.figures_changed.send(Enterprise, area_ids={before, obj.area_id}, years=None)

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        services.figures_changed.send(Label, area_ids={form.instance.area_id}, years=None)


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["enterprise", "year", "output_value", "revenue", "above_designated_size", "source"]
    list_filter = ["year", "source", "above_designated_size"]
    search_fields = ["enterprise__name", "enterprise__uscc"]
    autocomplete_fields = ["enterprise"]

    def has_change_permission(self, request, obj=None):
        # Figures of a locked year change only through a revision with a reason.
        if obj is not None and services.is_locked(obj.enterprise, obj.year):
            return False
        return super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        services.derive(obj, obj.enterprise.industry_section)
        super().save_model(request, obj, form, change)
        services.refresh_size_class([obj.enterprise_id])
        services.figures_changed.send(
            Indicator, area_ids={obj.enterprise.area_id}, years={obj.year, obj.year + 1}
        )


@admin.register(YearLock)
class YearLockAdmin(admin.ModelAdmin):
    list_display = ["area", "year", "locked_by", "locked_at"]
    readonly_fields = ["locked_by", "locked_at"]

    def save_model(self, request, obj, form, change):
        obj.locked_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Revision)
class RevisionAdmin(admin.ModelAdmin):
    list_display = ["indicator", "reason", "by", "at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
