"""Counting named individuals: once per person, at their best verification level, minors at the date of
the fact, retracted facts never, fuzzy dates only once certainly passed."""

import datetime as dt

import pytest

from tests.factories import cite, day, month, staff
from tests.reports.conftest import (
    arrest,
    casualty,
    count,
    merge,
    minors,
    people,
    person,
    public_report,
    retract,
    set_level,
)
from vigil.core.dates import FuzzyDate
from vigil.custody.services import (
    case_open,
    detention_release,
    execution_record,
    sentence_record,
    status_end,
    status_record,
)
from vigil.reports.named import shown
from vigil.reports.render.text import render_text

pytestmark = pytest.mark.django_db


def test_a_person_arrested_twice_counts_once():
    """Two detentions of one person make one arrested person."""
    someone = person()
    first = arrest(someone, day(2025, 12, 20))
    detention_release(
        detention=first,
        released=day(2025, 12, 24),
        release_kind="bail",
        citations=[cite()],
        actor=staff(),
        reason="Test",
    )
    arrest(someone, day(2026, 1, 5))

    assert people(public_report(), "arrested") == 1


def test_a_person_counts_at_the_highest_verification_level_of_their_facts():
    """Verified beats reported: the person is one verified arrest, not one of each."""
    someone = person()
    first = arrest(someone, day(2025, 12, 20))
    detention_release(
        detention=first,
        released=day(2025, 12, 24),
        release_kind="bail",
        citations=[cite()],
        actor=staff(),
        reason="Test",
    )
    second = arrest(someone, day(2026, 1, 5))
    set_level(second, "verified")

    tally = count(public_report(), "arrested").people
    assert tally.total == 1
    assert tally.by_level == {"verified": 1, "corroborated": 0, "reported": 0, "disputed": 0}


def test_a_person_whose_facts_are_all_disputed_is_shown_as_disputed_but_not_counted():
    """Disputed facts appear in the breakdown only, never in the total."""
    detention = arrest()
    set_level(detention, "disputed")

    tally = count(public_report(), "arrested").people
    assert tally.total == 0
    assert tally.by_level["disputed"] == 1


def test_a_retracted_detention_is_never_counted():
    """A retracted arrest is in no category and no breakdown."""
    detention = arrest()
    retract(detention)

    tally = count(public_report(), "arrested").people
    assert (tally.total, sum(tally.by_level.values())) == (0, 0)


def test_a_retracted_person_is_never_counted():
    """Retracting the person withdraws every fact about them."""
    detention = arrest()
    retract(detention.person)

    assert people(public_report(), "arrested") == 0


def test_a_person_merged_into_another_counts_once_as_that_person():
    """The same man recorded twice and merged is one arrested person."""
    first, duplicate = person(), person()
    arrest(first, day(2026, 1, 5))
    arrest(duplicate, day(2026, 1, 6))
    merge(duplicate, first)

    assert people(public_report(), "arrested") == 1


def test_a_minor_is_derived_from_the_age_at_the_arrest_date():
    """17 when reported the day after the arrest: a minor at it. 17 a year before it, or even four days before
    it (a birthday may have fallen in between), or 18 a month after it: not certainly a minor, not counted
    (the count says "at least")."""
    cases = [
        (17, dt.date(2026, 1, 6)),
        (17, dt.date(2024, 12, 1)),
        (17, dt.date(2026, 1, 1)),
        (18, dt.date(2026, 2, 5)),
    ]
    for age, reported_on in cases:
        arrest(person(reported_age=age, age_reported_on=reported_on), day(2026, 1, 5))

    report = public_report()
    assert people(report, "arrested") == 4
    assert minors(report, "arrested") == 1


def test_an_age_given_with_an_undated_arrest_is_the_age_at_it():
    """An arrest of unknown date reported with "17" counts a minor at any as-of date (the arrest happened by
    the day the age was reported); "18" only as of dates a year or more before that day."""
    arrest(person(reported_age=17, age_reported_on=dt.date(2026, 11, 26)), FuzzyDate.unknown())
    arrest(person(reported_age=18, age_reported_on=dt.date(2026, 11, 26)), FuzzyDate.unknown())

    for as_of, counted in [(dt.date(2026, 11, 26), 1), (dt.date(2026, 1, 9), 1), (dt.date(2025, 11, 25), 2)]:
        report = public_report(as_of=as_of)
        assert (people(report, "arrested"), minors(report, "arrested")) == (2, counted), as_of


def test_a_birth_date_decides_minority_to_the_day():
    """Born 9 January 2008: still 17 on 8 January 2026, 18 on 9 January."""
    arrest(person(birth=day(2008, 1, 9)), day(2026, 1, 8))
    arrest(person(birth=day(2008, 1, 9)), day(2026, 1, 9))

    assert minors(public_report(), "arrested") == 1


def test_the_age_a_source_gives_for_a_killing_decides_minority():
    """ "A 16-year-old was shot": a minor whatever else the record says of their age."""
    casualty(person(reported_age=30, age_reported_on=dt.date(2026, 1, 1)), age_reported=16)

    assert minors(public_report(), "killed") == 1


def test_released_people_are_no_longer_counted_as_detained():
    """Released on 6 January: released as of the 9th, still detained as of the 5th."""
    detention = arrest(when=day(2026, 1, 2))
    detention_release(
        detention=detention,
        released=day(2026, 1, 6),
        release_kind="bail",
        citations=[cite()],
        actor=staff(),
        reason="Test",
    )

    on_the_ninth, on_the_fifth = public_report(), public_report(dt.date(2026, 1, 5))
    assert (people(on_the_ninth, "detained"), people(on_the_ninth, "released")) == (0, 1)
    assert (people(on_the_fifth, "detained"), people(on_the_fifth, "released")) == (1, 0)


def test_a_release_known_only_to_the_month_is_counted_once_the_month_is_over():
    """Released "in January 2026": on 9 January neither released nor still detained for certain."""
    detention = arrest(when=day(2025, 12, 20))
    detention_release(
        detention=detention,
        released=month(2026, 1),
        release_kind="bail",
        citations=[cite()],
        actor=staff(),
        reason="Test",
    )

    on_the_ninth, in_february = public_report(), public_report(dt.date(2026, 2, 1))
    assert (people(on_the_ninth, "detained"), people(on_the_ninth, "released")) == (0, 0)
    assert people(in_february, "released") == 1


def test_a_death_in_custody_is_not_a_release():
    """The detention ends, but the person is not counted as released."""
    detention = arrest(when=day(2026, 1, 2))
    detention_release(
        detention=detention,
        released=day(2026, 1, 6),
        release_kind="died_in_custody",
        citations=[cite()],
        actor=staff(),
        reason="Test",
    )

    report = public_report()
    assert (people(report, "detained"), people(report, "released")) == (0, 0)


def test_an_arrest_known_to_the_month_counts_only_once_the_month_is_over():
    """Arrested "in January 2026" may be after 9 January: not yet counted; counted on 31 January."""
    arrest(when=month(2026, 1))

    assert people(public_report(), "arrested") == 0
    assert people(public_report(dt.date(2026, 1, 31)), "arrested") == 1


def test_an_arrest_with_an_unknown_date_counts_but_not_inside_a_period():
    """We know she was arrested, not when: counted as of any date, never "since 28 December"."""
    arrest(when=FuzzyDate.unknown())

    assert people(public_report(), "arrested") == 1
    assert people(public_report(period_start=dt.date(2025, 12, 28)), "arrested") == 0


def test_a_period_limits_arrests_but_not_who_is_still_detained():
    """Arrested in November and still held: not an arrest since 28 December, still detained."""
    arrest(when=day(2025, 11, 20))

    report = public_report(period_start=dt.date(2025, 12, 28))
    assert (people(report, "arrested"), people(report, "detained")) == (0, 1)


def test_a_custody_condition_counts_while_it_lasts():
    """Incommunicado from 1 to 6 January: counted on the 5th, not on the 9th."""
    detention = arrest(when=day(2025, 12, 30))
    observation = status_record(
        detention=detention,
        status="incommunicado",
        started=day(2026, 1, 1),
        citations=[cite()],
        actor=staff(),
        reason="Test",
    )
    status_end(
        observation=observation, ended=day(2026, 1, 6), citations=[cite()], actor=staff(), reason="Test"
    )
    status_record(
        detention=detention,
        status="hunger_strike",
        started=day(2026, 1, 8),
        citations=[cite()],
        actor=staff(),
        reason="Test",
    )

    on_the_fifth, on_the_ninth = public_report(dt.date(2026, 1, 5)), public_report()
    assert people(on_the_fifth, "incommunicado") == 1
    assert (people(on_the_ninth, "incommunicado"), people(on_the_ninth, "hunger_strike")) == (0, 1)


def test_sentences_are_counted_by_kind_and_death_sentences_apart():
    """A prison term and a death sentence: sentenced once, to death once, each kind once."""
    detention = arrest(when=day(2025, 12, 1))
    case = case_open(
        person=detention.person, detention=detention, citations=[cite()], actor=staff(), reason="Test"
    )
    sentence_record(
        case=case,
        kind="prison",
        issued=day(2026, 1, 4),
        prison_months=60,
        citations=[cite()],
        actor=staff(),
        reason="Test",
    )
    sentence_record(
        case=case, kind="death", issued=day(2026, 1, 4), citations=[cite()], actor=staff(), reason="Test"
    )

    report = public_report()
    assert (people(report, "sentenced"), people(report, "sentenced_to_death")) == (1, 1)
    assert (people(report, "sentence:prison"), people(report, "sentence:death")) == (1, 1)
    # Shown once: death sentences are "sentenced to death", not also "sentenced: death sentence".
    listed = [count.code for count in shown(report.named)]
    assert "sentenced_to_death" in listed and "sentence:prison" in listed and "sentence:death" not in listed
    text = render_text(report)
    assert text.count("Sentenced to death: 1") == 1 and "death sentence: 1" not in text.lower()


def test_executions_killings_and_injuries_are_counted_apart():
    """One executed, one killed, one injured: one in each category."""
    execution_record(
        person=person(), executed=day(2026, 1, 2), citations=[cite()], actor=staff(), reason="Test"
    )
    casualty(kind="killed")
    casualty(kind="injured")

    report = public_report()
    assert [people(report, code) for code in ("executed", "killed", "injured")] == [1, 1, 1]
