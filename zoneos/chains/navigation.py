"""The chains in the shell's menu (whoever may read chains: every member of staff), and their figures on
the investment funnel and supervision's summary (`figures`)."""

from django.utils.translation import gettext_lazy as _

from zoneos.core import navigation

from .models import Chain

navigation.section("pipeline", _("Investment"), order=30)
navigation.register(
    "chains:list", _("Industrial chains"), icon="diagram-3", section="pipeline", order=60, model=Chain
)

from . import figures  # noqa: E402,F401  (its panels on the funnel and the summary)
