from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TabularConfig(AppConfig):
    name = "zoneos.tabular"
    verbose_name = _("Imports and exports")

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        from zoneos.accounts.scoping import register

        from .models import ImportJob
        from .scoping import ImportJobPolicy

        register(ImportJob, ImportJobPolicy())
        # Each app above declares its import kinds in its own `imports.py`; this layer names none of them.
        autodiscover_modules("imports")
