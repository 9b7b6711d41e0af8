"""People and their names. A person is found by any of their names, in either script and any spelling."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from vigil.core.models import Confidentiality
from vigil.core.text import reader_digits
from vigil.people.models import NameVariant, Person
from vigil.people.selectors import visible_names
from vigil.staff.admin import (
    PERSON_NAME_SEARCH,
    RECORD_FILTERS,
    CitationInline,
    StaffAdmin,
    StaffTabularInline,
)


class NameVariantInline(StaffTabularInline):
    model = NameVariant
    fields = ("text", "kind", "is_primary", "source", "script")
    readonly_fields = ("script",)
    autocomplete_fields = ("source",)
    required_on_add = _("A person needs at least one name.")


@admin.register(Person)
class PersonAdmin(StaffAdmin):
    list_display = (
        "names_display",
        "gender",
        "reported_age",
        "confidentiality",
        "verification",
        "updated_at",
    )
    list_filter = (
        "gender",
        *RECORD_FILTERS,
        ("occupations", admin.RelatedOnlyFieldListFilter),
        ("ethnicity", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = PERSON_NAME_SEARCH
    folded_name_lookups = ("names__match_key",)
    autocomplete_fields = ("ethnicity", "religion", "occupations", "residence")
    # Merging is a reviewed operation of its own, never a field typed in here.
    readonly_fields = ("merged_into",)
    inlines = (NameVariantInline, CitationInline)
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "gender",
                    "birth",
                    ("reported_age", "age_reported_on"),
                    "occupations",
                    "ethnicity",
                    "religion",
                    "residence",
                    "photo",
                )
            },
        ),
        (_("Public summary"), {"fields": ("summary_en", "summary_fa")}),
        (_("Internal and restricted"), {"fields": ("family_contact", "notes")}),
        (_("Status"), {"fields": ("confidentiality", "verification", "merged_into")}),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Person]:
        return super().get_queryset(request).prefetch_related("names")  # type: ignore[no-any-return]

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """Saved with its names; a public person none of whose names the public may read (a name is only
        as public as its source) is shown to the public by number alone: said at once, when it can be
        mended."""
        super().save_related(request, form, formsets, change)
        person = form.instance
        if (
            person.confidentiality == Confidentiality.PUBLIC
            and not visible_names(None).filter(person=person).exists()
        ):
            messages.warning(
                request,
                gettext(
                    "This person is public, but none of their names is: each rests on a source that is not "
                    "public, so the public sees them as #%(number)s, with no name. Make the source of a name "
                    "public, or add a name from a public source."
                )
                % {"number": reader_digits(person.pk)},
            )

    @admin.display(description=_("names"))
    def names_display(self, person: Person) -> str:
        """The primary name of each script, e.g. ``نرگس محمدی / Narges Mohammadi``."""
        primaries = [str(name.text) for name in person.names.all() if name.is_primary]
        return " / ".join(primaries) or str(person)


@admin.register(NameVariant)
class NameVariantAdmin(StaffAdmin):
    list_display = ("text", "script", "kind", "is_primary", "person")
    list_filter = ("script", "kind", "is_primary")
    search_fields = ("text", "match_key")
    folded_name_lookups = ("match_key",)
    autocomplete_fields = ("person", "source")
    readonly_fields = ("script", "match_key")

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).prefetch_related("person__names")
