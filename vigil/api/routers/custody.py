"""Writes, by token, of custody: arrests, custody conditions and their end, transfers, releases, cases with
their stages and sentences, executions. As every write, each calls the domain service with the token's
user as the actor (see ``vigil.api.routers.records``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from vigil.api.auth import actor_of
from vigil.api.inputs import (
    CaseIn,
    CaseStageIn,
    DetentionIn,
    ExecutionIn,
    ReleaseIn,
    SentenceIn,
    StatusEndIn,
    StatusIn,
    TransferIn,
)
from vigil.api.routers import people as people_reads
from vigil.api.routers.common import WRITE_AUTH, record_id
from vigil.api.routers.writing import (
    WRITE_TAGS,
    by_code,
    by_required_code,
    cited,
    fuzzy_date,
    known_or_unknown,
    visible_or_none,
    visible_record,
    write,
)
from vigil.api.schemas import (
    CaseOut,
    CaseStageOut,
    DetentionOut,
    ExecutionOut,
    SentenceOut,
    StatusOut,
    TransferOut,
)
from vigil.api.serialize import (
    case_out,
    case_stage_out,
    detention_out,
    execution_out,
    sentence_out,
    status_out,
    transfer_out,
)
from vigil.custody.models import Case, Detention, StatusObservation
from vigil.custody.services import (
    case_open,
    case_stage_record,
    detention_record,
    detention_release,
    execution_record,
    sentence_record,
    status_end,
    status_record,
    transfer_record,
)
from vigil.events.models import Event
from vigil.organizations.models import Organization
from vigil.people.models import Person
from vigil.places.models import Facility, Place

router = Router(tags=WRITE_TAGS, auth=WRITE_AUTH)
people = people_reads.router
Id = record_id()


@write(
    people,
    "/people/{person_id}/detentions",
    DetentionOut,
    "Record an arrest",
    operation_id="vigil_api_routers_records_detention_new",
)
def detention_new(request: HttpRequest, body: DetentionIn, person_id: int = Id) -> Status[dict[str, Any]]:
    """Record an arrest of a person: the start of one custody episode."""
    actor = actor_of(request)
    detention = detention_record(
        actor=actor,
        reason=body.reason,
        person=visible_record(Person, actor, person_id),
        arrested=known_or_unknown(body.arrested, "arrested"),
        citations=cited(body.sources, actor),
        arrest_place=by_code(Place, body.arrest_place, "arrest_place"),
        facility=by_code(Facility, body.facility, "facility"),
        event=visible_or_none(Event, actor, body.event_id, "event_id"),
        note=body.note,
        confidentiality=body.confidentiality,
    )
    return Status(201, detention_out(detention))


@write(
    router,
    "/detentions/{detention_id}/statuses",
    StatusOut,
    "Record a custody status",
    operation_id="vigil_api_routers_records_status_new",
)
def status_new(request: HttpRequest, body: StatusIn, detention_id: int = Id) -> Status[dict[str, Any]]:
    """Record a condition of custody (incommunicado, hunger strike, solitary confinement ...) from a date."""
    actor = actor_of(request)
    observation = status_record(
        actor=actor,
        reason=body.reason,
        detention=visible_record(Detention, actor, detention_id),
        status=body.status,
        started=known_or_unknown(body.started, "started"),
        ended=fuzzy_date(body.ended, "ended"),
        citations=cited(body.sources, actor),
        note=body.note,
    )
    return Status(201, status_out(observation))


@write(router, "/statuses/{status_id}/end", StatusOut, "Record the end of a custody status", status=200)
def status_stop(request: HttpRequest, body: StatusEndIn, status_id: int = Id) -> dict[str, Any]:
    """Record that a condition of custody stopped (contact with the family restored, hunger strike ended
    ...). ``status_id`` is the ``id`` of a status in a detention's ``statuses``."""
    actor = actor_of(request)
    observation = visible_record(StatusObservation, actor, status_id)
    status_end(
        actor=actor,
        reason=body.reason,
        observation=observation,
        ended=known_or_unknown(body.ended, "ended"),
        citations=cited(body.sources, actor),
    )
    return status_out(observation)


@write(router, "/detentions/{detention_id}/transfers", TransferOut, "Record a transfer")
def transfer_new(request: HttpRequest, body: TransferIn, detention_id: int = Id) -> Status[dict[str, Any]]:
    """Record a move to another prison or ward during a detention."""
    actor = actor_of(request)
    transfer = transfer_record(
        actor=actor,
        reason=body.reason,
        detention=visible_record(Detention, actor, detention_id),
        to_facility=by_required_code(Facility, body.to_facility, "to_facility"),
        transferred=known_or_unknown(body.transferred, "transferred"),
        citations=cited(body.sources, actor),
        note=body.note,
    )
    return Status(201, transfer_out(transfer))


@write(
    router,
    "/detentions/{detention_id}/release",
    DetentionOut,
    "Record a release",
    status=200,
    operation_id="vigil_api_routers_records_detention_end",
)
def detention_end(request: HttpRequest, body: ReleaseIn, detention_id: int = Id) -> dict[str, Any]:
    """Record how and when a detention ended (bail, pardon, sentence served ...); the date may be unknown."""
    actor = actor_of(request)
    detention = visible_record(Detention, actor, detention_id)
    detention_release(
        detention=detention,
        released=known_or_unknown(body.released, "released"),
        release_kind=body.release_kind,
        citations=cited(body.sources, actor),
        actor=actor,
        reason=body.reason,
    )
    return detention_out(detention)


@write(people, "/people/{person_id}/cases", CaseOut, "Open a court case")
def case_new(request: HttpRequest, body: CaseIn, person_id: int = Id) -> Status[dict[str, Any]]:
    """Open a judicial case against a person: the court, the charges, and the activities the person is
    persecuted for, kept apart from the charges."""
    actor = actor_of(request)
    case = case_open(
        actor=actor,
        reason=body.reason,
        person=visible_record(Person, actor, person_id),
        citations=cited(body.sources, actor),
        detention=visible_or_none(Detention, actor, body.detention_id, "detention_id"),
        court=by_code(Organization, body.court, "court"),
        branch=body.branch,
        judge=body.judge,
        charges=body.charges,
        activities=body.activities,
        stage=body.stage,
        note=body.note,
        confidentiality=body.confidentiality,
    )
    return Status(201, case_out(case))


@write(router, "/cases/{case_id}/stages", CaseStageOut, "Record a stage of a case")
def case_stage_new(request: HttpRequest, body: CaseStageIn, case_id: int = Id) -> Status[dict[str, Any]]:
    """Record a dated step of a case (indictment, trial, verdict, appeal ...); the case's stage follows
    unless a later step is already recorded."""
    actor = actor_of(request)
    step = case_stage_record(
        actor=actor,
        reason=body.reason,
        case=visible_record(Case, actor, case_id),
        stage=body.stage,
        occurred=known_or_unknown(body.occurred, "occurred"),
        citations=cited(body.sources, actor),
        note=body.note,
    )
    return Status(201, case_stage_out(step))


@write(router, "/cases/{case_id}/sentences", SentenceOut, "Record a sentence")
def sentence_new(request: HttpRequest, body: SentenceIn, case_id: int = Id) -> Status[dict[str, Any]]:
    """Record one penalty of a sentence: "5 years and 74 lashes" is two, prison and lashes."""
    actor = actor_of(request)
    sentence = sentence_record(
        actor=actor,
        reason=body.reason,
        case=visible_record(Case, actor, case_id),
        kind=body.kind,
        issued=known_or_unknown(body.issued, "issued"),
        citations=cited(body.sources, actor),
        stage=body.stage,
        prison_months=body.prison_months,
        lashes=body.lashes,
        fine=body.fine,
        text=body.text,
    )
    return Status(201, sentence_out(sentence))


@write(people, "/people/{person_id}/executions", ExecutionOut, "Record an execution")
def execution_new(request: HttpRequest, body: ExecutionIn, person_id: int = Id) -> Status[dict[str, Any]]:
    """Record the execution of a person; it must agree with the rest of their record (one death, not before
    an arrest or injury recorded for them)."""
    actor = actor_of(request)
    execution = execution_record(
        actor=actor,
        reason=body.reason,
        person=visible_record(Person, actor, person_id),
        executed=known_or_unknown(body.executed, "executed"),
        citations=cited(body.sources, actor),
        case=visible_or_none(Case, actor, body.case_id, "case_id"),
        facility=by_code(Facility, body.facility, "facility"),
        note=body.note,
    )
    return Status(201, execution_out(execution))
