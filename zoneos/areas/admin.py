"""Back-office editing. Saves go through the services, so paths and history stay right."""

from django.contrib import admin

from . import services
from .models import Area, Department


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "parent", "depth"]
    list_filter = ["kind"]
    search_fields = ["name", "name_en", "code"]
    readonly_fields = ["path", "depth"]
    autocomplete_fields = ["parent"]

    def save_model(self, request, obj, form, change):
        data = {f: form.cleaned_data[f] for f in services.AREA_FIELDS if f in form.cleaned_data}
        if change:
            saved = services.update_area(obj, by=request.user, **data)
        else:
            saved = services.create_area(by=request.user, **data)
        obj.pk, obj.path, obj.depth = saved.pk, saved.path, saved.depth

    def delete_model(self, request, obj):
        services.delete_area(obj, by=request.user)


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "area"]
    search_fields = ["name", "name_en"]
    autocomplete_fields = ["area"]
