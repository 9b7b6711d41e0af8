"""Who is at risk on a given day, and why: the rules evaluated over the record.

Everything here reads and nothing writes. ``today`` is always passed in, so tests (and a reviewer asking
"who was at risk on 11 January?") control the clock. Days are counted conservatively: from the *last* day a
fuzzy start may stand for, so "held since Dey 1404" is never reported as longer than it certainly was.
Each risk state carries the facts it rests on and the sources cited for each (principle 1).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Model, Q

from vigil.alerts.models import SEVERITY_RANK, RiskKind, RiskRule, WatchlistEntry
from vigil.core.dates import FuzzyDate
from vigil.core.models import Confidentiality, Verification
from vigil.core.text import to_persian_digits
from vigil.core.visibility import levels_up_to
from vigil.custody.models import Case, Detention, Execution, Sentence, StatusObservation, Transfer
from vigil.people.models import Person
from vigil.places.models import Facility
from vigil.sources.models import Citation

# Custody status codes (vocabularies.json) behind each status-based rule. An authority denying the arrest
# is the defining mark of an enforced disappearance, so it counts as "whereabouts unknown".
INCOMMUNICADO_CODES = frozenset({"incommunicado", "whereabouts_unknown", "capture_denied"})
HUNGER_STRIKE_CODES = frozenset({"hunger_strike"})
NO_LAWYER_CODES = frozenset({"no_lawyer"})
HEALTH_EMERGENCY_CODES = frozenset({"health_emergency"})
DEATH_SENTENCE_CODE = "death"
_STAGE_ORDER = {stage: position for position, stage in enumerate(Case.Stage.values)}


def days_since(since: FuzzyDate, today: dt.date) -> int | None:
    """Whole days from the last day ``since`` may stand for to ``today``; None when the start is unknown."""
    if since.latest is None:
        return None
    return max(0, (today - since.latest).days)


@dataclass(frozen=True)
class SourceRef:
    id: int
    title: str
    publisher: str
    published_on: dt.date | None
    url: str
    grade: str
    confidentiality: str
    locator: str = ""

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "publisher": self.publisher,
            "published_on": self.published_on.isoformat() if self.published_on else None,
            "url": self.url,
            "grade": self.grade,
            "confidentiality": self.confidentiality,
            "locator": self.locator,
        }


@dataclass(frozen=True)
class Fact:
    """One recorded fact a risk state rests on (a status observation, a sentence, a transfer ...)."""

    model: str
    object_id: int
    label_en: str
    label_fa: str
    since: FuzzyDate
    sources: tuple[SourceRef, ...]

    def as_json(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "id": self.object_id,
            "label_en": self.label_en,
            "label_fa": self.label_fa,
            "since": self.since.value.isoformat() if self.since.value else None,
            "since_precision": str(self.since.precision),
            "sources": [source.as_json() for source in self.sources],
        }


@dataclass(frozen=True)
class RiskState:
    rule: RiskRule
    since: FuzzyDate
    days_since: int | None
    facts: tuple[Fact, ...]

    @property
    def kind(self) -> str:
        return self.rule.kind

    @property
    def severity(self) -> str:
        return self.rule.severity

    @property
    def label(self) -> str:
        return str(RiskKind(self.rule.kind).label)

    @property
    def entered_on(self) -> dt.date | None:
        """The day the condition crossed the rule's threshold."""
        if since := self.since.latest:
            return since + dt.timedelta(days=self.rule.threshold_days)
        return None

    @property
    def sources(self) -> tuple[SourceRef, ...]:
        seen: dict[int, SourceRef] = {}
        for fact in self.facts:
            for source in fact.sources:
                seen.setdefault(source.id, source)
        return tuple(seen.values())


@dataclass(frozen=True)
class PersonRisk:
    person: Person
    states: tuple[RiskState, ...]

    @property
    def severity_rank(self) -> int:
        return min(SEVERITY_RANK[state.severity] for state in self.states)

    @property
    def urgency(self) -> tuple[int, int, int]:
        """Sort key: the most severe state first, then the longest-lasting among the most severe."""
        rank = self.severity_rank
        longest = max(
            (state.days_since or 0 for state in self.states if SEVERITY_RANK[state.severity] == rank),
            default=0,
        )
        return rank, -longest, self.person.pk


@dataclass
class CustodyRecord:
    """The part of the record the rules read, loaded in a handful of queries for many people at once."""

    today: dt.date
    people: dict[int, Person]
    open_detentions: dict[int, list[Detention]] = field(default_factory=lambda: defaultdict(list))
    closed_detentions: dict[int, list[Detention]] = field(default_factory=lambda: defaultdict(list))
    statuses: dict[int, list[StatusObservation]] = field(default_factory=lambda: defaultdict(list))
    transfers: dict[int, list[Transfer]] = field(default_factory=lambda: defaultdict(list))
    sentences: dict[int, list[Sentence]] = field(default_factory=lambda: defaultdict(list))
    executed: set[int] = field(default_factory=set)
    watchlisted: set[int] = field(default_factory=set)
    citations: dict[tuple[int, int], list[SourceRef]] = field(default_factory=lambda: defaultdict(list))

    def fact(self, instance: models.Model, *, label_en: str, label_fa: str, since: FuzzyDate) -> Fact:
        content_type = ContentType.objects.get_for_model(instance)
        return Fact(
            model=f"{content_type.app_label}.{content_type.model}",
            object_id=int(instance.pk),
            label_en=label_en,
            label_fa=label_fa or label_en,
            since=since,
            sources=tuple(self.citations.get((content_type.pk, instance.pk), ())),
        )

    def state(self, rule: RiskRule, since: FuzzyDate, facts: Iterable[Fact]) -> RiskState | None:
        """A risk state when the condition has lasted long enough for ``rule``, else None. A condition
        whose start is unknown meets only rules that act at once (threshold 0)."""
        days = days_since(since, self.today)
        if (days is None and rule.threshold_days > 0) or (days is not None and days < rule.threshold_days):
            return None
        return RiskState(rule=rule, since=since, days_since=days, facts=tuple(facts))

    def detention_fact(self, detention: Detention) -> Fact:
        return self.fact(detention, label_en="Arrested", label_fa="بازداشت", since=detention.arrested)


def _known(on: str, today: dt.date) -> Q:
    """Facts dated on or before ``today``, or undated: what the record said happened by then."""
    return Q(**{f"{on}__isnull": True}) | Q(**{f"{on}__lte": today})


def load_custody_record(
    *, today: dt.date, max_confidentiality: str, person_ids: Iterable[int] | None = None
) -> CustodyRecord:
    """Load the detentions, statuses, transfers, sentences and citations the rules need, limited to what a
    reader cleared for ``max_confidentiality`` may see; retracted facts never count."""
    levels = levels_up_to(max_confidentiality)

    def visible(queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
        return queryset.filter(confidentiality__in=levels).exclude(verification=Verification.RETRACTED)

    people_qs = visible(Person.objects.filter(merged_into__isnull=True))
    if person_ids is not None:
        people_qs = people_qs.filter(pk__in=list(person_ids))
    detentions_qs = visible(Detention.objects.filter(person__in=people_qs)).filter(
        _known("arrested_on", today)
    )
    # Open on ``today``: released later, or no release recorded at all (a release kind without a date,
    # "released, date unknown", closes it, as ``custody.selectors.detention_is_open`` says).
    open_qs = detentions_qs.filter(
        Q(released_on__gt=today) | Q(released_on__isnull=True, release_kind__isnull=True)
    )
    statuses_qs = visible(StatusObservation.objects.filter(detention__in=open_qs)).filter(
        _known("started_on", today)
    )
    transfers_qs = visible(Transfer.objects.filter(detention__in=open_qs)).filter(
        _known("transferred_on", today)
    )
    cases_qs = visible(Case.objects.filter(person__in=people_qs))
    sentences_qs = visible(Sentence.objects.filter(case__in=cases_qs)).filter(_known("issued_on", today))

    detentions = list(detentions_qs.select_related("facility__parent").order_by("arrested_on", "id"))
    sentences = list(sentences_qs.select_related("kind", "case").order_by("issued_on", "id"))
    concerned = {d.person_id for d in detentions} | {s.case.person_id for s in sentences}
    record = CustodyRecord(
        today=today,
        people={p.pk: p for p in people_qs.filter(pk__in=concerned).prefetch_related("names")},
    )
    open_ids = set(open_qs.values_list("pk", flat=True))
    by_id: dict[int, Detention] = {}
    for detention in detentions:
        by_id[detention.pk] = detention
        target = record.open_detentions if detention.pk in open_ids else record.closed_detentions
        target[detention.person_id].append(detention)
    for status in statuses_qs.select_related("status").order_by("started_on", "id"):
        record.statuses[by_id[status.detention_id].person_id].append(status)
    for transfer in transfers_qs.select_related("to_facility__parent"):
        record.transfers[transfer.detention_id].append(transfer)
    for sentence in sentences:
        record.sentences[sentence.case.person_id].append(sentence)
    record.executed = set(
        visible(Execution.objects.filter(person__in=people_qs))
        .filter(_known("executed_on", today))
        .values_list("person_id", flat=True)
    )
    record.watchlisted = set(WatchlistEntry.objects.values_list("person_id", flat=True))
    _load_citations(
        record,
        levels,
        [
            (Detention, detentions_qs),
            (StatusObservation, statuses_qs),
            (Transfer, transfers_qs),
            (Sentence, sentences_qs),
            (Person, people_qs),
        ],
    )
    return record


def _load_citations(
    record: CustodyRecord,
    levels: list[str],
    facts: list[tuple[type[models.Model], models.QuerySet[Any]]],
) -> None:
    condition = Q()
    for model, queryset in facts:
        content_type = ContentType.objects.get_for_model(model)
        condition |= Q(content_type=content_type, object_id__in=queryset.values("pk"))
    citations = (
        Citation.objects.filter(condition, source__confidentiality__in=levels)
        .exclude(source__verification=Verification.RETRACTED)
        .select_related("source__publisher")
        .order_by("source__published_on", "id")
    )
    for citation in citations:
        source = citation.source
        record.citations[(citation.content_type_id, citation.object_id)].append(
            SourceRef(
                id=source.pk,
                title=str(source.title),
                publisher=str(source.publisher) if source.publisher_id else "",
                published_on=source.published_on,
                url=source.url,
                grade=source.grade,
                confidentiality=source.confidentiality,
                locator=str(citation.locator),
            )
        )


def status_run(
    record: CustodyRecord, person_id: int, codes: frozenset[str]
) -> tuple[FuzzyDate, list[StatusObservation]] | None:
    """The unbroken run of statuses with one of ``codes`` that is still going on ``today``.

    Observations that overlap or touch chain together ("whereabouts unknown" 12–20 December, then
    "incommunicado" from 20 December), so a person's days without contact count from the first of them.
    """
    matching = [s for s in record.statuses.get(person_id, []) if s.status.code in codes]
    run = [s for s in matching if s.ended_on is None or s.ended_on > record.today]
    dated = [s for s in run if s.started_on is not None]
    if not run:
        return None
    if not dated:
        return FuzzyDate.unknown(), run
    start = min(s.started_on for s in dated if s.started_on is not None)
    extended = True
    while extended:
        extended = False
        for status in matching:
            if status in run or status.started_on is None or status.ended_on is None:
                continue
            if status.started_on < start <= status.ended_on:
                run.append(status)
                start = status.started_on
                extended = True
    first = min((s for s in run if s.started_on is not None), key=lambda s: (s.started_on, s.pk))
    run.sort(key=lambda s: (s.started_on or dt.date.min, s.pk))
    return first.started, run


Evaluator = Callable[[CustodyRecord, int, RiskRule], RiskState | None]


def _status_rule(codes: frozenset[str]) -> Evaluator:
    def evaluate(record: CustodyRecord, person_id: int, rule: RiskRule) -> RiskState | None:
        found = status_run(record, person_id, codes)
        if found is None:
            return None
        since, statuses = found
        facts = [
            record.fact(s, label_en=s.status.name_en, label_fa=s.status.name_fa, since=s.started)
            for s in statuses
        ]
        return record.state(rule, since, facts)

    return evaluate


def _death_sentence(record: CustodyRecord, person_id: int, rule: RiskRule) -> RiskState | None:
    """A death sentence stands when the latest stage of a case that sentenced anything includes one: an
    appeal that replaced it with prison lifts the risk; an execution ends it."""
    if person_id in record.executed:
        return None
    by_case: dict[int, list[Sentence]] = defaultdict(list)
    for sentence in record.sentences.get(person_id, []):
        by_case[sentence.case_id].append(sentence)
    standing: list[Sentence] = []
    for sentences in by_case.values():
        last_stage = max(_STAGE_ORDER[s.stage] for s in sentences)
        standing += [
            s for s in sentences if _STAGE_ORDER[s.stage] == last_stage and s.kind.code == DEATH_SENTENCE_CODE
        ]
    if not standing:
        return None
    standing.sort(key=lambda s: (s.issued_on or dt.date.min, s.pk))
    facts = [
        record.fact(s, label_en=s.kind.name_en, label_fa=s.kind.name_fa, since=s.issued) for s in standing
    ]
    return record.state(rule, standing[-1].issued, facts)


def current_placement(
    record: CustodyRecord, detention: Detention
) -> tuple[Facility | None, FuzzyDate, Model]:
    """Where ``detention``'s person is held on ``today``, since when, and the fact that says so: the latest
    transfer by then, else the facility first held at (undated transfers count as the oldest)."""
    transfers = sorted(
        record.transfers.get(detention.pk, []), key=lambda t: (t.transferred_on or dt.date.min, t.pk)
    )
    if transfers:
        return transfers[-1].to_facility, transfers[-1].transferred, transfers[-1]
    return detention.facility, detention.arrested, detention


def _execution_facility(record: CustodyRecord, person_id: int, rule: RiskRule) -> RiskState | None:
    for detention in record.open_detentions.get(person_id, []):
        facility, since, instance = current_placement(record, detention)
        if facility is None:
            continue
        if facility.known_for_executions or (facility.parent and facility.parent.known_for_executions):
            fact = record.fact(instance, label_en=facility.name_en, label_fa=facility.name_fa, since=since)
            return record.state(rule, since, [fact])
    return None


def _minor_held(record: CustodyRecord, person_id: int, rule: RiskRule) -> RiskState | None:
    detentions = record.open_detentions.get(person_id, [])
    person = record.people[person_id]
    age = person.age_on(record.today)
    # An alert errs towards a child: possibly a minor (17 reported yesterday) is enough, unlike the counts.
    if not detentions or age is None or person.is_minor_on(record.today) is False:
        return None
    detention = detentions[0]
    age_fact = record.fact(
        person,
        label_en=f"Aged {age}",
        label_fa=to_persian_digits(f"{age} ساله"),
        since=FuzzyDate(record.today),
    )
    return record.state(rule, detention.arrested, [record.detention_fact(detention), age_fact])


def _watchlisted_rearrested(record: CustodyRecord, person_id: int, rule: RiskRule) -> RiskState | None:
    if person_id not in record.watchlisted:
        return None
    detentions = record.open_detentions.get(person_id, [])
    released = record.closed_detentions.get(person_id, [])
    if not detentions or not released:
        return None
    current = detentions[-1]
    return record.state(rule, current.arrested, [record.detention_fact(current)])


EVALUATORS: dict[str, Evaluator] = {
    RiskKind.INCOMMUNICADO: _status_rule(INCOMMUNICADO_CODES),
    RiskKind.HUNGER_STRIKE: _status_rule(HUNGER_STRIKE_CODES),
    RiskKind.NO_LAWYER: _status_rule(NO_LAWYER_CODES),
    RiskKind.HEALTH_EMERGENCY: _status_rule(HEALTH_EMERGENCY_CODES),
    RiskKind.DEATH_SENTENCE: _death_sentence,
    RiskKind.EXECUTION_FACILITY: _execution_facility,
    RiskKind.MINOR_HELD: _minor_held,
    RiskKind.WATCHLISTED_REARRESTED: _watchlisted_rearrested,
}


def evaluate_record(record: CustodyRecord, rules: Iterable[RiskRule]) -> list[PersonRisk]:
    """Apply ``rules`` to a loaded record; people in at least one risk state, most urgent first."""
    rules = list(rules)
    found: list[PersonRisk] = []
    for person_id, person in record.people.items():
        states = [
            state for rule in rules if (state := EVALUATORS[rule.kind](record, person_id, rule)) is not None
        ]
        if states:
            states.sort(key=lambda s: (SEVERITY_RANK[s.severity], -(s.days_since or 0), s.rule.pk))
            found.append(PersonRisk(person=person, states=tuple(states)))
    found.sort(key=lambda risk: risk.urgency)
    return found


def evaluate_risks(
    *,
    today: dt.date,
    rules: Iterable[RiskRule] | None = None,
    max_confidentiality: str = Confidentiality.INTERNAL,
    person_ids: Iterable[int] | None = None,
) -> list[PersonRisk]:
    """Who is at risk on ``today`` under ``rules`` (default: the active rules), judged only on facts a
    reader cleared for ``max_confidentiality`` may see. Most urgent first."""
    if rules is None:
        rules = RiskRule.objects.filter(active=True)
    record = load_custody_record(today=today, max_confidentiality=max_confidentiality, person_ids=person_ids)
    return evaluate_record(record, rules)
