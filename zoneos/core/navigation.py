"""The shell's registries of menu entries and home-page panels, filled by the apps that own them.

Each app declares its entries and panels in its own `navigation.py`, which `CoreConfig.ready()`
imports (`autodiscover_modules("navigation")`), so the shell names no module. The menu is grouped in
sections, sections and entries each in their declared order; an entry may be limited to some roles.

    from zoneos.core import navigation

    navigation.section("service", _("Enterprise service"), order=50)
    navigation.register("appeals:queue", _("Appeals"), icon="chat-left-text", section="service", order=10)
    navigation.panel(overdue_panel, order=10)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Section:
    key: str
    label: str
    order: int


@dataclass(frozen=True)
class Entry:
    """One menu link: a URL name, its label and Bootstrap icon, its section and place there."""

    url: str
    label: str
    icon: str
    section: str
    order: int
    # None: every signed-in user; else the roles (codes) that see it. Superusers see every entry.
    roles: frozenset[str] | None = None

    def visible_to(self, user_roles: Iterable[str], is_superuser: bool = False) -> bool:
        return self.roles is None or is_superuser or bool(self.roles & set(user_roles))


@dataclass(frozen=True)
class Panel:
    """A home-page panel: `make(request)` returns a dict with a "template" (rendered with the dict
    as `panel`), or None when the panel does not apply to this user."""

    make: Callable
    order: int


_sections: dict[str, Section] = {}
_entries: dict[str, Entry] = {}
_panels: dict[str, Panel] = {}


def _same_or_new(registry: dict, key: str, item) -> None:
    # Discovery may import a module twice (tests reloading it); the same declaration is no change.
    if key in registry and registry[key] != item:
        raise ImproperlyConfigured(f"{key!r} is registered twice with different values.")
    registry[key] = item


def section(key: str, label, order: int) -> None:
    """Declare a menu section. Apps whose entries share a section declare it identically."""
    _same_or_new(_sections, key, Section(key, label, order))


def register(url: str, label, *, icon: str, section: str, order: int, roles: Iterable[str] | None = None):
    """Add a menu entry (`url` is a URL name, reversed when the menu is drawn)."""
    roles = None if roles is None else frozenset(roles)
    _same_or_new(_entries, url, Entry(url, label, icon, section, order, roles))


def panel(make: Callable, order: int) -> Callable:
    """Add a home-page panel; returns `make`, so it can be used as a decorator."""
    _same_or_new(_panels, f"{make.__module__}.{make.__qualname__}", Panel(make, order))
    return make


def sections() -> list[tuple[Section, list[Entry]]]:
    """The menu: each declared section (in order) with its entries (in order); empty ones left out."""
    missing = sorted({e.section for e in _entries.values()} - set(_sections))
    if missing:
        raise ImproperlyConfigured(f"Menu entries name undeclared sections: {', '.join(missing)}.")
    ordered = sorted(_entries.values(), key=lambda e: (e.order, e.url))
    grouped = [(s, [e for e in ordered if e.section == s.key]) for s in _sections.values()]
    return [(s, items) for s, items in sorted(grouped, key=lambda g: (g[0].order, g[0].key)) if items]


def panels() -> list[Panel]:
    return sorted(_panels.values(), key=lambda p: p.order)


# The shell's own entry.
section("overview", _("Overview"), order=10)
register("home", _("Home"), icon="house", section="overview", order=10)
