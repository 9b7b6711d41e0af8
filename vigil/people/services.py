"""Writing people and their names, and the checks every dated fact about a person shares (not before the
birth, not after the death)."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypedDict, Unpack

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from vigil.accounts.models import User
from vigil.accounts.permissions import Action, changed_fields, refusals_audited, require
from vigil.core.dates import FuzzyDate
from vigil.core.models import Confidentiality, Term, Verification, Vocabulary, set_fuzzy
from vigil.core.services import changes_known, fields_set, save_with_history, term, terms, terms_set
from vigil.core.text import detect_script
from vigil.matching.normalise import only_honorifics
from vigil.people.models import Gender, NameVariant, Person
from vigil.people.selectors import person_dated_facts, person_death, person_execution, person_killed
from vigil.places.models import Place
from vigil.sources.models import Source
from vigil.sources.services import CitationInput, citations_add

MAX_PLAUSIBLE_AGE = 130


@dataclass(frozen=True)
class NameInput:
    """One name as a source gives it; the script is detected from the text."""

    text: str
    kind: str = NameVariant.Kind.BIRTH
    is_primary: bool = False
    source: Source | None = None


# What ``person_update`` may change. Verification has its own reviewed service; names have ``name_add``.
_UPDATABLE = (
    "gender",
    "birth",
    "reported_age",
    "age_reported_on",
    "ethnicity",
    "religion",
    "occupations",
    "residence",
    "summary_en",
    "summary_fa",
    "family_contact",
    "notes",
    "confidentiality",
)


def person_check_current(person: Person) -> None:
    """Refuse to record facts on a person merged into another: they belong to the surviving record."""
    if person.merged_into_id is not None:
        raise ValidationError(
            _("“%(person)s” was merged into “%(into)s” (#%(id)s); record this on that person."),
            code="merged_person",
            params={"person": person, "into": person.merged_into, "id": person.merged_into_id},
        )


def person_born_check(*, person: Person, day: FuzzyDate, what: str | Promise) -> None:
    """Refuse a fact dated before the person's birth. Dates are compared as intervals, so "Dey 1404" is
    never refused against a day inside it."""
    birth = person.birth
    if day.certainly_before(birth):
        raise ValidationError(
            _("%(what)s %(date)s is before the date of birth %(birth)s."),
            code="before_birth",
            params={"what": what, "date": day, "birth": birth},
        )


def person_alive_check(*, person: Person, day: FuzzyDate, what: str | Promise) -> None:
    """Refuse a fact dated before the person's birth or after their recorded death."""
    person_born_check(person=person, day=day, what=what)
    death = person_death(person)
    if death is not None and death.certainly_before(day):
        raise ValidationError(
            _("%(what)s %(date)s is after the person's death on %(death)s."),
            code="after_death",
            params={"what": what, "date": day, "death": death},
        )


def person_death_check(*, person: Person, day: FuzzyDate, what: str | Promise) -> None:
    """Refuse a death (killing, execution) dated before something the person did or suffered alive."""
    for fact in person_dated_facts(person):
        if fact.kind not in ("death", "execution") and day.certainly_before(fact.day):
            raise ValidationError(
                _("%(what)s %(date)s is before %(fact)s on %(fact_date)s recorded for this person."),
                code="death_before_fact",
                params={"what": what, "date": day, "fact": fact.label, "fact_date": fact.day},
            )


def person_death_unrecorded_check(person: Person) -> None:
    """Refuse a second death: a person is killed or executed once."""
    killed = person_killed(person)
    if killed is not None:
        raise ValidationError(
            _(
                "“%(person)s” is already recorded as killed on %(date)s (#%(id)s); correct that record instead."
            ),
            code="already_killed",
            params={"person": person, "date": killed.occurred, "id": killed.pk},
        )
    execution = person_execution(person)
    if execution is not None:
        raise ValidationError(
            _("“%(person)s” is already recorded as executed on %(date)s; correct that record instead."),
            code="already_executed",
            params={"person": person, "date": execution.executed},
        )


def age_check(age: int | None, *, field: str) -> None:
    if age is not None and not 0 <= age <= MAX_PLAUSIBLE_AGE:
        raise ValidationError(
            {
                field: ValidationError(
                    _("An age of %(age)s is not plausible; check the source."), params={"age": age}
                )
            }
        )


def _set_age(person: Person, reported_age: int | None, age_reported_on: dt.date | None) -> None:
    age_check(reported_age, field="reported_age")
    if reported_age is not None and age_reported_on is None:
        raise ValidationError(
            {
                "age_reported_on": _(
                    "An age needs the date it was reported for (usually the source's publication date), "
                    "so that it can be worked out for any later date."
                )
            }
        )
    person.reported_age = reported_age
    person.age_reported_on = age_reported_on


# A "?" inside a word, or the replacement character: letters a file lost when it was saved in an encoding
# that has no place for them (Persian ی and ک in a "Windows Arabic" file, say).
_LOST_LETTERS = re.compile(r"\ufffd|\w\?|\?\w")


def _name_inputs(names: Sequence[NameInput | str]) -> list[NameInput]:
    """Names with whitespace normalised, blanks (invisible marks only, too) dropped; none at all, one twice,
    one that is only a title ("Seyed", "حاج"), or one whose letters were lost to an encoding, refused."""
    found: list[NameInput] = []
    seen: set[str] = set()
    for name in names:
        given = name if isinstance(name, NameInput) else NameInput(name)
        text = " ".join((given.text or "").split())
        # A cell or field holding only invisible marks (a ZWNJ, a direction mark) looks blank and is blank:
        # recorded, it would be a person without a name anyone can read or find.
        if not any(unicodedata.category(char)[0] not in "CZ" for char in text):
            continue
        if _LOST_LETTERS.search(text):
            raise ValidationError(
                _(
                    "The name “%(name)s” has “?” or “�” where letters should be: they were lost when it was "
                    "saved in another encoding. Save the file as UTF-8 (in Excel: “CSV UTF-8”) and try again."
                ),
                code="lost_letters",
                params={"name": text},
            )
        if only_honorifics(text):
            raise ValidationError(
                _(
                    "“%(name)s” is a title or honorific (such as Seyed or Haj), not a name: give the person's name."
                ),
                code="only_honorifics",
                params={"name": text},
            )
        if text in seen:
            raise ValidationError(
                _("The name “%(name)s” is given twice."), code="duplicate_name", params={"name": text}
            )
        seen.add(text)
        found.append(NameInput(text, given.kind, given.is_primary, given.source))
    if not found:
        raise ValidationError(
            {"names": ValidationError(_("A person needs at least one name."), code="no_name")}
        )
    return found


def _primaries(names: list[NameInput]) -> set[str]:
    """The primary name of each script: the one marked primary, else the first given in that script."""
    chosen: dict[str, str] = {}
    for name in names:
        if name.is_primary:
            script = detect_script(name.text)
            if script in chosen:
                raise ValidationError(
                    _(
                        "Only one name per script can be primary: “%(first)s” and “%(second)s” are both marked."
                    ),
                    code="two_primaries",
                    params={"first": chosen[script], "second": name.text},
                )
            chosen[script] = name.text
    for name in names:
        chosen.setdefault(detect_script(name.text), name.text)
    return set(chosen.values())


@dataclass
class PersonDraft:
    """A new person with their names and occupations, checked but not yet saved."""

    person: Person
    names: list[NameVariant]
    occupations: list[Term]


class PersonFields(TypedDict, total=False):
    """What a new person may be recorded with besides names (``person_build``, ``person_create``)."""

    gender: str
    birth: FuzzyDate | None
    reported_age: int | None
    age_reported_on: dt.date | None
    ethnicity: str | Term | None
    religion: str | Term | None
    occupations: Sequence[str | Term]
    residence: Place | None
    summary_en: str
    summary_fa: str
    family_contact: str
    notes: str
    confidentiality: str
    verification: str


def person_build(*, names: Sequence[NameInput | str], **fields: Unpack[PersonFields]) -> PersonDraft:
    """A new person and their names, with every check that needs no other record: what ``person_create``
    saves one at a time and importers save many at once."""
    name_inputs = _name_inputs(names)
    primaries = _primaries(name_inputs)
    person = Person(
        gender=fields.get("gender", Gender.UNKNOWN),
        ethnicity=term(Vocabulary.ETHNICITY, fields.get("ethnicity"), field="ethnicity"),
        religion=term(Vocabulary.RELIGION, fields.get("religion"), field="religion"),
        residence=fields.get("residence"),
        summary_en=fields.get("summary_en", "").strip(),
        summary_fa=fields.get("summary_fa", "").strip(),
        family_contact=fields.get("family_contact", "").strip(),
        notes=fields.get("notes", "").strip(),
        confidentiality=fields.get("confidentiality", Confidentiality.INTERNAL),
        verification=fields.get("verification", Verification.REPORTED),
    )
    set_fuzzy(person, "birth", fields.get("birth"))
    _set_age(person, fields.get("reported_age"), fields.get("age_reported_on"))
    variants = [
        NameVariant(
            person=person,
            text=name.text,
            kind=name.kind,
            is_primary=name.text in primaries,
            source=name.source,
        )
        for name in name_inputs
    ]
    return PersonDraft(
        person, variants, terms(Vocabulary.OCCUPATION, fields.get("occupations", ()), field="occupations")
    )


@refusals_audited
@transaction.atomic
def person_create(
    *,
    actor: User | None,
    reason: str,
    names: Sequence[NameInput | str],
    citations: Sequence[CitationInput],
    **fields: Unpack[PersonFields],
) -> Person:
    """Record a person with their names and the sources that speak of them (at least one of each); the
    fields are ``person_build``'s."""
    require(actor, Action.ADD, Person)
    draft = person_build(names=names, **fields)
    person = save_with_history(draft.person, actor=actor, reason=reason)
    if draft.occupations:
        person.occupations.set(draft.occupations)
    for variant in draft.names:
        variant.person = person  # saved now: its id is known
        save_with_history(variant, actor=actor, reason=reason)
    citations_add(fact=person, citations=citations, actor=actor, reason=reason)
    return person


@refusals_audited
@transaction.atomic
def person_update(
    *,
    person: Person,
    actor: User | None,
    reason: str,
    citations: Sequence[CitationInput] = (),
    **changes: Any,
) -> Person:
    """Change a person's fields, keeping the old values in history with the author and reason. Only the
    fields in ``_UPDATABLE`` may be changed; vocabulary codes are resolved; an unchanged edit saves nothing."""
    require(actor, Action.CHANGE, person)
    changes_known(
        changes,
        _UPDATABLE,
        _("Cannot change %(fields)s of a person here; the fields that can be changed are: %(known)s."),
    )
    person_check_current(person)
    before = Person.objects.get(pk=person.pk)
    for vocabulary, field in ((Vocabulary.ETHNICITY, "ethnicity"), (Vocabulary.RELIGION, "religion")):
        if field in changes:
            setattr(person, field, term(vocabulary, changes[field], field=field))
    fields_set(
        person,
        changes,
        ("gender", "residence", "summary_en", "summary_fa", "family_contact", "notes", "confidentiality"),
    )
    if "birth" in changes:
        set_fuzzy(person, "birth", changes["birth"])
        _birth_check(person)
    if "reported_age" in changes or "age_reported_on" in changes:
        _set_age(
            person,
            changes.get("reported_age", person.reported_age),
            changes.get("age_reported_on", person.age_reported_on),
        )
    if changed_fields(person, before):
        save_with_history(person, actor=actor, reason=reason)
    if "occupations" in changes:
        terms_set(
            person,
            "occupations",
            Vocabulary.OCCUPATION,
            list(changes["occupations"] or []),
            actor=actor,
            reason=reason,
        )
    if citations:
        citations_add(fact=person, citations=citations, actor=actor, reason=reason)
    return person


def _birth_check(person: Person) -> None:
    birth = person.birth
    for fact in person_dated_facts(person):
        if fact.day.certainly_before(birth):
            raise ValidationError(
                _("Date of birth %(birth)s is after %(fact)s on %(date)s recorded for this person."),
                code="birth_after_fact",
                params={"birth": birth, "fact": fact.label, "date": fact.day},
            )


@refusals_audited
@transaction.atomic
def name_add(*, person: Person, name: NameInput | str, actor: User | None, reason: str) -> NameVariant:
    """Add a name (a spelling found in a source, a transliteration, an alias). It becomes the primary name
    of its script when it is marked so (the former primary is kept as a variant) or is the first there."""
    require(actor, Action.CHANGE, person)
    person_check_current(person)
    given = _name_inputs([name])[0]
    if person.names.filter(text=given.text).exists():
        raise ValidationError(
            {
                "text": ValidationError(
                    _("“%(name)s” is already a name of this person."),
                    code="duplicate_name",
                    params={"name": given.text},
                )
            }
        )
    script = detect_script(given.text)
    current = person.names.filter(script=script, is_primary=True).first()
    if current is not None and given.is_primary:
        current.is_primary = False
        save_with_history(current, actor=actor, reason=reason)
    variant = NameVariant(
        person=person,
        text=given.text,
        kind=given.kind,
        is_primary=given.is_primary or current is None,
        source=given.source,
    )
    return save_with_history(variant, actor=actor, reason=reason)
