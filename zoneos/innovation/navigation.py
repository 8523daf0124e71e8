"""Innovation in the shell's menu, a section of its own: the points, the platforms, the talents and
the funds, each for whoever may read them (the zone's staff); and the funds focused on a chain, a
section of the chain's page."""

from django.utils.translation import gettext_lazy as _

from zoneos.core import navigation

from .fund_views import chain_panel
from .models import Fund, Platform, PointsSystem, Talent

navigation.section("innovation", _("Innovation"), order=38)
navigation.register(
    "innovation:points",
    _("Innovation points"),
    icon="award",
    section="innovation",
    order=10,
    model=PointsSystem,
)
navigation.register(
    "innovation:platforms",
    _("Innovation platforms"),
    icon="lightbulb",
    section="innovation",
    order=20,
    model=Platform,
)
navigation.register(
    "innovation:talents", _("Talents"), icon="people", section="innovation", order=30, model=Talent
)
navigation.register(
    "innovation:funds", _("Funds"), icon="piggy-bank", section="innovation", order=40, model=Fund
)
navigation.panel(chain_panel, order=10, page="chains:detail:sections")
