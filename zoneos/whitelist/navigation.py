"""The whitelist in the shell's menu, in the innovation section: the applications (the enterprises'
own users see theirs) and the researchers and institutions."""

from django.utils.translation import gettext_lazy as _

from zoneos.core import navigation

from .models import Entity, WhitelistApplication

navigation.section("innovation", _("Innovation"), order=38)
navigation.register(
    "whitelist:applications",
    _("Cross-border whitelist"),
    icon="globe2",
    section="innovation",
    order=60,
    model=WhitelistApplication,
    external=True,
)
navigation.register(
    "whitelist:entities",
    _("Whitelisted researchers"),
    icon="person-badge",
    section="innovation",
    order=70,
    model=Entity,
    external=True,
)
