"""Writing the facts around a person through the API: casualties, involvements in events, cases with their
stages and sentences, executions, transfers and the end of a custody condition. Each write calls the same
service as the staff workspace, as the token's user, and cites its sources."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.test import Client

from tests.api.conftest import bearer
from tests.factories import (
    REASON,
    DetentionFactory,
    EventFactory,
    PersonFactory,
    SourceFactory,
    cite,
    day,
    staff,
)
from vigil.accounts.roles import Role
from vigil.custody.models import Case, CaseStage, Execution, Sentence, StatusObservation, Transfer
from vigil.custody.services import case_open, status_record
from vigil.events.models import Casualty, Event, Involvement
from vigil.people.models import Person
from vigil.sources.models import Citation, Source

pytestmark = pytest.mark.django_db

WHY = "Lawyer's statement of 12 January"


@dataclass
class Facts:
    """A person born in 2000, arrested on 8 January 2026 and held incommunicado since, with an open case,
    and an event of 3 January 2026, all at one confidentiality level; and a source to cite."""

    person: Person
    detention_id: int
    status: StatusObservation
    case: Case
    event: Event
    source: Source


def _facts(level: str) -> Facts:
    actor = staff()
    person = PersonFactory(birth=day(2000, 1, 1), confidentiality=level)
    detention = DetentionFactory(person=person)
    status = status_record(
        detention=detention,
        status="incommunicado",
        started=day(2026, 1, 8),
        citations=[cite()],
        actor=actor,
        reason=REASON,
    )
    case = case_open(person=person, detention=detention, citations=[cite()], actor=actor, reason=REASON)
    return Facts(
        person=person,
        detention_id=detention.pk,
        status=status,
        case=case,
        event=EventFactory(confidentiality=level),
        source=SourceFactory(title="Lawyer's statement", confidentiality="internal"),
    )


@pytest.fixture
def facts() -> Facts:
    return _facts("internal")


@pytest.fixture
def hidden() -> Facts:
    """The same facts, restricted: the test tokens' users are not cleared for them."""
    return _facts("restricted")


def post(client: Client, path: str, body: dict[str, Any], key: str) -> Any:
    headers = {"Authorization": f"Bearer {key}"}
    return client.post(f"/api/v1{path}", data=body, content_type="application/json", headers=headers)


def error_of(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    error: dict[str, Any] = response.json()["error"]
    return error


def cited_body(facts: Facts, **fields: Any) -> dict[str, Any]:
    return {"reason": WHY, "sources": [{"source_id": facts.source.pk, "quote": "حکم صادر شد"}], **fields}


def assert_recorded(record: models.Model, facts: Facts) -> None:
    """The record's history names the token's user and the reason, and it cites the source given."""
    last = record.history.first()  # type: ignore[attr-defined]
    assert (last.history_user.username, last.history_change_reason) == ("test-documenter", WHY)
    assert Citation.objects.filter(
        content_type=ContentType.objects.get_for_model(record),
        object_id=record.pk,
        source=facts.source,
        quote="حکم صادر شد",
    ).exists()


def assert_nothing_cited(facts: Facts) -> None:
    """A refused write leaves no trace: every write cites ``facts.source``, and the refused one did not."""
    assert not Citation.objects.filter(source=facts.source).exists()


@dataclass(frozen=True)
class Write:
    """One write endpoint: its path for a set of facts, a valid body, and the name of its date field."""

    name: str
    path: Callable[[Facts], str]
    body: Callable[[Facts], dict[str, Any]]
    date: str | None = None


WRITES = [
    Write(
        "casualty",
        lambda f: f"/people/{f.person.pk}/casualties",
        lambda f: cited_body(f, kind="injured", occurred="2026-01-09", cause="beating"),
        "occurred",
    ),
    Write(
        "involvement",
        lambda f: f"/events/{f.event.pk}/involvements",
        lambda f: cited_body(f, person_id=f.person.pk, role="participant"),
    ),
    Write(
        "case",
        lambda f: f"/people/{f.person.pk}/cases",
        lambda f: cited_body(f, court="ir-revolutionary-court-tehran", charges=["moharebeh"]),
    ),
    Write(
        "case stage",
        lambda f: f"/cases/{f.case.pk}/stages",
        lambda f: cited_body(f, stage="trial", occurred="1404/10/25"),
        "occurred",
    ),
    Write(
        "sentence",
        lambda f: f"/cases/{f.case.pk}/sentences",
        lambda f: cited_body(f, kind="prison", issued="2026-02-01", prison_months=60),
        "issued",
    ),
    Write(
        "execution",
        lambda f: f"/people/{f.person.pk}/executions",
        lambda f: cited_body(f, executed="2026-03-01", case_id=f.case.pk, facility="ir-evin"),
        "executed",
    ),
    Write(
        "transfer",
        lambda f: f"/detentions/{f.detention_id}/transfers",
        lambda f: cited_body(f, to_facility="ir-evin", transferred="2026-01-10"),
        "transferred",
    ),
    Write(
        "status end",
        lambda f: f"/statuses/{f.status.pk}/end",
        lambda f: cited_body(f, ended="2026-01-20"),
        "ended",
    ),
]
ENDPOINT = {w.name: w for w in WRITES}
BY_NAME = pytest.mark.parametrize("endpoint", WRITES, ids=[w.name for w in WRITES])


# What each write records ------------------------------------------------------------------------------------


def test_an_injury_is_recorded_with_its_cause_and_source(client, token, facts):
    """POST /people/{id}/casualties records the casualty, cited, and answers with it."""
    response = post(
        client,
        f"/people/{facts.person.pk}/casualties",
        cited_body(facts, kind="injured", occurred="1404/10/19", cause="pellets", event_id=facts.event.pk),
        token(Role.DOCUMENTER),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["kind"], body["occurred"]["iso"], body["cause"]["code"]) == (
        "injured",
        "2026-01-09",
        "pellets",
    )
    casualty = Casualty.objects.get(pk=body["id"], person=facts.person, event=facts.event)
    assert_recorded(casualty, facts)


def test_a_person_is_linked_to_an_event_with_a_role(client, token, facts):
    """POST /events/{id}/involvements links a visible person to the event with a role."""
    response = post(
        client,
        f"/events/{facts.event.pk}/involvements",
        cited_body(facts, person_id=facts.person.pk, role="organiser"),
        token(Role.DOCUMENTER),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["event_id"], body["role"]["code"]) == (facts.event.pk, "organiser")
    involvement = Involvement.objects.get(pk=body["id"], person=facts.person, event=facts.event)
    assert_recorded(involvement, facts)


def test_a_case_is_opened_with_its_court_and_charges(client, token, facts):
    """POST /people/{id}/cases opens a case; charges and activities persecuted for are kept apart."""
    response = post(
        client,
        f"/people/{facts.person.pk}/cases",
        cited_body(
            facts,
            detention_id=facts.detention_id,
            court="ir-revolutionary-court-tehran",
            branch="15",
            charges=["moharebeh", "propaganda"],
            activities=["protest"],
            stage="indictment",
        ),
        token(Role.DOCUMENTER),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["court"]["code"] == "ir-revolutionary-court-tehran"
    assert {t["code"] for t in body["charges"]} == {"moharebeh", "propaganda"}
    assert [t["code"] for t in body["activities"]] == ["protest"]
    assert (body["stage"], body["stages"], body["sentences"]) == ("indictment", [], [])
    case = Case.objects.get(pk=body["id"], person=facts.person, detention_id=facts.detention_id)
    assert_recorded(case, facts)


def test_a_case_stage_moves_the_case_on(client, token, facts):
    """POST /cases/{id}/stages records a dated step (a Jalali date here) and the case's stage follows."""
    response = post(
        client,
        f"/cases/{facts.case.pk}/stages",
        cited_body(facts, stage="trial", occurred="1404/10/25"),
        token(Role.DOCUMENTER),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["stage"], body["occurred"]) == ("trial", {"iso": "2026-01-15", "precision": "day"})
    step = CaseStage.objects.get(pk=body["id"], case=facts.case)
    assert_recorded(step, facts)
    facts.case.refresh_from_db()
    assert facts.case.stage == "trial"


def test_a_prison_sentence_is_recorded(client, token, facts):
    """POST /cases/{id}/sentences records one penalty with its term."""
    response = post(
        client,
        f"/cases/{facts.case.pk}/sentences",
        cited_body(facts, kind="prison", issued="Bahman 1404", prison_months=60),
        token(Role.DOCUMENTER),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["kind"]["code"], body["prison_months"], body["stage"]) == ("prison", 60, "verdict")
    assert body["issued"] == {"iso": "2026-01-21/2026-02-19", "precision": "jmonth"}
    sentence = Sentence.objects.get(pk=body["id"], case=facts.case)
    assert_recorded(sentence, facts)


def test_an_execution_is_recorded(client, token, facts):
    """POST /people/{id}/executions records the execution, tied to the case and the prison."""
    response = post(
        client,
        f"/people/{facts.person.pk}/executions",
        cited_body(facts, executed="2026-03-01", case_id=facts.case.pk, facility="ir-evin"),
        token(Role.DOCUMENTER),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["executed"]["iso"], body["facility"]["code"]) == ("2026-03-01", "ir-evin")
    execution = Execution.objects.get(pk=body["id"], person=facts.person, case=facts.case)
    assert_recorded(execution, facts)


def test_a_transfer_is_recorded_and_shown_in_the_detention(client, token, facts):
    """POST /detentions/{id}/transfers records the move; the person's record lists it."""
    key = token(Role.DOCUMENTER)
    response = post(
        client,
        f"/detentions/{facts.detention_id}/transfers",
        cited_body(facts, to_facility="ir-evin", transferred="2026-01-10"),
        key,
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["to_facility"]["code"], body["transferred"]["iso"]) == ("ir-evin", "2026-01-10")
    transfer = Transfer.objects.get(pk=body["id"], detention_id=facts.detention_id)
    assert_recorded(transfer, facts)
    person = client.get(f"/api/v1/people/{facts.person.pk}", **bearer(key)).json()
    assert person["detentions"][0]["transfers"] == [body]


def test_the_end_of_a_custody_status_is_recorded(client, token, facts):
    """POST /statuses/{id}/end ends an open status (its id is in the detention's ``statuses``)."""
    key = token(Role.DOCUMENTER)
    person = client.get(f"/api/v1/people/{facts.person.pk}", **bearer(key)).json()
    status_id = person["detentions"][0]["statuses"][0]["id"]
    assert status_id == facts.status.pk
    response = post(client, f"/statuses/{status_id}/end", cited_body(facts, ended="2026-01-20"), key)
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["id"], body["status"]["code"], body["ended"]["iso"]) == (
        status_id,
        "incommunicado",
        "2026-01-20",
    )
    facts.status.refresh_from_db()
    assert str(facts.status.ended_on) == "2026-01-20"
    assert_recorded(facts.status, facts)


# Who may write, and about what ------------------------------------------------------------------------------


@BY_NAME
def test_a_viewer_may_not_write_a_fact(client, token, facts, endpoint):
    """A viewer's token is refused (403) with the reason, and nothing is cited."""
    error = error_of(post(client, endpoint.path(facts), endpoint.body(facts), token(Role.VIEWER)), 403)
    assert error["code"] == "forbidden"
    assert error["message"]
    assert_nothing_cited(facts)


@BY_NAME
def test_a_record_one_cannot_see_is_not_found(client, token, hidden, endpoint):
    """A write to a record above the caller's clearance answers 404, without revealing it."""
    error = error_of(post(client, endpoint.path(hidden), endpoint.body(hidden), token(Role.DOCUMENTER)), 404)
    assert error["code"] == "not_found"
    assert "is visible to you" in error["message"]


@pytest.mark.parametrize(
    ("endpoint", "field", "reference"),
    [
        (ENDPOINT["casualty"], "event_id", lambda f: f.event.pk),
        (ENDPOINT["involvement"], "person_id", lambda f: f.person.pk),
        (ENDPOINT["case"], "detention_id", lambda f: f.detention_id),
        (ENDPOINT["execution"], "case_id", lambda f: f.case.pk),
    ],
    ids=["casualty event", "involvement person", "case detention", "execution case"],
)
def test_a_hidden_record_named_in_the_body_is_refused(
    client, token, facts, hidden, endpoint, field, reference
):
    """A record named in the body that the caller may not see answers 400 on that field."""
    body = {**endpoint.body(facts), field: reference(hidden)}
    error = error_of(post(client, endpoint.path(facts), body, token(Role.DOCUMENTER)), 400)
    assert error["code"] == "unknown_reference"
    assert "is visible to you" in error["fields"][field][0]


@BY_NAME
def test_a_hidden_source_is_refused(client, token, facts, endpoint):
    """A fact cannot cite a source the caller may not see."""
    secret = SourceFactory(confidentiality="restricted")
    body = {**endpoint.body(facts), "sources": [{"source_id": secret.pk}]}
    error = error_of(post(client, endpoint.path(facts), body, token(Role.DOCUMENTER)), 400)
    assert error["fields"] == {"sources": [f"No source #{secret.pk} is visible to you."]}


@BY_NAME
def test_a_fact_needs_a_source(client, token, facts, endpoint):
    """An empty list of sources is refused before any service runs (422 on ``sources``)."""
    body = {**endpoint.body(facts), "sources": []}
    error = error_of(post(client, endpoint.path(facts), body, token(Role.DOCUMENTER)), 422)
    assert error["code"] == "invalid_request"
    assert any(field.endswith("sources") for field in error["fields"])


def test_a_source_cited_twice_at_the_same_place_names_the_sources(client, token, facts):
    """The same source twice at the same page answers 400 ``duplicate_citation`` with ``fields`` naming
    ``sources``, the input to correct; nothing is recorded."""
    endpoint = ENDPOINT["case"]
    body = endpoint.body(facts)
    body["sources"] = [{"source_id": facts.source.pk, "locator": "p. 2"}] * 2
    error = error_of(post(client, endpoint.path(facts), body, token(Role.DOCUMENTER)), 400)
    assert (error["code"], list(error["fields"])) == ("duplicate_citation", ["sources"])
    assert "is already cited for this fact" in error["fields"]["sources"][0]
    assert_nothing_cited(facts)


# Codes and dates --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("endpoint", "changes", "code", "said"),
    [
        (
            ENDPOINT["casualty"],
            {"cause": "laser"},
            "unknown_term",
            "Unknown Cause of death or injury “laser”",
        ),
        (ENDPOINT["casualty"], {"perpetrator": "nobody"}, "unknown_reference", "has the code “nobody”"),
        (ENDPOINT["involvement"], {"role": "bystander"}, "unknown_term", "“bystander”. Known terms:"),
        (ENDPOINT["case"], {"charges": ["treason-by-tweet"]}, "unknown_term", "“treason-by-tweet”"),
        (ENDPOINT["case"], {"court": "ir-irgc"}, "not_a_court", "is not a court"),
        (ENDPOINT["sentence"], {"kind": "banishment-forever"}, "unknown_term", "“banishment-forever”"),
        (ENDPOINT["sentence"], {"kind": "lashes", "prison_months": 12}, "amount_of_other_kind", "separate"),
        (ENDPOINT["execution"], {"facility": "nowhere"}, "unknown_reference", "has the code “nowhere”"),
        (ENDPOINT["transfer"], {"to_facility": "nowhere"}, "unknown_reference", "has the code “nowhere”"),
        (ENDPOINT["transfer"], {"to_facility": ""}, "blank", "cannot be blank"),
    ],
    ids=[
        "casualty cause",
        "casualty perpetrator",
        "involvement role",
        "case charge",
        "case court",
        "sentence kind",
        "sentence amount",
        "execution facility",
        "transfer facility",
        "transfer without a facility",
    ],
)
def test_an_unknown_code_is_refused_with_a_clear_error(client, token, facts, endpoint, changes, code, said):
    """A code that is missing, not in its vocabulary, or names the wrong kind of record answers 400 with the
    service's reason, naming the code; nothing is recorded."""
    body = endpoint.body(facts) | changes
    error = error_of(post(client, endpoint.path(facts), body, token(Role.DOCUMENTER)), 400)
    assert error["code"] == code
    assert said in error["message"]
    assert_nothing_cited(facts)


@pytest.mark.parametrize(
    ("endpoint", "field", "code"),
    [
        (ENDPOINT["casualty"], "cause", "laser"),
        (ENDPOINT["involvement"], "role", "bystander"),
        (ENDPOINT["case"], "charges", ["treason-by-tweet"]),
        (ENDPOINT["case"], "activities", ["tweeting"]),
        (ENDPOINT["sentence"], "kind", "banishment-forever"),
    ],
    ids=["casualty cause", "involvement role", "case charge", "case activity", "sentence kind"],
)
def test_an_unknown_vocabulary_term_names_its_field(client, token, facts, endpoint, field, code):
    """A code that is not a term of its vocabulary answers 400 with ``fields`` naming the input that
    carried it, as every other refused input is named."""
    body = endpoint.body(facts) | {field: code}
    error = error_of(post(client, endpoint.path(facts), body, token(Role.DOCUMENTER)), 400)
    assert (error["code"], list(error["fields"])) == ("unknown_term", [field])
    assert "Known terms:" in error["fields"][field][0]


def test_an_unknown_case_stage_is_refused_by_the_document(client, token, facts):
    """Stages are a closed list: another word answers 422 naming the field."""
    body = cited_body(facts, stage="sentencing")
    error = error_of(post(client, f"/cases/{facts.case.pk}/stages", body, token(Role.DOCUMENTER)), 422)
    assert any(field.endswith("stage") for field in error["fields"])


@pytest.mark.parametrize("endpoint", [w for w in WRITES if w.date], ids=[w.name for w in WRITES if w.date])
def test_a_date_in_the_future_is_refused(client, token, facts, endpoint):
    """Vigil records what happened: a date to come answers 400 on the date field."""
    assert endpoint.date is not None
    body = {**endpoint.body(facts), endpoint.date: "2099-01-01"}
    error = error_of(post(client, endpoint.path(facts), body, token(Role.DOCUMENTER)), 400)
    assert error["code"] == "future_date"
    assert "is in the future" in error["fields"][endpoint.date][0]  # the input, not the column (date_on)
    assert_nothing_cited(facts)


@pytest.mark.parametrize("endpoint", [w for w in WRITES if w.date], ids=[w.name for w in WRITES if w.date])
def test_a_date_that_does_not_exist_is_refused(client, token, facts, endpoint):
    """31 Esfand 1402 does not exist (1402 is not a leap year): 400 naming the field."""
    assert endpoint.date is not None
    body = {**endpoint.body(facts), endpoint.date: "31 Esfand 1402"}
    error = error_of(post(client, endpoint.path(facts), body, token(Role.DOCUMENTER)), 400)
    assert endpoint.date in error["fields"]
    assert "does not exist" in error["message"]


@pytest.mark.parametrize(
    ("endpoint", "changes", "code", "said"),
    [
        (
            ENDPOINT["casualty"],
            {"kind": "killed", "occurred": "2025-12-01"},
            "death_before_fact",
            "recorded for this person",
        ),
        (ENDPOINT["case stage"], {"occurred": "1999-12-31"}, "before_birth", "before the date of birth"),
        (ENDPOINT["sentence"], {"issued": "1999"}, "before_birth", "before the date of birth"),
        (ENDPOINT["execution"], {"executed": "2026-01-01"}, "death_before_fact", "recorded for this person"),
        (ENDPOINT["transfer"], {"transferred": "2026-01-07"}, "before_arrest", "before the arrest date"),
        (ENDPOINT["status end"], {"ended": "2026-01-07"}, "end_before_start", "before it starts"),
    ],
    ids=[
        "killed before the arrest",
        "case stage before birth",
        "sentence before birth",
        "executed before the arrest",
        "transfer before the arrest",
        "status ends before it starts",
    ],
)
def test_an_impossible_date_is_refused_with_the_reason(client, token, facts, endpoint, changes, code, said):
    """A date that contradicts the person's record answers 400 with the service's specific reason."""
    body = endpoint.body(facts) | changes
    error = error_of(post(client, endpoint.path(facts), body, token(Role.DOCUMENTER)), 400)
    assert error["code"] == code
    assert said in error["message"]
    assert_nothing_cited(facts)


def test_an_involvement_in_an_event_before_birth_is_refused(client, token, facts):
    """A person cannot take part in an event that began before they were born."""
    event = EventFactory(started=day(1979, 2, 11), confidentiality="internal")
    body = cited_body(facts, person_id=facts.person.pk, role="participant")
    error = error_of(post(client, f"/events/{event.pk}/involvements", body, token(Role.DOCUMENTER)), 400)
    assert error["code"] == "before_birth"


def test_a_second_execution_is_refused(client, token, facts):
    """A person is executed once: the second record answers 400 and points to the first."""
    key = token(Role.DOCUMENTER)
    endpoint = ENDPOINT["execution"]
    assert post(client, endpoint.path(facts), endpoint.body(facts), key).status_code == 201
    error = error_of(post(client, endpoint.path(facts), endpoint.body(facts), key), 400)
    assert error["code"] == "already_executed"


def test_a_status_ends_once(client, token, facts):
    """An ended status cannot end again: 400, correct the record instead."""
    key = token(Role.DOCUMENTER)
    endpoint = ENDPOINT["status end"]
    assert post(client, endpoint.path(facts), endpoint.body(facts), key).status_code == 200
    error = error_of(post(client, endpoint.path(facts), endpoint.body(facts), key), 400)
    assert error["code"] == "already_ended"


def test_a_case_for_another_persons_detention_is_refused(client, token, facts):
    """A case tied to a detention of someone else answers 400 on ``detention``."""
    other = DetentionFactory(person=PersonFactory(confidentiality="internal"))
    body = cited_body(facts, detention_id=other.pk)
    error = error_of(post(client, f"/people/{facts.person.pk}/cases", body, token(Role.DOCUMENTER)), 400)
    assert (error["code"], list(error["fields"])) == ("other_person", ["detention"])
