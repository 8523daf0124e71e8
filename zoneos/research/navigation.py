"""Research projects in the shell's menu, in the innovation section (declared identically by the
innovation app), for whoever may read research projects (staff, and an enterprise's users for the
projects their enterprise undertakes), and the programmes for the staff who read them."""

from django.utils.translation import gettext_lazy as _

from zoneos.core import navigation

from .models import Programme, ResearchProject

navigation.section("innovation", _("Innovation"), order=38)
navigation.register(
    "research:list",
    _("Research projects"),
    icon="journal-check",
    section="innovation",
    order=50,
    model=ResearchProject,
    external=True,
)
navigation.register(
    "research:programmes",
    _("Research programmes"),
    icon="journal-bookmark",
    section="innovation",
    order=51,
    model=Programme,
)
