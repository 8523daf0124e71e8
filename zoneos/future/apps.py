from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FutureConfig(AppConfig):
    name = "zoneos.future"
    verbose_name = _("Future industries")

    def ready(self) -> None:
        # Here, not above: these load models (accounts.scoping too), which wait for the app registry.
        from . import audit  # noqa: F401  (history tracking)
        from .scoping import register_all

        register_all()
