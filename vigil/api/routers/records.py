"""Writes, by token, of people, sources, events, figures and what ties people to events (casualties,
involvements): each endpoint calls a domain service with the token's user as the actor, so the API can do
exactly what that user's role may do in the staff workspace (the services decide). Custody is written in
``vigil.api.routers.custody``."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Status

from vigil.accounts.models import User
from vigil.api.auth import actor_of
from vigil.api.inputs import (
    CasualtyIn,
    EventIn,
    FigureIn,
    InvolvementIn,
    NameAddIn,
    PersonIn,
    PersonPatch,
    SourceIn,
)
from vigil.api.routers import events as event_reads
from vigil.api.routers import people as people_reads
from vigil.api.routers.common import WRITE_AUTH, record_id
from vigil.api.routers.writing import (
    WRITE_TAGS,
    by_code,
    cited,
    fuzzy_date,
    known_or_unknown,
    visible_or_none,
    visible_record,
    write,
)
from vigil.api.schemas import (
    CasualtyOut,
    EventSummaryOut,
    FigureOut,
    InvolvementOut,
    NameOut,
    PersonOut,
    SourceOut,
)
from vigil.api.serialize import (
    casualty_out,
    event_summary,
    figure_out,
    involvement_out,
    person_out,
    source_out,
)
from vigil.events.models import Event
from vigil.events.services import casualty_record, event_record, involvement_record
from vigil.organizations.models import Organization
from vigil.people.models import Person
from vigil.people.services import NameInput, name_add, person_create, person_update
from vigil.places.models import Facility, Place, University
from vigil.public.selectors import Profile, person_profile
from vigil.sources.models import Source
from vigil.sources.services import figure_record, source_create

router = Router(tags=WRITE_TAGS, auth=WRITE_AUTH)
people = people_reads.router
events = event_reads.router
Id = record_id()


def _profile(actor: User, person: Person) -> dict[str, Any]:
    profile = person_profile(viewer=actor, person_id=person.pk)
    if not isinstance(profile, Profile):  # pragma: no cover - the actor just wrote it
        raise Http404
    return person_out(profile)


@write(people, "/people", PersonOut, "Record a person", exclude_unset=True)
def person_new(request: HttpRequest, body: PersonIn) -> Status[dict[str, Any]]:
    """Record a person with their names (any script) and at least one source."""
    actor = actor_of(request)
    person = person_create(
        actor=actor,
        reason=body.reason,
        names=[NameInput(n.text, n.kind, n.primary) for n in body.names],
        citations=cited(body.sources, actor),
        gender=body.gender,
        birth=fuzzy_date(body.birth, "birth"),
        reported_age=body.reported_age,
        age_reported_on=body.age_reported_on,
        ethnicity=body.ethnicity or None,
        religion=body.religion or None,
        occupations=body.occupations,
        residence=by_code(Place, body.residence, "residence"),
        summary_en=body.summary_en,
        summary_fa=body.summary_fa,
        confidentiality=body.confidentiality,
    )
    return Status(201, _profile(actor, person))


@write(
    people,
    "/people/{person_id}",
    PersonOut,
    "Change a person",
    status=200,
    method="PATCH",
    exclude_unset=True,
)
def person_change(request: HttpRequest, body: PersonPatch, person_id: int = Id) -> dict[str, Any]:
    """Change the fields given; the old values stay in the record's history with the reason."""
    actor = actor_of(request)
    person = visible_record(Person, actor, person_id)
    changes = body.dict(exclude_unset=True, exclude={"reason", "sources"})
    if "birth" in changes:
        changes["birth"] = fuzzy_date(changes["birth"], "birth")
    for field in ("ethnicity", "religion"):
        if field in changes:
            changes[field] = changes[field] or None
    person_update(
        person=person, actor=actor, reason=body.reason, citations=cited(body.sources, actor), **changes
    )
    return _profile(actor, person)


@write(people, "/people/{person_id}/names", NameOut, "Add a name")
def person_name_add(request: HttpRequest, body: NameAddIn, person_id: int = Id) -> Status[dict[str, Any]]:
    """Add a name (a spelling found in a source, a transliteration, an alias) to a person."""
    actor = actor_of(request)
    variant = name_add(
        person=visible_record(Person, actor, person_id),
        name=NameInput(
            body.text, body.kind, body.primary, visible_or_none(Source, actor, body.source_id, "source_id")
        ),
        actor=actor,
        reason=body.reason,
    )
    return Status(
        201,
        {"text": variant.text, "script": variant.script, "kind": variant.kind, "primary": variant.is_primary},
    )


@write(router, "/sources", SourceOut, "Record a source")
def source_new(request: HttpRequest, body: SourceIn) -> Status[dict[str, Any]]:
    """Record a source (a report, post, video, testimony ...). Archived copies are uploaded in the staff
    workspace."""
    actor = actor_of(request)
    source = source_create(
        actor=actor,
        reason=body.reason,
        kind=body.kind,
        title=body.title,
        publisher=by_code(Organization, body.publisher, "publisher"),
        author=body.author,
        url=body.url,
        published_on=body.published_on,
        language=body.language,
        reliability=body.reliability,
        credibility=body.credibility,
        confidentiality=body.confidentiality,
    )
    return Status(201, source_out(source))


@write(events, "/events", EventSummaryOut, "Record an event")
def event_new(request: HttpRequest, body: EventIn) -> Status[dict[str, Any]]:
    """Record an event (protest, strike, funeral, raid ...)."""
    actor = actor_of(request)
    event = event_record(
        actor=actor,
        reason=body.reason,
        kind=body.kind,
        title_en=body.title_en,
        title_fa=body.title_fa,
        citations=cited(body.sources, actor),
        started=fuzzy_date(body.started, "started"),
        ended=fuzzy_date(body.ended, "ended"),
        place=by_code(Place, body.place, "place"),
        facility=by_code(Facility, body.facility, "facility"),
        university=by_code(University, body.university, "university"),
        part_of=visible_or_none(Event, actor, body.part_of_id, "part_of_id"),
        tactics=body.tactics,
        description_en=body.description_en,
        description_fa=body.description_fa,
        confidentiality=body.confidentiality,
    )
    return Status(201, event_summary(event))


@write(events, "/events/{event_id}/involvements", InvolvementOut, "Record a person's part in an event")
def involvement_new(request: HttpRequest, body: InvolvementIn, event_id: int = Id) -> Status[dict[str, Any]]:
    """Link a person to an event with a role (participant, organiser, witness, mourner ...)."""
    actor = actor_of(request)
    involvement = involvement_record(
        actor=actor,
        reason=body.reason,
        event=visible_record(Event, actor, event_id),
        person=visible_record(Person, actor, body.person_id, "person_id"),
        role=body.role,
        citations=cited(body.sources, actor),
        note=body.note,
    )
    return Status(201, involvement_out(involvement))


@write(people, "/people/{person_id}/casualties", CasualtyOut, "Record a killing or an injury")
def casualty_new(request: HttpRequest, body: CasualtyIn, person_id: int = Id) -> Status[dict[str, Any]]:
    """Record that a person was killed or injured: when, where, how, by whom, in which event."""
    actor = actor_of(request)
    casualty = casualty_record(
        actor=actor,
        reason=body.reason,
        person=visible_record(Person, actor, person_id),
        kind=body.kind,
        occurred=known_or_unknown(body.occurred, "occurred"),
        citations=cited(body.sources, actor),
        place=by_code(Place, body.place, "place"),
        event=visible_or_none(Event, actor, body.event_id, "event_id"),
        cause=body.cause or None,
        perpetrator=by_code(Organization, body.perpetrator, "perpetrator"),
        in_custody=body.in_custody,
        age_reported=body.age_reported,
        confidentiality=body.confidentiality,
    )
    return Status(201, casualty_out(casualty))


@write(events, "/figures", FigureOut, "Record a reported figure")
def figure_new(request: HttpRequest, body: FigureIn) -> Status[dict[str, Any]]:
    """Record an aggregate figure a source published ("at least 2,300 arrested")."""
    actor = actor_of(request)
    figure = figure_record(
        actor=actor,
        reason=body.reason,
        source=visible_record(Source, actor, body.source_id, "source_id"),
        metric=body.metric,
        qualifier=body.qualifier,
        value=body.value,
        value_text=body.value_text,
        published_on=body.published_on,
        period_start=body.period_start,
        period_end=body.period_end,
        place=by_code(Place, body.place, "place"),
        facility=by_code(Facility, body.facility, "facility"),
        university=by_code(University, body.university, "university"),
        note=body.note,
        confidentiality=body.confidentiality,
    )
    return Status(201, figure_out(figure))
