"""Back-office editing of the area tree and departments. Every save and delete (one record or
"delete selected") goes through the services, so paths, depths and history stay right."""

from django.contrib import admin

from zoneos.core.admin import ServiceAdmin

from . import services
from .models import Area, Department


@admin.register(Area)
class AreaAdmin(ServiceAdmin):
    list_display = ["name", "code", "kind", "parent", "depth"]
    list_filter = ["kind"]
    search_fields = ["name", "name_en", "code", "aliases"]
    fields = [*services.AREA_FIELDS, "path", "depth"]
    readonly_fields = ["path", "depth"]
    autocomplete_fields = ["parent"]

    def service_create(self, request, data):
        return services.create_area(by=request.user, **data)

    def service_update(self, request, obj, changes):
        return services.update_area(obj, by=request.user, **changes)

    def service_delete(self, request, obj):
        services.delete_area(obj, by=request.user)


@admin.register(Department)
class DepartmentAdmin(ServiceAdmin):
    list_display = ["name", "name_en", "area"]
    search_fields = ["name", "name_en"]
    autocomplete_fields = ["area"]
    fields = services.DEPARTMENT_FIELDS

    def service_create(self, request, data):
        return services.create_department(by=request.user, **data)

    def service_update(self, request, obj, changes):
        return services.update_department(obj, by=request.user, **changes)

    def service_delete(self, request, obj):
        services.delete_department(obj, by=request.user)
