from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AreasConfig(AppConfig):
    name = "zoneos.areas"
    verbose_name = _("Areas")

    def ready(self) -> None:
        from . import audit  # noqa: F401  (registers history tracking)
