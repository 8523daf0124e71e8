"""The imports page in the shell's menu, beside the registry that most imports fill: for whoever may
import some kind of table (a role that writes the kind's records)."""

from django.utils.translation import gettext_lazy as _

from zoneos.core import navigation

from .services import may_import

navigation.section("registry", _("Enterprises"), order=20)
navigation.register(
    "tabular:list", _("Imports"), icon="upload", section="registry", order=20, visible=may_import
)
