"""Writing through the API: a token acts as its user, with exactly what the user's role allows."""

from typing import Any

import pytest
from django.test import Client

from tests.api.conftest import bearer
from tests.factories import DetentionFactory, PersonFactory, SourceFactory
from vigil.accounts.roles import Role
from vigil.custody.models import Detention
from vigil.people.models import Person
from vigil.sources.models import Source

pytestmark = pytest.mark.django_db


def post(client: Client, path: str, body: dict[str, Any], key: str, method: str = "post") -> Any:
    return getattr(client, method)(path, data=body, content_type="application/json", **bearer(key))


@pytest.fixture
def source():
    return SourceFactory(title="Telegram post of 8 January", confidentiality="internal")


def person_body(source: Source, **changes: Any) -> dict[str, Any]:
    body = {
        "reason": "Telegram post of 8 January",
        "names": [{"text": "مهسا آزمون"}, {"text": "Mahsa Azmoon"}],
        "sources": [{"source_id": source.pk, "quote": "بازداشت شد"}],
        "gender": "female",
        "birth": "1381/05/12",
        "occupations": ["student"],
    }
    return {**body, **changes}


def test_a_documenter_records_a_person_with_a_jalali_birth_date(client, token, source):
    """POST /people records the person, their names and source; dates may be Jalali."""
    response = post(client, "/api/v1/people", person_body(source), token(Role.DOCUMENTER))
    assert response.status_code == 201, response.content
    body = response.json()
    assert {n["text"] for n in body["names"]} == {"مهسا آزمون", "Mahsa Azmoon"}
    assert body["birth"]["iso"] == "2002-08-03"
    assert Person.objects.get(pk=body["id"]).history.first().history_user.username == "test-documenter"


def test_a_documenter_cannot_publish(client, token, source):
    """A record a documenter asks to make public is saved as an internal proposal (reviewers publish)."""
    response = post(
        client, "/api/v1/people", person_body(source, confidentiality="public"), token(Role.DOCUMENTER)
    )
    assert response.status_code == 201
    assert response.json()["confidentiality"] == "internal"


def test_a_viewer_may_not_write(client, token, source):
    """A viewer's token is refused with 403 and the reason."""
    response = post(client, "/api/v1/people", person_body(source), token(Role.VIEWER))
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"


def test_writing_needs_a_token(client, source):
    """Without a token a write answers 401."""
    response = client.post("/api/v1/people", data=person_body(source), content_type="application/json")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"


def test_a_refused_fact_says_which_field_to_fix(client, token, source):
    """A date that does not exist answers 400 naming the field and the reason."""
    response = post(
        client, "/api/v1/people", person_body(source, birth="31 Esfand 1402"), token(Role.DOCUMENTER)
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert "birth" in error["fields"]
    assert "does not exist" in error["message"]


def test_a_fact_without_a_source_is_refused(client, token, source):
    """Every fact needs a source: an empty list answers 422 on ``body.sources``."""
    response = post(client, "/api/v1/people", person_body(source, sources=[]), token(Role.DOCUMENTER))
    assert response.status_code == 422
    assert "body.body.sources" in response.json()["error"]["fields"] or any(
        "sources" in field for field in response.json()["error"]["fields"]
    )


def test_control_characters_are_refused(client, token, source):
    """Text with a NUL character never reaches the database."""
    response = post(
        client, "/api/v1/people", person_body(source, reason="bad\x00reason"), token(Role.DOCUMENTER)
    )
    assert response.status_code == 422


def test_a_person_is_changed_with_history(client, token, source):
    """PATCH changes only the fields given and keeps the reason in the history."""
    person = PersonFactory(names=["Test Patch"], confidentiality="internal")
    response = post(
        client,
        f"/api/v1/people/{person.pk}",
        {"reason": "Family statement", "gender": "male", "ethnicity": "kurd"},
        token(Role.DOCUMENTER),
        method="patch",
    )
    assert response.status_code == 200, response.content
    person.refresh_from_db()
    assert person.gender == "male"
    assert person.ethnicity is not None and person.ethnicity.code == "kurd"
    assert person.history.first().history_change_reason == "Family statement"


def test_a_misspelt_or_unknown_key_is_refused_not_ignored(client, token):
    """{"summery_en": ...} answered 200 and changed nothing; a key the body does not take is a 422 naming it.
    A name with a right-to-left override (shown reversed) is refused like other control characters."""
    person = PersonFactory(names=["Test Patch"], confidentiality="internal")
    key = token(Role.DOCUMENTER)
    path = f"/api/v1/people/{person.pk}"
    response = post(client, path, {"reason": "t", "summery_en": "typo"}, key, method="patch")
    assert response.status_code == 422 and "body.summery_en" in response.json()["error"]["fields"]
    response = post(client, f"{path}/names", {"reason": "t", "text": "Evil\u202eName"}, key)
    assert response.status_code == 422 and "control characters" in str(response.json()["error"]["fields"])
    assert not person.names.filter(text__contains="Evil").exists()
    assert post(client, f"{path}/names", {"reason": "t", "text": "Evil Name"}, key).status_code == 201


def test_a_name_is_added(client, token):
    """POST /people/{id}/names adds a spelling; the search finds it at once."""
    person = PersonFactory(names=["Test Name"], confidentiality="internal")
    key = token(Role.DOCUMENTER)
    response = post(
        client, f"/api/v1/people/{person.pk}/names", {"reason": "HRANA", "text": "Testa Namoo"}, key
    )
    assert response.status_code == 201
    assert response.json()["script"] == "latn"
    found = client.get("/api/v1/search?q=Namoo", **bearer(key)).json()["results"]
    assert [row["id"] for row in found] == [person.pk]


def test_a_source_is_recorded(client, token):
    """POST /sources records a source."""
    response = post(
        client,
        "/api/v1/sources",
        {
            "reason": "New report",
            "kind": "ngo_report",
            "title": "HRANA report 10 January",
            "published_on": "2026-01-10",
        },
        token(Role.DOCUMENTER),
    )
    assert response.status_code == 201, response.content
    assert response.json()["kind"]["code"] == "ngo_report"


def test_an_arrest_status_and_release_are_recorded(client, token, source):
    """An arrest, a custody status and the release, each with its source."""
    person = PersonFactory(names=["Test Detainee"], confidentiality="internal")
    key = token(Role.DOCUMENTER)
    cited = [{"source_id": source.pk}]
    arrest = post(
        client,
        f"/api/v1/people/{person.pk}/detentions",
        {"reason": "Post", "arrested": "1404/10/18", "facility": "ir-evin", "sources": cited},
        key,
    )
    assert arrest.status_code == 201, arrest.content
    detention_id = arrest.json()["id"]
    status = post(
        client,
        f"/api/v1/detentions/{detention_id}/statuses",
        {"reason": "Post", "status": "incommunicado", "started": "2026-01-08", "sources": cited},
        key,
    )
    assert status.status_code == 201, status.content
    release = post(
        client,
        f"/api/v1/detentions/{detention_id}/release",
        {
            "reason": "Post",
            "released": "2026-01-10",
            "release_kind": "bail",
            "sources": [{**cited[0], "locator": "§2"}],
        },
        key,
    )
    assert release.status_code == 200, release.content
    assert str(Detention.objects.get(pk=detention_id).statuses.get().ended_on) == "2026-01-10"


def test_a_release_before_the_arrest_is_refused(client, token, source):
    """The services' checks answer 400 with the field to fix."""
    detention = DetentionFactory(person=PersonFactory(names=["Test Order"], confidentiality="internal"))
    response = post(
        client,
        f"/api/v1/detentions/{detention.pk}/release",
        {
            "reason": "Post",
            "released": "2025-01-01",
            "release_kind": "bail",
            "sources": [{"source_id": source.pk}],
        },
        token(Role.DOCUMENTER),
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "release_before_arrest"
    assert "released" in response.json()["error"]["fields"]  # as given, not the column released_on


def test_an_event_is_recorded(client, token, source):
    """POST /events records an event with its tactics."""
    response = post(
        client,
        "/api/v1/events",
        {
            "reason": "Video",
            "kind": "protest",
            "title_en": "Test march",
            "started": "2026-01-05",
            "place": "ir-ilam-malekshahi",
            "tactics": ["tear_gas"],
            "sources": [{"source_id": source.pk}],
            "confidentiality": "internal",
        },
        token(Role.DOCUMENTER),
    )
    assert response.status_code == 201, response.content
    assert response.json()["place"]["code"] == "ir-ilam-malekshahi"


def test_a_reported_figure_is_recorded(client, token, source):
    """POST /figures records an aggregate figure as the source worded it."""
    response = post(
        client,
        "/api/v1/figures",
        {
            "reason": "HRANA",
            "source_id": source.pk,
            "metric": "killed",
            "qualifier": "at_least",
            "value": 50,
            "published_on": "2026-01-09",
            "period_end": "2026-01-09",
            "confidentiality": "internal",
        },
        token(Role.DOCUMENTER),
    )
    assert response.status_code == 201, response.content
    assert (response.json()["qualifier"], response.json()["value"]) == ("at_least", 50)


def test_an_unknown_code_names_the_field(client, token, source):
    """A facility code that does not exist answers 400 on that field."""
    person = PersonFactory(names=["Test Code"], confidentiality="internal")
    response = post(
        client,
        f"/api/v1/people/{person.pk}/detentions",
        {"reason": "Post", "facility": "nowhere", "sources": [{"source_id": source.pk}]},
        token(Role.DOCUMENTER),
    )
    assert response.status_code == 400
    assert "facility" in response.json()["error"]["fields"]


@pytest.mark.parametrize(
    ("write", "field"),
    [
        (lambda source: ("/api/v1/people", person_body(source, occupations=["astronaut"])), "occupations"),
        (lambda source: ("/api/v1/people", person_body(source, ethnicity="martian")), "ethnicity"),
        (
            lambda source: (
                f"/api/v1/detentions/{DetentionFactory(person__confidentiality='internal').pk}/statuses",
                {"reason": "Post", "status": "levitating", "sources": [{"source_id": source.pk}]},
            ),
            "status",
        ),
        (
            lambda source: (
                "/api/v1/events",
                {
                    "reason": "Video",
                    "kind": "protest",
                    "title_en": "Test march",
                    "tactics": ["confetti"],
                    "sources": [{"source_id": source.pk}],
                },
            ),
            "tactics",
        ),
        (
            lambda source: ("/api/v1/sources", {"reason": "New", "kind": "rumour", "title": "Overheard"}),
            "kind",
        ),
    ],
    ids=["person occupation", "person ethnicity", "custody status", "event tactic", "source kind"],
)
def test_an_unknown_vocabulary_term_names_its_field(client, token, source, write, field):
    """A code outside its vocabulary answers 400 ``unknown_term`` with ``fields`` naming the input."""
    path, body = write(source)
    response = post(client, path, body, token(Role.DOCUMENTER))
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert (error["code"], list(error["fields"])) == ("unknown_term", [field])


def test_one_cannot_write_to_a_person_one_cannot_see(client, token, source):
    """A record above the caller's clearance is not found (404), not revealed."""
    hidden = PersonFactory(names=["Test Restricted"], confidentiality="restricted")
    from tests.factories import UserFactory
    from vigil.api.services import token_issue

    user = UserFactory(username="plain-staff", is_staff=True)
    _token, key = token_issue(user=user, name="t", actor=user, reason="Tests")
    response = post(
        client, f"/api/v1/people/{hidden.pk}", {"reason": "x", "gender": "male"}, key, method="patch"
    )
    assert response.status_code == 404
