"""The named-individual summary counts exactly what counting the facts counts, on every as-of date and for
every reader, and stays so after edits, deletions, reviews, merges and unmerges."""

from __future__ import annotations

import datetime as dt
import random
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.factories import PersonFactory, staff
from tests.reports.conftest import READERS, public_report
from vigil.accounts.models import User
from vigil.core.models import Term, Vocabulary
from vigil.core.services import delete_with_history, record_review
from vigil.custody.models import Case, Detention, Execution, Sentence, StatusObservation
from vigil.events.models import Casualty
from vigil.matching.services import person_merge, person_unmerge
from vigil.people.models import Person
from vigil.reports.models import NamedSummary, SummaryChange
from vigil.reports.named import NamedOverview, NamedQueries, named_overview
from vigil.reports.scope import scope_country
from vigil.reports.summary import (
    summary_answers,
    summary_batch,
    summary_overview,
    summary_ready,
    summary_rebuild,
    summary_timeline,
)
from vigil.reports.timeframe import Frame
from vigil.reports.timeline import people_per_day
from vigil.reports.visibility import Visibility

pytestmark = pytest.mark.django_db

FIRST = dt.date(2025, 11, 20)
PRECISIONS = ["day"] * 6 + ["month", "year", "jmonth", "jyear", "unknown"]


def _both(as_of: dt.date, visibility: Visibility) -> tuple[NamedOverview, NamedOverview]:
    queries = NamedQueries(Frame(as_of=as_of), scope_country(), visibility)
    return (
        named_overview(queries, list_limit=10_000),
        summary_overview(queries, list_limit=10_000),
    )


def assert_summary_counts_as_the_facts(days: int = 150, step: int = 1) -> None:
    """Named counts, list and daily timeline, read from the summary and counted from the facts."""
    timeline_days = 0
    for offset in range(0, days, step):
        as_of = FIRST + dt.timedelta(days=offset)
        for visibility in READERS:
            facts, summary = _both(as_of, visibility)
            assert summary.counts == facts.counts, (as_of, visibility)
            assert summary.people == facts.people, (as_of, visibility)
            assert summary.listed == facts.listed, (as_of, visibility)
            queries = NamedQueries(Frame(as_of=as_of), scope_country(), visibility)
            days_from = as_of - dt.timedelta(days=59)
            per_day = people_per_day(queries, days_from=days_from)
            assert summary_timeline(queries, days_from=days_from) == per_day, (as_of, visibility)
            timeline_days += sum(map(len, per_day.values()))
    assert timeline_days, "the record has arrests or killings dated to the day"


def summary_rows() -> list[tuple[Any, ...]]:
    return sorted(
        NamedSummary.objects.values_list(
            "person_key",
            "audience",
            "category",
            "valid_from",
            "valid_until",
            "rank",
            "minor_rank",
            "severity",
            "day",
        ),
        key=repr,
    )


def summary_changes() -> list[tuple[Any, ...]]:
    """The stored changes that are not zero (an upsert may leave a zero where a rebuild writes nothing)."""
    return sorted(
        SummaryChange.objects.exclude(change=0).values_list(
            "audience", "category", "rank", "minor_rank", "day", "change"
        )
    )


def assert_summary_is_what_a_rebuild_makes() -> None:
    kept, changes = summary_rows(), summary_changes()
    summary_rebuild()
    assert summary_rows() == kept
    assert summary_changes() == changes


class _Record:
    """A varied record written straight through the models (the signals see every save): fuzzy dates of
    every precision, births and reported ages, every level and verification, merges two levels deep."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)  # noqa: S311 (a seeded record, not a secret)
        terms = Term.objects.values_list("vocabulary", "code", "id")
        self.terms: dict[str, list[int]] = {}
        for vocabulary, _code, pk in terms:
            self.terms.setdefault(vocabulary, []).append(pk)
        counted = Term.objects.filter(
            vocabulary=Vocabulary.CUSTODY_STATUS,
            code__in=["whereabouts_unknown", "incommunicado", "solitary_confinement", "hunger_strike"],
        ).values_list("id", flat=True)
        # Mostly the four conditions a report counts, sometimes one it does not.
        self.statuses = [*counted, *counted, *counted, *self.terms[Vocabulary.CUSTODY_STATUS]]
        self.people: list[Person] = []

    def day(self, start: dt.date = dt.date(2025, 12, 1), within: int = 110) -> dt.date:
        return start + dt.timedelta(days=self.rng.randrange(within))

    def fuzzy(self, start: dt.date = dt.date(2025, 12, 1), within: int = 110) -> tuple[dt.date | None, str]:
        precision = self.rng.choice(PRECISIONS)
        if precision == "unknown":
            return None, "unknown"
        value = self.day(start, within)
        if precision == "month":
            value = value.replace(day=1)
        if precision == "year":
            value = value.replace(month=1, day=1)
        return value, precision

    def levels(self) -> dict[str, str]:
        return {
            "confidentiality": self.rng.choice(["public"] * 5 + ["internal"] * 3 + ["restricted"]),
            "verification": self.rng.choice(
                ["reported"] * 5 + ["corroborated", "verified", "disputed", "retracted"]
            ),
        }

    def person(self) -> Person:
        roll = self.rng.random()
        fields: dict[str, Any] = self.levels()
        if roll < 0.3:
            fields["birth_on"] = dt.date(
                self.rng.randint(2007, 2011), self.rng.randint(1, 12), self.rng.randint(1, 28)
            )
            fields["birth_precision"] = self.rng.choice(["day", "month", "year", "jmonth", "jyear"])
        elif roll < 0.7:
            fields["reported_age"] = self.rng.choice([15, 16, 17, 17, 18, 30])
            fields["age_reported_on"] = self.day(dt.date(2025, 6, 1), 200)
        person = Person.objects.create(**fields)
        self.people.append(person)
        return person

    def detention(self, person: Person) -> Detention:
        arrested_on, precision = self.fuzzy()
        fields: dict[str, Any] = {
            "arrested_on": arrested_on,
            "arrested_precision": precision,
            **self.levels(),
        }
        roll = self.rng.random()
        if roll < 0.4:
            released_on = self.day(arrested_on or dt.date(2025, 12, 1), 60)
            fields |= {"released_on": released_on, "released_precision": self.rng.choice(PRECISIONS[:-1])}
            fields["release_kind_id"] = self.rng.choice(self.terms[Vocabulary.RELEASE_KIND])
        elif roll < 0.5:
            fields["release_kind_id"] = self.rng.choice(self.terms[Vocabulary.RELEASE_KIND])
        detention = Detention.objects.create(person=person, **fields)
        for _index in range(self.rng.choice([0, 0, 1, 2])):
            started_on, started_precision = self.fuzzy()
            ended_on = self.day(started_on or dt.date(2025, 12, 1), 50) if self.rng.random() < 0.4 else None
            StatusObservation.objects.create(
                detention=detention,
                status_id=self.rng.choice(self.statuses),
                started_on=started_on,
                started_precision=started_precision,
                ended_on=ended_on,
                ended_precision="day" if ended_on else "unknown",
                **self.levels(),
            )
        return detention

    def case(self, person: Person, detention: Detention | None) -> Case:
        case = Case.objects.create(person=person, detention=detention, **self.levels())
        for _index in range(self.rng.choice([1, 1, 2])):
            issued_on, precision = self.fuzzy()
            Sentence.objects.create(
                case=case,
                kind_id=self.rng.choice(self.terms[Vocabulary.SENTENCE_KIND]),
                issued_on=issued_on,
                issued_precision=precision,
                **self.levels(),
            )
        return case

    def casualty(self, person: Person) -> Casualty:
        occurred_on, precision = self.fuzzy()
        age = self.rng.choice([None, None, 16, 25])
        return Casualty.objects.create(
            person=person,
            kind=self.rng.choice(["killed", "injured"]),
            occurred_on=occurred_on,
            occurred_precision=precision,
            age_reported=age,
            **self.levels(),
        )

    def fill(self, people: int = 40) -> None:
        for _index in range(people):
            person = self.person()
            detentions = [self.detention(person) for _detention in range(self.rng.choice([0, 1, 1, 2]))]
            if self.rng.random() < 0.3:
                case = self.case(person, self.rng.choice([None, *detentions]))
                if self.rng.random() < 0.3 and not hasattr(person, "execution"):
                    executed_on, precision = self.fuzzy()
                    Execution.objects.create(
                        person=person,
                        case=case,
                        executed_on=executed_on,
                        executed_precision=precision,
                        **self.levels(),
                    )
            if self.rng.random() < 0.25:
                self.casualty(person)
        # Merges: some into a survivor, some into someone already merged (two levels).
        for duplicate, into in zip(self.people[::7], self.people[3::7], strict=False):
            if duplicate.pk != into.pk:
                duplicate.merged_into = into
                duplicate.save()
        chained = self.people[3]
        chained.merged_into = self.people[5]
        chained.save()


@pytest.fixture
def record() -> _Record:
    filled = _Record(seed=20260109)
    filled.fill()
    return filled


def test_the_summary_counts_as_the_facts_on_every_date_for_every_reader(record: _Record) -> None:
    """Day by day over five months, for the public, staff and restricted readers: the same counts, minors,
    levels, number of people and list order as counting the facts."""
    assert NamedSummary.objects.exists()
    assert_summary_counts_as_the_facts()


def test_the_summary_kept_through_saves_is_what_a_rebuild_makes(record: _Record) -> None:
    """Refreshing person by person on every save leaves the same rows as rebuilding from scratch."""
    assert_summary_is_what_a_rebuild_makes()


def test_the_summary_follows_edits_deletions_and_reviews(record: _Record) -> None:
    """Dates moved, facts deleted (a whole person too), facts moved to another person, births corrected,
    levels and verification changed by a reviewer: still the facts' counts, still what a rebuild makes."""
    rng = random.Random(5)  # noqa: S311 (a seeded choice, not a secret)
    reviewer = staff()
    for detention in rng.sample(list(Detention.objects.all()), 10):
        detention.arrested_on, detention.arrested_precision = record.fuzzy()
        detention.released_on = None
        detention.save()
    for status in rng.sample(list(StatusObservation.objects.all()), 3):
        status.delete()
    for casualty in Casualty.objects.all()[:3]:
        record_review(record=casualty, actor=reviewer, reason="Test: reviewed", verification="verified")
    for sentence in Sentence.objects.all()[:3]:
        record_review(record=sentence, actor=reviewer, reason="Test: reviewed", confidentiality="public")
    for case in Case.objects.all()[:2]:
        case.verification = "retracted"
        case.save()
    someone, other = rng.sample([p for p in Person.objects.filter(merged_into=None, merged_from=None)], 2)
    for detention in Detention.objects.filter(person=someone):
        detention.person = other
        detention.save()
    other.birth_on, other.birth_precision = dt.date(2009, 2, 1), "jmonth"
    other.confidentiality = "public"
    other.save()
    Detention.objects.filter(pk__in=Detention.objects.values("pk")[:2]).first().delete()  # type: ignore[union-attr]
    unmerged = Person.objects.filter(merged_into=None, merged_from=None).exclude(
        pk__in=[someone.pk, other.pk]
    )
    unmerged.first().delete()  # type: ignore[union-attr]
    assert_summary_counts_as_the_facts(step=4)
    assert_summary_is_what_a_rebuild_makes()


def _person_with_facts(**fields: Any) -> Person:
    person = PersonFactory(confidentiality="public", **fields)
    Detention.objects.create(
        person=person, arrested_on=dt.date(2026, 1, 4), arrested_precision="day", confidentiality="public"
    )
    return person


def test_a_merge_and_its_undoing_move_the_counts_with_the_facts() -> None:
    """Merged, two people with one detention each are one arrested person, a minor through the merged
    one's age; unmerged, two again, as counting the facts says at every step."""
    actor: User = staff()
    keep = _person_with_facts()
    duplicate = _person_with_facts(reported_age=16, age_reported_on=dt.date(2026, 1, 1))
    assert public_report().named_count("arrested").people.total == 2  # type: ignore[union-attr]

    person_merge(keep=keep, merge=duplicate, actor=actor, reason="Test: the same person")
    merged = public_report().named_count("arrested")
    assert merged is not None and (merged.people.total, merged.minors.total) == (1, 1)
    assert_summary_counts_as_the_facts(step=10)
    assert_summary_is_what_a_rebuild_makes()

    person_unmerge(merged=duplicate, actor=actor, reason="Test: two people after all")
    unmerged = public_report().named_count("arrested")
    assert unmerged is not None and (unmerged.people.total, unmerged.minors.total) == (2, 1)
    assert_summary_counts_as_the_facts(step=10)
    assert_summary_is_what_a_rebuild_makes()


def test_making_a_person_confidential_takes_them_out_of_the_public_count_at_once() -> None:
    """A reviewer marks the person internal: the public report stops counting them, staff still do."""
    someone = _person_with_facts()
    assert public_report().named_count("arrested").people.total == 1  # type: ignore[union-attr]

    record_review(
        record=someone, actor=staff(), reason="Test: protect the family", confidentiality="internal"
    )

    assert public_report().named_count("arrested").people.total == 0  # type: ignore[union-attr]
    assert_summary_counts_as_the_facts(step=30)


def test_deleting_a_fact_through_the_service_removes_it_from_the_summary() -> None:
    someone = _person_with_facts()
    detention = Detention.objects.get(person=someone)

    delete_with_history(detention, actor=staff(), reason="Test: recorded in error")

    assert not NamedSummary.objects.filter(person_key=someone.pk).exists()
    assert public_report().named_count("arrested").people.total == 0  # type: ignore[union-attr]


def test_national_reports_of_the_live_record_read_the_summary_and_the_others_the_facts() -> None:
    country = scope_country()
    live = NamedQueries(Frame(as_of=dt.date(2026, 1, 9)), country, READERS[0])
    period = NamedQueries(
        Frame(as_of=dt.date(2026, 1, 9), period_start=dt.date(2026, 1, 1)), country, READERS[0]
    )
    odd_reader = NamedQueries(Frame(as_of=dt.date(2026, 1, 9)), country, Visibility(("internal",)))

    assert summary_answers(live)
    assert not summary_answers(period)
    assert not summary_answers(odd_reader)


def test_a_raw_save_marks_the_summary_not_ready_until_rebuilt() -> None:
    """A fixture or a restore saves without the services: reports count the facts (and stay right) until
    the summary is rebuilt."""
    someone = _person_with_facts()
    now = timezone.now()
    raw = Detention(person=someone, arrested_on=dt.date(2026, 1, 6), arrested_precision="day")
    raw.created_at = raw.updated_at = now
    raw.save_base(raw=True)

    assert not summary_ready()
    assert not summary_answers(NamedQueries(Frame(as_of=dt.date(2026, 1, 9)), scope_country(), READERS[0]))

    out = StringIO()
    call_command("rebuild_report_summary", stdout=out)
    assert summary_ready()
    assert "Rebuilt the report summary" in out.getvalue()
    assert_summary_counts_as_the_facts(step=30)


def test_renaming_a_counted_vocabulary_code_marks_the_summary_not_ready() -> None:
    term = Term.objects.get(vocabulary=Vocabulary.SENTENCE_KIND, code="death")
    term.name_en = "Death penalty"
    term.save()
    assert summary_ready()

    term.code = "capital"
    term.save()
    assert not summary_ready()


def test_a_batch_refreshes_each_person_once_at_its_end() -> None:
    someone = _person_with_facts()
    with summary_batch():
        Detention.objects.create(person=someone, arrested_on=dt.date(2026, 1, 7), arrested_precision="day")
        assert (
            NamedSummary.objects.filter(person_key=someone.pk, category="arrested", audience=2).count() == 1
        )
        rows_inside = summary_rows()
    assert summary_rows() != rows_inside
    assert_summary_is_what_a_rebuild_makes()
