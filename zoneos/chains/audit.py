from zoneos.audit.registry import track

from .models import Candidate, Chain, Link, Placement, Rejection, StrengthRule, SupplyEdge

track(Chain, exclude=("updated_at",))
track(Link)
track(SupplyEdge)
track(Placement)
track(StrengthRule)
track(Candidate, exclude=("updated_at",))
track(Rejection)
