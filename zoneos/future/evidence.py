"""The kinds of records a board item may be proved by, registered with `zoneos.core.evidence`: a
document kept on the proof (a plan, a roadmap, a working group's founding notice), a policy that applies
to the zone, one of the zone's chains, a label an enterprise of the zone holds (pioneer enterprises),
one of the zone's application scenarios, and one of the zone's areas (a pilot area). Innovation
platforms, talents and funds are registered by the innovation app that keeps them."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zoneos.accounts.scoping import scope
from zoneos.areas.models import Area
from zoneos.chains.models import Chain
from zoneos.core import evidence
from zoneos.enterprises.models import Label
from zoneos.policies.models import Policy
from zoneos.policies.scoping import ancestor_paths

from .models import Scenario, ScenarioStatus


def _today():
    return timezone.localdate()


def _policies(zone, user):
    """Policies that apply to the zone: its own and its parks', and those of the areas above it."""
    applying = Q(area__path__in=ancestor_paths(zone.path)) | Q(area__path__startswith=zone.path)
    return scope(Policy.objects.filter(applying), user).order_by("-issued_on", "pk")


def _labels(zone, user):
    return (
        scope(Label.objects.filter(_valid_label()), user)
        .in_subtree(zone)
        .select_related("enterprise")
        .order_by("enterprise__name", "kind", "pk")
    )


def _valid_label() -> Q:
    today = _today()
    return Q(valid_from__lte=today) & (Q(valid_to__isnull=True) | Q(valid_to__gte=today))


evidence.register("document", _("Document"), order=10)
evidence.register(
    "policy",
    _("Policy"),
    model=Policy,
    candidates=_policies,
    live=lambda: Q(effective_to__isnull=True) | Q(effective_to__gte=_today()),
    order=20,
)
evidence.register(
    "chain",
    _("Industrial chain"),
    model=Chain,
    candidates=lambda zone, user: scope(Chain.objects.filter(area__isnull=False), user).in_subtree(zone),
    order=30,
)
evidence.register(
    "label",
    _("Enterprise label"),
    model=Label,
    candidates=_labels,
    live=_valid_label,
    describe=lambda label: f"{label.enterprise.name} · {label.get_kind_display()}",
    order=40,
    counts="enterprise",  # the figure is enterprises: two labels of one enterprise (or a renewal) are one
)
evidence.register(
    "scenario",
    _("Application scenario"),
    model=Scenario,
    candidates=lambda zone, user: (
        scope(Scenario.objects.exclude(status=ScenarioStatus.WITHDRAWN), user)
        .in_subtree(zone)
        .order_by("-created_at", "pk")
    ),
    live=lambda: ~Q(status=ScenarioStatus.WITHDRAWN),
    order=50,
)
evidence.register(
    "area",
    _("Area of the zone"),
    model=Area,
    candidates=lambda zone, user: (
        scope(Area.objects.filter(path__startswith=zone.path), user).exclude(pk=zone.pk).order_by("path")
    ),
    describe=lambda area: area.label,
    order=60,
)
