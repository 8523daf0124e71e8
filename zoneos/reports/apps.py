from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zoneos.core.roles import Role


def briefing_actions(area, month: str) -> list[dict]:
    """The summary page's buttons: this area's briefing for this month, as PDF and as Excel."""
    url = f"{reverse('reports:download')}?area={area.pk}&month={month}&format="
    return [
        {
            "url": url + "pdf",
            "label": _("Briefing PDF"),
            "icon": "file-earmark-pdf",
            "testid": "briefing-pdf",
        },
        {
            "url": url + "xlsx",
            "label": _("Excel"),
            "icon": "file-earmark-spreadsheet",
            "testid": "briefing-xlsx",
        },
    ]


class ReportsConfig(AppConfig):
    name = "zoneos.reports"
    verbose_name = _("Briefings")

    def ready(self) -> None:
        # Here, not above: these load models (accounts.scoping too), which wait for the app registry.
        from zoneos.accounts.scoping import AreaBoundPolicy, register
        from zoneos.supervision.policies import SUMMARY_ROLES
        from zoneos.supervision.views import SUMMARY_ACTIONS

        from . import audit  # noqa: F401  (history tracking)
        from .models import Briefing, BriefingSchedule

        # A briefing is the supervision summary on paper: whoever reads an area's figures may have it.
        # Schedules are kept by the area's supervisors and admins.
        register(Briefing, AreaBoundPolicy(write_roles=SUMMARY_ROLES, read_roles=SUMMARY_ROLES))
        register(
            BriefingSchedule,
            AreaBoundPolicy(write_roles=frozenset({Role.ADMIN, Role.SUPERVISOR}), read_roles=SUMMARY_ROLES),
        )
        if briefing_actions not in SUMMARY_ACTIONS:
            SUMMARY_ACTIONS.append(briefing_actions)
