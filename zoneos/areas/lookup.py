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
    """`lookup.get(text)`: the one area the text names among `areas`, or None; `lookup.candidates(text)`:
    every area it could name (two or more when it is ambiguous).

    A code, name or English name names its area (the deepest of two that share a name). An alias (the
    other names an area keeps, `Area.alias_list`) names its area unless another area has it too; then,
    like a short name two areas share, it names neither.
    """

    def __init__(self, areas: Iterable[Area]):
        self._exact: dict[str, Area] = {}
        self._alias: dict[str, list[Area]] = {}
        self._short: dict[str, list[Area]] = {}
        for area in sorted(areas, key=lambda a: a.path, reverse=True):  # the deepest wins an exact tie
            for text in (area.code, area.name, area.name_en):
                if text:
                    self._exact.setdefault(key(text), area)
            for text in getattr(area, "alias_list", ()):
                _add(self._alias, key(text), area)
            for short in short_names(area.name):
                _add(self._short, short, area)

    def candidates(self, text) -> list[Area]:
        """The areas the text may name: one when it names one, several when it is ambiguous."""
        wanted = key(text)
        if not wanted:
            return []
        if wanted in self._exact:
            return [self._exact[wanted]]
        if wanted in self._alias:
            return list(self._alias[wanted])
        found = [
            self._short[c] for c in sorted(short_names(wanted), key=len, reverse=True) if c in self._short
        ]
        for areas in found:
            if len(areas) == 1:
                return list(areas)
        return list(found[0]) if found else []

    def get(self, text) -> Area | None:
        found = self.candidates(text)
        return found[0] if len(found) == 1 else None

    def ambiguous(self, text) -> bool:
        return len(self.candidates(text)) > 1


def _add(index: dict[str, list[Area]], text: str, area: Area) -> None:
    if not text:
        return
    seen = index.setdefault(text, [])
    if area not in seen:
        seen.append(area)
