"""The scheduler: one process (`manage.py scheduler`) that runs the periodic jobs the apps declare.

An app declares a job in its `schedule.py`, found by `autodiscover_modules("schedule")`, so the
scheduler names no app:

    from zoneos.scheduler.registry import periodic

    @periodic(every=300, name="appeals.sweep")
    def sweep_appeals():
        return services.sweep()

Each run of a job is claimed in the database (`ScheduledJob`, one row per job) by a conditional UPDATE,
so any number of scheduler processes, on one machine or several, run a due job once.
"""
