"""Future industries in the shell's menu, in the innovation section (declared as innovation declares
it): the industries with their boards, and the application scenarios."""

from django.utils.translation import gettext_lazy as _

from zoneos.core import navigation

from .models import FutureIndustry, Scenario

navigation.section("innovation", _("Innovation"), order=38)
navigation.register(
    "future:list", _("Future industries"), icon="stars", section="innovation", order=80, model=FutureIndustry
)
navigation.register(
    "future:scenarios",
    _("Application scenarios"),
    icon="lightbulb",
    section="innovation",
    order=90,
    model=Scenario,
    external=True,  # an enterprise's users read the scenarios it offers
)
