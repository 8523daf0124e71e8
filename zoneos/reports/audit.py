from zoneos.audit.registry import track

from .models import Briefing, BriefingSchedule

# Who requested or removed a briefing is history; the worker's rendering (status, file) is not.
track(Briefing, exclude=("file", "status", "error", "generated_at", "created_at"))
track(BriefingSchedule, exclude=("created_at",))
