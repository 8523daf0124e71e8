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
    {"url": "pipeline:board", "label": _("Project board"), "icon": "kanban", "section": "pipeline"},
    {"url": "pipeline:list", "label": _("Investment projects"), "icon": "briefcase", "section": "pipeline"},
    {"url": "pipeline:funnel", "label": _("Investment funnel"), "icon": "funnel", "section": "pipeline"},
    {"url": "pipeline:batches", "label": _("Signing batches"), "icon": "pen", "section": "pipeline"},
    {
        "url": "pipeline:conflicts",
        "label": _("Conflicts between parks"),
        "icon": "exclamation-triangle",
        "section": "pipeline",
    },
    {
        "url": "supervision:summary",
        "label": _("Key projects"),
        "icon": "speedometer2",
        "section": "supervision",
    },
    {"url": "supervision:plan", "label": _("Annual plan"), "icon": "table", "section": "supervision"},
    {
        "url": "supervision:ranking",
        "label": _("Evaluation ranking"),
        "icon": "trophy",
        "section": "supervision",
    },
    {
        "url": "supervision:orders",
        "label": _("Supervision orders"),
        "icon": "megaphone",
        "section": "supervision",
    },
    {"url": "appeals:queue", "label": _("Appeals"), "icon": "chat-left-text", "section": "service"},
    {"url": "appeals:dashboard", "label": _("Service dashboard"), "icon": "graph-up", "section": "service"},
    {"url": "appeals:symposia", "label": _("Symposia"), "icon": "people-fill", "section": "service"},
    {
        "url": "appeals:workbench",
        "label": _("Service officer"),
        "icon": "person-workspace",
        "section": "service",
    },
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

SECTIONS = {
    "overview": _("Overview"),
    "registry": _("Enterprises"),
    "pipeline": _("Investment"),
    "supervision": _("Supervision"),
    "service": _("Enterprise service"),
    "organisation": _("Organisation"),
}

# Panels a module adds to the home page: callables taking the request and returning a dict with a
# "template" (rendered with the dict as `panel`) or None when the panel does not apply.
HOME_PANELS: list = []
