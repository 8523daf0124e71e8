"""`/readyz`: 200 when the database answers, every migration is applied and the scheduler and the task
worker were seen within ZONEOS_HEARTBEAT_MAX_AGE; otherwise 503 naming what failed. `/healthz` stays
liveness only. Both answer without a login and tell states, never hosts or errors."""

import datetime

import pytest
from django.db import connection
from django.db.utils import OperationalError
from django.utils import timezone

from zoneos.scheduler import health
from zoneos.scheduler.models import Heartbeat

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_migration_check():
    health._migrated.clear()
    yield
    health._migrated.clear()


def seen(name, seconds_ago=0):
    at = timezone.now() - datetime.timedelta(seconds=seconds_ago)
    Heartbeat.objects.update_or_create(name=name, defaults={"at": at, "by": "zoneos-app-3:4242"})


def test_ready_when_everything_answers(client):
    seen("scheduler", 5)
    seen("worker", 70)
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "failed": [],
        "checks": {"database": "ok", "migrations": "ok", "scheduler": "ok", "worker": "ok"},
    }
    assert b"zoneos-app-3" not in response.content  # no host names


def test_a_worker_never_seen_is_not_ready(client):
    seen("scheduler")
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["worker"]
    assert response.json()["checks"]["worker"] == "stale"


def test_a_stopped_scheduler_is_not_ready(client, settings):
    settings.ZONEOS_HEARTBEAT_MAX_AGE = 180
    seen("scheduler", 200)
    seen("worker", 10)
    response = client.get("/readyz")
    assert response.status_code == 503 and response.json()["failed"] == ["scheduler"]
    settings.ZONEOS_HEARTBEAT_MAX_AGE = 300  # the bound is a setting
    assert client.get("/readyz").status_code == 200


def test_a_pending_migration_is_not_ready(client):
    seen("scheduler")
    seen("worker")
    # The newest migration of an app not recorded as applied, as after deploying code before `migrate`.
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM django_migrations WHERE app = 'scheduler' AND name = '0001_initial'")
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["migrations"]
    assert response.json()["checks"]["migrations"] == "pending"


def test_an_unreachable_database_is_not_ready_nor_alive(client, monkeypatch):
    seen("scheduler")
    seen("worker")

    def refuse(*args, **kwargs):
        raise OperationalError('connection to server at "10.0.0.5", port 5432 failed: Connection refused')

    monkeypatch.setattr(connection, "cursor", refuse)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["database", "migrations", "scheduler", "worker"]
    assert response.json()["checks"]["database"] == "unavailable"
    assert b"10.0.0.5" not in response.content  # no address, no error text
    assert client.get("/healthz").status_code == 503


def test_liveness_does_not_wait_for_the_worker(client):
    assert client.get("/readyz").status_code == 503  # no heartbeat yet
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json()["status"] == "ok"


def test_the_probes_answer_on_plain_http_when_production_redirects(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    seen("scheduler")
    seen("worker")
    assert client.get("/readyz").status_code == 200
    assert client.get("/healthz").status_code == 200
    assert client.get("/login/").status_code == 301  # everything else goes to HTTPS
