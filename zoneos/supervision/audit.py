from zoneos.audit.registry import track

from .models import KeyProject, MonthLock, Report, StatusRule

track(KeyProject, exclude=("updated_at",))
track(Report, exclude=("updated_at",))
track(MonthLock, exclude=("locked_at",))
track(StatusRule)
