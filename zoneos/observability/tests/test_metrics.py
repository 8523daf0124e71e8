"""`/metrics`: what Prometheus reads, who may read it, and what one scrape costs the database."""

import datetime
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from prometheus_client.parser import text_string_to_metric_families

from zoneos.appeals.models import Appeal
from zoneos.notifications.models import DeliveryStatus, Notification
from zoneos.tabular.models import ImportJob, ImportStatus
from zoneos.testing.factories import UserFactory

from . import jobs

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
BASE_DIR = Path(__file__).resolve().parents[3]


def scrape(client=None, **headers) -> dict:
    """{(name, frozenset of labels): value} of one scrape from the loopback address."""
    response = (client or Client()).get("/metrics", **headers)
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("text/plain; version=")
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(response.content.decode())
        for sample in family.samples
    }


def value(samples: dict, name: str, **labels) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


def test_the_request_counter_grows_with_each_request_by_route_not_path(db, client):
    before = scrape()
    for _ in range(3):
        assert client.get("/login/").status_code == 200
    assert client.get("/no-such-page/").status_code == 404
    after = scrape()
    counted = "zoneos_http_requests_total"
    assert (
        value(after, counted, method="GET", route="login", status="200")
        - value(before, counted, method="GET", route="login", status="200")
        == 3
    )
    assert value(after, counted, method="GET", route="<unmatched>", status="404") >= 1
    assert not any("/no-such-page/" in dict(labels).values() for _name, labels in after)
    assert (
        value(after, "zoneos_http_request_duration_seconds_count", route="login")
        - value(before, "zoneos_http_request_duration_seconds_count", route="login")
        == 3
    )
    assert not any("/login/" in dict(labels).values() for _name, labels in after)


def test_an_api_detail_counts_under_its_pattern_name(world, api):
    before = scrape()
    assert api(world.admin).get(f"/api/v1/enterprises/{world.E1.pk}/").status_code == 200
    after = scrape()
    labels = {"method": "GET", "route": "api:enterprise-detail", "status": "200"}
    assert (
        value(after, "zoneos_http_requests_total", **labels)
        == value(before, "zoneos_http_requests_total", **labels) + 1
    )


def test_the_queue_depth_and_the_oldest_tasks_wait(db, settings):
    settings.TASKS = DB_TASKS
    assert value(scrape(), "zoneos_task_queue_depth", queue="default") == 0
    first = jobs.say.enqueue("one")
    jobs.say.enqueue("two")
    jobs.say.using(run_after=timezone.now() + datetime.timedelta(hours=1)).enqueue("later")  # not due
    DBTaskResult.objects.filter(pk=first.id).update(
        enqueued_at=timezone.now() - datetime.timedelta(minutes=10)
    )
    samples = scrape()
    assert value(samples, "zoneos_task_queue_depth", queue="default") == 2
    assert 600 <= value(samples, "zoneos_task_oldest_ready_age_seconds", queue="default") < 660


def test_a_deferred_task_waits_from_the_moment_it_was_due(db, settings):
    settings.TASKS = DB_TASKS
    due = timezone.now() - datetime.timedelta(minutes=5)
    retry = jobs.say.using(run_after=due).enqueue("retry")
    DBTaskResult.objects.filter(pk=retry.id).update(enqueued_at=due - datetime.timedelta(hours=2))
    assert 300 <= value(scrape(), "zoneos_task_oldest_ready_age_seconds", queue="default") < 360


def test_failed_tasks_are_counted(db, settings):
    settings.TASKS = DB_TASKS
    for _ in range(2):
        jobs.fail.enqueue()
    DBTaskResult.objects.update(status="FAILED", finished_at=timezone.now())
    assert value(scrape(), "zoneos_tasks_failed") == 2


def test_import_jobs_by_status(db):
    user = UserFactory()
    statuses = [ImportStatus.COMMITTED] * 3 + [ImportStatus.FAILED, ImportStatus.QUEUED]
    for status in statuses:
        ImportJob.objects.create(kind="enterprises", file="imports/x.xlsx", created_by=user, status=status)
    samples = scrape()
    assert value(samples, "zoneos_import_jobs", status="committed") == 3
    assert value(samples, "zoneos_import_jobs", status="failed") == 1
    assert value(samples, "zoneos_import_jobs", status="queued") == 1
    assert ("zoneos_import_jobs", frozenset({("status", "checking")})) in samples  # 0 is still a series


def test_the_sweep_lag_and_the_deliveries(world):
    now = timezone.now()
    # The sweep and the deliveries have caught up with what building the world set off.
    Appeal.objects.update(alarm_at=None)
    Notification.objects.all().delete()
    assert value(scrape(), "zoneos_appeal_sweep_lag_seconds") == 0
    Appeal.objects.filter(pk=world.AP1.pk).update(alarm_at=now - datetime.timedelta(minutes=30))
    Appeal.objects.filter(pk=world.AP2.pk).update(alarm_at=now + datetime.timedelta(hours=3))  # not due
    common = {
        "area": world.Z1,
        "event": "assigned",
        "subject": "s",
        "kind": "email",
        "recipient": "a@x.cn",
    }
    Notification.objects.create(**common, status=DeliveryStatus.FAILED)
    Notification.objects.create(
        **common, status=DeliveryStatus.PENDING, next_attempt_at=now - datetime.timedelta(minutes=2)
    )
    Notification.objects.create(
        **common, status=DeliveryStatus.PENDING, next_attempt_at=now + datetime.timedelta(minutes=2)
    )
    Notification.objects.create(**common, status=DeliveryStatus.SENT)
    samples = scrape()
    assert 1800 <= value(samples, "zoneos_appeal_sweep_lag_seconds") < 1860
    assert value(samples, "zoneos_notifications_failed") == 1
    assert value(samples, "zoneos_notifications_due") == 1
    assert 120 <= value(samples, "zoneos_notifications_oldest_due_age_seconds") < 180


def test_a_scrape_runs_one_query_per_figure(db, django_assert_num_queries):
    """The task queue, failed tasks, the sweep's lag, deliveries, import jobs: five queries."""
    with django_assert_num_queries(5):
        scrape()


@pytest.mark.parametrize(
    "headers",
    [
        {"REMOTE_ADDR": "203.0.113.9"},
        {"REMOTE_ADDR": "10.0.0.5"},
        # A proxy on the same machine relays somebody else's request from the loopback address.
        {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.9"},
        {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_REAL_IP": "203.0.113.9"},
        {"REMOTE_ADDR": "::1", "HTTP_FORWARDED": "for=203.0.113.9"},
    ],
    ids=["public", "private network", "forwarded", "real ip", "forwarded v6"],
)
def test_refused_without_the_token_from_anywhere_but_loopback(db, headers, settings):
    settings.ZONEOS_METRICS_TOKEN = "s3cret-metrics-token"
    response = Client().get("/metrics", **headers)
    assert response.status_code == 404
    assert b"zoneos_" not in response.content


def test_refused_to_a_signed_in_administrator_from_outside(world):
    client = Client(REMOTE_ADDR="203.0.113.9")
    client.force_login(world.root)
    assert client.get("/metrics").status_code == 404


def test_the_bearer_token_opens_it_from_anywhere(db, settings):
    settings.ZONEOS_METRICS_TOKEN = "s3cret-metrics-token"
    outside = Client(REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert outside.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-metrics-token").status_code == 200
    assert outside.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 403
    assert outside.get("/metrics", HTTP_AUTHORIZATION="Token s3cret-metrics-token").status_code == 404


def test_no_token_is_accepted_when_none_is_configured(db, settings):
    settings.ZONEOS_METRICS_TOKEN = ""
    outside = Client(REMOTE_ADDR="203.0.113.9")
    assert outside.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 403
    assert outside.get("/metrics", HTTP_AUTHORIZATION="Bearer anything").status_code == 403


def test_only_get(db):
    assert Client().post("/metrics").status_code == 405


def test_gunicorn_workers_counts_add_up_in_multiprocess_mode(tmp_path):
    """Three processes (two workers that each answered requests, and the one answering the scrape) share
    PROMETHEUS_MULTIPROC_DIR: the scrape reports the sum."""
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    count = (
        "from zoneos.observability import metrics\n"
        "for _ in range({n}): metrics.observe('GET', 'home', 200, 0.02)\n"
    )
    for n in (2, 5):
        subprocess.run(
            [sys.executable, "-c", count.format(n=n)], env=env, cwd=BASE_DIR, check=True, timeout=60
        )
    scraped = subprocess.run(
        [
            sys.executable,
            "-c",
            "from zoneos.observability import metrics; print(metrics.exposition().decode())",
        ],
        env=env,
        cwd=BASE_DIR,
        check=True,
        timeout=60,
        capture_output=True,
        text=True,
    ).stdout
    samples = {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(scraped)
        for s in family.samples
    }
    assert value(samples, "zoneos_http_requests_total", method="GET", route="home", status="200") == 7
    assert value(samples, "zoneos_http_request_duration_seconds_bucket", route="home", le="0.025") == 7


def test_an_unwritable_multiprocess_folder_is_reported_and_requests_are_still_answered(tmp_path):
    """`manage.py check` names the folder; a worker started anyway answers its requests uncounted."""
    missing = tmp_path / "not-created"
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(missing), "DATABASE_URL": f"sqlite:///{tmp_path}/db"}
    command = [sys.executable, "manage.py", "check"]
    checked = subprocess.run(command, env=env, cwd=BASE_DIR, capture_output=True, text=True, timeout=120)
    assert checked.returncode != 0 and "zoneos.observability.E001" in checked.stderr
    assert str(missing) in checked.stderr
    served = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.test import Client; "
            "print([Client().get('/healthz').status_code for _ in range(2)])",
        ],
        env={**env, "DJANGO_SETTINGS_MODULE": "zoneos.settings"},
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert served.stdout.strip() == "[200, 200]", served.stderr
    assert served.stderr.count("Requests are not counted for /metrics") == 1


def test_responses_given_before_any_pattern_matched_count_under_two_routes(rf):
    from zoneos.observability.middleware import route_of

    assert route_of(rf.get("/static/zoneos/app.css")) == "<static>"  # WhiteNoise answers these early
    assert route_of(rf.get("/wp-login.php")) == "<unmatched>"
