"""Read-only: the scheduler writes these rows; the admin shows when each job ran, how long it took and
how it went, and when the scheduler and the task worker were last seen alive."""

from django.contrib import admin

from zoneos.core.admin import ReadOnlyAdmin

from .models import Heartbeat, ScheduledJob


@admin.register(ScheduledJob)
class ScheduledJobAdmin(ReadOnlyAdmin):
    list_display = [
        "name",
        "every",
        "last_started_at",
        "last_duration",
        "last_outcome",
        "next_run_at",
        "runs",
        "failures",
    ]
    list_filter = ["last_outcome"]
    readonly_fields = [f.name for f in ScheduledJob._meta.fields]


@admin.register(Heartbeat)
class HeartbeatAdmin(ReadOnlyAdmin):
    list_display = ["name", "at", "by"]
    readonly_fields = [f.name for f in Heartbeat._meta.fields]
