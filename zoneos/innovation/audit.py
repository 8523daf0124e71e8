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
