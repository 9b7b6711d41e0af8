"""What every kind of row shares while it is written: the run's context (who imports, which batch, the
caches), the sources a row cites, and the outcome reported for the row."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext as _

from vigil.accounts.models import User
from vigil.exchange.cells import split_links
from vigil.exchange.duplicates import Finder
from vigil.exchange.lookups import Lookups
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
            messages=self.messages + self.warnings,
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

    def reason(self, number: int) -> str:
        return _("Imported from “%(file)s”, row %(row)s (mapping “%(mapping)s”)") % {
            "file": self.batch.file_name,
            "row": number,
            "mapping": self.mapping.name,
        }

    def cite(self, plan: SourcePlan, number: int) -> list[CitationInput]:
        """One citation per link of the row, and one of the dataset the file comes from."""
        defaults = self.mapping.defaults or {}
        confidentiality = str(defaults.get("source_confidentiality", "internal"))
        language = str(defaults.get("source_language", "fa"))
        kind = plan.kind or str(defaults.get("source_kind", DEFAULT_SOURCE_KIND))
        reason = self.reason(number)
        sources = [
            self.lookups.source(
                url=link,
                title="",
                kind=kind,
                published_on=plan.published_on,
                language=language,
                confidentiality=confidentiality,
                actor=self.actor,
                reason=reason,
            )
            for link in plan.links
        ]
        if not plan.links and plan.title:
            sources.append(
                self.lookups.source(
                    url="", title=plan.title, kind=kind, published_on=plan.published_on, language=language,
                    confidentiality=confidentiality, actor=self.actor, reason=reason,
                )
            )  # fmt: skip
        if defaults.get("dataset_title") or defaults.get("dataset_url"):
            sources.append(
                self.lookups.source(
                    url=str(defaults.get("dataset_url", "")),
                    title=str(defaults.get("dataset_title", "")),
                    kind=str(defaults.get("dataset_kind", "campaign_report")),
                    published_on=_iso_day(defaults.get("dataset_published_on")),
                    language=str(defaults.get("dataset_language", "en")),
                    confidentiality=confidentiality,
                    actor=self.actor,
                    reason=reason,
                )
            )
        quote = plan.quote
        citations = []
        for source in dict.fromkeys(sources):
            citations.append(CitationInput(source=source, quote=quote, relation=Citation.Relation.UNKNOWN))
            quote = ""  # the quote belongs to the row's own source, cited first
        return citations

    def duplicates_of(self, plan: Any) -> list[str]:
        """Who the row may describe again: people already in Vigil (not those this import created, which
        the scan compares row by row) and earlier rows of the file."""
        found: list[str] = []
        repeat = self.repeats.get(plan.number)
        if repeat is not None:
            found.append(_("row %(row)s") % {"row": repeat["row"]})
        reported_age = plan.person.get("reported_age")
        ids = self.finder(
            names=plan.names,
            reported_age=reported_age,
            gender=plan.person.get("gender"),
            place=plan.place,
            viewer=self.actor,
        )
        ids = [pk for pk in ids if pk not in self._created_people and pk not in self._pending_people]
        if ids:
            earlier = set(
                ImportRow.objects.filter(batch=self.batch, dry_run=False, person_id__in=ids).values_list(
                    "person_id", flat=True
                )
            )
            for person in Person.objects.filter(pk__in=[pk for pk in ids if pk not in earlier]):
                found.append(f"#{person.pk} {person.display_name('en')}")
        return found

    def person_created(self, person: Person, external_id: str) -> None:
        self._pending_people.add(int(person.pk))
        self.external_id_record(person, external_id)

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
