from zoneos.audit.registry import track

from .models import CalendarDay, CalendarYear

track(CalendarDay, exclude=("updated_at",))
track(CalendarYear, exclude=("updated_at",))
