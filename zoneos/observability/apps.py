from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ObservabilityConfig(AppConfig):
    name = "zoneos.observability"
    verbose_name = _("Observability")

    def ready(self) -> None:
        from . import checks, tasks  # noqa: F401  (registers the check; connects the task signals)
