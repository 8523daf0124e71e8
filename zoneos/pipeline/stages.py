"""The stages of an investment project and the one table of moves between them.

Every zone names its stages as it likes (rows of `Stage`), but each stage has one fixed category, and
the categories carry the rules: their forward order, which moves the service allows, which reports
count them. A move back to an earlier category is never allowed: a project that really regressed is
paused (on hold) or dropped, and that is what the history then says.
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

# The next category, and the ones a project may jump to because in practice it skips a step:
# a lead is signed at a signing ceremony without recorded talks; an investor that already has a
# company in the zone needs no new registration; a project in an existing building needs no land.
FORWARD_MOVES: dict[str, frozenset[str]] = {
    C.LEAD: frozenset({C.NEGOTIATING, C.SIGNED}),
    C.NEGOTIATING: frozenset({C.SIGNED}),
    C.SIGNED: frozenset({C.REGISTERED, C.LAND_SECURED, C.UNDER_CONSTRUCTION}),
    C.REGISTERED: frozenset({C.LAND_SECURED, C.UNDER_CONSTRUCTION}),
    C.LAND_SECURED: frozenset({C.UNDER_CONSTRUCTION}),
    C.UNDER_CONSTRUCTION: frozenset({C.COMPLETED}),
    C.COMPLETED: frozenset({C.IN_PRODUCTION}),
    C.IN_PRODUCTION: frozenset({C.AT_CAPACITY}),
    C.AT_CAPACITY: frozenset(),
}
# Until production starts a project can be paused or given up; after that it is an enterprise's
# business, followed by the registry and the service desk.
PAUSABLE = frozenset(FORWARD[: ORDER[C.IN_PRODUCTION]])
ACTIVE = frozenset(StageCategory) - {C.DROPPED}


# The categories a project can leave again, each with the project column that sums its days there.
STAYS = [*FORWARD[:-1], C.ON_HOLD]
DAYS_FIELD = {category: f"days_{category}" for category in STAYS}


def allowed_moves(current: str, paused_from: str = "") -> frozenset[str]:
    """The categories a project in `current` may move to (`paused_from`: where an on-hold project
    was paused, the only forward category it may resume in)."""
    if current == C.DROPPED:
        return frozenset()
    if current == C.ON_HOLD:
        return frozenset({paused_from, C.DROPPED}) if paused_from else frozenset({C.DROPPED})
    moves = set(FORWARD_MOVES[current])
    if current in PAUSABLE:
        moves |= {C.ON_HOLD, C.DROPPED}
    return frozenset(moves)


def is_allowed(current: str, target: str, paused_from: str = "") -> bool:
    return target in allowed_moves(current, paused_from)


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
