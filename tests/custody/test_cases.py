import re
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from tests.factories import (
    DetentionFactory,
    FacilityFactory,
    OrganizationFactory,
    PersonFactory,
    cite,
    day,
    staff,
)
from vigil.custody.models import Case, Execution
from vigil.custody.services import (
    case_open,
    case_stage_record,
    detention_record,
    execution_record,
    sentence_record,
)
from vigil.events.services import casualty_record
from vigil.organizations.models import Organization
from vigil.people.models import Person

pytestmark = pytest.mark.django_db


def common() -> dict[str, Any]:
    """The actor (a reviewer) and reason every service call here takes."""
    return {"actor": staff(), "reason": "Test"}


def _case(person: Person | None = None, **fields: Any) -> Case:
    return case_open(person=person or PersonFactory(), citations=[cite()], **common(), **fields)


def _court(name: str = "Revolutionary Court of Tehran") -> Organization:
    return OrganizationFactory(name_en=name, kind=Organization.Kind.JUDICIAL)


def test_a_case_keeps_charges_and_activities_apart():
    """Legal charges and the activities a person is persecuted for are separate vocabularies."""
    case = _case(
        court=_court(), branch="15", charges=["propaganda", "assembly_collusion"], activities=["journalism"]
    )
    assert set(case.charges.values_list("code", flat=True)) == {"propaganda", "assembly_collusion"}
    assert list(case.activities.values_list("code", flat=True)) == ["journalism"]
    assert case.stage == "investigation"


def test_an_unknown_charge_is_refused_listing_the_known_charges():
    """Charges are a vocabulary; nothing is saved when one is unknown."""
    with pytest.raises(ValidationError, match=r"Unknown Charge “treason”\. Known terms: .*moharebeh"):
        _case(charges=["treason"])
    assert not Case.objects.exists()


def test_a_court_must_be_a_judicial_body():
    """A case is heard by a court, not by a security force."""
    irgc = OrganizationFactory(name_en="IRGC", kind=Organization.Kind.SECURITY)
    with pytest.raises(ValidationError, match="“IRGC” is not a court or judicial body"):
        _case(court=irgc)


def test_a_case_cannot_cite_another_persons_detention():
    """The detention of a case is the same person's."""
    detention = DetentionFactory()
    with pytest.raises(ValidationError, match=rf"Detention #{detention.pk} is of another person"):
        _case(detention=detention)


def test_a_stage_moves_the_case_to_that_stage():
    """Recording a verdict puts the case at the verdict stage."""
    case = _case()
    case_stage_record(case=case, stage="trial", occurred=day(2026, 2, 1), citations=[cite()], **common())
    case_stage_record(case=case, stage="verdict", occurred=day(2026, 2, 15), citations=[cite()], **common())
    case.refresh_from_db()
    assert case.stage == "verdict"


def test_an_earlier_stage_recorded_late_does_not_move_the_case_back():
    """Entering the indictment after the verdict keeps the case at its verdict."""
    case = _case()
    case_stage_record(case=case, stage="verdict", occurred=day(2026, 2, 15), citations=[cite()], **common())
    case_stage_record(
        case=case, stage="indictment", occurred=day(2026, 1, 20), citations=[cite()], **common()
    )
    case.refresh_from_db()
    assert case.stage == "verdict"
    assert case.stages.count() == 2


def test_an_unknown_stage_is_refused():
    """Stages are fixed: investigation, indictment, trial, verdict, appeal, final, retrial."""
    with pytest.raises(ValidationError, match="is not a valid choice"):
        case_stage_record(
            case=_case(), stage="hearing", occurred=day(2026, 2, 1), citations=[cite()], **common()
        )


def test_a_prison_sentence_keeps_its_term():
    """A prison sentence records its term in months."""
    sentence = sentence_record(
        case=_case(), kind="prison", issued=day(2026, 2, 15), prison_months=60, citations=[cite()], **common()
    )
    assert (sentence.kind.code, sentence.prison_months, sentence.stage) == ("prison", 60, "verdict")


def test_lashes_on_a_prison_sentence_are_refused():
    """'Five years and 74 lashes' is two sentences: lashes on a prison sentence are refused."""
    with pytest.raises(ValidationError, match="A sentence of kind “Prison term” has no lashes"):
        sentence_record(
            case=_case(),
            kind="prison",
            issued=day(2026, 2, 15),
            prison_months=60,
            lashes=74,
            citations=[cite()],
            **common(),
        )


def test_a_term_in_months_on_a_death_sentence_is_refused():
    """A death sentence has no term."""
    with pytest.raises(ValidationError, match="A sentence of kind “Death sentence” has no prison term"):
        sentence_record(
            case=_case(),
            kind="death",
            issued=day(2026, 2, 15),
            prison_months=12,
            citations=[cite()],
            **common(),
        )


def test_a_sentence_before_birth_is_refused():
    """A sentence cannot precede the person's birth."""
    case = _case(PersonFactory(birth=day(2005, 3, 2)))
    with pytest.raises(
        ValidationError,
        match=re.escape("Date of the sentence 2001-01-01 is before the date of birth 2005-03-02."),
    ):
        sentence_record(
            case=case,
            kind="fine",
            issued=day(2001, 1, 1),
            fine="10,000,000 rials",
            citations=[cite()],
            **common(),
        )


def test_an_execution_is_recorded_with_its_case_and_place():
    """An execution cites its source and keeps its case and prison."""
    person = PersonFactory()
    case = _case(person)
    prison = FacilityFactory(name_en="Ghezel Hesar")
    execution = execution_record(
        person=person, executed=day(2026, 3, 1), case=case, facility=prison, citations=[cite()], **common()
    )
    assert (execution.case, execution.facility, execution.executed) == (case, prison, day(2026, 3, 1))


def test_an_execution_before_birth_is_refused():
    """An execution cannot precede birth."""
    person = PersonFactory(birth=day(2005, 3, 2))
    with pytest.raises(
        ValidationError, match=re.escape("Execution date 2001-01-01 is before the date of birth 2005-03-02.")
    ):
        execution_record(person=person, executed=day(2001, 1, 1), citations=[cite()], **common())


def test_a_second_execution_is_refused():
    """A person is executed once."""
    person = PersonFactory()
    execution_record(person=person, executed=day(2026, 3, 1), citations=[cite()], **common())
    with pytest.raises(ValidationError, match="already recorded as executed on 2026-03-01"):
        execution_record(person=person, executed=day(2026, 3, 2), citations=[cite()], **common())
    assert Execution.objects.count() == 1


def test_an_execution_of_a_person_recorded_as_killed_is_refused():
    """A person killed in a protest is not executed afterwards; the first record is corrected instead."""
    person = PersonFactory()
    casualty_record(person=person, kind="killed", occurred=day(2026, 1, 3), citations=[cite()], **common())
    with pytest.raises(ValidationError, match="already recorded as killed on 2026-01-03"):
        execution_record(person=person, executed=day(2026, 3, 1), citations=[cite()], **common())


def test_an_execution_before_an_arrest_is_refused():
    """An execution cannot precede an arrest recorded for the person."""
    person = PersonFactory()
    detention_record(person=person, arrested=day(2026, 1, 8), citations=[cite()], **common())
    message = re.escape(
        "Execution date 2025-12-01 is before the arrest on 2026-01-08 recorded for this person."
    )
    with pytest.raises(ValidationError, match=message):
        execution_record(person=person, executed=day(2025, 12, 1), citations=[cite()], **common())


def test_an_execution_of_a_case_of_another_person_is_refused():
    """The case of an execution is the same person's."""
    case = _case()
    with pytest.raises(ValidationError, match=rf"Case #{case.pk} is of another person"):
        execution_record(
            person=PersonFactory(), executed=day(2026, 3, 1), case=case, citations=[cite()], **common()
        )
