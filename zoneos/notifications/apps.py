from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from zoneos.core.roles import Role


class NotificationsConfig(AppConfig):
    name = "zoneos.notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        # Here, not above: these load models (accounts.scoping too), which wait for the app registry.
        from zoneos.accounts.scoping import AreaBoundPolicy, register

        from . import audit  # noqa: F401  (history tracking)
        from .models import Channel, Notification

        # Channels hold robots' addresses: only the admins of an area (and above) see and keep them, and
        # only they read what was sent.
        admins = frozenset({Role.ADMIN})
        register(Channel, AreaBoundPolicy(write_roles=admins, read_roles=admins))
        register(Notification, AreaBoundPolicy(write_roles=admins, read_roles=admins))
