"""The admin manages local authorities, agencies, officers and reference data — never case data."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group
from django.db.models import Model
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

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "local_authority", "cse_lead_officer", "is_active"]
    list_filter = ["kind", "local_authority", "is_active"]
    search_fields = ["name"]
    fields = ["name", "kind", "local_authority", "email", "phone", "is_active"]
    inlines = [OfficerInline]

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
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

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> list[str]:
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.pk == request.user.pk:
            # Nobody raises or moves themselves: another administrator must make the change,
            # and it is recorded (Officer's access history) against that administrator.
            fields += ["agency", "role", "is_cse_lead", "is_staff", "is_superuser"]
        return fields

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False  # officers are deactivated, never deleted: their work stays attributed


# The event model pghistory makes from Officer's @pghistory.track (so not importable by name).
OfficerAccessEvent = apps.get_model("cse_portal", "OfficerAccessEvent")


@admin.register(OfficerAccessEvent)
class OfficerAccessEventAdmin(admin.ModelAdmin):
    """Every change of an officer's agency, role or powers, as the database recorded it."""

    list_display = ["pgh_created_at", "pgh_obj", "agency", "role", "is_superuser", "changed_by"]
    list_filter = ["role", "is_superuser"]
    list_select_related = ["pgh_obj", "agency", "pgh_context"]
    search_fields = ["pgh_obj__username", "pgh_obj__last_name"]
    ordering = ["-pgh_created_at", "-pgh_id"]

    @admin.display(description="Changed by")
    def changed_by(self, event: Any) -> str:
        metadata = event.pgh_context.metadata if event.pgh_context else {}
        user_id = metadata.get("user")
        if user_id is None:
            return "(no signed-in user: a command or migration)"
        officer = Officer.objects.filter(pk=user_id).first()
        return str(officer) if officer else f"officer {user_id}"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
