from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from zoneos.core.roles import Role


class SupervisionConfig(AppConfig):
    name = "zoneos.supervision"
    verbose_name = _("Key-project supervision")

    def ready(self) -> None:
        # Here, not above: these load models (accounts.scoping too), which wait for the app registry.
        from zoneos.accounts.scoping import AreaBoundPolicy, register

        from . import audit, imports  # noqa: F401  (history tracking; the monthly report sheet)
        from .models import EvaluationScheme, KeyProject, MonthLock, Report, SigningTarget, SupervisionOrder
        from .policies import OrderPolicy

        readers = frozenset(Role) - {Role.ENTERPRISE, Role.HANDLER}
        supervisors = frozenset({Role.ADMIN, Role.SUPERVISOR})
        # Supervisors set the year's plan and lock months; parks report their projects' progress.
        register(KeyProject, AreaBoundPolicy(write_roles=supervisors, read_roles=readers))
        register(
            Report,
            AreaBoundPolicy(write_roles=supervisors | {Role.PARK_STAFF}, read_roles=readers),
        )
        register(MonthLock, AreaBoundPolicy(write_roles=supervisors, read_roles=readers))
        register(EvaluationScheme, AreaBoundPolicy(write_roles=supervisors, read_roles=readers))
        register(SigningTarget, AreaBoundPolicy(write_roles=supervisors, read_roles=readers))
        register(
            SupervisionOrder,
            OrderPolicy(write_roles=supervisors, read_roles=readers),
        )
