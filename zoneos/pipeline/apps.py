from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from zoneos.core.roles import Role


class PipelineConfig(AppConfig):
    name = "zoneos.pipeline"
    verbose_name = _("Investment pipeline")

    def ready(self) -> None:
        # Here, not above: these load models (accounts.scoping too), which wait for the app registry.
        from zoneos.accounts.scoping import AreaBoundPolicy, register

        from . import audit, imports  # noqa: F401  (history tracking; the ledger import)
        from .models import FollowUp, IndustryGroup, InvestorConflict, Project, SigningBatch

        readers = frozenset(Role) - {Role.ENTERPRISE, Role.HANDLER}
        keepers = frozenset({Role.ADMIN, Role.INVESTMENT_OFFICER, Role.PARK_STAFF})
        coordinators = frozenset({Role.ADMIN, Role.INVESTMENT_OFFICER})
        register(Project, AreaBoundPolicy(write_roles=keepers, read_roles=readers))
        register(FollowUp, AreaBoundPolicy(write_roles=keepers, read_roles=readers))
        register(SigningBatch, AreaBoundPolicy(write_roles=coordinators, read_roles=readers))
        register(IndustryGroup, AreaBoundPolicy(read_roles=readers))
        # Conflicts are the zone's business: its coordinators (and leaders) see them, a park's staff
        # do not (they would see the other park's project).
        register(
            InvestorConflict,
            AreaBoundPolicy(
                write_roles=coordinators,
                read_roles=coordinators | {Role.LEADER},
            ),
        )
