"""Events, people's involvement in them, and casualties."""

from __future__ import annotations

from django.contrib import admin

from vigil.events.models import Casualty, Event, Involvement
from vigil.staff.admin import (
    RECORD_FILTERS,
    CitationInline,
    StaffAdmin,
    StaffTabularInline,
    date_column,
    related_name_search,
)


class InvolvementInline(StaffTabularInline):
    model = Involvement
    fields = ("person", "role", "note", "confidentiality")
    autocomplete_fields = ("person", "role")


@admin.register(Event)
class EventAdmin(StaffAdmin):
    list_display = (
        "title_en",
        "title_fa",
        "kind",
        date_column("started", Event._meta.get_field("started_on").verbose_name),
        "place",
        "confidentiality",
        "verification",
    )
    list_filter = (
        ("kind", admin.RelatedOnlyFieldListFilter),
        ("tactics", admin.RelatedOnlyFieldListFilter),
        *RECORD_FILTERS,
    )
    search_fields = ("title_en", "title_fa", "description_en", "description_fa")
    autocomplete_fields = ("kind", "part_of", "place", "facility", "university", "actors", "tactics")
    inlines = (InvolvementInline, CitationInline)


@admin.register(Involvement)
class InvolvementAdmin(StaffAdmin):
    list_display = ("person", "role", "event", "confidentiality", "verification")
    list_filter = (("role", admin.RelatedOnlyFieldListFilter), *RECORD_FILTERS)
    search_fields = (*related_name_search("person"), "event__title_en", "event__title_fa")
    folded_name_lookups = ("person__names__match_key",)
    autocomplete_fields = ("person", "event", "role")
    inlines = (CitationInline,)


@admin.register(Casualty)
class CasualtyAdmin(StaffAdmin):
    list_display = (
        "person",
        "kind",
        date_column("occurred", Casualty._meta.get_field("occurred_on").verbose_name),
        "place",
        "event",
        "in_custody",
        "confidentiality",
        "verification",
    )
    list_filter = ("kind", "in_custody", ("cause", admin.RelatedOnlyFieldListFilter), *RECORD_FILTERS)
    search_fields = related_name_search("person")
    folded_name_lookups = ("person__names__match_key",)
    autocomplete_fields = ("person", "place", "event", "cause", "perpetrator")
    inlines = (CitationInline,)
