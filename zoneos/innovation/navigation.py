"""Innovation in the shell's menu, a section of its own: the points, for whoever may read the zone's
points systems (its staff)."""

from django.utils.translation import gettext_lazy as _

from zoneos.core import navigation

from .models import PointsSystem

navigation.section("innovation", _("Innovation"), order=38)
navigation.register(
    "innovation:points",
    _("Innovation points"),
    icon="award",
    section="innovation",
    order=10,
    model=PointsSystem,
)
