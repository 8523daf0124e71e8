from zoneos.audit.registry import track

from .models import FollowUp, IndustryGroup, InvestorConflict, Project, SigningBatch
from .stages import DAYS_FIELD

# Derived columns (the investor key, the plan group, the flag, the bit mask) follow from others.
DERIVED = ("industry_section", "investor_key", "plan_group", "flagged", "entered_mask", "updated_at")
track(Project, exclude=(*DERIVED, *DAYS_FIELD.values()))
track(FollowUp)
track(SigningBatch)
track(IndustryGroup)
track(InvestorConflict)
