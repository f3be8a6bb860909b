"""Referrals are case data: the admin manages reference data only, never case records. Of
this app it shows the CSE2 assessment tools (read-only: loaded from `fixtures/` with
`manage.py load_assessment_tool`) and each local authority's choice of tool."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest
from django.utils import timezone

from referrals.models import AssessmentTool, AuthorityAssessmentTool, ToolIndicator, ToolOutcome


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False


class ToolOutcomeInline(_ReadOnlyInline):
    model = ToolOutcome
    fields = ("rank", "code", "label", "kind", "description", "response")
    readonly_fields = fields


class ToolIndicatorInline(_ReadOnlyInline):
    model = ToolIndicator
    fields = ("code", "domain", "text", "level", "category", "recency_bands", "note")
    readonly_fields = fields
    ordering = ["domain__position", "position"]


@admin.register(AssessmentTool)
class AssessmentToolAdmin(admin.ModelAdmin):
    list_display = ["title", "code", "version", "loaded_at"]
    fields = ("code", "version", "title", "source", "notes", "rule", "loaded_at")
    readonly_fields = fields
    inlines = [ToolOutcomeInline, ToolIndicatorInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # loaded from fixtures/ with `manage.py load_assessment_tool`

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False


@admin.register(AuthorityAssessmentTool)
class AuthorityAssessmentToolAdmin(admin.ModelAdmin):
    """An administrator chooses the tool per local authority; without a choice an authority
    uses the newest SERA. Every choice is kept in the history, naming who made it."""

    list_display = ["local_authority", "tool", "chosen_by", "chosen_at"]
    list_select_related = ["local_authority", "tool", "chosen_by"]
    fields = ("local_authority", "tool", "chosen_by", "chosen_at")
    readonly_fields = ("chosen_by", "chosen_at")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        # The authority is fixed once chosen for: changing it would move another's choice.
        return (*self.readonly_fields, "local_authority") if obj else self.readonly_fields

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        # The history rows name the administrator too (pghistory's middleware).
        obj.chosen_by = request.user
        obj.chosen_at = timezone.now()
        super().save_model(request, obj, form, change)
