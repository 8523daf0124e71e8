"""The statistics dashboard in the shell's menu, and the home of those who only read it (leaders)."""

from django.utils.translation import gettext_lazy as _

from zoneos.accounts.scoping import roles
from zoneos.core import navigation
from zoneos.core.roles import Role

from .models import Target

navigation.section("overview", _("Overview"), order=10)
navigation.register(
    "stats:dashboard", _("Dashboard"), icon="bar-chart-line", section="overview", order=20, model=Target
)


def reads_the_dashboard_only(user) -> bool:
    """A leader reads the zone's figures and keeps no records: their day starts on the dashboard."""
    held = roles(user)
    return bool(held) and held <= {Role.LEADER}


navigation.landing("stats:dashboard", applies=reads_the_dashboard_only, order=10)
