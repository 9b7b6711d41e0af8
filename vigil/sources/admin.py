"""Sources, the citations tying facts to them, and reported (aggregate) figures."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.forms.models import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from vigil.sources.models import Citation, ReportedFigure, Source
from vigil.sources.services import figure_record, file_sha256, source_create
from vigil.staff.access import acting_user
from vigil.staff.admin import RECORD_FILTERS, StaffAdmin


@admin.register(Source)
class SourceAdmin(StaffAdmin):
    list_display = ("title", "kind", "publisher", "published_on", "language", "grade", "confidentiality")
    list_filter = (
        ("kind", admin.RelatedOnlyFieldListFilter),
        "reliability",
        "credibility",
        "language",
        *RECORD_FILTERS,
    )
    search_fields = (
        "title",
        "url",
        "author",
        "publisher__name_en",
        "publisher__name_fa",
        "publisher__acronym",
    )
    autocomplete_fields = ("kind", "publisher")
    readonly_fields = ("archived_sha256",)

    @admin.display(description=_("grade"), ordering="reliability")
    def grade(self, source: Source) -> str:
        return source.grade

    def create(self, request: HttpRequest, obj: models.Model, form: ModelForm[Any], reason: str) -> Source:
        data = form.cleaned_data
        return source_create(
            actor=acting_user(request),
            reason=reason,
            kind=data["kind"].code,
            title=data["title"],
            publisher=data.get("publisher"),
            author=data.get("author", ""),
            url=data.get("url", ""),
            published_on=data.get("published_on"),
            language=data.get("language", "fa"),
            reliability=data.get("reliability", "F"),
            credibility=data.get("credibility", "6"),
            archived_file=data.get("archived_file") or None,
            archived_at=data.get("archived_at"),
            confidentiality=data.get("confidentiality", "internal"),
            notes=data.get("notes", ""),
        )

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        # A replaced archived copy gets its own hash: the hash is what proves the copy unaltered.
        if change and "archived_file" in form.changed_data:
            uploaded = form.cleaned_data.get("archived_file")
            obj.archived_sha256 = file_sha256(uploaded) if uploaded else ""
        super().save_model(request, obj, form, change)


@admin.register(Citation)
class CitationAdmin(StaffAdmin):
    """Citations are added on the screen of the fact they support; here they are listed and corrected."""

    list_display = ("source", "content_type", "object_id", "relation", "translation_method", "created_at")
    list_filter = ("relation", "translation_method", "content_type")
    search_fields = ("quote", "translation", "locator", "source__title")
    autocomplete_fields = ("source",)
    readonly_fields = ("content_type", "object_id")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(ReportedFigure)
class ReportedFigureAdmin(StaffAdmin):
    list_display = (
        "metric",
        "qualifier",
        "value",
        "period_end",
        "published_on",
        "source",
        "place",
        "confidentiality",
    )
    list_filter = (("metric", admin.RelatedOnlyFieldListFilter), "qualifier", *RECORD_FILTERS)
    search_fields = ("value_text", "note", "source__title", "metric__name_en", "metric__name_fa")
    autocomplete_fields = ("source", "metric", "place", "facility", "university")

    def create(
        self, request: HttpRequest, obj: models.Model, form: ModelForm[Any], reason: str
    ) -> ReportedFigure:
        data = form.cleaned_data
        return figure_record(
            actor=acting_user(request),
            reason=reason,
            source=data["source"],
            metric=data["metric"].code,
            qualifier=data["qualifier"],
            value=data["value"],
            published_on=data["published_on"],
            period_end=data["period_end"],
            period_start=data.get("period_start"),
            place=data.get("place"),
            facility=data.get("facility"),
            university=data.get("university"),
            value_text=data.get("value_text", ""),
            note=data.get("note", ""),
            confidentiality=data.get("confidentiality", "public"),
        )
