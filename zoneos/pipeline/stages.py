"""The stage categories of an investment project.

Every zone names its stages as it likes (rows of `Stage`), but each stage has one fixed category, and
the categories carry the rules: their forward order, which moves the service allows (the table in
`moves.py`), which reports count them.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class StageCategory(models.TextChoices):
    LEAD = "lead", _("Lead")
    NEGOTIATING = "negotiating", _("Negotiating")
    SIGNED = "signed", _("Signed")
    REGISTERED = "registered", _("Registered")
    LAND_SECURED = "land_secured", _("Land secured")
    UNDER_CONSTRUCTION = "under_construction", _("Under construction")
    COMPLETED = "completed", pgettext_lazy("project stage", "Completed")
    IN_PRODUCTION = "in_production", _("In production")
    AT_CAPACITY = "at_capacity", _("At full capacity")
    ON_HOLD = "on_hold", _("On hold")
    DROPPED = "dropped", _("Dropped")


C = StageCategory
# The pipeline in its forward order; on hold and dropped stand beside it.
FORWARD = [
    C.LEAD,
    C.NEGOTIATING,
    C.SIGNED,
    C.REGISTERED,
    C.LAND_SECURED,
    C.UNDER_CONSTRUCTION,
    C.COMPLETED,
    C.IN_PRODUCTION,
    C.AT_CAPACITY,
]
ORDER = {category: index for index, category in enumerate(FORWARD)}
# Bit of each category in a project's `entered_mask` (which categories it has ever been in).
BIT = {category: 1 << index for index, category in enumerate(StageCategory)}

# Until production starts a project can be paused or given up; after that it is an enterprise's
# business, followed by the registry and the service desk.
PAUSABLE = frozenset(FORWARD[: ORDER[C.IN_PRODUCTION]])
ACTIVE = frozenset(StageCategory) - {C.DROPPED}


# The categories a project can leave again, each with the project column that sums its days there.
STAYS = [*FORWARD[:-1], C.ON_HOLD]
DAYS_FIELD = {category: f"days_{category}" for category in STAYS}


def allowed_moves(current: str, paused_from: str = "") -> frozenset[str]:
    """The categories a project in `current` may move to, from the table of moves (kept here for the
    ledger import, which reads it from this module)."""
    from .moves import allowed_moves as from_the_table  # cycle: moves imports the categories from here

    return from_the_table(current, paused_from)


# Colours of the categories on the board and in the charts (Bootstrap contextual names).
COLOR = {
    C.LEAD: "secondary",
    C.NEGOTIATING: "info",
    C.SIGNED: "primary",
    C.REGISTERED: "primary",
    C.LAND_SECURED: "primary",
    C.UNDER_CONSTRUCTION: "warning",
    C.COMPLETED: "warning",
    C.IN_PRODUCTION: "success",
    C.AT_CAPACITY: "success",
    C.ON_HOLD: "light",
    C.DROPPED: "dark",
}
