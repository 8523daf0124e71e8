"""The "Ten Ones" (十个一) of a future industry, declared once: what each item is, which kinds of records
prove it (`zoneos.core.evidence`) and how many are needed. The board, its readiness, the missing list,
the page's cards, the API and the add-a-proof forms are all read from this table.

Innovation platforms, talents and industry funds are kinds that the innovation app registers when it
keeps them; until then their items wait for a kind ("not kept yet") and stay missing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


@dataclass(frozen=True)
class One:
    key: str
    label: Any  # 一个发展规划...
    kinds: tuple[str, ...]  # the kinds of records that prove it
    needed: int  # how many proofs make it proved (fewer: partly)
    hint: Any = ""


TEN_ONES: tuple[One, ...] = (
    One(
        "plan",
        pgettext_lazy("Ten Ones", "A development plan"),
        ("document", "chain"),
        1,
        _("The plan itself, or the industry's chain map."),
    ),
    One(
        "policies",
        pgettext_lazy("Ten Ones", "A policy system"),
        ("policy",),
        2,
        _("Policies that apply to the zone."),
    ),
    One(
        "working_group",
        pgettext_lazy("Ten Ones", "A special working group"),
        ("document",),
        1,
        _("The notice that founds the group."),
    ),
    One(
        "roadmap",
        pgettext_lazy("Ten Ones", "A technology roadmap"),
        ("document",),
        1,
        _("The roadmap document."),
    ),
    One(
        "talents",
        pgettext_lazy("Ten Ones", "Leading talents and teams"),
        ("talent",),
        3,
        _("Talents or teams kept by innovation."),
    ),
    One(
        "platforms",
        pgettext_lazy("Ten Ones", "Innovation platforms"),
        ("platform",),
        2,
        _("Platforms kept by innovation."),
    ),
    One(
        "pioneers",
        pgettext_lazy("Ten Ones", "Pioneer enterprises"),
        ("label",),
        3,
        _("Enterprises holding a valid label."),
    ),
    One(
        "scenarios",
        pgettext_lazy("Ten Ones", "Application scenarios"),
        ("scenario",),
        2,
        _("The industry's scenarios in the zone."),
    ),
    One("fund", pgettext_lazy("Ten Ones", "An industry fund"), ("fund",), 1, _("A fund kept by innovation.")),
    One(
        "pilot_area",
        pgettext_lazy("Ten Ones", "A pilot area"),
        ("area", "document"),
        1,
        _("An area of the zone, or a described one with its document."),
    ),
)
BY_KEY = {one.key: one for one in TEN_ONES}
ITEM_CHOICES = [(one.key, one.label) for one in TEN_ONES]


class State:
    PROVED = "proved"
    PARTLY = "partly"
    MISSING = "missing"
    LABELS = {PROVED: _("Proved"), PARTLY: _("Partly"), MISSING: _("Missing")}
    COLORS = {PROVED: "success", PARTLY: "warning", MISSING: "danger"}


def state_of(count: int, needed: int) -> str:
    if count >= needed:
        return State.PROVED
    return State.PARTLY if count else State.MISSING
