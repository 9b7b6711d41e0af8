"""What every kind of row shares while it is written: the run's context (who imports, which batch, the
caches), the sources a row cites, and the outcome reported for the row."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext as _

from vigil.accounts.models import User
from vigil.core.bulk import insert_records
from vigil.exchange.cells import split_links
from vigil.exchange.duplicates import Finder
from vigil.exchange.lookups import Lookups, SourceRequest
from vigil.exchange.mapped import Cells
from vigil.exchange.models import ExternalId, ImportBatch, ImportMapping, ImportRow, RowOutcome
from vigil.people.models import Person
from vigil.sources.models import Citation
from vigil.sources.selectors import citations_for
from vigil.sources.services import CitationInput

DEFAULT_SOURCE_KIND = "social_post"


@dataclass
class SourcePlan:
    """The sources a row cites: its own links (or a title), each a source, besides the dataset."""

    links: list[str] = field(default_factory=list)
    title: str = ""
    kind: str = ""
    published_on: dt.date | None = None
    quote: str = ""


def read_sources(cells: Cells) -> SourcePlan:
    links: list[str] = []
    for _where, text in cells.cells("source_url"):
        links.extend(split_links(text))
    return SourcePlan(
        links=list(dict.fromkeys(links)),
        title=cells.text("source_title", joiner=" "),
        kind=cells.text("source_kind", joiner=" ").lower(),
        published_on=cells.day("source_published_on"),
        quote=cells.text("quote"),
    )


def external_record(namespace: str, value: str, model: type[models.Model]) -> models.Model | None:
    """The record a file's own ID was given to by an earlier import with the same namespace."""
    found = ExternalId.objects.filter(
        namespace=namespace, value=value, content_type=ContentType.objects.get_for_model(model)
    ).first()
    return found.record if found is not None else None


@dataclass
class RowResult:
    number: int
    outcome: str = RowOutcome.REJECTED
    messages: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    person_id: int | None = None
    records: dict[str, int] = field(default_factory=dict)

    def created(self, record: models.Model, candidates: list[str]) -> None:
        self._set_record(record)
        self.outcome = RowOutcome.FLAGGED if candidates else RowOutcome.CREATED
        if candidates:
            self.messages.append(_("Possible duplicate of %(who)s.") % {"who": ", ".join(candidates)})

    def updated(self, record: models.Model) -> None:
        self._set_record(record)
        self.outcome = RowOutcome.UPDATED

    def unchanged(self, record: models.Model) -> None:
        """The row says what is recorded already: nothing is written."""
        self._set_record(record)
        self.outcome = RowOutcome.UNCHANGED

    def skip(self, candidates: list[str]) -> None:
        self.outcome = RowOutcome.SKIPPED
        self.messages.append(
            _("Not imported: possible duplicate of %(who)s.") % {"who": ", ".join(candidates)}
        )

    def note(self, message: str) -> None:
        self.messages.append(message)

    def _set_record(self, record: models.Model) -> None:
        key = record._meta.model_name or "record"
        self.records[key] = int(record.pk)
        if isinstance(record, Person):
            self.person_id = int(record.pk)

    def as_row(self, batch: ImportBatch, *, dry_run: bool) -> ImportRow:
        return ImportRow(
            batch=batch,
            dry_run=dry_run,
            number=self.number,
            outcome=self.outcome,
            # A rejected row says only why: the warnings of its cells tell how it was recorded (an age dated
            # by the import, a place kept in the notes), and it was not.
            messages=self.messages if self.outcome == RowOutcome.REJECTED else self.messages + self.warnings,
            person_id=None if dry_run else self.person_id,
            records={} if dry_run else self.records,
        )


class RowContext:
    """Everything a row writer needs besides the row: the mapping, the acting user, caches, duplicates."""

    def __init__(
        self,
        *,
        batch: ImportBatch,
        actor: User | None,
        lookups: Lookups,
        finder: Finder,
        dry_run: bool,
    ) -> None:
        self.batch = batch
        self.mapping: ImportMapping = batch.mapping
        self.actor = actor
        self.lookups = lookups
        self.finder = finder
        self.dry_run = dry_run
        self._created_people: set[int] = set()
        self._pending_people: set[int] = set()
        self._dataset_source: Any = None
        repeats = {
            int(number): finding
            for number, finding in (batch.conflicts or {}).items()
            if finding.get("kind") == "repeat"
        }
        self.repeats: dict[int, dict[str, Any]] = repeats
        # The people each row was found to be a possible duplicate of, by row number (for the review queue).
        self.flagged: dict[int, list[int]] = {}
        # The row that recorded each of the file's own IDs in this run, to name it to a later row with the
        # same ID (events; rows about people are compared by the scan).
        self.rows_by_external_id: dict[str, int] = {}
        # Every record a row writes gives this reason: translated once per run, not once per record.
        self._reason = _("Imported from “%(file)s”, row %(row)s (mapping “%(mapping)s”)")

    def reason(self, number: int) -> str:
        return self._reason % {"file": self.batch.file_name, "row": number, "mapping": self.mapping.name}

    def source_requests(self, plan: SourcePlan, number: int) -> list[SourceRequest]:
        """The sources a row cites: one per link of the row (or its title), and the dataset the file comes
        from."""
        defaults = self.mapping.defaults or {}
        own = SourceRequest(
            url="",
            title="",
            kind=plan.kind or str(defaults.get("source_kind", DEFAULT_SOURCE_KIND)),
            published_on=plan.published_on,
            language=str(defaults.get("source_language", "fa")),
            confidentiality=str(defaults.get("source_confidentiality", "internal")),
            reason=self.reason(number),
        )
        requests = [replace(own, url=link) for link in plan.links]
        if not plan.links and plan.title:
            requests.append(replace(own, title=plan.title))
        if defaults.get("dataset_title") or defaults.get("dataset_url"):
            requests.append(
                replace(
                    own,
                    url=str(defaults.get("dataset_url", "")),
                    title=str(defaults.get("dataset_title", "")),
                    kind=str(defaults.get("dataset_kind", "campaign_report")),
                    published_on=_iso_day(defaults.get("dataset_published_on")),
                    language=str(defaults.get("dataset_language", "en")),
                )
            )
        return requests

    def cite(self, plan: SourcePlan, number: int, *, drafts: bool = False) -> list[CitationInput]:
        """One citation per source of the row (``source_requests``); the quote goes with the first.
        ``drafts``: sources not yet recorded may be cited unsaved (see ``Lookups.sources_prepare``)."""
        sources = [
            self.lookups.source(request, actor=self.actor, draft=drafts)
            for request in self.source_requests(plan, number)
        ]
        quote = plan.quote
        citations = []
        for source in {id(source): source for source in sources}.values():  # drafts have no key to hash
            citations.append(CitationInput(source=source, quote=quote, relation=Citation.Relation.UNKNOWN))
            quote = ""  # the quote belongs to the row's own source, cited first
        return citations

    def duplicates_of(self, plan: Any) -> list[str]:
        """Who the row may describe again: people already in Vigil (not those this import created, which
        the scan compares row by row) and earlier rows of the file."""
        return self.duplicates_of_many([plan])[0]

    def duplicates_of_many(self, plans: Sequence[Any]) -> list[list[str]]:
        """``duplicates_of`` for many rows, with a few queries in all."""
        mine = frozenset(self._created_people | self._pending_people)
        queries = [plan.match_query(exclude=mine) for plan in plans]
        found_ids = self.finder(queries, self.actor)
        every = {pk for ids in found_ids for pk in ids}
        earlier = set(
            ImportRow.objects.filter(batch=self.batch, dry_run=False, person_id__in=every).values_list(
                "person_id", flat=True
            )
        )
        people = Person.objects.in_bulk([pk for pk in every if pk not in earlier])
        found: list[list[str]] = []
        for plan, ids in zip(plans, found_ids, strict=True):
            named: list[str] = []
            repeat = self.repeats.get(plan.number)
            if repeat is not None:
                named.append(_("row %(row)s") % {"row": repeat["row"]})
            self.flagged[plan.number] = [pk for pk in sorted(ids) if pk in people]
            named.extend(f"#{pk} {people[pk].display_name('en')}" for pk in self.flagged[plan.number])
            found.append(named)
        return found

    def queue_flagged(self, results: Sequence[RowResult]) -> None:
        """Put the people of rows flagged as possible duplicates on the review queue, each with the people
        (or the earlier row's person) it may be (``match_pairs_queue``). Rows are written first."""
        from vigil.accounts.actors import system_actor
        from vigil.matching.services import match_pairs_queue

        flagged = [r for r in results if r.outcome == RowOutcome.FLAGGED and r.person_id is not None]
        if self.dry_run or not flagged:
            return
        repeated = {r.number: self.repeats[r.number]["row"] for r in flagged if r.number in self.repeats}
        earlier = dict(
            ImportRow.objects.filter(
                batch=self.batch, dry_run=False, number__in=repeated.values(), person_id__isnull=False
            ).values_list("number", "person_id")
        )
        people = Person.objects.in_bulk([r.person_id for r in flagged])
        actor = self.actor or system_actor()
        reason = _("Flagged as a possible duplicate on import from “%(file)s”, row %(row)s")
        for result in flagged:
            named = set(self.flagged.get(result.number, ()))
            if result.number in repeated and repeated[result.number] in earlier:
                named.add(earlier[repeated[result.number]])
            match_pairs_queue(
                person=people[result.person_id],
                named=named,
                actor=actor,
                reason=reason % {"file": self.batch.file_name, "row": result.number},
            )

    def person_created(self, person: Person, external_id: str) -> None:
        self._pending_people.add(int(person.pk))
        self.external_id_record(person, external_id)

    def people_created(self, people: Sequence[tuple[Person, str]]) -> None:
        """``person_created`` for many people, with one insert of their IDs in the file. The caller has
        made sure no ID is recorded yet (``known_external_ids``): one that is (another import at the same
        time) makes the insert fail, and the rows are then written one by one."""
        self._pending_people.update(int(person.pk) for person, _external_id in people)
        namespace = self.mapping.external_namespace
        if namespace:
            content_type = ContentType.objects.get_for_model(Person)
            insert_records(
                [
                    ExternalId(
                        namespace=namespace,
                        value=external_id[:200],
                        content_type=content_type,
                        object_id=person.pk,
                    )
                    for person, external_id in people
                    if external_id
                ]
            )

    def external_id_record(self, record: models.Model, external_id: str) -> None:
        namespace = self.mapping.external_namespace
        if namespace and external_id:
            ExternalId.objects.get_or_create(
                namespace=namespace,
                value=external_id[:200],
                content_type=ContentType.objects.get_for_model(record),
                defaults={"object_id": record.pk},
            )

    def cited_source_ids(self, record: models.Model) -> set[int]:
        return set(citations_for(record).values_list("source_id", flat=True))

    def keep_row(self) -> None:
        self.lookups.keep_row()
        self._created_people.update(self._pending_people)
        self._pending_people.clear()

    def drop_row(self) -> None:
        self.lookups.drop_row()
        self._pending_people.clear()


RowWriter = Callable[[Any, str, RowContext], RowResult]


def _iso_day(value: Any) -> dt.date | None:
    if not value:
        return None
    return dt.date.fromisoformat(str(value))
