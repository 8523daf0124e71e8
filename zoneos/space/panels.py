"""Space on an investment project's page: the parcels in reserve and the free units of its zone that
fit the project's needs, best first (`figures.match`); on a key project's page, the buildings it
renovates. The pipeline's page names no module; the panel
is added through the shell's registry."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse

from zoneos.core import navigation

from . import figures
from .models import ParcelStatus, Renovation, Unit

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


def renovation_panel(request, context):
    """On a key project's page: the buildings it renovates (`figures.renovations`)."""
    project = context["project"]
    if not navigation.reads(request.user, Renovation):
        return None
    rows = figures.renovations(request.user, key_project=project)["rows"]
    if not rows:
        return None
    return {"template": "space/_renovation_panel.html", "rows": rows}


navigation.panel(project_panel, order=20, page="pipeline:detail")
navigation.panel(renovation_panel, order=20, page="supervision:detail")
