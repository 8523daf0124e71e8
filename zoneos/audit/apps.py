from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "zoneos.audit"
    verbose_name = _("History")

    def ready(self) -> None:
        from . import context  # noqa: F401  (connects the actor stamp)
