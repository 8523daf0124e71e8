from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TabularConfig(AppConfig):
    name = "zoneos.tabular"
    verbose_name = _("Imports and exports")

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        from zoneos.accounts.scoping import register
        from zoneos.audit.registry import track

        from .models import ImportJob, ImportMapping
        from .scoping import ImportJobPolicy

        register(ImportJob, ImportJobPolicy())
        track(ImportMapping)  # a changed mapping changes how the next sheets are read: kept in history
        # Each app above declares its import kinds in its own `imports.py`; this layer names none of them.
        autodiscover_modules("imports")
