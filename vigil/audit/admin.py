"""The audit log on the staff screens: read-only, for those holding ``audit.view_auditentry``
(administrators)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from vigil.audit.models import AuditEntry
from vigil.staff.moments import MomentsAdmin


@admin.register(AuditEntry)
class AuditEntryAdmin(MomentsAdmin):
    list_display = ("sequence", "at", "actor_name", "action", "object_type", "object_repr", "reason")
    list_filter = ("action", "object_type")
    search_fields = ("actor_name", "object_repr", "object_id", "reason")
    date_hierarchy = "at"
    ordering = ("-sequence",)
    readonly_fields = [field.name for field in AuditEntry._meta.fields]
    list_per_page = 100

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
