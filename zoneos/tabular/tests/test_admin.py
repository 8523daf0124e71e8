"""Import jobs are written by the import engine only: the admin refuses to add, change or delete one."""

import pytest
from django.core.files.base import ContentFile

from zoneos.core.tests.test_admin import admin_client, assert_refused
from zoneos.tabular import registry
from zoneos.tabular.models import ImportJob

pytestmark = pytest.mark.django_db


def test_import_jobs_are_read_only_in_the_admin(module_world, db):
    w = module_world
    job = ImportJob(kind=registry.choices()[0][0], original_name="a.csv", created_by=w.root)
    job.file.save("a.csv", ContentFile(b"name\n"), save=False)
    job.save()
    assert_refused(admin_client(w.root), job)
