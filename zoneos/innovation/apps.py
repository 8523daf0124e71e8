from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InnovationConfig(AppConfig):
    name = "zoneos.innovation"
    verbose_name = _("Innovation")

    def ready(self) -> None:
        # Here, not above: these load models (accounts.scoping too), which wait for the app registry.
        from . import (
            audit,  # noqa: F401  (history tracking)
            maps,  # noqa: F401  (the platforms' layer of the zone map)
        )
        from .scoping import register_all

        register_all()
