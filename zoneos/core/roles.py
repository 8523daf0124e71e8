"""The roles of ZoneOS, each held over a scope (an area subtree, a park, a department, an enterprise or
the enterprises assigned to a service officer), in one place for models, scoping, pages and API."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    LEADER = "leader", _("Leader")
    INVESTMENT_OFFICER = "investment_officer", _("Investment officer")
    SUPERVISOR = "supervisor", _("Supervisor")
    PARK_STAFF = "park_staff", _("Park staff")
    HANDLER = "handler", _("Department handler")
    SERVICE_OFFICER = "service_officer", _("Service officer")
    ENTERPRISE = "enterprise", _("Enterprise user")
    STATISTICIAN = "statistician", _("Statistician")
    ADMIN = "admin", _("Area admin")


# What a membership of each role hangs on.
DEPARTMENT_ROLES = frozenset({Role.HANDLER})
ENTERPRISE_ROLES = frozenset({Role.ENTERPRISE})
AREA_ROLES = frozenset(Role) - DEPARTMENT_ROLES - ENTERPRISE_ROLES
ALL_ROLES = frozenset(Role)

VIEW = "view"
CHANGE = "change"
