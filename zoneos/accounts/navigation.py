"""Users and memberships in the shell's menu."""

from django.utils.translation import gettext_lazy as _

from zoneos.core import navigation
from zoneos.core.roles import CHANGE

from .models import Membership, User

navigation.section("organisation", _("Organisation"), order=60)
navigation.register(
    "accounts:users", _("Users"), icon="people", section="organisation", order=30, model=User, action=CHANGE
)
navigation.register(
    "accounts:memberships",
    _("Memberships"),
    icon="person-badge",
    section="organisation",
    order=40,
    model=Membership,
    action=CHANGE,
)
