from zoneos.audit.registry import track

from .models import Appeal, Attachment, RoutingRule, SlaPolicy, SlaRule, Symposium, Visit

# The sweep's alarm clock is bookkeeping, not business data.
track(Appeal, exclude=("created_at", "updated_at", "alarm_at"))
track(Attachment)
track(RoutingRule)
track(SlaPolicy, exclude=("created_at",))
track(SlaRule)
track(Symposium, exclude=("created_at",))
track(Visit, exclude=("created_at",))
