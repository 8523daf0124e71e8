from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from zoneos.core.roles import Role


class StatsConfig(AppConfig):
    name = "zoneos.stats"
    verbose_name = _("Statistics")

    def ready(self) -> None:
        # Here, not above: these load models (accounts.scoping too), which wait for the app registry.
        from zoneos.accounts.scoping import AreaBoundPolicy, register
        from zoneos.audit.registry import track

        from . import services  # noqa: F401  (follows the registry's figures_changed signal)
        from .models import Target

        register(
            Target,
            AreaBoundPolicy(
                write_roles=frozenset({Role.ADMIN, Role.STATISTICIAN}),
                read_roles=STATS_ROLES,
            ),
        )
        track(Target)


# Who reads the zone's aggregate figures: everyone on the management side, not enterprise users.
STATS_ROLES = frozenset(
    {
        "leader",
        "investment_officer",
        "supervisor",
        "park_staff",
        "handler",
        "service_officer",
        "statistician",
        "admin",
    }
)
