"""The admin manages local authorities, agencies, officers and reference data — never case data."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group
from django.db import models
from django.http import HttpRequest

from cse_portal.models import Agency, LocalAuthority, Officer

# Agency groups are managed through agencies; raw groups would invite global permissions.
admin.site.unregister(Group)


@admin.register(LocalAuthority)
class LocalAuthorityAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


class OfficerInline(admin.TabularInline):
    model = Officer
    fields = ("username", "first_name", "last_name", "role", "is_cse_lead", "is_active")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "local_authority", "cse_lead_officer", "is_active"]
    list_filter = ["kind", "local_authority", "is_active"]
    search_fields = ["name"]
    fields = ["name", "kind", "local_authority", "email", "phone", "is_active"]
    inlines = [OfficerInline]

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False  # agencies are deactivated, never deleted: records point at them


@admin.register(Officer)
class OfficerAdmin(UserAdmin):
    list_display = [
        "username",
        "first_name",
        "last_name",
        "agency",
        "role",
        "is_cse_lead",
        "is_active",
    ]
    list_filter = ["agency", "role", "is_cse_lead", "is_active"]
    search_fields = ["username", "first_name", "last_name", "email"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Person", {"fields": ("first_name", "last_name", "email", "phone", "job_title")}),
        ("Agency and role", {"fields": ("agency", "role", "is_cse_lead")}),
        (
            "Status",
            {"fields": ("is_active", "is_staff", "is_superuser", "last_login", "date_joined")},
        ),
    )
    add_fieldsets = (
        (None, {"fields": ("username", "password1", "password2")}),
        ("Person", {"fields": ("first_name", "last_name", "email")}),
        ("Agency and role", {"fields": ("agency", "role", "is_cse_lead")}),
    )
    readonly_fields = ["last_login", "date_joined"]
    # No user_permissions or groups here: case data is reached through involvement only.
    filter_horizontal = ()

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False  # officers are deactivated, never deleted: their work stays attributed
