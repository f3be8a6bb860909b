"""The catalogue is reference data: the admin lists it, read-only. Screenings are case data and
are not in the admin."""

from __future__ import annotations

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from screening.models import CatalogueVersion, Indicator


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False  # loaded from fixtures/ with `manage.py load_catalogue`

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False


class IndicatorInline(admin.TabularInline):
    model = Indicator
    fields = ("code", "heading", "text", "kind", "occ_list")
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ["heading__position", "position"]

    def has_add_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False


@admin.register(CatalogueVersion)
class CatalogueVersionAdmin(_ReadOnly):
    list_display = ["number", "title", "loaded_at"]
    fields = ("number", "title", "source", "loaded_at")
    readonly_fields = fields
    inlines = [IndicatorInline]
