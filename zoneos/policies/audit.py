from zoneos.audit.registry import track

from .models import (
    Attachment,
    Budget,
    DeclaredFact,
    Parameter,
    Payment,
    Policy,
    PolicyApplication,
    PolicyItem,
    Rule,
)

# The metrics table is derived from the figures (which keep their own history); it is not tracked.
track(Policy, exclude=("updated_at",))
track(Attachment)
track(PolicyItem, exclude=("updated_at",))
track(Rule)
track(Parameter)
track(DeclaredFact, exclude=("updated_at",))
track(PolicyApplication, exclude=("created_at", "payment_working_days", "trace"))
track(Budget, exclude=("updated_at",))
track(Payment)
