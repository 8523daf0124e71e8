"""Key-project supervision's pages in the shell's menu."""

from django.utils.translation import gettext_lazy as _

from zoneos.core import navigation

navigation.section("supervision", _("Supervision"), order=40)
for order, (url, label, icon) in enumerate(
    [
        ("supervision:summary", _("Key projects"), "speedometer2"),
        ("supervision:plan", _("Annual plan"), "table"),
        ("supervision:ranking", _("Evaluation ranking"), "trophy"),
        ("supervision:orders", _("Supervision orders"), "megaphone"),
    ],
    start=1,
):
    navigation.register(url, label, icon=icon, section="supervision", order=order * 10)
