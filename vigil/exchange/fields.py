"""The fields a column can be mapped to, per target. Codes are what mapping files use; labels are what the
staff screens show."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from vigil.exchange.models import Target


@dataclass(frozen=True)
class Field:
    code: str
    label: str | Promise
    many: bool = False  # several columns may feed it (names, links, notes)


_PERSON = (
    Field("person_id", _("Vigil person number (to add to an existing person)")),
    Field("external_id", _("The file's own ID for the row (card number ...)")),
    Field("name", _("Name (any script; several columns allowed)"), many=True),
    Field("gender", _("Gender")),
    Field("age", _("Age as reported")),
    Field("age_reported_on", _("Date the age was reported for")),
    Field("birth", _("Date of birth")),
    Field("residence", _("Place of residence")),
    Field("occupation", _("Occupations (comma-separated codes)")),
    Field("ethnicity", _("Ethnicity")),
    Field("religion", _("Religion")),
    Field("summary_en", _("Public summary (English)")),
    Field("summary_fa", _("Public summary (Persian)")),
    Field("notes", _("Internal notes (several columns allowed)"), many=True),
    Field("confidentiality", _("Confidentiality")),
)
_FACTS = (
    Field(
        "outcome", _("What happened: killed, injured, arrested, disappeared, sentenced_to_death, executed")
    ),
    Field("date", _("Date of what happened")),
    Field("place", _("Place of what happened")),
    Field("cause", _("Cause of death or injury")),
    Field("arrested_on", _("Arrest date")),
    Field("arrest_place", _("Arrest place")),
    Field("facility", _("Prison or detention centre")),
    Field("released_on", _("Release date")),
    Field("release_kind", _("Release or outcome")),
    Field("status", _("Custody status")),
    Field("status_since", _("Status since")),
    Field("status_until", _("Status until")),
)
_SOURCES = (
    Field("source_url", _("Source links (several per cell or column)"), many=True),
    Field("source_title", _("Source title")),
    Field("source_kind", _("Source kind")),
    Field("source_published_on", _("Source publication date")),
    Field("quote", _("Quote from the source")),
)
_EVENT = (
    Field("external_id", _("The file's own ID for the row")),
    Field("kind", _("Event kind")),
    Field("title_en", _("Title (English)")),
    Field("title_fa", _("Title (Persian)")),
    Field("started", _("Start date")),
    Field("ended", _("End date")),
    Field("place", _("Place")),
    Field("facility", _("Prison or detention centre")),
    Field("tactics", _("Tactics used against it (comma-separated codes)")),
    Field("description_en", _("Description (English)"), many=True),
    Field("description_fa", _("Description (Persian)"), many=True),
    Field("confidentiality", _("Confidentiality")),
)
_FIGURE = (
    Field("metric", _("Metric (killed, arrested ...)")),
    Field("qualifier", _("Qualifier (at_least, about ...)")),
    Field("value", _("Value")),
    Field("value_text", _("Value as worded by the source")),
    Field("published_on", _("Published on")),
    Field("period_start", _("Period from")),
    Field("period_end", _("Period to")),
    Field("place", _("Scope: place")),
    Field("facility", _("Scope: facility")),
    Field("note", _("Note"), many=True),
    Field("confidentiality", _("Confidentiality")),
)

FIELDS: dict[str, tuple[Field, ...]] = {
    Target.PEOPLE: _PERSON + _FACTS + _SOURCES,
    Target.DETENTIONS: _PERSON + _FACTS + _SOURCES,
    Target.STATUSES: _PERSON + _FACTS + _SOURCES,
    Target.CASUALTIES: _PERSON + _FACTS + _SOURCES,
    Target.EVENTS: _EVENT + _SOURCES,
    Target.FIGURES: _FIGURE + _SOURCES,
}

# Defaults that are not columns: the dataset itself, cited for every row besides the row's own links.
DATASET_DEFAULTS = (
    "dataset_title",
    "dataset_url",
    "dataset_kind",
    "dataset_published_on",
    "dataset_language",
)
# Defaults for the sources a file's links become.
SOURCE_DEFAULTS = ("source_kind", "source_language", "source_confidentiality")


def fields_for(target: str) -> dict[str, Field]:
    return {field.code: field for field in FIELDS[target]}
