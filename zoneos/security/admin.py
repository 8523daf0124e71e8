"""API tokens and security events in the back office, read-only: tokens change through the tokens
page and API (their services log the change), events only by the platform."""

from django.contrib import admin

from zoneos.core.admin import ReadOnlyAdmin

from .models import ApiToken, SecurityEvent


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ["name", "user", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at", "expires_at"]
    search_fields = ["name", "prefix", "user__username"]
    list_select_related = ["user"]
    exclude = ["hash"]


@admin.register(SecurityEvent)
class SecurityEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "kind", "username", "address", "path"]
    list_filter = ["kind", "at"]
    search_fields = ["username", "address", "path"]
    date_hierarchy = "at"
