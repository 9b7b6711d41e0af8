"""The named individuals a report lists: most at risk first, each with what happened and the sources."""

import datetime as dt

import pytest

from tests.factories import cite, day, staff
from tests.reports.conftest import arrest, casualty, merge, person, public_report, public_source, set_level
from vigil.custody.services import case_open, detention_release, sentence_record, status_record
from vigil.reports.selectors import Report

pytestmark = pytest.mark.django_db


def _names(report: Report) -> list[str]:
    return [entry.name_en for entry in report.people.entries]


def test_the_killed_come_first_then_death_sentences_then_custody_conditions_then_detainees():
    """Ordered by the most serious category each person is in."""
    arrest(person(names=["Detainee"]), day(2026, 1, 8))
    held = arrest(person(names=["Held incommunicado"]), day(2026, 1, 2))
    status_record(
        detention=held,
        status="incommunicado",
        started=day(2026, 1, 3),
        citations=[cite()],
        actor=staff(),
        reason="Test",
    )
    condemned = arrest(person(names=["Condemned"]), day(2025, 12, 1))
    case = case_open(
        person=condemned.person, detention=condemned, citations=[cite()], actor=staff(), reason="Test"
    )
    sentence_record(
        case=case, kind="death", issued=day(2026, 1, 5), citations=[cite()], actor=staff(), reason="Test"
    )
    casualty(person(names=["Killed"]), when=day(2026, 1, 3))

    assert _names(public_report()) == [
        "Killed",
        "Condemned",
        "Held incommunicado",
        "Detainee",
    ]


def test_released_people_come_after_those_still_held_the_most_recent_first():
    """Two released people: the later arrest first; both after the one still held."""
    arrest(person(names=["Still held"]), day(2025, 12, 20))
    for name, arrested in (("Released early", day(2025, 12, 21)), ("Released late", day(2025, 12, 30))):
        detention = arrest(person(names=[name]), arrested)
        detention_release(
            detention=detention,
            released=day(2026, 1, 4),
            release_kind="bail",
            citations=[cite()],
            actor=staff(),
            reason="Test",
        )

    assert _names(public_report()) == ["Still held", "Released late", "Released early"]


def test_people_known_only_from_disputed_facts_are_not_listed():
    """A disputed arrest counts as disputed, and names no one."""
    set_level(arrest(person(names=["Disputed"])), "disputed")
    arrest(person(names=["Reported"]))

    report = public_report()
    assert (_names(report), report.people.total) == (["Reported"], 1)


def test_a_merged_person_is_listed_once_with_the_facts_of_both_records():
    """The duplicate's arrest and the survivor's hunger strike, under the survivor."""
    survivor, duplicate = person(names=["Survivor"]), person(names=["Duplicate"])
    detention = arrest(survivor, day(2026, 1, 2))
    status_record(
        detention=detention,
        status="hunger_strike",
        started=day(2026, 1, 6),
        citations=[cite()],
        actor=staff(),
        reason="Test",
    )
    arrest(duplicate, day(2025, 11, 1), citations=[cite(public_source(title="The duplicate's source"))])
    merge(duplicate, survivor)

    report = public_report()
    (entry,) = report.people.entries
    assert (entry.name_en, report.people.total) == ("Survivor", 1)
    assert [fact.kind for fact in entry.facts].count("arrested") == 2
    assert "The duplicate's source" in [source.title for source in entry.sources]


def test_the_list_is_limited_but_the_total_is_not():
    """Three people, two listed: the report says two of three."""
    for _n in range(3):
        arrest()

    report = public_report(people_limit=2)
    assert (len(report.people.entries), report.people.total) == (2, 3)


def test_an_age_is_given_on_the_as_of_date():
    """Reported 16 on 1 January 2026: 16 in the list as of 9 January, and a minor."""
    arrest(person(reported_age=16, age_reported_on=dt.date(2026, 1, 1)))

    (entry,) = public_report().people.entries
    assert (entry.age, entry.minor) == (16, True)
