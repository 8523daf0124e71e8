"""The security log in the menu, for those its policy lets read it (admins; superusers see every entry)."""

from django.utils.translation import gettext_lazy as _

from zoneos.core import navigation

from .models import SecurityEvent

navigation.section("organisation", _("Organisation"), order=60)
navigation.register(
    "security:events",
    _("Security log"),
    icon="shield-lock",
    section="organisation",
    order=50,
    model=SecurityEvent,
)
