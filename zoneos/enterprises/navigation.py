"""The enterprise registry in the shell's menu."""

from django.utils.translation import gettext_lazy as _

from zoneos.core import navigation

navigation.section("registry", _("Enterprises"), order=20)
navigation.register(
    "enterprises:list", _("Enterprise registry"), icon="buildings", section="registry", order=10
)
