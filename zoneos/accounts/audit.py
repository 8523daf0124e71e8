from django.utils.translation import gettext_lazy as _

from zoneos.audit.history import EXTRA_FIELDS
from zoneos.audit.registry import track

from .models import Membership, User

track(User, exclude=("last_login",), mask=("password",))
track(Membership)
# The second factor is not a column of the user: zoneos.accounts.twofactor writes its changes.
EXTRA_FIELDS["two_factor"] = (_("Two-factor sign-in"), {"on": _("Enabled"), "off": _("Not enabled")})
