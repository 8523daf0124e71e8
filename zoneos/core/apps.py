from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "zoneos.core"
    verbose_name = _("Core")

    def ready(self) -> None:
        # Each app's navigation.py registers its menu entries and home panels with the shell.
        autodiscover_modules("navigation")
        # get_FOO_display() keeps each field's value -> label dict instead of rebuilding it per call.
        from . import choices

        choices.install()
