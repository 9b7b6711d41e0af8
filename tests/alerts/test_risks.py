"""The risk rules, evaluated over the record against a clock the tests control."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.alerts.records import (
    arrest,
    cite,
    facility,
    held,
    incommunicado,
    observe,
    public_source,
    rule,
    system,
)
from tests.factories import REASON, day, month
from vigil.alerts.models import RiskKind, RiskRule, Severity, WatchlistEntry
from vigil.alerts.risks import RiskState, evaluate_risks
from vigil.core.dates import parse_fuzzy_date
from vigil.custody.models import Case
from vigil.custody.services import (
    case_open,
    detention_release,
    execution_record,
    sentence_record,
    transfer_record,
)
from vigil.people.models import Person

pytestmark = pytest.mark.django_db


def states_of(person: Person, today: dt.date, max_confidentiality: str = "internal") -> dict[str, RiskState]:
    found = {
        risk.person.pk: risk for risk in evaluate_risks(today=today, max_confidentiality=max_confidentiality)
    }
    return {state.kind: state for state in found[person.pk].states} if person.pk in found else {}


def test_default_rules_are_seeded_with_thresholds():
    """The seed migration gives 30 days incommunicado and 20 days of hunger strike, all active."""
    assert rule(RiskKind.INCOMMUNICADO).threshold_days == 30
    assert rule(RiskKind.HUNGER_STRIKE).threshold_days == 20
    assert set(RiskRule.objects.filter(active=True).values_list("kind", flat=True)) == set(RiskKind.values)


def test_incommunicado_crosses_thirty_days_on_the_thirtieth_day():
    """Held incommunicado since 12 December 2025: not yet at risk on 10 January, at risk on 11 January."""
    person, _status = incommunicado(since=day(2025, 12, 12))

    assert RiskKind.INCOMMUNICADO not in states_of(person, dt.date(2026, 1, 10))
    state = states_of(person, dt.date(2026, 1, 11))[RiskKind.INCOMMUNICADO]

    assert state.days_since == 30
    assert state.entered_on == dt.date(2026, 1, 11)


def test_incommunicado_entered_in_jalali_crosses_on_the_same_day():
    """A start typed as ۲۱ آذر ۱۴۰۴ is 12 December 2025: the rule is met on ۲۱ دی ۱۴۰۴, not a day before."""
    person, _status = incommunicado(since=parse_fuzzy_date("۲۱ آذر ۱۴۰۴"))
    day_before = parse_fuzzy_date("1404/10/20").value
    crossing = parse_fuzzy_date("1404/10/21").value
    assert day_before is not None and crossing is not None

    assert RiskKind.INCOMMUNICADO not in states_of(person, day_before)
    assert states_of(person, crossing)[RiskKind.INCOMMUNICADO].days_since == 30


def test_a_start_known_to_the_month_counts_from_its_last_day():
    """ "Incommunicado since December 2025" is only certainly 30 days on 30 January 2026."""
    person, _status = incommunicado(since=month(2025, 12))

    assert RiskKind.INCOMMUNICADO not in states_of(person, dt.date(2026, 1, 29))
    assert states_of(person, dt.date(2026, 1, 30))[RiskKind.INCOMMUNICADO].days_since == 30


def test_whereabouts_unknown_then_incommunicado_count_as_one_period_without_contact():
    """Whereabouts unknown 12–20 December, then incommunicado from 20 December: days count from the 12th."""
    person, detention = held(arrested=day(2025, 12, 12))
    observe(detention, "whereabouts_unknown", day(2025, 12, 12), ended=day(2025, 12, 20))
    observe(detention, "incommunicado", day(2025, 12, 20))

    state = states_of(person, dt.date(2026, 1, 11))[RiskKind.INCOMMUNICADO]

    assert state.since.value == dt.date(2025, 12, 12)
    assert [fact.label_en for fact in state.facts] == ["Whereabouts unknown", "Held incommunicado"]


def test_contact_restored_ends_the_risk():
    """An incommunicado observation that ended before today is no risk on today."""
    person, detention = held(arrested=day(2025, 12, 12))
    observe(detention, "incommunicado", day(2025, 12, 12), ended=day(2026, 1, 5))

    assert RiskKind.INCOMMUNICADO not in states_of(person, dt.date(2026, 1, 20))


def test_each_fact_carries_the_sources_cited_for_it():
    """The risk state names the source of the status observation it rests on."""
    person, detention = held(arrested=day(2025, 12, 12))
    source = public_source(title="Statement by her son Ali Rahmani", url="https://example.org/ali")
    observe(detention, "incommunicado", day(2025, 12, 12), source=source)

    state = states_of(person, dt.date(2026, 1, 11))[RiskKind.INCOMMUNICADO]

    assert [s.title for s in state.facts[0].sources] == ["Statement by her son Ali Rahmani"]
    assert state.facts[0].sources[0].url == "https://example.org/ali"


def test_hunger_strike_crosses_twenty_days():
    """On hunger strike since 8 January 2026: at risk from 28 January."""
    person, detention = held(arrested=day(2025, 11, 1))
    observe(detention, "hunger_strike", day(2026, 1, 8))

    assert RiskKind.HUNGER_STRIKE not in states_of(person, dt.date(2026, 1, 27))
    assert states_of(person, dt.date(2026, 1, 28))[RiskKind.HUNGER_STRIKE].days_since == 20


def test_health_emergency_and_no_lawyer_are_risks_at_once():
    """Statuses health_emergency and no_lawyer meet their rules on the day they are reported."""
    person, detention = held(arrested=day(2026, 1, 2))
    observe(detention, "health_emergency", day(2026, 1, 9))
    observe(detention, "no_lawyer", day(2026, 1, 2))

    states = states_of(person, dt.date(2026, 1, 9))

    assert states[RiskKind.HEALTH_EMERGENCY].severity == Severity.CRITICAL
    assert states[RiskKind.NO_LAWYER].days_since == 7


def _case(person: Person) -> Case:
    return case_open(person=person, actor=system(), reason=REASON, citations=[cite()])


def test_death_sentence_issued_is_a_critical_risk():
    """A death sentence issued at the verdict puts the person at critical risk from that day."""
    person, _detention = held(arrested=day(2025, 10, 1))
    case = _case(person)
    sentence_record(
        case=case, kind="death", issued=day(2026, 1, 5), citations=[cite()], actor=system(), reason=REASON
    )

    assert RiskKind.DEATH_SENTENCE not in states_of(person, dt.date(2026, 1, 4))
    assert states_of(person, dt.date(2026, 1, 5))[RiskKind.DEATH_SENTENCE].severity == Severity.CRITICAL


def test_a_prison_term_on_appeal_replaces_the_death_sentence():
    """When the appeal court sentences to prison instead, the death-sentence risk is lifted."""
    person, _detention = held(arrested=day(2025, 10, 1))
    case = _case(person)
    sentence_record(
        case=case, kind="death", issued=day(2025, 12, 1), citations=[cite()], actor=system(), reason=REASON
    )
    sentence_record(
        case=case,
        kind="prison",
        prison_months=120,
        stage="appeal",
        issued=day(2026, 1, 5),
        citations=[cite()],
        actor=system(),
        reason=REASON,
    )

    assert RiskKind.DEATH_SENTENCE in states_of(person, dt.date(2026, 1, 4))
    assert RiskKind.DEATH_SENTENCE not in states_of(person, dt.date(2026, 1, 6))


def test_an_execution_ends_the_death_sentence_risk():
    """After the recorded execution the person is no longer "at risk": the alert has become a death."""
    person, _detention = held(arrested=day(2025, 10, 1))
    case = _case(person)
    sentence_record(
        case=case, kind="death", issued=day(2025, 12, 1), citations=[cite()], actor=system(), reason=REASON
    )
    execution_record(
        person=person, executed=day(2026, 1, 7), citations=[cite()], actor=system(), reason=REASON
    )

    assert RiskKind.DEATH_SENTENCE not in states_of(person, dt.date(2026, 1, 8))


def test_transfer_to_a_facility_known_for_executions():
    """A transfer to Ghezel Hesar (executions carried out there) is a critical risk from the transfer day."""
    person, detention = held(arrested=day(2025, 12, 1))
    prison = facility(name_en="Ghezel Hesar Prison", name_fa="زندان قزل‌حصار", known_for_executions=True)
    transfer_record(
        detention=detention,
        to_facility=prison,
        transferred=day(2026, 1, 6),
        citations=[cite()],
        actor=system(),
        reason=REASON,
    )

    assert RiskKind.EXECUTION_FACILITY not in states_of(person, dt.date(2026, 1, 5))
    state = states_of(person, dt.date(2026, 1, 7))[RiskKind.EXECUTION_FACILITY]
    assert state.facts[0].label_fa == "زندان قزل‌حصار"
    assert state.days_since == 1


def test_a_minor_held_is_derived_from_the_age_on_the_day():
    """A 17-year-old (as reported on 9 January 2026) held since 8 January is a minor held."""
    person, _detention = held(arrested=day(2026, 1, 8), reported_age=17, age_reported_on=dt.date(2026, 1, 9))

    assert states_of(person, dt.date(2026, 1, 10))[RiskKind.MINOR_HELD].since.value == dt.date(2026, 1, 8)


def test_an_adult_held_is_not_a_minor_held():
    """A 30-year-old held is no minor_held risk."""
    person, _detention = held(arrested=day(2026, 1, 8), reported_age=30, age_reported_on=dt.date(2026, 1, 9))

    assert RiskKind.MINOR_HELD not in states_of(person, dt.date(2026, 1, 10))


def test_a_watchlisted_person_rearrested_is_at_risk():
    """Released in November, re-arrested in January while on the watchlist: a re-arrest risk."""
    person, first = held(arrested=day(2025, 10, 1))
    detention_release(
        detention=first,
        released=day(2025, 11, 1),
        release_kind="bail",
        citations=[cite()],
        actor=system(),
        reason=REASON,
    )
    WatchlistEntry.objects.create(person=person)
    arrest(person, day(2026, 1, 8))

    assert RiskKind.WATCHLISTED_REARRESTED not in states_of(person, dt.date(2026, 1, 7))
    assert RiskKind.WATCHLISTED_REARRESTED in states_of(person, dt.date(2026, 1, 8))


def test_a_rearrest_off_the_watchlist_is_not_that_risk():
    """The re-arrest rule concerns people on the watchlist only."""
    person, first = held(arrested=day(2025, 10, 1))
    detention_release(
        detention=first,
        released=day(2025, 11, 1),
        release_kind="bail",
        citations=[cite()],
        actor=system(),
        reason=REASON,
    )
    arrest(person, day(2026, 1, 8))

    assert RiskKind.WATCHLISTED_REARRESTED not in states_of(person, dt.date(2026, 1, 9))


def test_an_inactive_rule_raises_nothing():
    """Deactivating a rule removes its risk states."""
    person, _status = incommunicado(since=day(2025, 12, 12))
    RiskRule.objects.filter(kind=RiskKind.INCOMMUNICADO).update(active=False)

    assert states_of(person, dt.date(2026, 1, 20)) == {}


def test_a_stricter_rule_of_the_same_kind_stands_beside_the_default():
    """A 60-day critical rule next to the 30-day one: on day 45 only the 30-day rule is met."""
    person, _status = incommunicado(since=day(2025, 12, 12))
    RiskRule.objects.create(kind=RiskKind.INCOMMUNICADO, threshold_days=60, severity=Severity.CRITICAL)

    found = evaluate_risks(today=dt.date(2026, 1, 26))
    thresholds = [
        state.rule.threshold_days for risk in found if risk.person == person for state in risk.states
    ]

    assert thresholds == [30]


def test_public_evaluation_ignores_internal_facts_and_sources():
    """Judged at the public level, an internal status is not seen and internal sources are not named."""
    person, detention = held(arrested=day(2025, 12, 12))
    internal_source = public_source(title="Family testimony (internal)", confidentiality="internal")
    observe(detention, "incommunicado", day(2025, 12, 12), source=internal_source)

    public_state = states_of(person, dt.date(2026, 1, 11), max_confidentiality="public")[
        RiskKind.INCOMMUNICADO
    ]
    assert public_state.facts[0].sources == ()

    internal_person, internal_detention = held(arrested=day(2025, 12, 12), confidentiality="internal")
    observe(internal_detention, "incommunicado", day(2025, 12, 12))
    assert states_of(internal_person, dt.date(2026, 1, 11), max_confidentiality="public") == {}
    assert RiskKind.INCOMMUNICADO in states_of(internal_person, dt.date(2026, 1, 11))


def test_people_are_sorted_most_urgent_first():
    """Critical before high; among equals, the longest-lasting first."""
    recent, _ = incommunicado(since=day(2025, 12, 20), names=["Recent Prisoner"])
    longest, _ = incommunicado(since=day(2025, 11, 1), names=["Longest Prisoner"])
    critical, detention = held(arrested=day(2026, 1, 1), names=["Critical Prisoner"])
    observe(detention, "health_emergency", day(2026, 1, 15))

    order = [risk.person for risk in evaluate_risks(today=dt.date(2026, 1, 25))]

    assert order == [critical, longest, recent]


def test_a_released_person_is_no_longer_at_risk():
    """After release (with a date), the open statuses end and the person leaves every risk state."""
    person, status = incommunicado(since=day(2025, 12, 12))
    detention_release(
        detention=status.detention,
        released=day(2026, 1, 20),
        release_kind="bail",
        citations=[cite()],
        actor=system(),
        reason=REASON,
    )

    assert RiskKind.INCOMMUNICADO in states_of(person, dt.date(2026, 1, 19))
    assert states_of(person, dt.date(2026, 1, 21)) == {}
