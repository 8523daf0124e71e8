"""The modules in the navigation, in order. A module adds its entry here when it gains pages."""

from django.utils.translation import gettext_lazy as _

NAVIGATION = [
    {"url": "home", "label": _("Home"), "icon": "house", "section": "overview"},
    {"url": "stats:dashboard", "label": _("Dashboard"), "icon": "bar-chart-line", "section": "overview"},
    {
        "url": "enterprises:list",
        "label": _("Enterprise registry"),
        "icon": "buildings",
        "section": "registry",
    },
    {"url": "tabular:list", "label": _("Imports"), "icon": "upload", "section": "registry"},
    {"url": "areas:list", "label": _("Areas"), "icon": "diagram-3", "section": "organisation"},
    {"url": "areas:departments", "label": _("Departments"), "icon": "building", "section": "organisation"},
    {"url": "accounts:users", "label": _("Users"), "icon": "people", "section": "organisation"},
    {
        "url": "accounts:memberships",
        "label": _("Memberships"),
        "icon": "person-badge",
        "section": "organisation",
    },
]

SECTIONS = {"overview": _("Overview"), "registry": _("Enterprises"), "organisation": _("Organisation")}
