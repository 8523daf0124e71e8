from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from zoneos.core.roles import Role


class EnterprisesConfig(AppConfig):
    name = "zoneos.enterprises"
    verbose_name = _("Enterprises")

    def ready(self) -> None:
        # Here, not above: these load models (accounts.scoping too), which wait for the app registry.
        from zoneos.accounts.scoping import AreaBoundPolicy, register

        from . import audit, imports  # noqa: F401  (history tracking; import specs)
        from .models import Enterprise, Indicator, Label, YearLock

        keepers = frozenset({Role.ADMIN, Role.PARK_STAFF, Role.STATISTICIAN})
        register(Enterprise, AreaBoundPolicy(write_roles=keepers, enterprise_lookup="pk"))
        register(
            Label,
            AreaBoundPolicy(write_roles=keepers, enterprise_lookup="enterprise_id"),
        )
        register(
            Indicator,
            AreaBoundPolicy(write_roles=keepers, enterprise_lookup="enterprise_id"),
        )
        register(
            YearLock,
            AreaBoundPolicy(
                write_roles=frozenset({Role.ADMIN, Role.STATISTICIAN}),
                read_roles=frozenset(Role) - {Role.ENTERPRISE},
            ),
        )
