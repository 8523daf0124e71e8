"""Finding an area from what a sheet calls it: its code, its name, its English name, or the short
name staff write ("高新园" for "高新技术产业园区"), for the importers to share.

A name that could be two areas (two parks both shortened to "东区") finds neither: the importer says
so instead of guessing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .models import Area

# Endings dropped to get the short name staff write; longest first.
SUFFIXES = (
    "高新技术产业开发区",
    "高新技术产业园区",
    "经济技术开发区",
    "产业园区",
    "高新区",
    "开发区",
    "产业园",
    "园区",
    "片区",
    "园",
)
AMBIGUOUS = object()


def key(text: str) -> str:
    return re.sub(r"[\s·•\-_（）()]+", "", str(text or "")).lower()


def short_names(name: str) -> set[str]:
    """The name and its shortenings ("创新产业园区" → "创新产业园区", "创新产业", "创新")."""
    found = {key(name)}
    for suffix in SUFFIXES:
        for known in list(found):
            if known.endswith(suffix) and len(known) > len(suffix) + 1:
                found.add(known[: -len(suffix)])
    return found


class AreaLookup:
    """`lookup.get(text)`: the one area the text names among `areas`, or None."""

    def __init__(self, areas: Iterable[Area]):
        self._exact: dict[str, Area] = {}
        self._short: dict[str, object] = {}
        for area in sorted(areas, key=lambda a: a.path, reverse=True):  # the deepest wins an exact tie
            for text in (area.code, area.name, area.name_en, *getattr(area, "alias_list", ())):
                if text:
                    self._exact.setdefault(key(text), area)
            for short in short_names(area.name):
                seen = self._short.get(short)
                self._short[short] = area if seen in (None, area) else AMBIGUOUS

    def get(self, text) -> Area | None:
        wanted = key(text)
        if not wanted:
            return None
        if wanted in self._exact:
            return self._exact[wanted]
        for candidate in short_names(wanted):
            found = self._short.get(candidate)
            if isinstance(found, Area):
                return found
        return None

    def ambiguous(self, text) -> bool:
        wanted = key(text)
        return wanted not in self._exact and any(self._short.get(c) is AMBIGUOUS for c in short_names(wanted))
