"""The event tally counts exactly what counting the events counts, for every reader, scope and as-of date,
and stays so after edits, deletions and reviews; it is what a rebuild makes."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from typing import Any

import pytest

from tests.factories import UniversityFactory, staff
from tests.reports.conftest import READERS
from vigil.core.models import Term, Vocabulary
from vigil.core.services import delete_with_history, record_review
from vigil.events.models import Event
from vigil.places.models import Facility, Place
from vigil.reports.event_counts import EventCounts, event_counts
from vigil.reports.event_tally import KEY, tally_change
from vigil.reports.models import EventTally
from vigil.reports.scope import Gazetteer, Scope, scope_country, scope_for_place
from vigil.reports.summary import summary_mark_stale, summary_ready, summary_rebuild
from vigil.reports.timeframe import Frame
from vigil.reports.visibility import Visibility

pytestmark = pytest.mark.django_db

FIRST = dt.date(2025, 12, 20)
KINDS = ["protest", "student_protest", "strike", "general_strike", "funeral"]
PRECISIONS = ["day"] * 6 + ["month", "jmonth", "unknown"]
VERIFICATIONS = ["reported", "reported", "corroborated", "verified", "disputed", "retracted"]


def _events(rng: random.Random, number: int) -> list[Event]:
    kinds = {
        term.code: term for term in Term.objects.filter(vocabulary=Vocabulary.EVENT_KIND, code__in=KINDS)
    }
    places = list(Place.objects.filter(kind__in=["province", "city"]).order_by("code")[:12])
    facilities = list(Facility.objects.order_by("code")[:2])
    universities = [UniversityFactory(place=places[1]), UniversityFactory()]
    made = []
    for index in range(number):
        precision = rng.choice(PRECISIONS)
        where: dict[str, Any] = rng.choice(
            [
                {"place": rng.choice(places)},
                {"place": rng.choice(places)},
                {"facility": rng.choice(facilities)},
                {"university": rng.choice(universities)},
                {},
            ]
        )
        made.append(
            Event.objects.create(
                kind=kinds[rng.choice(KINDS)],
                title_en=f"Test event {index}",
                started_on=None if precision == "unknown" else FIRST + dt.timedelta(days=rng.randrange(60)),
                started_precision=precision,
                confidentiality=rng.choice(["public", "public", "internal", "restricted"]),
                verification=rng.choice(VERIFICATIONS),
                **where,
            )
        )
    return made


def _counts(frame: Frame, scope: Scope, visibility: Visibility) -> EventCounts:
    return event_counts(frame, scope, visibility, Gazetteer(), days_from=frame.as_of - dt.timedelta(days=40))


def _tally_rows() -> Counter[tuple[Any, ...]]:
    found: Counter[tuple[Any, ...]] = Counter()
    for *key, events in EventTally.objects.values_list(*KEY, "events"):
        found[tuple(key)] += events
    return found


def assert_tally_counts_as_the_events() -> None:
    """Every reader, the country and a province, every fourth day: the same counts from the tally as from
    the events; and the tally kept so far is what a rebuild makes."""
    assert summary_ready()
    scopes = [scope_country(), scope_for_place(Place.objects.filter(kind="province").order_by("code")[0])]
    cases = [
        (Frame(as_of=FIRST + dt.timedelta(days=offset)), scope, visibility)
        for offset in range(0, 70, 4)
        for scope in scopes
        for visibility in READERS
    ]
    cases.append((Frame(as_of=FIRST + dt.timedelta(days=50), period_start=FIRST + dt.timedelta(days=10)),
                  scopes[0], READERS[1]))  # fmt: skip
    from_tally = [_counts(*case) for case in cases]
    kept = _tally_rows()
    summary_mark_stale()
    from_events = [_counts(*case) for case in cases]
    assert from_tally == from_events
    assert sum(counts.protests + counts.strikes for counts in from_events) > 0
    summary_rebuild()
    assert _tally_rows() == kept


def test_the_tally_counts_as_the_events_and_follows_edits_deletions_and_reviews() -> None:
    rng = random.Random(20260109)  # noqa: S311 (a seeded choice, not a secret)
    summary_rebuild()
    events = _events(rng, 120)
    assert_tally_counts_as_the_events()
    assert EventTally.objects.count() < Event.objects.count()  # shared keys are one row
    reviewer = staff()
    for event in rng.sample(events, 20):
        event.started_on = FIRST + dt.timedelta(days=rng.randrange(60))
        event.started_precision = rng.choice(PRECISIONS[:-1])
        event.place, event.facility = rng.choice([(events[0].place, None), (None, Facility.objects.first())])
        event.confidentiality = rng.choice(["public", "internal"])
        event.save()
    for event in rng.sample(events, 15):
        record_review(
            record=event, actor=reviewer, verification=rng.choice(VERIFICATIONS), reason="Test review"
        )
    for event in rng.sample(events, 10):
        delete_with_history(event, actor=staff(), reason="Test: entered twice")
    assert_tally_counts_as_the_events()


def test_taking_away_an_event_the_tally_does_not_hold_asks_for_a_rebuild() -> None:
    kind = Term.objects.get(vocabulary=Vocabulary.EVENT_KIND, code="protest").pk
    key = (kind, None, None, None, "public", dt.date(2026, 1, 3), "day")
    assert tally_change(Counter({key: 2}))
    assert not tally_change(Counter({key: -3}))
    assert tally_change(Counter({key: -2}))
    assert not EventTally.objects.exists()


def test_a_raw_save_of_an_event_marks_the_tally_not_ready() -> None:
    summary_rebuild()
    event = _events(random.Random(1), 1)[0]  # noqa: S311
    event.save_base(raw=True)
    assert not summary_ready()
