from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChainsConfig(AppConfig):
    name = "zoneos.chains"
    verbose_name = _("Industrial chains")

    def ready(self) -> None:
        # Here, not above: these load models (accounts.scoping too), which wait for the app registry.
        from . import audit, cells  # noqa: F401  (history tracking; the cells follow the registry)
        from .scoping import register_all

        register_all()
        cells.connect()
