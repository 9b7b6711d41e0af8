"""Security and judicial bodies, NGOs and media."""

from __future__ import annotations

from django.contrib import admin

from vigil.organizations.models import Organization
from vigil.staff.admin import StaffAdmin


@admin.register(Organization)
class OrganizationAdmin(StaffAdmin):
    list_display = ("name_en", "name_fa", "acronym", "kind", "parent")
    list_filter = ("kind",)
    search_fields = ("name_en", "name_fa", "acronym", "code", "aliases")
    autocomplete_fields = ("parent",)
