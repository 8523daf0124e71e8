"""The commit takes the rows its dry run cleaned (`zoneos.tabular.carry`) only while nothing they were
cleaned from has changed, and checks them against the registry again inside its transaction."""

import datetime
import gc

import pytest
from auditlog.models import LogEntry
from django.core.files.base import ContentFile

from zoneos.enterprises.imports import EnterpriseSpec
from zoneos.enterprises.models import Enterprise
from zoneos.tabular import engine
from zoneos.tabular.models import ImportJob
from zoneos.testing.factories import EnterpriseFactory

from .test_imports import code, csv_file, upload

pytestmark = pytest.mark.django_db

SHEET = f"""统一社会信用代码,企业名称,所在园区,行业代码,资本来源,外资国别,注册资本（万元）,成立日期,状态
{code(1)},佛山万泽激光科技有限公司,一号园,3976,内资,,500,2005年3月,在营
{code(2)},佛山东信汽车零部件有限公司,P1,C3670,外资,德国,"1,200.5",2019-07-01,
"""


def never(*args, **kwargs):
    raise AssertionError("the commit read and cleaned the file again")


def counting(monkeypatch):
    calls = []
    clean = EnterpriseSpec.clean_chunk

    def spy(self, rows, state):
        calls.append(len(rows))
        return clean(self, rows, state)

    monkeypatch.setattr(EnterpriseSpec, "clean_chunk", spy)
    return calls


def test_the_commit_writes_the_rows_the_dry_run_cleaned(
    world, api, monkeypatch, django_capture_on_commit_callbacks
):
    client = api(world.park_staff)
    job = upload(client, "enterprises", csv_file(SHEET))
    assert job["status"] == "ready", job["errors"]
    stored = ImportJob.objects.get(pk=job["id"])
    assert stored.checked_file and len(stored.checked_key) == 64
    checked = stored.checked_file.name

    monkeypatch.setattr(EnterpriseSpec, "clean_chunk", never)
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(f"/api/v1/imports/{job['id']}/commit/").json()
    assert done["status"] == "committed" and done["created"] == 2, done
    laser = Enterprise.objects.get(uscc=code(1))
    assert laser.area == world.P1 and laser.registered_capital == 5_000_000
    assert laser.registered_on == datetime.date(2005, 3, 1) and laser.status == "active"
    assert laser.name_initials == "fswzjgkjyxgs" and laser.industry_section == "C"
    parts = Enterprise.objects.get(uscc=code(2))
    assert parts.registered_capital == 12_005_000 and parts.capital_country == "DE"
    assert parts.capital_origin == "foreign" and parts.industry_code == "3670"
    entry = LogEntry.objects.get_for_object(laser).get()
    assert entry.actor == world.park_staff and entry.changes["area"] == [None, world.P1.pk]
    assert entry.changes["registered_on"] == [None, "2005-03-01"]
    stored.refresh_from_db()
    assert not stored.checked_file and stored.checked_key == ""
    assert not stored.file.storage.exists(checked)  # the rows file goes once the commit is in


def test_the_carried_rows_are_checked_against_the_registry_as_it_is_at_the_commit(world, api, monkeypatch):
    client = api(world.park_staff)
    job = upload(client, "enterprises", csv_file(SHEET))
    assert job["status"] == "ready" and job["created"] == 2
    # Meanwhile someone registers the first code in a park the importer does not keep.
    EnterpriseFactory(uscc=code(1), area=world.P3, name="三号园企业")

    monkeypatch.setattr(EnterpriseSpec, "clean_chunk", never)  # the carried rows are used...
    done = client.post(f"/api/v1/imports/{job['id']}/commit/").json()
    assert done["status"] == "invalid"  # ...and checked again: nothing is written
    assert [(e["row"], e["column"]) for e in done["errors"]] == [(2, "统一社会信用代码")]
    assert not Enterprise.objects.filter(uscc=code(2)).exists()
    assert Enterprise.objects.get(uscc=code(1)).name == "三号园企业"


def _change_area(world, job):
    world.P1.name = "一号科技园"  # "一号园" no longer names it the same way
    world.P1.save()


def _change_rows_file(world, job):
    with job.checked_file.storage.open(job.checked_file.name, "ab") as handle:
        handle.write(b"\0")


def _change_upload(world, job):
    job.file.storage.delete(job.file.name)
    job.file.storage.save(job.file.name, ContentFile(SHEET.replace("500", "600").encode("utf-8-sig")))


def _change_mapping(world, job):
    job.mapping = {**job.mapping, "columns": {"7": {"field": ""}}}
    job.save()


@pytest.mark.parametrize("change", [_change_area, _change_rows_file, _change_upload, _change_mapping])
def test_the_commit_cleans_the_file_again_when_anything_the_rows_came_from_changed(
    world, api, monkeypatch, change
):
    client = api(world.park_staff)
    job = upload(client, "enterprises", csv_file(SHEET))
    assert job["status"] == "ready"
    change(world, ImportJob.objects.get(pk=job["id"]))

    cleaned = counting(monkeypatch)
    done = client.post(f"/api/v1/imports/{job['id']}/commit/").json()
    assert cleaned == [2]  # the file was read and cleaned again
    laser = Enterprise.objects.filter(uscc=code(1)).first()
    if change is _change_area:  # the park's old name is no longer known: the row is refused
        assert done["status"] == "invalid" and laser is None
    elif change is _change_upload:
        assert done["status"] == "committed" and laser.registered_capital == 6_000_000
    elif change is _change_mapping:  # the date column is no longer read
        assert done["status"] == "committed" and laser.registered_on is None
    else:
        assert done["status"] == "committed" and laser.registered_capital == 5_000_000


def test_a_dry_run_that_finds_errors_keeps_no_rows(world, api):
    client = api(world.park_staff)
    job = upload(client, "enterprises", csv_file(SHEET.replace("3976", "99")))
    assert job["status"] == "invalid"
    stored = ImportJob.objects.get(pk=job["id"])
    assert not stored.checked_file and stored.checked_key == ""


def test_a_second_dry_run_replaces_the_rows_of_the_first(world, api, monkeypatch):
    client = api(world.park_staff)
    job = upload(client, "enterprises", csv_file(SHEET))
    stored = ImportJob.objects.get(pk=job["id"])
    folder = stored.checked_file.name.rsplit("/", 1)[0]
    engine.run(stored, commit=False)
    assert stored.status == "ready" and stored.checked_file
    assert len(stored.checked_file.storage.listdir(folder)[1]) == 1
    monkeypatch.setattr(EnterpriseSpec, "clean_chunk", never)
    assert client.post(f"/api/v1/imports/{job['id']}/commit/").json()["status"] == "committed"


def test_a_run_leaves_the_process_objects_out_of_collections_and_gives_them_back(world, api, monkeypatch):
    seen = []
    verify = EnterpriseSpec.verify_chunk

    def spy(self, rows, state, by):
        seen.append(gc.get_freeze_count())
        return verify(self, rows, state, by)

    monkeypatch.setattr(EnterpriseSpec, "verify_chunk", spy)
    before = gc.get_freeze_count()
    job = upload(api(world.park_staff), "enterprises", csv_file(SHEET))
    assert job["status"] == "ready" and seen and seen[0] > 0
    assert gc.get_freeze_count() == before
