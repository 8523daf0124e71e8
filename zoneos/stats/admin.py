from django.contrib import admin

from .models import Target


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ["area", "metric", "year", "value", "note"]
    list_filter = ["metric", "year"]
