"""The statistics dashboard in the shell's menu."""

from django.utils.translation import gettext_lazy as _

from zoneos.core import navigation

navigation.section("overview", _("Overview"), order=10)
navigation.register("stats:dashboard", _("Dashboard"), icon="bar-chart-line", section="overview", order=20)
