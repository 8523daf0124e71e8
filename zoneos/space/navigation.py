"""Space in the shell's menu (whoever may read space: every member of staff), and its panel on an
investment project's page (`panels`)."""

from django.utils.translation import gettext_lazy as _

from zoneos.core import navigation

from .models import Building, Parcel, Shape, Unit

navigation.section("space", _("Space"), order=35)
navigation.register("space:home", _("Vacancy"), icon="buildings", section="space", order=10, model=Unit)
navigation.register("space:parcels", _("Land parcels"), icon="map", section="space", order=20, model=Parcel)
navigation.register(
    "space:buildings", _("Buildings"), icon="building", section="space", order=30, model=Building
)
navigation.register("space:map", _("Map"), icon="geo-alt", section="space", order=40, model=Shape)

from . import panels  # noqa: E402,F401  (its panel on a project's page)
