"""Targets are configuration: kept here through `services`, so history names the signed-in user."""

from django.contrib import admin

from zoneos.core.admin import ServiceAdmin

from . import services
from .models import Target


@admin.register(Target)
class TargetAdmin(ServiceAdmin):
    list_display = ["area", "metric", "year", "value", "note"]
    list_filter = ["metric", "year"]
    fields = services.TARGET_FIELDS

    def service_create(self, request, data):
        return services.create_target(by=request.user, **data)

    def service_update(self, request, obj, changes):
        return services.update_target(obj, by=request.user, **changes)

    def service_delete(self, request, obj):
        services.delete_target(obj, by=request.user)
