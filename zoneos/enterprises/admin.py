from django.contrib import admin

from .models import Enterprise


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    list_display = ["name", "uscc", "area"]
    search_fields = ["name", "uscc"]
    autocomplete_fields = ["area"]
