"""Policy delivery's pages in the shell's menu."""

from django.utils.translation import gettext_lazy as _

from zoneos.core import navigation
from zoneos.core.roles import Role

STAFF = [r.value for r in Role if r != Role.ENTERPRISE]
navigation.section("policies", _("Policies"), order=55)
navigation.register(
    "policies:applications", _("Policy applications"), icon="file-earmark-text", section="policies", order=40
)
navigation.register(
    "policies:review", _("Review queue"), icon="inboxes", section="policies", order=50, roles=STAFF
)
navigation.register(
    "policies:money",
    _("Policy money"),
    icon="cash-stack",
    section="policies",
    order=60,
    roles=[r for r in STAFF if r != Role.HANDLER],
)
