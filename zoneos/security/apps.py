from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    name = "zoneos.security"
    verbose_name = _("Security")

    def ready(self) -> None:
        from . import audit, receivers, scoping  # noqa: F401  (history, auth signals, scope policies)
        from .services import retention_days

        retention_days()  # refuses to start with a security log kept less than 180 days
