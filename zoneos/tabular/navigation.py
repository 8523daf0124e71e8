"""The imports page in the shell's menu, beside the registry that most imports fill."""

from django.utils.translation import gettext_lazy as _

from zoneos.core import navigation

navigation.section("registry", _("Enterprises"), order=20)
navigation.register("tabular:list", _("Imports"), icon="upload", section="registry", order=20)
