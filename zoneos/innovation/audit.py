"""History of the innovation records. Funds' shares and stakes, and platforms' occupancy, were
percentages named `*_pct` until migrations 0003 and 0004 made them fractions: the history written
before keeps those names and values, shown under their own labels in per cent ("(%)"), so that no
reader takes 30 (per cent) for a fraction. The fractions since are shown "30 %", as every
`FractionField` is."""

from django.utils.translation import gettext_lazy as _

from zoneos.audit.history import EXTRA_FIELDS
from zoneos.audit.registry import track

from .models import (
    Consent,
    Exit,
    Fund,
    Investment,
    Platform,
    PlatformYear,
    PointsIndicator,
    PointsSystem,
    Talent,
    TalentService,
    TalentTeam,
)

track(PointsSystem)
track(PointsIndicator)
track(Consent)
track(Platform, exclude=("updated_at", "warned_on"))
track(PlatformYear, exclude=("updated_at",))
track(Fund, exclude=("updated_at",), m2m=("focus_chains",))
for model in (Talent, TalentTeam, TalentService, Investment, Exit):
    track(model, exclude=("updated_at",))

EXTRA_FIELDS["government_share_pct"] = (_("government share (%)"), {})
EXTRA_FIELDS["stake_pct"] = (_("stake (%)"), {})
EXTRA_FIELDS["occupancy_pct"] = (_("occupancy (%)"), {})
