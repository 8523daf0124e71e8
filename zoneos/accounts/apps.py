from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "zoneos.accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from . import audit, scoping, twofactor  # noqa: F401  (history, scope policies, the 2FA check)
