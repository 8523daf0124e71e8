from zoneos.audit.registry import track

from .models import Consent, PointsIndicator, PointsSystem

track(PointsSystem)
track(PointsIndicator)
track(Consent)
