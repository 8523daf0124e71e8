"""The catalogue in the admin, read-only: changes go through the pages and the API (the services)."""

from django.contrib import admin

from zoneos.core.admin import ReadOnlyAdmin

from .models import DeclaredFact, Parameter, Policy, PolicyItem, Rule


@admin.register(Policy)
class PolicyAdmin(ReadOnlyAdmin):
    list_display = ["title", "document_no", "category", "area", "issued_on"]
    list_filter = ["category"]
    search_fields = ["title", "title_en", "document_no"]


@admin.register(PolicyItem)
class PolicyItemAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "mode", "department", "payment_days", "budget_per_year"]
    list_filter = ["mode"]
    search_fields = ["code", "name", "name_en"]


@admin.register(Rule)
class RuleAdmin(ReadOnlyAdmin):
    list_display = ["item", "effective_from", "effective_to", "status"]
    list_filter = ["status"]
    readonly_fields = ["status", "published_at", "published_by"]


@admin.register(Parameter)
class ParameterAdmin(ReadOnlyAdmin):
    list_display = ["code", "value", "valid_from", "valid_to", "source", "last_verified"]


@admin.register(DeclaredFact)
class DeclaredFactAdmin(ReadOnlyAdmin):
    list_display = ["enterprise", "variable", "year", "value", "verified_by"]
    list_filter = ["variable"]
