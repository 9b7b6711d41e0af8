"""Writing many new people at once: the fast path of an import chunk.

A run of rows that each create a new person, with at most a casualty or a detention and its status, is
written together. Each row is built and checked in memory by the domain services' ``*_build`` functions
(the same checks their ``*_record`` services make; for a person who is new, the checks that read other
records have nothing to read), then each table gets one insert, with history and audit entries for every
record (``create_many_with_history``). A row the builders refuse is rejected alone, with its reasons, as
on the row-by-row path.

Rows that touch what is already recorded (a known person, a release, a sentence, an execution, a death
together with a detention) take the row-by-row path, in file order. If the database refuses the run (a
constraint the builders do not check), the caller rolls the run back and writes its rows one by one, which
names the row and the reason.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models

from vigil.core.services import create_many_with_history
from vigil.custody.models import Detention, StatusObservation
from vigil.custody.services import detention_build, status_build
from vigil.events.models import Casualty
from vigil.events.services import casualty_build
from vigil.exchange.models import ExternalId, OnDuplicate
from vigil.exchange.people_rows import (
    CASUALTY_KINDS,
    PersonPlan,
    arrest_of,
    arrest_place_of,
    person_fields_of,
    wants_detention,
)
from vigil.exchange.rowkit import RowContext, RowResult
from vigil.people.models import NameVariant, Person
from vigil.people.services import PersonDraft, person_build
from vigil.sources.services import CitationInput, citation_build, citations_check

_FAST_OUTCOMES = ("", "arrested", "disappeared", "killed", "injured")


def bulk_eligible(plan: PersonPlan, target: str, known_external: set[str]) -> bool:
    """Whether a row creates a new person whose facts need no other record checked."""
    casualty = plan.outcome in CASUALTY_KINDS
    return (
        plan.person_id is None
        and not (plan.external_id and plan.external_id in known_external)
        and not plan.person.get("occupations")
        and plan.outcome in _FAST_OUTCOMES
        and not (casualty and wants_detention(plan, target))
        and not (plan.outcome == "disappeared" and plan.status is not None)
        and plan.released is None
        and not plan.release_kind
    )


def known_external_ids(plans: Sequence[PersonPlan], context: RowContext) -> set[str]:
    """The rows' own IDs that an earlier import gave to a person, or that more than one row of ``plans``
    gives (the second row updates the first's person, on the row-by-row path)."""
    namespace = context.mapping.external_namespace
    given = Counter(plan.external_id[:200] for plan in plans if plan.external_id)
    if not namespace or not given:
        return set()
    known = set(
        ExternalId.objects.filter(
            namespace=namespace, value__in=list(given), content_type=ContentType.objects.get_for_model(Person)
        ).values_list("value", flat=True)
    )
    return known | {value for value, count in given.items() if count > 1}


@dataclass
class _Row:
    """One row's records, built and checked, waiting for their inserts."""

    plan: PersonPlan
    result: RowResult
    candidates: list[str]
    citations: list[CitationInput]
    draft: PersonDraft
    casualty: Casualty | None = None
    detention: Detention | None = None
    statuses: list[StatusObservation] = field(default_factory=list)

    def facts(self) -> list[models.Model]:
        found: list[models.Model] = [self.draft.person]
        found += [fact for fact in (self.casualty, self.detention) if fact is not None]
        return found + list(self.statuses)


def write_new_people(
    plans: Sequence[PersonPlan], target: str, context: RowContext
) -> list[RowResult | ValidationError]:
    """Write rows that each create a new person (``bulk_eligible``); for each row, its result or the
    refusal that rejects it. The caller holds a savepoint around the call."""
    context.lookups.sources_prepare(
        [request for plan in plans for request in context.source_requests(plan.sources, plan.number)]
    )
    found = context.duplicates_of_many(plans)
    answers: list[RowResult | ValidationError] = []
    rows: list[_Row] = []
    for plan, candidates in zip(plans, found, strict=True):
        result = RowResult(number=plan.number, warnings=list(plan.warnings))
        if candidates and context.mapping.on_duplicate == OnDuplicate.SKIP:
            result.skip(candidates)
            answers.append(result)
            continue
        try:
            row = _build(plan, target, context, result, candidates)
        except ValidationError as refusal:
            answers.append(refusal)
            continue
        rows.append(row)
        answers.append(result)
    _insert(rows, context)
    return answers


def _build(
    plan: PersonPlan, target: str, context: RowContext, result: RowResult, candidates: list[str]
) -> _Row:
    citations = context.cite(plan.sources, plan.number, drafts=True)
    citations_check(citations)
    person_fields = person_fields_of(plan)
    draft = person_build(names=plan.names, **person_fields)
    person = draft.person
    row = _Row(plan, result, candidates, citations, draft)
    if plan.outcome in CASUALTY_KINDS:
        row.casualty = casualty_build(
            person=person, kind=CASUALTY_KINDS[plan.outcome], occurred=plan.date, place=plan.place,
            cause=plan.cause, age_reported=plan.person.get("reported_age"),
        )  # fmt: skip
    if wants_detention(plan, target):
        detention = detention_build(
            person=person,
            arrested=arrest_of(plan),
            arrest_place=arrest_place_of(plan),
            facility=plan.facility,
        )
        row.detention = detention
        if plan.status is not None:
            row.statuses.append(
                status_build(
                    detention=detention, status=plan.status, started=plan.status_since or plan.date,
                    ended=plan.status_until,
                )
            )  # fmt: skip
        if plan.outcome == "disappeared":
            row.statuses.append(
                status_build(detention=detention, status="whereabouts_unknown", started=plan.date)
            )
    return row


def _insert(rows: list[_Row], context: RowContext) -> None:
    """One insert per table, parents first; then the rows' outcomes and the file's own IDs."""
    actor = context.actor

    def create(records: list[tuple[_Row, models.Model]], prepare: Any = None) -> None:
        # Parents were inserted first: their new primary keys are taken from the cached instances.
        create_many_with_history(
            [record for _row, record in records],
            actor=actor,
            reasons=[context.reason(row.plan.number) for row, _record in records],
            prepare=prepare,
        )

    # Sources first, those the rows being written cite: a refused row leaves no source behind.
    context.lookups.sources_save(
        [
            (citation.source, context.reason(row.plan.number))
            for row in rows
            for citation in row.citations
            if citation.source is not None
        ],
        actor=actor,
    )
    # Records are described by their person's names (audit log): none yet when the people are written
    # (as on a save), then the names just written, as reading them back would give them.
    create([(row, row.draft.person) for row in rows], prepare=_names_unread)
    create([(row, name) for row in rows for name in row.draft.names])
    for row in rows:
        _names_known(row.draft.person, row.draft.names)
    create([(row, row.casualty) for row in rows if row.casualty is not None])
    create([(row, row.detention) for row in rows if row.detention is not None])
    create([(row, status) for row in rows for status in row.statuses])
    create(
        [
            (row, citation_build(fact=fact, citation=citation))
            for row in rows
            for fact in row.facts()
            for citation in row.citations
        ]
    )
    context.people_created([(row.draft.person, row.plan.external_id) for row in rows])
    for row in rows:
        row.result.created(row.draft.person, row.candidates)
        for key, fact in (("casualty", row.casualty), ("detention", row.detention)):
            if fact is not None:
                row.result.records[key] = int(fact.pk)
        if row.statuses and row.plan.status is not None:
            row.result.records["status"] = int(row.statuses[0].pk)


def _names_unread(people: Sequence[Person]) -> None:
    for person in people:
        _names_known(person, [])


def _names_known(person: Person, names: list[NameVariant]) -> None:
    """Give ``person`` the names just written (``NameVariant``'s order: primary first, then as written)
    as if they had been read with ``prefetch_related``, rather than reading them back."""
    cached = person.names.all()
    cached._result_cache = sorted(names, key=lambda name: (not name.is_primary, name.pk))
    cached._prefetch_done = True  # type: ignore[attr-defined]
    person._prefetched_objects_cache = {"names": cached}  # type: ignore[attr-defined]
