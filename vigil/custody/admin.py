"""Custody: detentions with their transfers and statuses, cases with their stages and sentences, executions.

New detainees are best entered on the one-screen intake ("Add a detainee"); these screens add to and
correct what is recorded.
"""

from __future__ import annotations

from django.contrib import admin

from vigil.custody.models import (
    Case,
    CaseStage,
    Detention,
    Execution,
    Sentence,
    StatusObservation,
    Transfer,
)
from vigil.staff.admin import (
    RECORD_FILTERS,
    CitationInline,
    StaffAdmin,
    StaffTabularInline,
    date_column,
    related_name_search,
)

PERSON_SEARCH = related_name_search("person")
PERSON_FOLDED = ("person__names__match_key",)
DETENTION_SEARCH = related_name_search("detention__person")
DETENTION_FOLDED = ("detention__person__names__match_key",)


class TransferInline(StaffTabularInline):
    model = Transfer
    fields = ("to_facility", "transferred", "note")
    autocomplete_fields = ("to_facility",)


class StatusObservationInline(StaffTabularInline):
    model = StatusObservation
    fields = ("status", "started", "ended", "note", "confidentiality")
    autocomplete_fields = ("status",)


@admin.register(Detention)
class DetentionAdmin(StaffAdmin):
    change_list_template = "staff/detention_change_list.html"
    list_display = (
        "person",
        date_column("arrested", Detention._meta.get_field("arrested_on").verbose_name),
        "arrest_place",
        "arresting_body",
        "facility",
        date_column("released", Detention._meta.get_field("released_on").verbose_name),
        "confidentiality",
        "verification",
    )
    list_filter = (
        *RECORD_FILTERS,
        ("facility", admin.RelatedOnlyFieldListFilter),
        ("arresting_body", admin.RelatedOnlyFieldListFilter),
        ("release_kind", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = PERSON_SEARCH
    folded_name_lookups = PERSON_FOLDED
    autocomplete_fields = ("person", "arrest_place", "arresting_body", "event", "facility", "release_kind")
    inlines = (TransferInline, StatusObservationInline, CitationInline)


@admin.register(Transfer)
class TransferAdmin(StaffAdmin):
    list_display = (
        "detention",
        "to_facility",
        date_column("transferred", Transfer._meta.get_field("transferred_on").verbose_name),
    )
    list_filter = (("to_facility", admin.RelatedOnlyFieldListFilter), *RECORD_FILTERS)
    search_fields = DETENTION_SEARCH
    folded_name_lookups = DETENTION_FOLDED
    autocomplete_fields = ("detention", "to_facility")
    inlines = (CitationInline,)


@admin.register(StatusObservation)
class StatusObservationAdmin(StaffAdmin):
    list_display = (
        "detention",
        "status",
        date_column("started", StatusObservation._meta.get_field("started_on").verbose_name),
        date_column("ended", StatusObservation._meta.get_field("ended_on").verbose_name),
        "confidentiality",
        "verification",
    )
    list_filter = (("status", admin.RelatedOnlyFieldListFilter), *RECORD_FILTERS)
    search_fields = DETENTION_SEARCH
    folded_name_lookups = DETENTION_FOLDED
    autocomplete_fields = ("detention", "status")
    inlines = (CitationInline,)


class CaseStageInline(StaffTabularInline):
    model = CaseStage
    fields = ("stage", "occurred", "note")


class SentenceInline(StaffTabularInline):
    model = Sentence
    fields = ("kind", "stage", "issued", "prison_months", "lashes", "fine", "text")
    autocomplete_fields = ("kind",)


@admin.register(Case)
class CaseAdmin(StaffAdmin):
    list_display = ("person", "court", "branch", "stage", "confidentiality", "verification")
    list_filter = (
        "stage",
        ("court", admin.RelatedOnlyFieldListFilter),
        ("charges", admin.RelatedOnlyFieldListFilter),
        *RECORD_FILTERS,
    )
    search_fields = (*PERSON_SEARCH, "branch", "judge")
    folded_name_lookups = PERSON_FOLDED
    autocomplete_fields = ("person", "detention", "court", "charges", "activities")
    inlines = (CaseStageInline, SentenceInline, CitationInline)


@admin.register(CaseStage)
class CaseStageAdmin(StaffAdmin):
    list_display = (
        "case",
        "stage",
        date_column("occurred", CaseStage._meta.get_field("occurred_on").verbose_name),
    )
    list_filter = ("stage", *RECORD_FILTERS)
    search_fields = related_name_search("case__person")
    folded_name_lookups = ("case__person__names__match_key",)
    autocomplete_fields = ("case",)
    inlines = (CitationInline,)


@admin.register(Sentence)
class SentenceAdmin(StaffAdmin):
    list_display = (
        "case",
        "kind",
        date_column("issued", Sentence._meta.get_field("issued_on").verbose_name),
        "prison_months",
        "lashes",
    )
    list_filter = (("kind", admin.RelatedOnlyFieldListFilter), "stage", *RECORD_FILTERS)
    search_fields = related_name_search("case__person")
    folded_name_lookups = ("case__person__names__match_key",)
    autocomplete_fields = ("case", "kind")
    inlines = (CitationInline,)


@admin.register(Execution)
class ExecutionAdmin(StaffAdmin):
    list_display = (
        "person",
        date_column("executed", Execution._meta.get_field("executed_on").verbose_name),
        "facility",
        "confidentiality",
        "verification",
    )
    list_filter = (("facility", admin.RelatedOnlyFieldListFilter), *RECORD_FILTERS)
    search_fields = PERSON_SEARCH
    folded_name_lookups = PERSON_FOLDED
    autocomplete_fields = ("person", "case", "facility")
    inlines = (CitationInline,)
