"""Imports that go wrong: a crash while checking or importing leaves the job failed with a readable
reason (the traceback only in the log) and nothing written; a job whose worker died reads as
interrupted; either can be run again, by whoever may run the job's other actions."""

import logging
from urllib.parse import quote

import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured

from zoneos.enterprises.imports import EnterpriseSpec
from zoneos.enterprises.models import Enterprise
from zoneos.tabular import engine, lease, registry, services
from zoneos.tabular.models import ImportJob, ImportStatus

from .test_imports import GOOD, code, csv_file, upload

pytestmark = pytest.mark.django_db


def explode(*args, **kwargs):
    raise RuntimeError("the lookup service went away\nsecond line never shown")


def test_a_crash_while_checking_fails_the_job_with_a_reason_and_the_traceback_in_the_log(
    world, api, monkeypatch, caplog
):
    client = api(world.park_staff)
    monkeypatch.setattr(EnterpriseSpec, "verify_chunk", explode)
    with caplog.at_level(logging.ERROR, logger="zoneos.tabular.engine"):
        job = upload(client, "enterprises", csv_file(GOOD))
    assert job["status"] == "failed"
    assert "RuntimeError: the lookup service went away" in job["reason"]
    assert "second line" not in job["reason"] and "Traceback" not in job["reason"]
    logged = next(r for r in caplog.records if r.name == "zoneos.tabular.engine")
    assert logged.exc_info and logged.exc_info[0] is RuntimeError  # the whole traceback is logged

    # Once the cause is gone, the same upload is checked again, not uploaded again.
    monkeypatch.undo()
    again = client.post(f"/api/v1/imports/{job['id']}/rerun/")
    assert again.status_code == 200, again.content
    assert again.json()["status"] == "ready" and again.json()["reason"] == ""
    assert again.json()["created"] == 2
    assert not Enterprise.objects.filter(uscc=code(1)).exists()


def test_a_crash_while_importing_writes_nothing_and_the_import_can_be_run_again(world, api, monkeypatch):
    client = api(world.park_staff)
    job = upload(client, "enterprises", csv_file(GOOD))
    write = EnterpriseSpec.write_chunk

    def write_then_fail(self, *args):
        write(self, *args)  # the rows are in the transaction when the writer fails
        raise ValueError("disk full")

    monkeypatch.setattr(EnterpriseSpec, "write_chunk", write_then_fail)
    failed = client.post(f"/api/v1/imports/{job['id']}/commit/")
    assert failed.status_code == 200
    assert failed.json()["status"] == "failed" and "ValueError: disk full" in failed.json()["reason"]
    assert not Enterprise.objects.filter(uscc__in=[code(1), code(2)]).exists()
    read = client.get(f"/api/v1/imports/{job['id']}/").json()
    assert (read["status"], read["reason"]) == ("failed", failed.json()["reason"])

    monkeypatch.undo()
    done = client.post(f"/api/v1/imports/{job['id']}/rerun/").json()
    assert done["status"] == "committed" and done["created"] == 2  # the commit, not a new dry run
    assert Enterprise.objects.filter(uscc__in=[code(1), code(2)]).count() == 2
    assert client.post(f"/api/v1/imports/{job['id']}/rerun/").status_code == 409


def test_a_file_that_failed_before_its_rows_were_counted_is_read_again_in_full(world, api, monkeypatch):
    client = api(world.park_staff)
    monkeypatch.setattr(engine, "open_table", explode)
    job = upload(client, "enterprises", csv_file(GOOD))
    assert job["status"] == "failed" and job["total_rows"] == 0
    monkeypatch.undo()
    again = client.post(f"/api/v1/imports/{job['id']}/rerun/").json()
    assert (again["status"], again["total_rows"], again["created"]) == ("ready", 2, 2)


def test_a_file_that_cannot_be_opened_any_more_fails_the_commit(world, api):
    client = api(world.park_staff)
    job = upload(client, "enterprises", csv_file(GOOD))
    stored = ImportJob.objects.get(pk=job["id"])
    stored.file.storage.delete(stored.file.name)  # e.g. the media volume was not mounted on the worker
    failed = client.post(f"/api/v1/imports/{job['id']}/commit/").json()
    assert failed["status"] == "failed" and "FileNotFoundError" in failed["reason"]


def test_the_page_of_a_failed_import_shows_the_reason_and_runs_it_again(world, client, monkeypatch):
    client.force_login(world.park_staff)
    monkeypatch.setattr(EnterpriseSpec, "verify_chunk", explode)
    response = client.post("/imports/", {"kind": "enterprises", "file": csv_file(GOOD)})
    job = ImportJob.objects.get(pk=int(response.url.rstrip("/").rsplit("/", 1)[1]))
    page = client.get(job.get_absolute_url()).content.decode()
    assert 'data-status="failed"' in page and "the lookup service went away" in page
    assert f'action="/imports/{job.pk}/rerun/"' in page

    monkeypatch.undo()
    assert client.post(f"/imports/{job.pk}/rerun/").url == job.get_absolute_url()
    job.refresh_from_db()
    assert (
        job.status == "ready" and 'data-status="ready"' in client.get(job.get_absolute_url()).content.decode()
    )


def _as_if_a_worker_died(job_id: int, status=ImportStatus.COMMITTING) -> ImportJob:
    """What a worker killed mid-run leaves: the job running at a new attempt, with no live lease."""
    job = ImportJob.objects.get(pk=job_id)
    ImportJob.objects.filter(pk=job_id).update(status=status, attempt=job.attempt + 1, phase="commit")
    return ImportJob.objects.get(pk=job_id)


def test_a_job_whose_worker_died_reads_as_interrupted_and_can_be_run_again(world, api):
    client = api(world.park_staff)
    job = upload(client, "enterprises", csv_file(GOOD))
    stuck = _as_if_a_worker_died(job["id"])
    cache.set(lease.key(stuck.pk, stuck.attempt), 1, 60)  # while the worker renews its lease: running
    assert client.get(f"/api/v1/imports/{job['id']}/").json()["status"] == "committing"
    assert client.post(f"/api/v1/imports/{job['id']}/rerun/").status_code == 409

    cache.delete(lease.key(stuck.pk, stuck.attempt))  # the lease expired
    read = client.get(f"/api/v1/imports/{job['id']}/").json()
    assert read["status"] == "interrupted" and "stopped before it finished" in read["reason"]
    listed = client.get("/api/v1/imports/").json()["results"][0]
    assert listed["status"] == "interrupted"

    done = client.post(f"/api/v1/imports/{job['id']}/rerun/").json()
    assert done["status"] == "committed" and Enterprise.objects.filter(uscc=code(1)).exists()


def test_a_run_is_not_interrupted_while_it_is_alive(world, api):
    client = api(world.park_staff)
    job = ImportJob.objects.get(pk=upload(client, "enterprises", csv_file(GOOD))["id"])
    services._claim(job, status=ImportStatus.READY, phase="commit")
    seen = []
    engine.run(
        job, commit=True, on_progress=lambda n: seen.append(ImportJob.objects.get(pk=job.pk).current_status)
    )
    assert seen == ["committing"]
    assert job.status == "committed" and not lease.alive(job.pk, job.attempt)


def test_a_run_taken_over_by_a_rerun_writes_nothing(world, api, monkeypatch):
    """A run given up for dead (its lease lost) may still be alive: once the job was run again, none of
    its records and none of its outcome may land."""
    client = api(world.park_staff)
    job = ImportJob.objects.get(pk=upload(client, "enterprises", csv_file(GOOD))["id"])
    services._claim(job, status=ImportStatus.READY, phase="commit")
    start = EnterpriseSpec.start

    def rerun_meanwhile(self, *args, **kwargs):
        # Another process claims the job for a new attempt while this run goes on to write every row.
        ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.QUEUED, attempt=job.attempt + 1)
        return start(self, *args, **kwargs)

    monkeypatch.setattr(EnterpriseSpec, "start", rerun_meanwhile)
    engine.run(job, commit=True)
    assert not Enterprise.objects.filter(uscc=code(1)).exists()
    assert (job.status, job.attempt) == (ImportStatus.QUEUED, 2)  # as the re-run left it


def test_a_task_queued_for_an_earlier_attempt_does_nothing(world, api, settings):
    from zoneos.tabular import tasks

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    job = ImportJob.objects.get(pk=upload(api(world.park_staff), "enterprises", csv_file(GOOD))["id"])
    services._claim(job, status=ImportStatus.READY, phase="commit")
    tasks.commit_import.enqueue(job.pk, job.attempt - 1)
    assert ImportJob.objects.get(pk=job.pk).status == ImportStatus.QUEUED
    tasks.commit_import.enqueue(job.pk, job.attempt)
    assert ImportJob.objects.get(pk=job.pk).status == ImportStatus.COMMITTED


def test_only_a_failed_or_interrupted_import_is_run_again_and_only_by_its_owner(world, api, monkeypatch):
    owner = api(world.park_staff)
    job = upload(owner, "enterprises", csv_file(GOOD))
    response = owner.post(f"/api/v1/imports/{job['id']}/rerun/")
    assert response.status_code == 409 and "failed or was interrupted" in response.json()["detail"]
    _as_if_a_worker_died(job["id"])
    assert api(world.statistician).post(f"/api/v1/imports/{job['id']}/rerun/").status_code == 404
    assert api().post(f"/api/v1/imports/{job['id']}/rerun/").status_code == 401
    assert ImportJob.objects.get(pk=job["id"]).status == ImportStatus.COMMITTING  # untouched


def test_kinds_and_their_labels_come_from_the_registry(world, api, client):
    assert [k for k, _ in registry.choices()] == [
        "enterprises",
        "indicators",
        "projects",
        "monthly_reports",
        "chain_candidates",
        "platform_years",
    ]
    refused = api(world.park_staff).post(
        "/api/v1/imports/", {"kind": "spaceships", "file": csv_file(GOOD)}, format="multipart"
    )
    assert refused.status_code == 400 and "kind" in refused.json()
    template = api(world.park_staff).get("/api/v1/imports/template/", {"kind": "spaceships"})
    assert template.status_code == 400 and "spaceships" in template.json()["kind"][0]
    client.force_login(world.park_staff)
    page = client.get("/imports/").content.decode()
    assert '<option value="monthly_reports">重点项目月报</option>' in page and "?kind=projects" in page
    download = client.get("/imports/template/", {"kind": "projects"})
    assert quote("项目台账-template.xlsx") in download["Content-Disposition"]


def test_a_kind_that_does_not_fit_or_is_declared_twice_is_refused_at_start():
    class Long(EnterpriseSpec):
        kind = "x" * (registry.KIND_LENGTH + 1)

    class Twin(EnterpriseSpec):
        pass

    with pytest.raises(ImproperlyConfigured):
        registry.register(Long(), label="long", file_names=("l", "l"))
    with pytest.raises(ImproperlyConfigured):
        registry.register(Twin(), label="twin", file_names=("t", "t"))
    assert type(registry.get("enterprises").spec) is EnterpriseSpec


def test_tabular_imports_no_module_above_it():
    from pathlib import Path

    root = Path(registry.__file__).parent
    above = ("enterprises", "pipeline", "supervision", "appeals", "policies", "stats", "reports")
    for path in root.rglob("*.py"):
        if "tests" in path.parts:
            continue
        text = path.read_text()
        for app in above:
            assert f"zoneos.{app}" not in text, f"{path.name} imports zoneos.{app}"
