"""Vocabularies: bilingual terms that administrators extend (documenters pick them, searching either language)."""

from __future__ import annotations

from django.contrib import admin

from vigil.core.models import Term
from vigil.staff.admin import StaffAdmin


@admin.register(Term)
class TermAdmin(StaffAdmin):
    list_display = ("name_en", "name_fa", "vocabulary", "code", "active")
    list_filter = ("vocabulary", "active")
    search_fields = ("name_en", "name_fa", "code")
    ordering = ("vocabulary", "name_en")
