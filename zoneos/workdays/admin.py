"""Back-office edits of the working-day calendar: an administrator adds a year's holidays and adjusted
working days from the State Council notice, then marks the year complete. Every write goes through
`services.set_day` and `services.mark_year` (history authored by the signed-in user), and deadline
arithmetic sees the change at once. A day keeps its date (make it plain and add the other one); a
year's record is not deleted (marking it incomplete is the service's way back)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from zoneos.core.admin import ServiceAdmin

from . import services
from .models import CalendarDay, CalendarYear


@admin.register(CalendarDay)
class CalendarDayAdmin(ServiceAdmin):
    list_display = ["date", "weekday", "kind", "name", "source"]
    list_filter = ["kind", "name"]
    search_fields = ["name", "source"]
    date_hierarchy = "date"
    ordering = ["-date"]
    fields = ["date", "kind", "name", "source"]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else ["date"]

    @admin.display(description=_("weekday"))
    def weekday(self, obj) -> str:
        from django.utils.formats import date_format

        return date_format(obj.date, "l")

    def service_create(self, request, data):
        # The form has refused a date already in the calendar (set_day would overwrite it).
        return services.set_day(data.pop("date"), data.pop("kind"), by=request.user, **data)

    def service_update(self, request, obj, changes):
        kind = changes.pop("kind", obj.kind)
        return services.set_day(obj.date, kind, by=request.user, **changes)

    def service_delete(self, request, obj):
        services.set_day(obj.date, services.PLAIN, by=request.user)


@admin.register(CalendarYear)
class CalendarYearAdmin(ServiceAdmin):
    list_display = ["year", "complete", "source", "updated_at"]
    list_filter = ["complete"]
    fields = ["year", "complete", "source", "notes", "updated_at"]

    def get_readonly_fields(self, request, obj=None):
        return ["updated_at"] if obj is None else ["year", "updated_at"]

    def service_create(self, request, data):
        return services.mark_year(data.pop("year"), by=request.user, **data)

    def service_update(self, request, obj, changes):
        return services.mark_year(obj.year, by=request.user, **changes)
