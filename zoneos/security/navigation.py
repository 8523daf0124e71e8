"""The security log in the menu, for admins (and superusers, who see every entry)."""

from django.utils.translation import gettext_lazy as _

from zoneos.core import navigation
from zoneos.core.roles import Role

navigation.section("organisation", _("Organisation"), order=60)
navigation.register(
    "security:events",
    _("Security log"),
    icon="shield-lock",
    section="organisation",
    order=50,
    roles=[Role.ADMIN],
)
