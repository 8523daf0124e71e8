"""Every response names its request id, every log line of the request carries it, and so do the lines of
the tasks the request queued, when the worker runs them."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from zoneos.observability.context import new_request_id
from zoneos.observability.tasks import ARGUMENT, TracedTask

pytestmark = pytest.mark.urls("zoneos.observability.tests.jobs")
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
BASE_DIR = Path(__file__).resolve().parents[3]


def run_in_the_worker(row: DBTaskResult) -> None:
    """The worker's own code for one task (its loop would close the test's connection between tasks)."""
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    worker.run_task(row)


def test_a_response_names_the_request_id_that_its_log_lines_carry(db, client, json_log):
    response = client.get("/tests/speak/")
    request_id = response["X-Request-ID"]
    assert len(request_id) == 32 and int(request_id, 16) >= 0
    (spoken,) = json_log.of("zoneos.tests.jobs")
    assert spoken["message"] == "the view speaks\nover two lines"  # one JSON line, newline escaped
    assert spoken["request_id"] == request_id
    assert spoken["level"] == "WARNING" and spoken["method"] == "GET" and spoken["path"] == "/tests/speak/"
    assert spoken["time"].endswith("+00:00")
    assert all(line.startswith("{") for line in json_log.lines)


def test_a_well_formed_request_id_from_the_proxy_is_kept(db, client, json_log):
    given = "3f6c1e0a-9d2b-4c39-8a57-0c1e2d3f4a5b"
    response = client.get("/tests/speak/", HTTP_X_REQUEST_ID=given)
    assert response["X-Request-ID"] == given
    assert json_log.of("zoneos.tests.jobs")[0]["request_id"] == given


@pytest.mark.parametrize(
    "hostile",
    [
        "abc123de\nforged: log line",
        "x" * 10_000,
        "short",
        "请求编号一二三四五六",
        "abcdefgh abcdefgh",
        "-leading-dash-1234",
    ],
    ids=["newline", "10 KB", "too short", "not ascii", "space", "leading dash"],
)
def test_a_malformed_request_id_is_replaced(db, client, json_log, hostile):
    response = client.get("/tests/speak/", HTTP_X_REQUEST_ID=hostile)
    replaced = response["X-Request-ID"]
    assert replaced != hostile and len(replaced) == 32
    assert json_log.of("zoneos.tests.jobs")[0]["request_id"] == replaced
    assert hostile not in json_log.stream.getvalue()


def test_one_access_line_per_request_without_the_query_string(client, world, json_log):
    client.force_login(world.admin)
    response = client.get("/enterprises/", {"q": "张三 13800000000"})
    (access,) = json_log.of("zoneos.access")
    assert access["request_id"] == response["X-Request-ID"]
    assert access["method"] == "GET" and access["path"] == "/enterprises/" and access["status"] == 200
    assert access["user_id"] == world.admin.pk and access["route"] == "enterprises:list"
    assert isinstance(access["duration_ms"], float) and access["duration_ms"] > 0
    assert "13800000000" not in json_log.stream.getvalue()


def test_an_unexpected_error_is_logged_with_its_traceback_and_request_id(db, json_log):
    response = Client(raise_request_exception=False).get("/tests/crash/")
    assert response.status_code == 500
    (error,) = [e for e in json_log.of("django.request") if e["level"] == "ERROR"]
    assert error["request_id"] == response["X-Request-ID"]
    assert error["exception"].startswith("Traceback")
    assert "ValueError: the view failed on purpose" in error["exception"]
    (access,) = json_log.of("zoneos.access")
    assert access["status"] == 500 and access["request_id"] == response["X-Request-ID"]


def test_a_task_queued_by_a_request_logs_the_requests_id_when_the_worker_runs_it(
    db, client, settings, json_log
):
    settings.TASKS = DB_TASKS
    response = client.get("/tests/speak/")
    (row,) = DBTaskResult.objects.filter(task_path="zoneos.observability.tests.jobs.say")
    assert row.args_kwargs == {"args": ["hello"], "kwargs": {ARGUMENT: response["X-Request-ID"]}}

    run_in_the_worker(row)
    row.refresh_from_db()
    assert row.status == "SUCCESSFUL"  # the function ran without the id among its arguments
    said = [e for e in json_log.of("zoneos.tests.jobs") if e["message"] == "the task says hello"]
    assert [e["request_id"] for e in said] == [response["X-Request-ID"]]
    assert said[0]["task"] == "zoneos.observability.tests.jobs.say" and "path" not in said[0]


def test_the_workers_line_about_a_failed_task_carries_the_request_id(db, settings, json_log):
    from zoneos.observability.context import Context, bound

    from . import jobs

    settings.TASKS = DB_TASKS
    with bound(Context(request_id="f" * 32)):
        result = jobs.fail.enqueue()
    run_in_the_worker(DBTaskResult.objects.get(pk=result.id))
    (failed,) = [e for e in json_log.of("django_tasks") if e["level"] == "ERROR"]
    assert failed["request_id"] == "f" * 32
    assert "RuntimeError: the task failed on purpose" in failed["exception"]


def test_a_task_run_immediately_keeps_the_request_id(db, client, settings, json_log):
    settings.TASKS = IMMEDIATE
    response = client.get("/tests/speak/")
    said = [e for e in json_log.of("zoneos.tests.jobs") if e["message"] == "the task says hello"]
    assert [e["request_id"] for e in said] == [response["X-Request-ID"]]


def test_an_async_task_keeps_the_request_id(db, settings, json_log):
    from zoneos.observability.context import Context, bound

    from . import jobs

    settings.TASKS = IMMEDIATE
    with bound(Context(request_id="a" * 32)):
        jobs.say_later.enqueue("soon")
    (said,) = json_log.of("zoneos.tests.jobs")
    assert said["message"] == "the async task says soon" and said["request_id"] == "a" * 32


def test_a_task_queued_outside_a_request_runs_under_an_id_of_its_own(db, settings, json_log):
    from . import jobs

    settings.TASKS = IMMEDIATE
    jobs.say.enqueue("alone")
    jobs.say.enqueue("again")
    ids = [e["request_id"] for e in json_log.of("zoneos.tests.jobs")]
    assert len(ids) == 2 and len(set(ids)) == 2 and all(len(i) == 32 for i in ids)


def test_every_task_of_zoneos_carries_the_request_id():
    """Every app's tasks are made with `zoneos.observability.tasks.task`, not django_tasks' own: found
    in each ZoneOS app's `tasks` module, so a new one is checked without touching this test."""
    import importlib
    import importlib.util

    from django.apps import apps
    from django_tasks.base import Task

    found = {}
    for config in apps.get_app_configs():
        module_name = f"{config.name}.tasks"
        if config.name.startswith("zoneos.") and importlib.util.find_spec(module_name):
            module = importlib.import_module(module_name)
            found.update({f"{module_name}.{n}": v for n, v in vars(module).items() if isinstance(v, Task)})
    assert {"zoneos.tabular.tasks.check_import", "zoneos.notifications.tasks.deliver"} <= set(found)
    assert [name for name, t in found.items() if not isinstance(t, TracedTask)] == []


def test_new_request_ids_differ():
    assert len({new_request_id() for _ in range(1000)}) == 1000


@pytest.mark.parametrize(("env", "expected"), [({}, "json"), ({"ZONEOS_LOG_FORMAT": "text"}, "text")])
def test_production_writes_json_unless_told_otherwise(env, expected, tmp_path):
    production = {
        "ZONEOS_ENV": "production",
        "SECRET_KEY": "k" * 50,
        "ALLOWED_HOSTS": "zoneos.example.cn",
        "ZONEOS_SITE_URL": "https://zoneos.example.cn",
        "DATABASE_URL": "sqlite:///" + str(tmp_path / "db.sqlite3"),
        "DJANGO_SETTINGS_MODULE": "zoneos.settings",
        **env,
    }
    script = (
        "import django, logging; django.setup(); "
        "logging.getLogger('zoneos.check').warning('written in production')"
    )
    keep = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "ZONEOS_LOG_FORMAT"}}
    done = subprocess.run(
        [sys.executable, "-c", script],
        env={**keep, **production},
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    (line,) = done.stderr.splitlines()
    if expected == "json":
        entry = json.loads(line)
        assert entry["logger"] == "zoneos.check" and entry["message"] == "written in production"
    else:
        assert line.endswith("WARNING zoneos.check [-] written in production")


def test_an_upload_queues_its_check_with_the_uploads_request_id(world, api, settings, monkeypatch, json_log):
    """The real enqueue site (after the upload's transaction commits) carries the id; the worker's
    lines about the check carry it too."""
    from django.db import transaction

    from zoneos.tabular import services
    from zoneos.tabular.tests.test_imports import GOOD, csv_file

    monkeypatch.setattr(services, "INLINE_ROWS", 1)  # to the worker, whatever the file's length
    # In production the upload's transaction commits within the request, and its callbacks run there;
    # the test's own transaction never commits, so they run at once, within the request as well.
    monkeypatch.setattr(transaction, "on_commit", lambda callback, using=None, robust=False: callback())
    settings.TASKS = DB_TASKS
    response = api(world.park_staff).post(
        "/api/v1/imports/", {"kind": "enterprises", "file": csv_file(GOOD)}, format="multipart"
    )
    assert response.status_code == 201
    (row,) = DBTaskResult.objects.filter(task_path="zoneos.tabular.tasks.check_import")
    assert row.args_kwargs["kwargs"] == {ARGUMENT: response["X-Request-ID"]}

    run_in_the_worker(row)
    row.refresh_from_db()
    assert row.status == "SUCCESSFUL"
    (finished,) = [e for e in json_log.of("django_tasks") if "SUCCESSFUL" in e["message"]]
    assert finished["request_id"] == response["X-Request-ID"]
    assert finished["task"] == "zoneos.tabular.tasks.check_import"
