from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from zoneos.core.roles import Role


class AppealsConfig(AppConfig):
    name = "zoneos.appeals"
    verbose_name = _("Enterprise appeals")

    def ready(self) -> None:
        # Here, not above: these load models (accounts.scoping too), which wait for the app registry.
        from zoneos.accounts.scoping import AreaBoundPolicy, register

        from . import audit  # noqa: F401  (history tracking)
        from .models import Appeal, RoutingRule, SlaPolicy, Symposium, Visit
        from .policies import AppealPolicy, SlaPolicyPolicy
        from .services import DISPATCH_ROLES, RECORDING_ROLES

        staff = frozenset(Role) - {Role.ENTERPRISE, Role.HANDLER}
        admins = frozenset({Role.ADMIN})
        # Writes to appeals go through the step services, which check who takes each step.
        register(
            Appeal,
            AppealPolicy(write_roles=RECORDING_ROLES, enterprise_lookup="enterprise_id"),
        )
        register(Symposium, AreaBoundPolicy(write_roles=DISPATCH_ROLES, read_roles=staff))
        register(Visit, AreaBoundPolicy(write_roles=DISPATCH_ROLES, read_roles=staff))
        register(RoutingRule, AreaBoundPolicy(write_roles=admins, read_roles=staff))
        register(SlaPolicy, SlaPolicyPolicy(write_roles=admins, read_roles=staff))
