from zoneos.audit.registry import track

from .models import Chain, Link, Placement, StrengthRule, SupplyEdge

track(Chain, exclude=("updated_at",))
track(Link)
track(SupplyEdge)
track(Placement)
track(StrengthRule)
