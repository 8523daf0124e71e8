"""The policies in the shell's menu: the catalogue for everyone, the calculator for enterprises and staff."""

from django.utils.translation import gettext_lazy as _

from zoneos.core import navigation

navigation.section("policies", _("Policies"), order=45)
navigation.register(
    "policies:catalogue", _("Policy catalogue"), icon="journal-text", section="policies", order=10
)
navigation.register(
    "policies:calculator", _("Policy calculator"), icon="calculator", section="policies", order=20
)
