"""Briefings in the shell's menu (the supervision summary on paper, so after supervision's own pages),
and a chain's attraction map on the chain's page."""

from django.utils.translation import gettext_lazy as _

from zoneos.core import navigation

from .models import Briefing
from .views import chain_map_panel

navigation.section("supervision", _("Supervision"), order=40)
navigation.register(
    "reports:briefings",
    _("Briefings"),
    icon="file-earmark-text",
    section="supervision",
    order=50,
    model=Briefing,
)
navigation.panel(chain_map_panel, order=10, page="chains:detail")
