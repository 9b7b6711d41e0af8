"""The fields a column can be mapped to, per target. Codes are what mapping files use; labels are what the
staff screens show."""

from __future__ import annotations

import re
from collections.abc import Sequence
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
    Field("given_name", _("Given name (joined with the family name into one name)")),
    Field("family_name", _("Family name (joined after the given name into one name)")),
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


# Words that mean one field in a list of custody (detentions, statuses) and another in a list of people:
# "Status" is the custody status there, what happened to the person here; a place is where they were
# arrested there, where it happened here.
_STATUS, _PLACE = "status|outcome", "arrest_place|place"

# What a column's header says, in English or Persian, and the field it most likely is, most specific first:
# the first rule whose words all appear in the header, for a field the target has. A guess only: the staff
# screen shows it for a person to confirm or change.
_GUESSES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("vigil",), "person_id"),
    (("id",), "external_id"), (("card",), "external_id"), (("record",), "external_id"),
    (("شناسه",), "external_id"), (("کد",), "external_id"),
    # "Full name", "نام و نام خانوادگی" (name and family name): the whole name, before the family name's rules.
    (("full", "name"), "name"), (("fullname",), "name"), (("نام", "و", "خانوادگی"), "name"),
    (("family",), "family_name"), (("surname",), "family_name"), (("last", "name"), "family_name"),
    (("خانوادگی",), "family_name"),
    (("given",), "given_name"), (("first", "name"), "given_name"), (("نام", "کوچک"), "given_name"),
    (("name",), "name"), (("names",), "name"), (("نام",), "name"),
    (("age",), "age"), (("سن",), "age"),
    (("gender",), "gender"), (("sex",), "gender"), (("جنسیت",), "gender"),
    (("birth",), "birth"), (("تولد",), "birth"),
    (("arrest", "date"), "arrested_on"), (("arrested",), "arrested_on"), (("بازداشت", "تاریخ"), "arrested_on"),
    (("release", "date"), "released_on"), (("released",), "released_on"), (("آزادی", "تاریخ"), "released_on"),
    (("arrest", "place"), "arrest_place"), (("arrest", "location"), "arrest_place"),
    (("arrest", "city"), "arrest_place"), (("بازداشت", "محل"), "arrest_place"),
    (("residence",), "residence"), (("home",), "residence"), (("سکونت",), "residence"),
    (("prison",), "facility"), (("facility",), "facility"), (("زندان",), "facility"),
    (("since",), "status_since"), (("until",), "status_until"),
    (("date",), "date"), (("تاریخ",), "date"),
    (("start",), "started"), (("date",), "started"), (("end",), "ended"),
    (("location",), _PLACE), (("place",), _PLACE), (("city",), _PLACE), (("province",), _PLACE),
    (("محل",), _PLACE), (("شهر",), _PLACE), (("مکان",), _PLACE), (("استان",), _PLACE),
    (("cause",), "cause"), (("علت",), "cause"),
    (("url",), "source_url"), (("urls",), "source_url"), (("link",), "source_url"), (("links",), "source_url"),
    (("source",), "source_url"), (("sources",), "source_url"), (("منبع",), "source_url"),
    (("منابع",), "source_url"), (("لینک",), "source_url"),
    (("outcome",), "outcome"), (("status",), _STATUS), (("وضعیت",), _STATUS),
    (("note",), "notes"), (("notes",), "notes"), (("comment",), "notes"), (("comments",), "notes"),
    (("یادداشت",), "notes"), (("توضیحات",), "notes"),
)  # fmt: skip


def guess_fields(columns: Sequence[str], target: str) -> list[str]:
    """For each column header, the field it most likely is ("" for none): its own code when the header is
    one ("external_id"), else by the words in it ("Date of Death" -> date, "Persian Name" -> name, "سن" ->
    age). A field that takes one column is given to the first column only."""
    known = fields_for(target)
    custody = target in (Target.DETENTIONS, Target.STATUSES)
    rules = [
        (needed, field.split("|")[0 if custody else 1] if "|" in field else field)
        for needed, field in _GUESSES
    ]
    taken: set[str] = set()
    found = []
    for column in columns:
        code = column.strip().lower().replace(" ", "_")
        if code not in known or (code == "status" and not custody):
            words = set(re.findall(r"[^\W_]+", column.lower()))
            code = next(
                (
                    field
                    for needed, field in rules
                    if field in known and all(word in words for word in needed)
                    and (known[field].many or field not in taken)
                ),
                "",
            )  # fmt: skip
        if code and not known[code].many:
            if code in taken:
                code = ""
            taken.add(code)
        found.append(code)
    if "family_name" in found and "given_name" not in found and "name" in found:
        # "نام" beside "نام خانوادگی" (Name beside Surname) is the given name: one person's one name.
        found[found.index("name")] = "given_name"
    return found
