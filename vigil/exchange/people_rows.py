"""Rows about one person each (targets people, detentions, statuses, casualties): read a row into a plan,
then write the plan through the domain services.

A row names a person (new, or an existing one by Vigil number or by the file's own ID) and what happened
to them: killed, injured, arrested, disappeared, sentenced to death or executed, with the custody details
and statuses a row gives. Every fact cites the row's sources and the dataset the file comes from.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from vigil.core.dates import FuzzyDate, Precision
from vigil.core.models import Confidentiality, Term, Vocabulary
from vigil.core.text import fold_name
from vigil.custody.models import Detention, Execution, Sentence
from vigil.custody.selectors import detention_is_open
from vigil.custody.services import (
    case_open,
    detention_record,
    detention_release,
    execution_record,
    sentence_record,
    status_record,
)
from vigil.events.models import Casualty
from vigil.events.services import casualty_record
from vigil.exchange.cells import by_name, choice_names, parse_age, split_terms
from vigil.exchange.lookups import Lookups
from vigil.exchange.mapped import Cells
from vigil.exchange.models import Target
from vigil.exchange.rowkit import RowContext, RowResult, SourcePlan, external_record, read_sources
from vigil.matching.selectors import MatchQuery
from vigil.people.models import Gender, Person
from vigil.people.services import NameInput, name_add, person_create, person_update
from vigil.places.models import Facility, Place

OUTCOMES = ["killed", "injured", "arrested", "disappeared", "sentenced_to_death", "executed", "unknown", ""]
# What a list says instead of the codes, in English and Persian (the mapping's values translate others).
_OUTCOME_WORDS = (
    ("dead", "killed"), ("death", "killed"), ("wounded", "injured"), ("detained", "arrested"),
    ("arrest", "arrested"), ("detention", "arrested"), ("missing", "disappeared"),
    ("forcibly disappeared", "disappeared"), ("death sentence", "sentenced_to_death"),
    ("sentenced to death", "sentenced_to_death"), ("execution", "executed"),
    ("کشته", "killed"), ("کشته شده", "killed"), ("جان باخته", "killed"), ("زخمی", "injured"),
    ("زخمی شده", "injured"), ("مجروح", "injured"), ("بازداشت", "arrested"), ("بازداشت شده", "arrested"),
    ("دستگیر", "arrested"), ("دستگیرشده", "arrested"), ("ناپدید", "disappeared"),
    ("ناپدیدشده", "disappeared"), ("ناپدیدشدگی قهری", "disappeared"), ("محکوم به اعدام", "sentenced_to_death"),
    ("حکم اعدام", "sentenced_to_death"), ("اعدام", "executed"), ("اعدام شده", "executed"),
    ("نامعلوم", "unknown"), ("نامشخص", "unknown"),
)  # fmt: skip
_GENDER_WORDS = (
    ("f", "female"), ("m", "male"), ("woman", "female"), ("man", "male"), ("girl", "female"), ("boy", "male"),
    ("زن", "female"), ("مرد", "male"), ("دختر", "female"), ("پسر", "male"), ("مونث", "female"), ("مذکر", "male"),
)  # fmt: skip


@functools.cache
def _outcome_names() -> dict[str, str]:
    return {by_name(word): code for word, code in _OUTCOME_WORDS} | {by_name(code): code for code in OUTCOMES}


CASUALTY_KINDS = {"killed": Casualty.Kind.KILLED, "injured": Casualty.Kind.INJURED}
_IN_CUSTODY = ("arrested", "disappeared", "sentenced_to_death")


@dataclass
class PersonPlan:
    """What a row says about one person, parsed and resolved, before anything is written."""

    number: int
    person_id: int | None = None
    external_id: str = ""
    names: list[str] = field(default_factory=list)
    person: dict[str, Any] = field(default_factory=dict)
    outcome: str = ""
    date: FuzzyDate = field(default_factory=FuzzyDate.unknown)
    place: Place | None = None
    cause: str | None = None
    arrested: FuzzyDate | None = None
    arrest_place: Place | None = None
    facility: Facility | None = None
    released: FuzzyDate | None = None
    release_kind: str | None = None
    status: Term | None = None
    status_since: FuzzyDate | None = None
    status_until: FuzzyDate | None = None
    place_notes: list[str] = field(default_factory=list)
    sources: SourcePlan = field(default_factory=SourcePlan)
    warnings: list[str] = field(default_factory=list)

    @property
    def wants_detention(self) -> bool:
        return (
            self.outcome in _IN_CUSTODY
            or self.arrested is not None
            or self.arrest_place is not None
            or self.facility is not None
            or self.status is not None
        )

    def identity(self) -> dict[str, Any]:
        """What the scan compares between rows (``IdentityIndex.add``'s arguments): name keys, age and the
        day it was reported for, gender, place and date of death."""
        place = self.place or self.person.get("residence")
        return {
            "name_keys": sorted({key for key in (fold_name(name) for name in self.names) if key}),
            "age": self.person.get("reported_age"),
            "age_on": self.person.get("age_reported_on"),
            "gender": self.person.get("gender", ""),
            "place": place.pk if place else None,
            "death": self.date if self.outcome in ("killed", "executed") and self.date.is_known else None,
        }

    def match_query(self, *, exclude: frozenset[int]) -> MatchQuery:
        """The row as the matcher compares it with the people recorded: what it says of their age, gender,
        places (residence, arrest, death) and days (arrest, death), and when its source was published."""
        casualty = [self.date] if self.outcome in CASUALTY_KINDS else []
        places = [self.person.get("residence"), arrest_place_of(self), self.place]
        return MatchQuery(
            names=self.names,
            reported_age=self.person.get("reported_age"),
            age_on=self.person.get("age_reported_on"),
            gender=self.person.get("gender"),
            places=[place for place in dict.fromkeys(places) if place is not None],
            arrested=_days([arrest_of(self)]),
            killed_or_injured=_days(casualty),
            reported_on=self.sources.published_on,
            exclude=exclude,
        )


def _days(dates: list[FuzzyDate]) -> list[dt.date]:
    return [day.value for day in dates if day.value is not None and day.precision == Precision.DAY]


def read_person_row(cells: Cells, number: int, target: str, context: RowContext) -> PersonPlan:
    """Parse and resolve every mapped cell; faults go to ``cells.errors``."""
    plan = PersonPlan(number=number)
    lookups = context.lookups
    plan.person_id = cells.parse("person_id", _person_number)
    plan.external_id = cells.text("external_id", joiner=" ")
    plan.names = [text for _where, text in cells.cells("name")]
    # A name given in two columns (given name, family name) is one name, not two.
    parts = [cells.text("given_name", joiner=" "), cells.text("family_name", joiner=" ")]
    if any(parts):
        plan.names.append(" ".join(part for part in parts if part))
    person: dict[str, Any] = {
        "gender": cells.choice("gender", list(Gender.values), choice_names(Gender, words=_GENDER_WORDS))
        or Gender.UNKNOWN,
        "confidentiality": cells.choice(
            "confidentiality", list(Confidentiality.values), choice_names(Confidentiality)
        )
        or Confidentiality.INTERNAL,
        "summary_en": cells.text("summary_en"),
        "summary_fa": cells.text("summary_fa"),
        "notes": cells.text("notes"),
    }
    birth = cells.date("birth")
    if birth is not None and birth.is_known:
        person["birth"] = birth
    for vocabulary, name in ((Vocabulary.ETHNICITY, "ethnicity"), (Vocabulary.RELIGION, "religion")):
        found = cells.parse(name, _term_reader(lookups, vocabulary))
        if found is not None:
            person[name] = found
    occupations = cells.parse(
        "occupation", lambda text: [lookups.term(Vocabulary.OCCUPATION, code) for code in split_terms(text)]
    )
    if occupations:
        person["occupations"] = occupations
    plan.outcome = cells.choice("outcome", OUTCOMES, _outcome_names()) or ""
    if plan.outcome == "unknown":
        plan.outcome = ""
    if target == Target.CASUALTIES:
        plan.outcome = plan.outcome or "killed"
        if plan.outcome not in CASUALTY_KINDS:
            cells.fault(
                _("outcome"), _("A casualty row must say killed or injured, not “%s”.") % plan.outcome
            )
    plan.date = cells.date("date") or FuzzyDate.unknown()
    plan.place = _place(cells, "place", plan, lookups)
    residence = _place(cells, "residence", plan, lookups)
    if residence is not None:
        person["residence"] = residence
    plan.cause = cells.parse("cause", lambda text: _code(lookups.term(Vocabulary.CAUSE, text.lower())))
    plan.arrested = cells.date("arrested_on")
    plan.arrest_place = _place(cells, "arrest_place", plan, lookups)
    plan.facility = cells.parse("facility", lookups.facility)
    plan.released = cells.date("released_on")
    plan.release_kind = cells.parse(
        "release_kind", lambda text: _code(lookups.term(Vocabulary.RELEASE_KIND, text.lower()))
    )
    plan.status = cells.parse("status", lambda text: lookups.term(Vocabulary.CUSTODY_STATUS, text.lower()))
    plan.status_since = cells.date("status_since")
    plan.status_until = cells.date("status_until")
    if target == Target.STATUSES and plan.status is None and not cells.errors:
        cells.fault(_("status"), _("A status row must name the custody status."))
    age = cells.parse("age", parse_age)
    if age is not None:
        person["reported_age"] = age
        person["age_reported_on"] = cells.day("age_reported_on") or _age_day(plan, cells)
    plan.person = person
    plan.sources = read_sources(cells)
    if plan.person_id is None and not plan.external_id and not plan.names:
        cells.fault(_("name"), _("The row gives no name (and no person number): whom is it about?"))
    plan.warnings = cells.warnings
    return plan


def _term_reader(lookups: Lookups, vocabulary: str) -> Callable[[str], Term | None]:
    return lambda text: lookups.term(vocabulary, text.lower())


def _person_number(text: str) -> int:
    digits = text.strip().lstrip("#")
    if not digits.isdigit():
        raise ValidationError(_("“%(text)s” is not a Vigil person number."), params={"text": text})
    return int(digits)


def _code(found: Term | None) -> str | None:
    return found.code if found is not None else None


def _place(cells: Cells, name: str, plan: PersonPlan, lookups: Lookups) -> Place | None:
    """A place from the gazetteer. An unknown place is a warning, not an error: the row is kept, and the
    place as written goes into the person's notes, so nothing the file said is lost."""
    cell = cells.first(name)
    if cell is None:
        return None
    where, text = cell
    found, warning = lookups.place(text)
    if warning:
        cells.warnings.append(f"{where}: {warning}")
        plan.place_notes.append(text)
    return found


def _age_day(plan: PersonPlan, cells: Cells) -> dt.date:
    """The date an age was reported for: the day of what happened (an age at death, at arrest, when a
    status began), else the date the source was published, else today, with a warning (an age is stored
    with the day it was true, and a row that gives none leaves only the day it was imported)."""
    for happened in (plan.date, arrest_of(plan), plan.status_since):
        if happened is not None and happened.is_known and happened.value is not None:
            return happened.value
    published = cells.day("source_published_on")
    if published is not None:
        return published
    cells.warnings.append(
        _("The row gives no date for its age: it is recorded as the age on the day of the import.")
    )
    return timezone.localdate()


def write_person_row(plan: PersonPlan, target: str, context: RowContext) -> RowResult:
    """Write one planned row through the services (the caller holds a savepoint around it)."""
    result = RowResult(number=plan.number, warnings=list(plan.warnings))
    citations = context.cite(plan.sources, plan.number)
    person = _existing_person(plan, context, result)
    person_fields = person_fields_of(plan)
    if person is None:
        candidates = context.duplicates_of(plan)
        if candidates and context.mapping.on_duplicate == "skip":
            result.skip(candidates)
            return result
        person = person_create(
            actor=context.actor,
            reason=context.reason(plan.number),
            names=[NameInput(name) for name in plan.names],
            citations=citations,
            occupations=person_fields.pop("occupations", []),
            **person_fields,
        )
        context.person_created(person, plan.external_id)
        result.created(person, candidates)
    else:
        _update_person(person, plan, person_fields, citations, context)
        result.updated(person)
    _write_facts(person, plan, target, citations, context, result)
    return result


def person_fields_of(plan: PersonPlan) -> dict[str, Any]:
    """The person's fields a row gives; places the gazetteer does not know go into the notes as given."""
    fields = dict(plan.person)
    if plan.place_notes:
        as_given = _("Place as given in the imported file: %(places)s") % {
            "places": "; ".join(plan.place_notes)
        }
        fields["notes"] = "\n".join(filter(None, [fields.get("notes", ""), as_given]))
    return fields


def wants_detention(plan: PersonPlan, target: str) -> bool:
    return plan.wants_detention or target in (Target.DETENTIONS, Target.STATUSES)


def arrest_of(plan: PersonPlan) -> FuzzyDate:
    """The arrest date a row gives: its own column, else the date of an arrest or disappearance."""
    return plan.arrested or (
        plan.date if plan.outcome in ("arrested", "disappeared") else FuzzyDate.unknown()
    )


def arrest_place_of(plan: PersonPlan) -> Place | None:
    return plan.arrest_place or (plan.place if plan.outcome in _IN_CUSTODY else None)


def _existing_person(plan: PersonPlan, context: RowContext, result: RowResult) -> Person | None:
    """The person a row names by Vigil number or by the file's own ID; one merged into another since is
    that other person (the row's facts go where the person's record now is)."""
    found: Person | None = None
    if plan.person_id is not None:
        found = Person.objects.filter(pk=plan.person_id).first()
        if found is None:
            raise ValidationError(_("There is no person #%(id)s in Vigil."), params={"id": plan.person_id})
    elif plan.external_id and context.mapping.external_namespace:
        record = external_record(context.mapping.external_namespace, plan.external_id, Person)
        found = record if isinstance(record, Person) else None
    seen: set[int] = set()
    while found is not None and found.merged_into_id is not None and found.pk not in seen:
        seen.add(found.pk)
        result.note(
            _("#%(merged)s was merged into #%(kept)s: recorded on #%(kept)s.")
            % {"merged": found.pk, "kept": found.merged_into_id}
        )
        found = Person.objects.get(pk=found.merged_into_id)
    return found


def _update_person(
    person: Person, plan: PersonPlan, fields: dict[str, Any], citations: list[Any], context: RowContext
) -> None:
    """Add what is new: names not yet recorded, fields still empty, more occupations, the row's sources.
    Recorded values are never overwritten by an import; a reviewer corrects them."""
    reason = context.reason(plan.number)
    known = set(person.names.values_list("text", flat=True))
    for name in plan.names:
        if " ".join(name.split()) not in known:
            name_add(person=person, name=name, actor=context.actor, reason=reason)
    changes: dict[str, Any] = {}
    for key in ("summary_en", "summary_fa", "ethnicity", "religion", "residence"):
        if fields.get(key) and not getattr(person, key):
            changes[key] = fields[key]
    if fields.get("notes") and fields["notes"] not in person.notes:
        changes["notes"] = "\n".join(filter(None, [person.notes, fields["notes"]]))
    if person.gender == Gender.UNKNOWN and fields.get("gender", Gender.UNKNOWN) != Gender.UNKNOWN:
        changes["gender"] = fields["gender"]
    if "birth" in fields and not person.birth.is_known:
        changes["birth"] = fields["birth"]
    if person.reported_age is None and fields.get("reported_age") is not None:
        changes["reported_age"] = fields["reported_age"]
        changes["age_reported_on"] = fields["age_reported_on"]
    if fields.get("occupations"):
        current = list(person.occupations.all())
        if set(fields["occupations"]) - set(current):
            changes["occupations"] = list({*current, *fields["occupations"]})
    cited = context.cited_source_ids(person)
    new_citations = [citation for citation in citations if citation.source.pk not in cited]
    person_update(person=person, actor=context.actor, reason=reason, citations=new_citations, **changes)


def _write_facts(
    person: Person,
    plan: PersonPlan,
    target: str,
    citations: list[Any],
    context: RowContext,
    result: RowResult,
) -> None:
    actor, reason = context.actor, context.reason(plan.number)
    common: dict[str, Any] = {"actor": actor, "reason": reason, "citations": citations}
    age = plan.person.get("reported_age")
    # A fact already recorded on a date that can be the row's is not recorded again: the same file (or the
    # next week's version of it) imported again adds nothing twice.
    if plan.outcome in CASUALTY_KINDS:
        kind = CASUALTY_KINDS[plan.outcome]
        recorded = Casualty.objects.filter(person=person, kind=kind)
        if any(not casualty.occurred.certainly_apart(plan.date) for casualty in recorded):
            result.note(
                _("The death was already recorded.")
                if kind == Casualty.Kind.KILLED
                else _("The injury was already recorded.")
            )
        else:
            casualty = casualty_record(
                **common, person=person, kind=kind, occurred=plan.date, place=plan.place, cause=plan.cause,
                age_reported=age,
            )  # fmt: skip
            result.records["casualty"] = casualty.pk
    if plan.outcome == "executed":
        executed = Execution.objects.filter(person=person).first()
        if executed is not None and not executed.executed.certainly_apart(plan.date):
            result.note(_("The execution was already recorded."))
        else:
            execution_record(**common, person=person, executed=plan.date, facility=plan.facility)
    detention = None
    if wants_detention(plan, target):
        detention = _detention(person, plan, common)
        result.records["detention"] = detention.pk
    if detention is not None and plan.status is not None:
        since = plan.status_since or plan.date
        if not detention.statuses.filter(status=plan.status, ended_on__isnull=True).exists():
            observation = status_record(
                **common, detention=detention, status=plan.status, started=since, ended=plan.status_until
            )
            result.records["status"] = observation.pk
    if (
        detention is not None
        and plan.outcome == "disappeared"
        and not detention.statuses.filter(status__code="whereabouts_unknown", ended_on__isnull=True).exists()
    ):
        status_record(**common, detention=detention, status="whereabouts_unknown", started=plan.date)
    if detention is not None and plan.outcome == "sentenced_to_death":
        sentenced = Sentence.objects.filter(case__detention=detention, kind__code="death")
        if any(not sentence.issued.certainly_apart(plan.date) for sentence in sentenced):
            result.note(_("The death sentence was already recorded."))
        else:
            case = case_open(**common, person=person, detention=detention, stage="verdict")
            sentence_record(**common, case=case, kind="death", issued=plan.date)
            result.records["case"] = case.pk
    if detention is not None and (plan.released is not None or plan.release_kind):
        released = plan.released or FuzzyDate.unknown()
        if not detention_is_open(detention) and not detention.released.certainly_apart(released):
            result.note(_("The release was already recorded."))
        else:
            detention_release(
                **common,
                detention=detention,
                released=released,
                release_kind=plan.release_kind or "released_unknown",
            )


def _detention(person: Person, plan: PersonPlan, common: dict[str, Any]) -> Detention:
    """The detention a row speaks of: the person's detention from the same arrest date when one is
    recorded (a detention that ended, only when the row's arrest date is known or its release can be that
    detention's), else a new one."""
    arrested = arrest_of(plan)
    released = plan.released or (FuzzyDate.unknown() if plan.release_kind else None)
    for existing in Detention.objects.filter(person=person).order_by("-id"):
        if existing.arrested.certainly_apart(arrested):
            continue
        if detention_is_open(existing) or arrested.is_known:
            return existing
        if released is not None and not existing.released.certainly_apart(released):
            return existing
    return detention_record(
        **common,
        person=person,
        arrested=arrested,
        arrest_place=arrest_place_of(plan),
        facility=plan.facility,
    )
