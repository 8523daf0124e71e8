from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _

from .hours import working_hours
from .policies import NationalPolicy


class WorkdaysConfig(AppConfig):
    name = "zoneos.workdays"
    verbose_name = _("Working-day calendar")

    def ready(self) -> None:
        # Here, not above: these load models (accounts.scoping too), which wait for the app registry.

        from zoneos.accounts.scoping import register

        from . import audit  # noqa: F401  (history tracking)
        from .calendar import calendar_changed
        from .models import CalendarDay, CalendarYear

        working_hours()  # a bad ZONEOS_WORKING_HOURS stops the process here, with what is wrong
        register(CalendarDay, NationalPolicy())
        register(CalendarYear, NationalPolicy())
        for model in (CalendarDay, CalendarYear):
            post_save.connect(calendar_changed, sender=model, dispatch_uid=f"workdays-saved-{model.__name__}")
            post_delete.connect(
                calendar_changed, sender=model, dispatch_uid=f"workdays-deleted-{model.__name__}"
            )
