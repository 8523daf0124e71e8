"""The scheduler runs each declared job when due, records how it went, survives a failing job, and
never lets two schedulers start the same run."""

import datetime
import os
import signal

import pytest
from django.core.management import call_command
from django.utils import timezone

from zoneos.scheduler import registry
from zoneos.scheduler.models import Heartbeat, Outcome, ScheduledJob
from zoneos.scheduler.runner import Scheduler


def job(name, function, every=60, lease=None):
    return registry.Job(name=name, every=every, function=function, lease=lease or 600)


def test_the_declared_jobs_are_the_periodic_work_of_the_apps():
    declared = {name: (j.every, j.function.__module__) for name, j in registry.jobs().items()}
    assert declared == {
        "appeals.sweep": (300, "zoneos.appeals.schedule"),
        "innovation.platform_warnings": (86400, "zoneos.innovation.schedule"),
        "notifications.deliver_due": (60, "zoneos.notifications.schedule"),
        "policies.automatic_offers": (86400, "zoneos.policies.schedule"),
        "policies.payment_sweep": (86400, "zoneos.policies.schedule"),
        "reports.run_due_briefings": (3600, "zoneos.reports.schedule"),
        "scheduler.worker_heartbeat": (60, "zoneos.scheduler.schedule"),
        "research.warnings": (86400, "zoneos.research.schedule"),
        "security.purge_old_events": (86400, "zoneos.security.schedule"),
        "space.lease_warnings": (86400, "zoneos.space.schedule"),
        "whitelist.warnings": (86400, "zoneos.whitelist.schedule"),
    }


def test_two_functions_cannot_take_one_name():
    from django.core.exceptions import ImproperlyConfigured

    registry.jobs()  # the apps' own jobs declared first, whichever tests this process ran before
    with pytest.raises(ImproperlyConfigured):
        registry.periodic(every=60, name="appeals.sweep")(lambda: None)
    with pytest.raises(ImproperlyConfigured):
        registry.periodic(every=0, name="tests.never")(lambda: None)


@pytest.mark.django_db
def test_a_failing_job_is_recorded_and_the_others_still_run():
    ran = []

    def broken():
        ran.append("broken")
        raise RuntimeError("the mail server is down")

    def fine():
        ran.append("fine")
        return {"sent": 3}

    scheduler = Scheduler({"a.broken": job("a.broken", broken), "b.fine": job("b.fine", fine, every=300)})
    before = timezone.now()
    runs = scheduler.run_pending()

    assert ran == ["broken", "fine"]
    assert [(r.job, r.outcome) for r in runs] == [("a.broken", "failed"), ("b.fine", "ok")]
    failed, succeeded = ScheduledJob.objects.get(name="a.broken"), ScheduledJob.objects.get(name="b.fine")
    assert failed.last_outcome == Outcome.FAILED and failed.failures == 1 and failed.runs == 1
    assert "RuntimeError: the mail server is down" in failed.last_result
    assert succeeded.last_outcome == Outcome.OK and succeeded.failures == 0
    assert succeeded.last_result == "sent=3"
    assert succeeded.last_duration is not None and succeeded.last_duration >= 0
    assert succeeded.last_started_at >= before and succeeded.last_finished_at >= succeeded.last_started_at
    # Both are released and due again one period after they started, the failed one too.
    for row, every in ((failed, 60), (succeeded, 300)):
        assert row.locked_until is None and row.locked_by == ""
        assert row.next_run_at == row.last_started_at + datetime.timedelta(seconds=every)
    # Nothing is due on the next pass; the scheduler's heartbeat is recorded on each.
    assert scheduler.run_pending() == [] and ran == ["broken", "fine"]
    assert Heartbeat.objects.get(name="scheduler").by == scheduler.identity


@pytest.mark.django_db
def test_a_held_run_is_not_started_again_until_its_lease_runs_out():
    count = []
    declared = {"x.job": job("x.job", lambda: count.append(1), every=60, lease=120)}
    first, second = Scheduler(declared), Scheduler(declared)
    first.declare()
    assert first.claim(declared["x.job"])
    assert not second.claim(declared["x.job"])  # held by the first
    # The first scheduler died holding it: once the lease is over, another takes the job over.
    ScheduledJob.objects.filter(name="x.job").update(
        locked_until=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert [r.job for r in second.run_pending()] == ["x.job"] and count == [1]
    # The dead one's late report changes nothing: the row is no longer its own.
    first.run(declared["x.job"])
    row = ScheduledJob.objects.get(name="x.job")
    assert row.runs == 1 and row.locked_by == ""


@pytest.mark.django_db
def test_a_changed_period_is_taken_over():
    Scheduler({"x.job": job("x.job", lambda: None, every=60)}).run_pending()
    Scheduler({"x.job": job("x.job", lambda: None, every=900)}).declare()
    assert ScheduledJob.objects.get(name="x.job").every == 900


@pytest.mark.django_db(transaction=True)  # the loop manages its connection as in production
def test_stop_lets_the_running_job_finish_then_leaves_the_loop():
    scheduler = Scheduler(tick=0.01)
    finished = []

    def long_job():
        scheduler.stop()  # SIGTERM arrives while the job runs
        finished.append(True)

    scheduler.jobs = {"a.long": job("a.long", long_job), "b.next": job("b.next", lambda: finished.append(0))}
    scheduler.run_forever()  # returns: the loop saw the stop
    assert finished == [True]
    assert ScheduledJob.objects.get(name="a.long").last_outcome == Outcome.OK
    assert ScheduledJob.objects.get(name="b.next").runs == 0


@pytest.mark.django_db(transaction=True)
def test_the_command_stops_gracefully_on_sigterm(monkeypatch, capsys):
    def pass_then_terminate(self):
        os.kill(os.getpid(), signal.SIGTERM)  # the command's handler is in place by now
        return []

    monkeypatch.setattr(Scheduler, "run_pending", pass_then_terminate)
    previous = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)
    try:
        call_command("scheduler", "--tick", "30")  # would wait 30 s if the signal did not stop it
    finally:
        signal.signal(signal.SIGTERM, previous[0])
        signal.signal(signal.SIGINT, previous[1])
    captured = capsys.readouterr()
    assert "Scheduler stopped." in captured.out and "stopping after the running job" in captured.err


@pytest.mark.django_db
def test_once_runs_every_declared_job_due(capsys):
    call_command("scheduler", "--once")
    out = capsys.readouterr().out
    for name, declared in registry.jobs().items():
        # A daily job's first run is at its hour; the others are due as soon as a scheduler starts.
        assert (f"{name}: ok" in out) is (declared.at is None), out
    assert set(ScheduledJob.objects.values_list("name", flat=True)) == set(registry.jobs())


@pytest.mark.django_db(transaction=True)  # the worker manages its connection as in production
def test_the_worker_runs_the_heartbeat_the_scheduler_queues(settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    heartbeat = registry.jobs()["scheduler.worker_heartbeat"]
    heartbeat()
    heartbeat()  # the first still waits for the worker: not queued twice
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    assert not Heartbeat.objects.filter(name="worker").exists()

    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0.01")

    beat = Heartbeat.objects.get(name="worker")
    assert timezone.now() - beat.at < datetime.timedelta(seconds=30)
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    # Finished heartbeat tasks of more than an hour ago are removed when the next one is queued.
    DBTaskResult.objects.update(finished_at=timezone.now() - datetime.timedelta(hours=2))
    heartbeat()
    assert DBTaskResult.objects.count() == 1 and DBTaskResult.objects.get().status == "READY"


def test_a_daily_job_runs_at_its_local_time_and_catches_up_a_missed_day_once(settings):
    from zoneinfo import ZoneInfo

    settings.TIME_ZONE = "Asia/Shanghai"
    shanghai = ZoneInfo("Asia/Shanghai")
    registry.register(lambda: None, name="tests.nightly", at="02:30")
    nightly = registry._jobs.pop("tests.nightly")
    assert nightly.every == 24 * 3600 and nightly.lease == registry.DEFAULT_LEASE
    evening = datetime.datetime(2026, 3, 5, 21, 0, tzinfo=shanghai)
    assert nightly.next_after(evening) == datetime.datetime(2026, 3, 6, 2, 30, tzinfo=shanghai)
    # A scheduler that was down at 02:30 runs it when it starts (09:00); the next run is tomorrow night.
    morning = datetime.datetime(2026, 3, 6, 9, 0, tzinfo=shanghai)
    assert nightly.next_after(morning) == datetime.datetime(2026, 3, 7, 2, 30, tzinfo=shanghai)
    with pytest.raises(Exception, match="either"):
        registry.register(lambda: None, name="tests.both", every=60, at="02:30")
    with pytest.raises(Exception, match="local time"):
        registry.register(lambda: None, name="tests.bad", at="25:00")


@pytest.mark.django_db
def test_a_new_daily_job_waits_for_its_time():
    nightly = registry.Job(
        name="tests.nightly", every=86400, function=lambda: None, lease=600, at=datetime.time(2, 30)
    )
    Scheduler({"tests.nightly": nightly}).run_pending()
    row = ScheduledJob.objects.get(name="tests.nightly")
    assert row.runs == 0 and row.next_run_at > timezone.now()
    assert timezone.localtime(row.next_run_at).time() == datetime.time(2, 30)


def test_the_operations_guide_lists_every_declared_job():
    from pathlib import Path

    from django.conf import settings

    guide = (Path(settings.BASE_DIR) / "docs" / "operations.md").read_text()
    assert [name for name in registry.jobs() if f"| `{name}` |" not in guide] == []
