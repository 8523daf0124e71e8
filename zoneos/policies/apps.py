from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from zoneos.core.roles import Role


class PoliciesConfig(AppConfig):
    name = "zoneos.policies"
    verbose_name = _("Policies")

    def ready(self) -> None:
        # Here, not above: these load models (accounts.scoping too), which wait for the app registry.
        from zoneos.accounts.scoping import AreaBoundPolicy, register
        from zoneos.workdays.policies import NationalPolicy

        from . import audit, metrics  # noqa: F401  (history tracking; metrics follow the figures)
        from .models import Attachment, DeclaredFact, Metrics, Parameter, Policy, PolicyItem, Rule
        from .scoping import CataloguePolicy, EnterpriseFactPolicy

        admins = frozenset({Role.ADMIN})
        register(Policy, CataloguePolicy(write_roles=admins))
        register(Attachment, CataloguePolicy(write_roles=admins))
        register(PolicyItem, CataloguePolicy(write_roles=admins))
        register(Rule, CataloguePolicy(write_roles=admins, read_roles=STAFF_ROLES))
        register(Parameter, NationalPolicy())
        register(
            DeclaredFact,
            EnterpriseFactPolicy(
                write_roles=frozenset(
                    {Role.ADMIN, Role.PARK_STAFF, Role.SERVICE_OFFICER, Role.STATISTICIAN, Role.ENTERPRISE}
                ),
                enterprise_lookup="enterprise_id",
            ),
        )
        register(Metrics, AreaBoundPolicy(write_roles=frozenset(), enterprise_lookup="enterprise_id"))
        from .scoping_applications import register_applications

        register_applications()


# The management side: everyone but enterprise users.
STAFF_ROLES = frozenset(Role) - {Role.ENTERPRISE}
