"""Back-office edits of the registry, through `services`: derived columns, the statistics and the
history (authored by the signed-in user) follow every save and delete. Figures of a locked year change
only through a revision with a reason (the API's), so they are read-only here, as revisions are."""

from django.contrib import admin

from zoneos.core.admin import ReadOnlyAdmin, ServiceAdmin, ServiceInline

from . import services
from .models import Enterprise, Indicator, Label, Revision, YearLock


class LabelInline(ServiceInline, admin.TabularInline):
    model = Label
    extra = 0
    fields = services.LABEL_FIELDS

    def service_create(self, request, parent, data):
        return services.create_label(by=request.user, enterprise=parent, **data)

    def service_update(self, request, obj, changes):
        return services.update_label(obj, by=request.user, **changes)

    def service_delete(self, request, obj):
        services.delete_label(obj, by=request.user)


@admin.register(Enterprise)
class EnterpriseAdmin(ServiceAdmin):
    list_display = ["name", "uscc", "area", "industry_code", "capital_origin", "status", "size_class"]
    list_filter = ["status", "capital_origin", "industry_section", "size_class"]
    search_fields = ["name", "name_en", "uscc", "name_initials"]
    autocomplete_fields = ["area", "service_officer"]
    filter_horizontal = ["emerging_industries"]
    fields = [*services.ENTERPRISE_FIELDS, "industry_section", "size_class"]
    readonly_fields = ["industry_section", "size_class"]
    inlines = [LabelInline]

    def service_create(self, request, data):
        return services.create_enterprise(by=request.user, **data)

    def service_update(self, request, obj, changes):
        return services.update_enterprise(obj, by=request.user, **changes)

    def service_delete(self, request, obj):
        services.delete_enterprise(obj, by=request.user)


@admin.register(Indicator)
class IndicatorAdmin(ServiceAdmin):
    list_display = ["enterprise", "year", "output_value", "revenue", "above_designated_size", "source"]
    list_filter = ["year", "source", "above_designated_size"]
    search_fields = ["enterprise__name", "enterprise__uscc"]
    autocomplete_fields = ["enterprise"]
    DERIVED = ["above_designated_size", "size_class"]

    def get_fields(self, request, obj=None):
        return ["enterprise", "year", *services.INDICATOR_FIELDS, *([] if obj is None else self.DERIVED)]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else ["enterprise", "year", *self.DERIVED]

    def has_change_permission(self, request, obj=None):
        # Figures of a locked year change only through a revision with a reason.
        if obj is not None and services.is_locked(obj.enterprise, obj.year):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and services.is_locked(obj.enterprise, obj.year):
            return False
        return super().has_delete_permission(request, obj)

    def service_create(self, request, data):
        return services.create_indicator(by=request.user, **data)

    def service_update(self, request, obj, changes):
        return services.update_indicator(obj, by=request.user, **changes)

    def service_delete(self, request, obj):
        services.delete_indicator(obj, by=request.user)


@admin.register(YearLock)
class YearLockAdmin(ServiceAdmin):
    """Locked with `lock_year`, opened again with `unlock_year`; a lock is not edited."""

    list_display = ["area", "year", "locked_by", "locked_at"]
    autocomplete_fields = ["area"]
    fields = ["area", "year"]

    def service_create(self, request, data):
        return services.lock_year(by=request.user, **data)

    def service_delete(self, request, obj):
        services.unlock_year(obj, by=request.user)


@admin.register(Revision)
class RevisionAdmin(ReadOnlyAdmin):
    list_display = ["indicator", "reason", "by", "at"]
