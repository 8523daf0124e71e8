"""Import jobs are written by the import engine (`services.start_import`, `commit_import`): read-only."""

from django.contrib import admin

from zoneos.core.admin import ReadOnlyAdmin

from .models import ImportJob


@admin.register(ImportJob)
class ImportJobAdmin(ReadOnlyAdmin):
    list_display = ["original_name", "kind", "status", "total_rows", "error_count", "created_by"]
    list_filter = ["kind", "status"]
