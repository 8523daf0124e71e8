"""Enterprise service's pages in the shell's menu."""

from django.utils.translation import gettext_lazy as _

from zoneos.core import navigation

navigation.section("service", _("Enterprise service"), order=50)
for order, (url, label, icon) in enumerate(
    [
        ("appeals:queue", _("Appeals"), "chat-left-text"),
        ("appeals:dashboard", _("Service dashboard"), "graph-up"),
        ("appeals:symposia", _("Symposia"), "people-fill"),
        ("appeals:workbench", _("Service officer"), "person-workspace"),
    ],
    start=1,
):
    navigation.register(url, label, icon=icon, section="service", order=order * 10)
