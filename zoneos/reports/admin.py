from django.contrib import admin

from .models import Briefing, BriefingSchedule


@admin.register(Briefing)
class BriefingAdmin(admin.ModelAdmin):
    list_display = ["area", "year", "month", "format", "language", "status", "requested_by", "generated_at"]
    list_filter = ["status", "format", "language"]
    readonly_fields = [f.name for f in Briefing._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(BriefingSchedule)
class BriefingScheduleAdmin(admin.ModelAdmin):
    list_display = ["area", "day_of_month", "formats", "language", "active", "created_by"]
    list_filter = ["active", "language"]
