"""The shell's registries of menu entries, home-page panels and landing pages, filled by the apps
that own them.

Each app declares its entries and panels in its own `navigation.py`, which `CoreConfig.ready()`
imports (`autodiscover_modules("navigation")`), so the shell names no module. The menu is grouped in
sections, sections and entries each in their declared order.

Who sees an entry is derived from what they may do, never from a list of roles per entry: an entry
names the `model` its page lists, and a user sees it when the model's scoping policy grants one of
their memberships a view of its records (`zoneos.accounts.scoping`). Pages for the zone's staff
only count memberships on an area or a department; an `external` page (the appeals an enterprise
submits) also counts the memberships of enterprise users, who see their own records there. A page
whose use is not a model's list says so with `visible(user)` (the import page: whoever may import).

    from zoneos.core import navigation

    navigation.section("service", _("Enterprise service"), order=50)
    navigation.register("appeals:queue", _("Appeals"), icon="chat-left-text", section="service",
                        order=10, model=Appeal, external=True)
    navigation.panel(overdue_panel, order=10)
    navigation.landing("stats:dashboard", applies=reads_only, order=10)

Home panels are the hook through which an app puts its part of a user's day on the home page (the
enterprise's appeals, a department's queue due today; the policies app adds an enterprise's policy
matches the same way): `make(request)` returns the panel, or None when it does not apply to the user.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model
from django.utils.translation import gettext_lazy as _

from zoneos.accounts.scoping import memberships, policy_for
from zoneos.core.roles import VIEW


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
    # The records the page lists: a user sees the entry when they may view some of them. None (and no
    # `visible`): every signed-in user. Superusers see every entry.
    model: type[Model] | None = None
    # Whether enterprise users' memberships count (they see their own records on the page).
    external: bool = False
    # A further (or, without a model, the only) condition on the user.
    visible: Callable | None = None
    # What the user must be granted on the model: a page for managing records (the organisation's
    # areas, users and memberships, which every member reads to pick a name) asks for "change".
    action: str = VIEW

    def visible_to(self, user) -> bool:
        if user.is_superuser:
            return True
        if self.visible is not None and not self.visible(user):
            return False
        return self.model is None or reads(user, self.model, external=self.external, action=self.action)


def reads(user, model: type[Model], *, external: bool = False, action: str = VIEW) -> bool:
    """Whether `user` may view (or take `action` on) some records of `model`: one of their memberships
    gets a grant from the model's scoping policy (enterprise users' memberships only when `external`).
    No query: the policy builds conditions, which are never run here."""
    if user.is_superuser:
        return True
    policy = policy_for(model)
    if policy is None:
        return False
    return any(
        policy.grant(m, action) is not None for m in memberships(user) if external or not m.enterprise_id
    )


@dataclass(frozen=True)
class Panel:
    """A panel of a page: `make(request)` (on the home page) or `make(request, context)` (on another
    page, with that page's context: its area, year...) returns a dict with a "template" (rendered with
    the dict as `panel`), or None when the panel does not apply. A module above the page's own app
    adds to the page this way (the chains' figures on the funnel) without the app naming it."""

    make: Callable
    order: int
    page: str = "home"


@dataclass(frozen=True)
class Landing:
    """A page that replaces the home page for the users it `applies` to (a leader's dashboard)."""

    url: str
    applies: Callable
    order: int


_sections: dict[str, Section] = {}
_entries: dict[str, Entry] = {}
_panels: dict[str, Panel] = {}
_landings: dict[str, Landing] = {}


def _same_or_new(registry: dict, key: str, item) -> None:
    # Discovery may import a module twice (tests reloading it); the same declaration is no change.
    if key in registry and registry[key] != item:
        raise ImproperlyConfigured(f"{key!r} is registered twice with different values.")
    registry[key] = item


def section(key: str, label, order: int) -> None:
    """Declare a menu section. Apps whose entries share a section declare it identically."""
    _same_or_new(_sections, key, Section(key, label, order))


def register(
    url: str,
    label,
    *,
    icon: str,
    section: str,
    order: int,
    model: type[Model] | None = None,
    external: bool = False,
    visible: Callable | None = None,
    action: str = VIEW,
):
    """Add a menu entry (`url` is a URL name, reversed when the menu is drawn)."""
    _same_or_new(_entries, url, Entry(url, label, icon, section, order, model, external, visible, action))


def panel(make: Callable, order: int, page: str = "home") -> Callable:
    """Add a panel to `page` (a URL name; the home page by default); returns `make`."""
    _same_or_new(_panels, f"{page}:{make.__module__}.{make.__qualname__}", Panel(make, order, page))
    return make


def landing(url: str, *, applies: Callable, order: int) -> None:
    """Make the page at `url` (a URL name) the home of the users `applies(user)` is true for."""
    _same_or_new(_landings, url, Landing(url, applies, order))


def landing_for(user) -> str | None:
    """The URL name of the user's landing page, if one applies (superusers keep the home page)."""
    if user.is_superuser:
        return None
    for item in sorted(_landings.values(), key=lambda item: (item.order, item.url)):
        if item.applies(user):
            return item.url
    return None


def sections() -> list[tuple[Section, list[Entry]]]:
    """The menu: each declared section (in order) with its entries (in order); empty ones left out."""
    missing = sorted({e.section for e in _entries.values()} - set(_sections))
    if missing:
        raise ImproperlyConfigured(f"Menu entries name undeclared sections: {', '.join(missing)}.")
    ordered = sorted(_entries.values(), key=lambda e: (e.order, e.url))
    grouped = [(s, [e for e in ordered if e.section == s.key]) for s in _sections.values()]
    return [(s, items) for s, items in sorted(grouped, key=lambda g: (g[0].order, g[0].key)) if items]


def panels(page: str = "home") -> list[Panel]:
    return sorted((p for p in _panels.values() if p.page == page), key=lambda p: p.order)


def page_panels(page: str, request, context: dict) -> list[dict]:
    """The panels that apply to this request of `page`, made with the page's context."""
    return [made for p in panels(page) if (made := p.make(request, context))]


def _keeps_home(user) -> bool:
    return landing_for(user) is None


# The shell's own entry: for those whose home is the home page.
section("overview", _("Overview"), order=10)
register("home", _("Home"), icon="house", section="overview", order=10, visible=_keeps_home)
