from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from .models import Membership, User


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "user"
    extra = 0
    autocomplete_fields = ["area", "department", "enterprise"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (*DjangoUserAdmin.fieldsets, ("ZoneOS", {"fields": ("display_name", "home_area")}))
    list_display = ["username", "display_name", "email", "is_active", "is_superuser"]
    search_fields = ["username", "display_name", "email"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "area", "department", "enterprise", "is_head"]
    list_filter = ["role"]
    autocomplete_fields = ["user", "area", "department", "enterprise"]
