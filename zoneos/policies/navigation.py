"""The policies in the shell's menu, and the enterprise's home panel of the items it qualifies for.

Who sees an entry is derived from the scoping policies (`zoneos.core.navigation`): the catalogue
from the policies' own, the calculator from the enterprises' (an enterprise user sees its own), the
applications from theirs (an enterprise sees its own), the review queue from the applications' staff
view and the money dashboard from the budgets'."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zoneos.accounts.scoping import memberships
from zoneos.core import navigation
from zoneos.enterprises.models import Enterprise

from . import matching
from .api import applicable_items
from .models import Budget, Policy, PolicyApplication

navigation.section("policies", _("Policies"), order=55)
navigation.register(
    "policies:catalogue",
    _("Policy catalogue"),
    icon="journal-text",
    section="policies",
    order=10,
    model=Policy,
    external=True,
)
navigation.register(
    "policies:calculator",
    _("Policy calculator"),
    icon="calculator",
    section="policies",
    order=20,
    model=Enterprise,
    external=True,
)
for order, (url, label, icon, model, external) in enumerate(
    [
        ("policies:applications", _("Policy applications"), "file-earmark-text", PolicyApplication, True),
        ("policies:review", _("Review queue"), "inboxes", PolicyApplication, False),
        ("policies:money", _("Policy money"), "cash-stack", Budget, False),
    ],
    start=3,
):
    navigation.register(
        url, label, icon=icon, section="policies", order=order * 10, model=model, external=external
    )

HOME_ROWS = 5


def my_matches_panel(request) -> dict | None:
    """An enterprise user's policy matches: the items it qualifies for today, with their estimates,
    and how many more need a fact or a reviewer's judgement."""
    user = request.user
    own = [m.enterprise_id for m in memberships(user) if m.enterprise_id]
    if not own or user.is_superuser:
        return None
    enterprise = Enterprise.objects.select_related("area").filter(pk=own[0]).first()
    if enterprise is None:
        return None
    items = {i.pk: i for i in applicable_items(enterprise).select_related("policy")}
    rows = [
        r for r in matching.eligibility_list(enterprise, items.values(), timezone.localdate()) if r["rule"]
    ]
    eligible = [dict(r, item_obj=items[r["item"]]) for r in rows if r["result"] == "eligible"]
    return {
        "template": "policies/_home_matches.html",
        "eligible": eligible[:HOME_ROWS],
        "more": max(0, len(eligible) - HOME_ROWS),
        "open": sum(1 for r in rows if r["result"] in ("unknown", "manual_review")),
        "calculator_url": reverse("policies:calculator"),
    }


navigation.panel(my_matches_panel, order=25)
