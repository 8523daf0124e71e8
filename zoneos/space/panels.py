"""Space on an investment project's page: the parcels in reserve and the free units of its zone that
fit the project's needs, best first (`figures.match`). The pipeline's page names no module; the panel
is added through the shell's registry."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse

from zoneos.core import navigation

from . import figures
from .models import ParcelStatus, Unit

SHOWN = 5


def project_panel(request, context):
    project = context["object"]
    if not navigation.reads(request.user, Unit):
        return None
    found = figures.match(project, request.user, limit=SHOWN)
    needs = found["needs"]
    if not any(needs[k] for k in ("land_mu", "floor_space_m2", "floor_load", "clear_height")):
        return None
    query = {"status": ParcelStatus.RESERVE, "within": found["zone"].pk}
    if needs["land_mu"]:
        query["min_mu"] = needs["land_mu"]
    return {
        "template": "space/_project_panel.html",
        "needs": needs,
        "parcels": found["parcels"],
        "units": found["units"],
        "more_parcels": f"{reverse('space:parcels')}?{urlencode(query)}",
    }


navigation.panel(project_panel, order=20, page="pipeline:detail")
