"""Innovation platforms as a layer of the zone map (`zoneos.space.maps.layer`): a platform hosted by an
enterprise is drawn at the building of its host's lease in force today, beside it; a university's or an
institute's platform has no lease in the zone's records and is not drawn."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zoneos.accounts.scoping import scope
from zoneos.core.roles import VIEW
from zoneos.space import maps

from .models import Platform


def platform_points(user, area, placed: dict[int, dict]) -> list[dict]:
    platforms = scope(Platform.objects.filter(host_enterprise_id__in=list(placed)), user, VIEW)
    if area is not None:
        platforms = platforms.in_subtree(area)
    return [
        {
            "id": p.pk,
            "name": p.name,
            "where": f"{p.get_level_display()} · {placed[p.host_enterprise_id]['where']}",
            "value": placed[p.host_enterprise_id]["value"],
            "url": p.get_absolute_url(),
        }
        for p in platforms.only("pk", "name", "level", "host_enterprise_id").order_by("pk")
    ]


maps.layer("platforms", _("Innovation platforms"), platform_points, symbol="pin", color="#0ca678")
