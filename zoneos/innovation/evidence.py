"""Innovation's records as proofs on a future industry's board (`zoneos.core.evidence`): a zone's
innovation platforms (counting while their recognition is in force), its enterprises' leading talents,
and its industry funds (a zone's own, or one of an area above it that invests in the zone)."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zoneos.accounts.scoping import scope
from zoneos.core import evidence

from .models import Fund, FundKind, Platform, Talent


def _in_force() -> Q:
    today = timezone.localdate()
    return (Q(recognised_on__isnull=True) | Q(recognised_on__lte=today)) & (
        Q(valid_to__isnull=True) | Q(valid_to__gte=today)
    )


def _funds(zone, user):
    above = [int(part) for part in zone.path.strip("/").split("/") if part]
    reaching = Q(area__path__startswith=zone.path) | Q(area_id__in=above)
    return scope(Fund.objects.filter(reaching, kind=FundKind.INDUSTRY), user).order_by("name", "pk")


evidence.register(
    "platform",
    _("Innovation platform"),
    model=Platform,
    candidates=lambda zone, user: scope(Platform.objects.all(), user).in_subtree(zone).order_by("name", "pk"),
    live=_in_force,
    describe=lambda p: f"{p.name} · {p.get_level_display()}",
    order=70,
)
evidence.register(
    "talent",
    _("Talent"),
    model=Talent,
    candidates=lambda zone, user: (
        scope(Talent.objects.select_related("enterprise"), user).in_subtree(zone).order_by("name", "pk")
    ),
    describe=lambda t: f"{t.name} · {t.enterprise.name}",
    order=80,
)
evidence.register("fund", _("Industry fund"), model=Fund, candidates=_funds, order=90)
