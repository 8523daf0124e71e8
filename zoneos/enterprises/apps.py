from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnterprisesConfig(AppConfig):
    name = "zoneos.enterprises"
    verbose_name = _("Enterprises")

    def ready(self) -> None:
        from zoneos.accounts.scoping import AreaBoundPolicy, register

        from . import audit  # noqa: F401  (registers history tracking)
        from .models import Enterprise

        register(Enterprise, AreaBoundPolicy("area__path", enterprise_lookup="pk"))
