"""The gazetteer: places, facilities (prisons, detention centres, wards) and universities."""

from __future__ import annotations

from django.contrib import admin

from vigil.places.models import Facility, Place, University
from vigil.staff.admin import StaffAdmin


@admin.register(Place)
class PlaceAdmin(StaffAdmin):
    list_display = ("name_en", "name_fa", "kind", "parent", "code")
    list_filter = ("kind", "is_capital")
    search_fields = ("name_en", "name_fa", "code", "aliases")
    autocomplete_fields = ("parent",)


@admin.register(Facility)
class FacilityAdmin(StaffAdmin):
    list_display = ("name_en", "name_fa", "kind", "place", "operator", "known_for_executions")
    list_filter = ("kind", "known_for_executions")
    search_fields = ("name_en", "name_fa", "code", "aliases")
    autocomplete_fields = ("parent", "place", "operator")


@admin.register(University)
class UniversityAdmin(StaffAdmin):
    list_display = ("name_en", "name_fa", "place", "code")
    search_fields = ("name_en", "name_fa", "code", "aliases")
    autocomplete_fields = ("place",)
