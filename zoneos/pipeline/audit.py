from zoneos.audit.registry import track

from .models import FollowUp, IndustryGroup, InvestorConflict, Project, SigningBatch

# Derived columns (the investor key, the plan group, the flag, the bit mask) follow from others.
track(
    Project,
    exclude=("industry_section", "investor_key", "plan_group", "flagged", "entered_mask", "updated_at"),
)
track(FollowUp)
track(SigningBatch)
track(IndustryGroup)
track(InvestorConflict)
