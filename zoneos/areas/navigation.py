"""The area tree and departments in the shell's menu."""

from django.utils.translation import gettext_lazy as _

from zoneos.core import navigation

from .models import Area, Department

navigation.section("organisation", _("Organisation"), order=60)
navigation.register("areas:list", _("Areas"), icon="diagram-3", section="organisation", order=10, model=Area)
navigation.register(
    "areas:departments", _("Departments"), icon="building", section="organisation", order=20, model=Department
)
