"""Users and memberships in the shell's menu."""

from django.utils.translation import gettext_lazy as _

from zoneos.core import navigation

from .models import Membership, User

navigation.section("organisation", _("Organisation"), order=60)
navigation.register("accounts:users", _("Users"), icon="people", section="organisation", order=30, model=User)
navigation.register(
    "accounts:memberships",
    _("Memberships"),
    icon="person-badge",
    section="organisation",
    order=40,
    model=Membership,
)
