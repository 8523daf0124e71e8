"""The steps of `test_interrupted.py` that run in their own processes, against the file database named
by DATABASE_URL, with the cache and media under ZONEOS_VAR_DIR (the worker itself is `db_worker`):

    python -m zoneos.tabular.tests.interrupted_import prepare ROWS
        queue the commit of a file of ROWS new enterprises for the worker
    python -m zoneos.tabular.tests.interrupted_import work HALFWAY
        the worker (`db_worker`, one task): once the commit has written its first chunk, inside its
        transaction, it creates the file HALFWAY and waits there to be killed
    python -m zoneos.tabular.tests.interrupted_import rerun JOB NOT_BEFORE
        from the time.time() NOT_BEFORE on: the job as the API shows it, then run again through the API

Each prints one line of JSON.
"""

import json
import os
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zoneos.settings")
django.setup()

from django.core.files.base import ContentFile  # noqa: E402

from zoneos.accounts.models import Membership, User  # noqa: E402
from zoneos.areas.models import AreaKind  # noqa: E402
from zoneos.core.codes import build_uscc  # noqa: E402
from zoneos.core.roles import Role  # noqa: E402
from zoneos.enterprises.models import Enterprise  # noqa: E402
from zoneos.tabular import engine, services  # noqa: E402
from zoneos.tabular.models import ImportJob, ImportStatus  # noqa: E402
from zoneos.testing.factories import AreaFactory  # noqa: E402

PREFIX = "MK"  # the organisation codes of the file's enterprises, so that they can be counted


def prepare(rows: int) -> dict:
    zone = AreaFactory(code="KZ", name="杀进程高新区", kind=AreaKind.ZONE)
    park = AreaFactory(code="KP", name="杀进程园", parent=zone)
    user = User.objects.create(username="importer")
    Membership.objects.create(user=user, role=Role.PARK_STAFF, area=park)
    lines = ["统一社会信用代码,企业名称,所在园区"]
    lines += [
        f"{build_uscc('9', '1', '440605', f'{PREFIX}{n:06d}')},杀进程测试企业{n}号,KP" for n in range(rows)
    ]
    content = ContentFile(("\n".join(lines) + "\n").encode(), name="big.csv")
    job = ImportJob.objects.create(kind="enterprises", file=content, original_name="big.csv", created_by=user)
    # Checked as a dry run would leave it: the commit checks every row again anyway.
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.READY, total_rows=rows)
    job.refresh_from_db()
    services.commit_import(job, by=user)  # queued for the worker: ZONEOS_IMPORT_INLINE_ROWS is below ROWS
    return {"job": job.pk, "status": ImportJob.objects.get(pk=job.pk).status}


class _StopsHalfway:
    """The cache the import engine reports its progress to, which holds the worker after the first chunk.

    The test then kills a worker that is certainly in the middle of its transaction, whatever the speed
    of the machine; polling the progress from outside could miss the moment on a loaded one."""

    def __init__(self, cache, halfway: str):
        self._cache, self._halfway = cache, halfway

    def __getattr__(self, name):
        return getattr(self._cache, name)

    def set(self, key, value, *args, **kwargs):
        self._cache.set(key, value, *args, **kwargs)
        if key.startswith("zoneos:import:") and key.endswith(":progress"):
            with open(self._halfway + ".part", "w") as reached:
                reached.write(str(value))
            os.replace(self._halfway + ".part", self._halfway)  # whole, or not there
            while True:
                time.sleep(60)


def work(halfway: str) -> dict:
    from django.core.management import call_command

    engine.cache = _StopsHalfway(engine.cache, halfway)
    call_command("db_worker", "--max-tasks", "1", "--interval", "0.05", "--no-reload", "--no-startup-delay")
    return {"worker": "stopped"}


def _client():
    from rest_framework.test import APIClient

    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(User.objects.get(username="importer"))
    return client


def _written() -> int:
    return Enterprise.objects.filter(uscc__contains=PREFIX).count()


def rerun(job_id: int, not_before: float) -> dict:
    time.sleep(max(0.0, not_before - time.time()))  # the killed worker's lease has run out by then
    client = _client()
    shown = client.get(f"/api/v1/imports/{job_id}/").json()
    before = {"status": shown["status"], "reason": shown["reason"], "written": _written()}
    response = client.post(f"/api/v1/imports/{job_id}/rerun/")
    shown = response.json()
    after = {"code": response.status_code, "status": shown.get("status"), "created": shown.get("created")}
    return {"before": before, "after": {**after, "written": _written()}}


if __name__ == "__main__":
    if sys.argv[1] == "prepare":
        answer = prepare(int(sys.argv[2]))
    elif sys.argv[1] == "work":
        answer = work(sys.argv[2])
    else:
        answer = rerun(int(sys.argv[2]), float(sys.argv[3]))
    print(json.dumps(answer), flush=True)
