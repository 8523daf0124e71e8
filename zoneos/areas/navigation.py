"""The area tree and departments in the shell's menu."""

from django.utils.translation import gettext_lazy as _

from zoneos.core import navigation
from zoneos.core.roles import CHANGE

from .models import Area, Department

navigation.section("organisation", _("Organisation"), order=60)
navigation.register(
    "areas:list", _("Areas"), icon="diagram-3", section="organisation", order=10, model=Area, action=CHANGE
)
navigation.register(
    "areas:departments",
    _("Departments"),
    icon="building",
    section="organisation",
    order=20,
    model=Department,
    action=CHANGE,
)
