"""What every page's shell needs: navigation, the area switcher, languages, the user's roles."""

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

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


def shell(request):
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    path = request.path
    user_roles = roles(request.user)
    menu = [
        (section, [e for e in entries if e.visible_to(user_roles, request.user.is_superuser)])
        for section, entries in navigation.sections()
    ]
    urls = {entry.url: _href(entry.url) for _section, entries in menu for entry in entries}
    # The entry whose address is the longest prefix of this page's is the active one.
    matching = [
        name for name, url in urls.items() if (path == url if name == "home" else path.startswith(url))
    ]
    current = max(matching, key=lambda name: len(urls[name]), default=None)
    sections = [
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
    return {
        "nav_sections": sections,
        "current_area": current_area(request),
        "switcher_options": _switcher_options(request.user),
        "user_roles": [Role(r).label for r in sorted(user_roles)],
    }
