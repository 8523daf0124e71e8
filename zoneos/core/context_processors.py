"""What every page's shell needs: navigation, the area switcher, languages, the user's roles."""

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.functional import SimpleLazyObject
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from zoneos.accounts.scoping import membership_roots, roles, scope
from zoneos.areas.models import Area
from zoneos.core.roles import VIEW, Role

from . import navigation
from .views import current_area

# The switcher lists the top of the user's reach and two levels below it: enough to pick a zone or
# a park, few enough to stay a short list when the tree has thousands of nodes.
SWITCHER_DEPTH = 2
SWITCHER_LIMIT = 300


# The menu's addresses take no arguments: reversed once per URL configuration and script prefix, not on
# every page (about a fifth of the shell's cost).
_hrefs: dict[tuple, str] = {}


def _href(name: str) -> str:
    key = (name, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    href = _hrefs.get(key)
    if href is None:
        href = _hrefs[key] = reverse(name)
    return href


def _switcher_options(user):
    roots = membership_roots(user)
    if not roots:
        return []
    visible = scope(Area.objects.all(), user, VIEW)
    options = []
    for root in roots:
        options.extend(
            visible.in_subtree(root)
            .filter(depth__lte=root.depth + SWITCHER_DEPTH)
            .only("id", "name", "name_en", "kind", "depth", "path")[:SWITCHER_LIMIT]
        )
    base = min(a.depth for a in roots)
    for area in options:
        area.indent = area.depth - base
    return options


def _sections(request) -> list[dict]:
    path = request.path
    menu = [
        (section, [e for e in entries if e.visible_to(request.user)])
        for section, entries in navigation.sections()
    ]
    urls = {entry.url: _href(entry.url) for _section, entries in menu for entry in entries}
    # The entry whose address is the longest prefix of this page's is the active one.
    matching = [
        name for name, url in urls.items() if (path == url if name == "home" else path.startswith(url))
    ]
    current = max(matching, key=lambda name: len(urls[name]), default=None)
    return [
        {
            "key": section.key,
            "label": section.label,
            "items": [
                {
                    "url": e.url,
                    "label": e.label,
                    "icon": e.icon,
                    "section": e.section,
                    "href": urls[e.url],
                    "active": e.url == current,
                }
                for e in entries
            ],
        }
        for section, entries in menu
        if entries
    ]


# The menu's HTML depends only on the sections, their entries (the user's roles), the active entry, the
# language and the addresses: written once per such combination (a few dozen), not on every page.
_menus: dict[tuple, str] = {}
_MENUS_KEPT = 1000


def _menu_html(sections: list[dict]) -> str:
    key = (
        get_language(),
        tuple((s["key"], tuple((i["href"], i["active"]) for i in s["items"])) for s in sections),
    )
    html = _menus.get(key)
    if html is None:
        parts = []
        for s in sections:
            parts.append(format_html('<div class="zo-nav-section">{}</div>', s["label"]))
            for i in s["items"]:
                active = i["active"]
                parts.append(
                    format_html(
                        '<a class="zo-nav-link{}" href="{}"{}><i class="bi bi-{}"></i><span>{}</span></a>',
                        " active" if active else "",
                        i["href"],
                        mark_safe(' aria-current="page"') if active else "",
                        i["icon"],
                        i["label"],
                    )
                )
        html = format_html_join("\n", "{}", ((part,) for part in parts))
        if len(_menus) >= _MENUS_KEPT:
            _menus.clear()
        _menus[key] = html
    return html


def _options_html(options, chosen) -> str:
    """The switcher's options (the few hundred areas of a zone), written here rather than by the
    template: a loop of template nodes per option cost more than the rest of the shell."""
    return format_html_join(
        "\n",
        '<option value="{}"{}>{}{}</option>',
        (
            (
                a.pk,
                mark_safe(" selected") if chosen is not None and chosen.pk == a.pk else "",
                "\u2003" * max(a.indent, 0),  # an em space per level, as the tree shows it
                a.label,
            )
            for a in options
        ),
    )


class _Once:
    """A value computed the first time a template uses it: a fragment answering an htmx request uses
    none of the shell, and pays for none of it."""

    def __init__(self, make):
        self.make = make
        self.done = False

    def __call__(self):
        if not self.done:
            self.value, self.done = self.make(), True
        return self.value


def shell(request):
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    sections = _Once(lambda: _sections(request))
    options = _Once(lambda: _switcher_options(request.user))
    return {
        "nav_sections": SimpleLazyObject(sections),
        "nav_html": _Once(lambda: _menu_html(sections())),
        "current_area": current_area(request),
        "switcher_options": SimpleLazyObject(options),
        "switcher_html": _Once(lambda: _options_html(options(), current_area(request))),
        "user_roles": SimpleLazyObject(lambda: [Role(r).label for r in sorted(roles(request.user))]),
    }
