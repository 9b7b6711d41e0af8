"""Writing events, people's involvement in them, and casualties."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from vigil.accounts.models import User
from vigil.accounts.permissions import Action, changed_fields, refusals_audited, require
from vigil.core.dates import FuzzyDate
from vigil.core.models import CONFIDENTIALITY_RANK, Confidentiality, Term, Vocabulary, set_fuzzy
from vigil.core.services import changes_known, fields_set, save_with_history, term, terms, terms_set
from vigil.events.models import Casualty, Event, Involvement
from vigil.organizations.models import Organization
from vigil.people.models import Person
from vigil.people.services import (
    age_check,
    person_alive_check,
    person_born_check,
    person_check_current,
    person_death_check,
    person_death_unrecorded_check,
)
from vigil.places.models import Facility, Place, University
from vigil.sources.services import CitationInput, citations_add, fact_save_cited


def event_date_check(*, event: Event | None, day: FuzzyDate, what: str | Promise) -> None:
    """Refuse a fact tied to an event but dated before the event began."""
    if event is not None and day.certainly_before(event.started):
        raise ValidationError(
            _("%(what)s %(date)s is before the event “%(event)s” began on %(start)s."),
            code="before_event",
            params={"what": what, "date": day, "event": event.title_en, "start": event.started},
        )


def most_restricted(*levels: str) -> str:
    """The most restrictive of several confidentiality levels: a link between two records is no more
    public than either of them."""
    return max(levels, key=lambda level: CONFIDENTIALITY_RANK.get(Confidentiality(level), 0))


@refusals_audited
@transaction.atomic
def event_record(
    *,
    actor: User | None,
    reason: str,
    kind: str,
    title_en: str,
    citations: Sequence[CitationInput],
    title_fa: str = "",
    started: FuzzyDate | None = None,
    ended: FuzzyDate | None = None,
    place: Place | None = None,
    facility: Facility | None = None,
    university: University | None = None,
    part_of: Event | None = None,
    actors: Sequence[Organization] = (),
    tactics: Sequence[str] = (),
    description_en: str = "",
    description_fa: str = "",
    confidentiality: str = "public",
    verification: str = "reported",
) -> Event:
    """Record an event (protest, strike, funeral, raid ...) with the forces involved and the tactics used."""
    require(actor, Action.ADD, Event)
    event = Event(
        kind=term(Vocabulary.EVENT_KIND, kind, field="kind"),
        title_en=title_en.strip(),
        title_fa=title_fa.strip(),
        place=place,
        facility=facility,
        university=university,
        part_of=part_of,
        description_en=description_en.strip(),
        description_fa=description_fa.strip(),
        confidentiality=confidentiality,
        verification=verification,
    )
    set_fuzzy(event, "started", started)
    set_fuzzy(event, "ended", ended)
    _event_dates_check(event)
    tactic_terms = terms(Vocabulary.TACTIC, list(tactics), field="tactics")
    save_with_history(event, actor=actor, reason=reason)
    if actors:
        event.actors.set(actors)
    if tactic_terms:
        event.tactics.set(tactic_terms)
    citations_add(fact=event, citations=citations, actor=actor, reason=reason)
    return event


def _event_dates_check(event: Event) -> None:
    """Refuse an event that ends before it starts, or starts before the event it is part of."""
    part_of = event.part_of
    if event.ended.certainly_before(event.started):
        raise ValidationError(
            {
                "ended_on": ValidationError(
                    _("End date %(ended)s is before the start date %(started)s."),
                    code="end_before_start",
                    params={"ended": event.ended, "started": event.started},
                )
            }
        )
    if part_of is not None and event.started.certainly_before(part_of.started):
        raise ValidationError(
            {
                "part_of": ValidationError(
                    _(
                        "The event starts on %(started)s, before “%(whole)s”, which it is part of, began on %(begun)s."
                    ),
                    code="part_before_whole",
                    params={"started": event.started, "whole": part_of.title_en, "begun": part_of.started},
                )
            }
        )


# What an import (or an edit) may change of a recorded event; its kind and English title name it.
_EVENT_UPDATABLE = (
    "title_fa",
    "started",
    "ended",
    "place",
    "facility",
    "tactics",
    "description_en",
    "description_fa",
)


@refusals_audited
@transaction.atomic
def event_update(
    *,
    event: Event,
    actor: User | None,
    reason: str,
    citations: Sequence[CitationInput] = (),
    **changes: Any,
) -> Event:
    """Change an event's fields, keeping the old values in history with the author and reason (tactics are
    codes or terms), and cite more sources. An edit that changes nothing saves nothing."""
    require(actor, Action.CHANGE, event)
    changes_known(
        changes,
        _EVENT_UPDATABLE,
        _("Cannot change %(fields)s of an event here; the fields that can be changed are: %(known)s."),
    )
    before = Event.objects.get(pk=event.pk)
    fields_set(event, changes, ("title_fa", "place", "facility", "description_en", "description_fa"))
    for name in ("started", "ended"):
        if name in changes:
            set_fuzzy(event, name, changes[name])
    _event_dates_check(event)
    if changed_fields(event, before):
        save_with_history(event, actor=actor, reason=reason)
    if "tactics" in changes:
        terms_set(
            event, "tactics", Vocabulary.TACTIC, list(changes["tactics"] or []), actor=actor, reason=reason
        )
    if citations:
        citations_add(fact=event, citations=citations, actor=actor, reason=reason)
    return event


@refusals_audited
@transaction.atomic
def involvement_record(
    *,
    person: Person,
    event: Event,
    role: str,
    citations: Sequence[CitationInput],
    actor: User | None,
    reason: str,
    note: str = "",
) -> Involvement:
    """Link a person to an event with a role (detained, injured, organiser, witness ...).

    Only the birth is checked against the event's date: a person may be the subject of an event after
    their death (a memorial)."""
    require(actor, Action.ADD, Involvement)
    person_check_current(person)
    role_term = term(Vocabulary.INVOLVEMENT_ROLE, role, field="role")
    person_born_check(person=person, day=event.started, what=_("The event's start date"))
    if Involvement.objects.filter(person=person, event=event, role=role_term).exists():
        raise ValidationError(
            _(
                "“%(person)s” is already recorded as “%(role)s” in “%(event)s”; add a source to that record instead."
            ),
            code="duplicate_involvement",
            params={"person": person, "role": role_term, "event": event.title_en},
        )
    involvement = Involvement(
        person=person,
        event=event,
        role=role_term,
        note=note.strip(),
        confidentiality=most_restricted(person.confidentiality, event.confidentiality),
    )
    fact_save_cited(involvement, citations=citations, actor=actor, reason=reason)
    return involvement


def casualty_build(
    *,
    person: Person,
    kind: str,
    occurred: FuzzyDate,
    place: Place | None = None,
    event: Event | None = None,
    cause: str | Term | None = None,
    perpetrator: Organization | None = None,
    in_custody: bool = False,
    age_reported: int | None = None,
    medical_details: str = "",
    confidentiality: str | None = None,
) -> Casualty:
    """A new casualty with the checks that need no other record (a plausible age, not before the birth,
    within its event): what ``casualty_record`` saves, and importers save in bulk for people they create."""
    casualty = Casualty(
        person=person,
        kind=kind,
        place=place,
        event=event,
        cause=term(Vocabulary.CAUSE, cause, field="cause"),
        perpetrator=perpetrator,
        in_custody=in_custody,
        age_reported=age_reported,
        medical_details=medical_details.strip(),
        confidentiality=confidentiality or person.confidentiality,
    )
    set_fuzzy(casualty, "occurred", occurred)
    age_check(age_reported, field="age_reported")
    what = _casualty_date_label(kind)
    person_born_check(person=person, day=occurred, what=what)
    event_date_check(event=event, day=occurred, what=what)
    return casualty


def _casualty_date_label(kind: str) -> str:
    return _("Date of death") if kind == Casualty.Kind.KILLED else _("Date of injury")


@refusals_audited
@transaction.atomic
def casualty_record(
    *,
    person: Person,
    kind: str,
    occurred: FuzzyDate,
    citations: Sequence[CitationInput],
    actor: User | None,
    reason: str,
    place: Place | None = None,
    event: Event | None = None,
    cause: str | Term | None = None,
    perpetrator: Organization | None = None,
    in_custody: bool = False,
    age_reported: int | None = None,
    medical_details: str = "",
    confidentiality: str | None = None,
) -> Casualty:
    """Record that a person was killed or injured. A death must agree with the rest of the person's record:
    not before birth, not twice, not after an execution, not before an arrest or injury recorded for them."""
    require(actor, Action.ADD, Casualty)
    person_check_current(person)
    casualty = casualty_build(
        person=person, kind=kind, occurred=occurred, place=place, event=event, cause=cause,
        perpetrator=perpetrator, in_custody=in_custody, age_reported=age_reported,
        medical_details=medical_details, confidentiality=confidentiality,
    )  # fmt: skip
    what = _casualty_date_label(kind)
    if kind == Casualty.Kind.KILLED:
        person_death_unrecorded_check(person)
        person_death_check(person=person, day=occurred, what=what)
    else:
        person_alive_check(person=person, day=occurred, what=what)
    fact_save_cited(casualty, citations=citations, actor=actor, reason=reason)
    return casualty
