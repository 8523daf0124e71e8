"""Briefings are made by the generator and looked up here (a requested one is deleted through
`services.delete_briefing`, which also removes its file); schedules are kept through `services`."""

from django.contrib import admin

from zoneos.core.admin import ServiceAdmin

from . import services
from .models import Briefing, BriefingSchedule


@admin.register(Briefing)
class BriefingAdmin(ServiceAdmin):
    list_display = ["area", "year", "month", "format", "language", "status", "requested_by", "generated_at"]
    list_filter = ["status", "format", "language"]
    readonly_fields = [f.name for f in Briefing._meta.fields]

    def service_delete(self, request, obj):
        services.delete_briefing(obj, by=request.user)


@admin.register(BriefingSchedule)
class BriefingScheduleAdmin(ServiceAdmin):
    list_display = ["area", "day_of_month", "formats", "language", "active", "created_by"]
    list_filter = ["active", "language"]
    fields = services.SCHEDULE_FIELDS

    def service_create(self, request, data):
        return services.create_schedule(by=request.user, **data)

    def service_update(self, request, obj, changes):
        return services.update_schedule(obj, by=request.user, **changes)

    def service_delete(self, request, obj):
        services.delete_schedule(obj, by=request.user)
