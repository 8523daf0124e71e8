"""Back-office edits of the working-day calendar: an administrator adds a year's holidays and adjusted
working days from the State Council notice, then marks the year complete. Saves validate as the
services do; history is written by the audit log with the signed-in user as author, and deadline
arithmetic sees the change at once."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import CalendarDay, CalendarYear


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "weekday", "kind", "name", "source"]
    list_filter = ["kind", "name"]
    search_fields = ["name", "source"]
    date_hierarchy = "date"
    ordering = ["-date"]

    @admin.display(description=_("weekday"))
    def weekday(self, obj) -> str:
        from django.utils.formats import date_format

        return date_format(obj.date, "l")


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ["year", "complete", "source", "updated_at"]
    list_filter = ["complete"]
    readonly_fields = ["updated_at"]
