"""The investment pipeline's pages in the shell's menu (each for whoever reads the records it lists),
and its overdue follow-ups on the home page."""

from django.utils.translation import gettext_lazy as _

from zoneos.core import navigation, search

from .filters import ProjectFilter
from .models import InvestorConflict, Project, SigningBatch
from .views import overdue_panel

navigation.section("pipeline", _("Investment"), order=30)
for order, (url, label, icon, model) in enumerate(
    [
        ("pipeline:board", _("Project board"), "kanban", Project),
        ("pipeline:list", _("Investment projects"), "briefcase", Project),
        ("pipeline:funnel", _("Investment funnel"), "funnel", Project),
        ("pipeline:batches", _("Signing batches"), "pen", SigningBatch),
        ("pipeline:conflicts", _("Conflicts between parks"), "exclamation-triangle", InvestorConflict),
    ],
    start=1,
):
    navigation.register(url, label, icon=icon, section="pipeline", order=order * 10, model=model)

navigation.panel(overdue_panel, order=10)


def _matching(queryset, text):
    # The project list's own search (name, investor, investor's code, project code).
    return ProjectFilter.filter_q(None, queryset, "q", text)


search.source(
    "project",
    _("Investment projects"),
    icon="briefcase",
    model=Project,
    filter=_matching,
    title=lambda p: p.name,
    detail=lambda p: " · ".join(part for part in (p.investor_name, p.area.label) if part),
    order=20,
    list_url="pipeline:list",
    related=("area",),
    ordering=("name", "pk"),
)
