"""The investment pipeline's pages in the shell's menu, and its overdue follow-ups on the home page."""

from django.utils.translation import gettext_lazy as _

from zoneos.core import navigation

from .views import overdue_panel

navigation.section("pipeline", _("Investment"), order=30)
for order, (url, label, icon) in enumerate(
    [
        ("pipeline:board", _("Project board"), "kanban"),
        ("pipeline:list", _("Investment projects"), "briefcase"),
        ("pipeline:funnel", _("Investment funnel"), "funnel"),
        ("pipeline:batches", _("Signing batches"), "pen"),
        ("pipeline:conflicts", _("Conflicts between parks"), "exclamation-triangle"),
    ],
    start=1,
):
    navigation.register(url, label, icon=icon, section="pipeline", order=order * 10)

navigation.panel(overdue_panel, order=10)
