"""Writes, by token: each endpoint calls a domain service with the token's user as the actor, so the
API can do exactly what that user's role may do in the staff workspace (the services decide)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status

from vigil.accounts.models import User
from vigil.api.auth import actor_of
from vigil.api.errors import WRITE_ERRORS
from vigil.api.inputs import (
    CitationIn,
    DetentionIn,
    EventIn,
    FigureIn,
    NameAddIn,
    PersonIn,
    PersonPatch,
    ReleaseIn,
    SourceIn,
    StatusIn,
)
from vigil.api.routers import events as event_reads
from vigil.api.routers import people as people_reads
from vigil.api.routers.common import WRITE_AUTH, record_id
from vigil.api.schemas import (
    DetentionOut,
    EventSummaryOut,
    FigureOut,
    NameOut,
    PersonOut,
    SourceOut,
    StatusOut,
)
from vigil.api.serialize import (
    detention_out,
    event_summary,
    figure_out,
    fuzzy_out,
    person_out,
    source_out,
    term_out,
)
from vigil.core.dates import FuzzyDate, parse_fuzzy_date
from vigil.core.visibility import visible
from vigil.custody.models import Detention
from vigil.custody.services import detention_record, detention_release, status_record
from vigil.events.models import Event
from vigil.events.services import event_record
from vigil.organizations.models import Organization
from vigil.people.models import Person
from vigil.people.services import NameInput, name_add, person_create, person_update
from vigil.places.models import Facility, Place, University
from vigil.public.selectors import Profile, person_profile
from vigil.sources.models import Source
from vigil.sources.services import CitationInput, figure_record, source_create

# Writes on a path that also reads (``/people``) are registered on the reading router: one route per path.
router = Router(tags=["writes (token)"], auth=WRITE_AUTH)
people = people_reads.router
events = event_reads.router
WRITE_TAGS = ["writes (token)"]

M = TypeVar("M", bound=models.Model)
Id = record_id()


def _refuse(field: str, message: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code="unknown_reference")})


def _by_code(model: type[M], code: str, field: str) -> M | None:
    """The gazetteer entry, facility or organization with ``code``; None when no code is given."""
    if not code:
        return None
    found = model._default_manager.filter(code=code).first()
    if found is None:
        raise _refuse(
            field,
            _("No %(kind)s has the code “%(code)s”.") % {"kind": model._meta.verbose_name, "code": code},
        )
    return found


def _visible(model: type[M], actor: User, pk: int, field: str | None = None) -> M:
    found = visible(model._default_manager.all(), actor).filter(pk=pk).first()
    if found is None:
        message = _("No %(kind)s #%(id)s is visible to you.") % {"kind": model._meta.verbose_name, "id": pk}
        if field is not None:
            raise _refuse(field, message)
        raise Http404(message)
    return found


def _fuzzy(text: str | None, field: str) -> FuzzyDate | None:
    if text is None:
        return None
    try:
        return parse_fuzzy_date(text)
    except ValidationError as error:
        raise ValidationError({field: error.error_list}) from error


def _citations(items: Sequence[CitationIn], actor: User) -> list[CitationInput]:
    return [
        CitationInput(
            source=_visible(Source, actor, item.source_id, "sources"),
            quote=item.quote,
            quote_language=item.quote_language,
            translation=item.translation,
            translation_method=item.translation_method,
            relation=item.relation,
            locator=item.locator,
        )
        for item in items
    ]


def _profile(actor: User, person: Person) -> dict[str, Any]:
    profile = person_profile(viewer=actor, person_id=person.pk)
    if not isinstance(profile, Profile):  # pragma: no cover - the actor just wrote it
        raise Http404
    return person_out(profile)


@people.post(
    "/people",
    auth=WRITE_AUTH,
    tags=WRITE_TAGS,
    response={201: PersonOut, **WRITE_ERRORS},
    exclude_unset=True,
    summary="Record a person",
)
def person_new(request: HttpRequest, body: PersonIn) -> Status[dict[str, Any]]:
    """Record a person with their names (any script) and at least one source."""
    actor = actor_of(request)
    person = person_create(
        actor=actor,
        reason=body.reason,
        names=[NameInput(n.text, n.kind, n.primary) for n in body.names],
        citations=_citations(body.sources, actor),
        gender=body.gender,
        birth=_fuzzy(body.birth, "birth"),
        reported_age=body.reported_age,
        age_reported_on=body.age_reported_on,
        ethnicity=body.ethnicity or None,
        religion=body.religion or None,
        occupations=body.occupations,
        residence=_by_code(Place, body.residence, "residence"),
        summary_en=body.summary_en,
        summary_fa=body.summary_fa,
        confidentiality=body.confidentiality,
    )
    return Status(201, _profile(actor, person))


@people.patch(
    "/people/{person_id}",
    auth=WRITE_AUTH,
    tags=WRITE_TAGS,
    response={200: PersonOut, **WRITE_ERRORS},
    exclude_unset=True,
    summary="Change a person",
)
def person_change(request: HttpRequest, body: PersonPatch, person_id: int = Id) -> dict[str, Any]:
    """Change the fields given; the old values stay in the record's history with the reason."""
    actor = actor_of(request)
    person = _visible(Person, actor, person_id)
    changes = body.dict(exclude_unset=True, exclude={"reason", "sources"})
    if "birth" in changes:
        changes["birth"] = _fuzzy(changes["birth"], "birth")
    for field in ("ethnicity", "religion"):
        if field in changes:
            changes[field] = changes[field] or None
    person_update(
        person=person, actor=actor, reason=body.reason, citations=_citations(body.sources, actor), **changes
    )
    return _profile(actor, person)


@people.post(
    "/people/{person_id}/names",
    auth=WRITE_AUTH,
    tags=WRITE_TAGS,
    response={201: NameOut, **WRITE_ERRORS},
    summary="Add a name",
)
def person_name_add(request: HttpRequest, body: NameAddIn, person_id: int = Id) -> Status[dict[str, Any]]:
    """Add a name (a spelling found in a source, a transliteration, an alias) to a person."""
    actor = actor_of(request)
    person = _visible(Person, actor, person_id)
    source = _visible(Source, actor, body.source_id, "source_id") if body.source_id else None
    variant = name_add(
        person=person,
        name=NameInput(body.text, body.kind, body.primary, source),
        actor=actor,
        reason=body.reason,
    )
    return Status(
        201,
        {"text": variant.text, "script": variant.script, "kind": variant.kind, "primary": variant.is_primary},
    )


@router.post("/sources", response={201: SourceOut, **WRITE_ERRORS}, summary="Record a source")
def source_new(request: HttpRequest, body: SourceIn) -> Status[dict[str, Any]]:
    """Record a source (a report, post, video, testimony ...). Archived copies are uploaded in the staff
    workspace."""
    actor = actor_of(request)
    source = source_create(
        actor=actor,
        reason=body.reason,
        kind=body.kind,
        title=body.title,
        publisher=_by_code(Organization, body.publisher, "publisher"),
        author=body.author,
        url=body.url,
        published_on=body.published_on,
        language=body.language,
        reliability=body.reliability,
        credibility=body.credibility,
        confidentiality=body.confidentiality,
    )
    return Status(201, source_out(source))


@people.post(
    "/people/{person_id}/detentions",
    auth=WRITE_AUTH,
    tags=WRITE_TAGS,
    response={201: DetentionOut, **WRITE_ERRORS},
    summary="Record an arrest",
)
def detention_new(request: HttpRequest, body: DetentionIn, person_id: int = Id) -> Status[dict[str, Any]]:
    """Record an arrest of a person: the start of one custody episode."""
    actor = actor_of(request)
    person = _visible(Person, actor, person_id)
    detention = detention_record(
        actor=actor,
        reason=body.reason,
        person=person,
        arrested=_fuzzy(body.arrested, "arrested") or FuzzyDate.unknown(),
        citations=_citations(body.sources, actor),
        arrest_place=_by_code(Place, body.arrest_place, "arrest_place"),
        facility=_by_code(Facility, body.facility, "facility"),
        event=_visible(Event, actor, body.event_id, "event_id") if body.event_id else None,
        note=body.note,
        confidentiality=body.confidentiality,
    )
    return Status(201, detention_out(detention))


@router.post(
    "/detentions/{detention_id}/statuses",
    response={201: StatusOut, **WRITE_ERRORS},
    summary="Record a custody status",
)
def status_new(request: HttpRequest, body: StatusIn, detention_id: int = Id) -> Status[dict[str, Any]]:
    """Record a condition of custody (incommunicado, hunger strike, solitary confinement ...) from a date."""
    actor = actor_of(request)
    detention = _visible(Detention, actor, detention_id)
    observation = status_record(
        actor=actor,
        reason=body.reason,
        detention=detention,
        status=body.status,
        started=_fuzzy(body.started, "started") or FuzzyDate.unknown(),
        ended=_fuzzy(body.ended, "ended"),
        citations=_citations(body.sources, actor),
        note=body.note,
    )
    return Status(
        201,
        {
            "status": term_out(observation.status),
            "started": fuzzy_out(observation.started),
            "ended": fuzzy_out(observation.ended),
        },
    )


@router.post(
    "/detentions/{detention_id}/release",
    response={200: DetentionOut, **WRITE_ERRORS},
    summary="Record a release",
)
def detention_end(request: HttpRequest, body: ReleaseIn, detention_id: int = Id) -> dict[str, Any]:
    """Record how and when a detention ended (bail, pardon, sentence served ...); the date may be unknown."""
    actor = actor_of(request)
    detention = _visible(Detention, actor, detention_id)
    detention_release(
        detention=detention,
        released=_fuzzy(body.released, "released") or FuzzyDate.unknown(),
        release_kind=body.release_kind,
        citations=_citations(body.sources, actor),
        actor=actor,
        reason=body.reason,
    )
    return detention_out(detention)


@events.post(
    "/events",
    auth=WRITE_AUTH,
    tags=WRITE_TAGS,
    response={201: EventSummaryOut, **WRITE_ERRORS},
    summary="Record an event",
)
def event_new(request: HttpRequest, body: EventIn) -> Status[dict[str, Any]]:
    """Record an event (protest, strike, funeral, raid ...)."""
    actor = actor_of(request)
    event = event_record(
        actor=actor,
        reason=body.reason,
        kind=body.kind,
        title_en=body.title_en,
        title_fa=body.title_fa,
        citations=_citations(body.sources, actor),
        started=_fuzzy(body.started, "started"),
        ended=_fuzzy(body.ended, "ended"),
        place=_by_code(Place, body.place, "place"),
        facility=_by_code(Facility, body.facility, "facility"),
        university=_by_code(University, body.university, "university"),
        part_of=_visible(Event, actor, body.part_of_id, "part_of_id") if body.part_of_id else None,
        tactics=body.tactics,
        description_en=body.description_en,
        description_fa=body.description_fa,
        confidentiality=body.confidentiality,
    )
    return Status(201, event_summary(event))


@events.post(
    "/figures",
    auth=WRITE_AUTH,
    tags=WRITE_TAGS,
    response={201: FigureOut, **WRITE_ERRORS},
    summary="Record a reported figure",
)
def figure_new(request: HttpRequest, body: FigureIn) -> Status[dict[str, Any]]:
    """Record an aggregate figure a source published ("at least 2,300 arrested")."""
    actor = actor_of(request)
    figure = figure_record(
        actor=actor,
        reason=body.reason,
        source=_visible(Source, actor, body.source_id, "source_id"),
        metric=body.metric,
        qualifier=body.qualifier,
        value=body.value,
        value_text=body.value_text,
        published_on=body.published_on,
        period_start=body.period_start,
        period_end=body.period_end,
        place=_by_code(Place, body.place, "place"),
        facility=_by_code(Facility, body.facility, "facility"),
        university=_by_code(University, body.university, "university"),
        note=body.note,
        confidentiality=body.confidentiality,
    )
    return Status(201, figure_out(figure))
