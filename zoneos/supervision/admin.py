from django.contrib import admin

from .models import KeyProject, MonthLock, Report, StatusRule


@admin.register(KeyProject)
class KeyProjectAdmin(admin.ModelAdmin):
    list_display = ["name", "year", "area", "kind", "annual_plan"]
    list_filter = ["year", "kind"]
    search_fields = ["name"]


admin.site.register(Report)
admin.site.register(MonthLock)
admin.site.register(StatusRule)
