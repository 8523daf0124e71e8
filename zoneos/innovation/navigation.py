"""Innovation points in the shell's menu, for whoever may read the zone's points systems (its staff)."""

from django.utils.translation import gettext_lazy as _

from zoneos.core import navigation

from .models import PointsSystem

navigation.section("registry", _("Enterprises"), order=20)
navigation.register(
    "innovation:points",
    _("Innovation points"),
    icon="award",
    section="registry",
    order=60,
    model=PointsSystem,
)
