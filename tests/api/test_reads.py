"""Reading the API without a token (the public) and with a staff token."""

import re

import pytest

from tests.api.conftest import bearer
from tests.factories import PersonFactory, UserFactory
from vigil.accounts.roles import Role
from vigil.api.services import token_issue
from vigil.people.models import Person

pytestmark = pytest.mark.django_db


def ids(response) -> list[int]:
    return [row["id"] for row in response.json()["results"]]


def test_people_lists_public_people_only(client, record):
    """Without a token only public people are listed."""
    listed = ids(client.get("/api/v1/people"))
    assert record.narges.pk in listed
    assert record.hidden.pk not in listed


def test_people_are_paginated_with_links(client, record):
    """Lists are paginated with the count and links to the next and previous pages."""
    first = client.get("/api/v1/people?page_size=1").json()
    assert first["count"] == 3 and len(first["results"]) == 1
    assert first["previous"] is None and "page=2" in first["next"]
    last = client.get("/api/v1/people?page_size=1&page=3").json()
    assert last["next"] is None and "page=2" in last["previous"]


def test_people_are_filtered(client, record):
    """Filters narrow the list as on the website."""
    assert ids(client.get("/api/v1/people?status=killed")) == [record.teen.pk]
    assert ids(client.get("/api/v1/people?minor=true")) == [record.teen.pk]
    assert ids(client.get("/api/v1/people?facility=ir-evin")) == [record.narges.pk]
    assert set(ids(client.get("/api/v1/people?date_from=2026-01-01&date_to=2026-01-04"))) == {
        record.teen.pk,
        record.released.pk,
    }


def test_an_unknown_filter_code_is_an_error_not_an_empty_list(client, record):
    """A status, province or other code the site does not know answers 422 naming the field, as the site's
    form says it; a known one filters."""
    response = client.get("/api/v1/people?status=bogus&province=ir-nowhere&facility=ir-evin")
    assert response.status_code == 422
    fields = response.json()["error"]["fields"]
    assert set(fields) == {"query.status", "query.province"} and "bogus" in fields["query.status"][0]


def test_people_search_ranks_across_scripts(client, record):
    """``q`` finds "نرگس محمدی" from a Latin spelling."""
    assert ids(client.get("/api/v1/people?q=Mohamadi")) == [record.narges.pk]


def test_a_person_has_names_situation_and_sources(client, record):
    """One person's record: names in both scripts, situation with days without contact, sources."""
    body = client.get(f"/api/v1/people/{record.narges.pk}").json()
    assert {n["text"] for n in body["names"]} == {"نرگس محمدی", "Narges Mohammadi"}
    assert body["situation"]["code"] == "detained"
    assert body["situation"]["facility"]["code"] == "ir-evin"
    assert body["situation"]["days_without_contact"] > 0
    assert body["sources"]


def test_the_public_never_reads_internal_fields(client, record):
    """Notes, family contacts, religion and birth dates are absent (not null) for the public."""
    body = client.get(f"/api/v1/people/{record.narges.pk}").json()
    for field in ("notes", "family_contact", "religion", "birth", "confidentiality"):
        assert field not in body
    assert "INTERNAL NOTE" not in str(body)


def test_an_internal_person_is_not_found_by_the_public(client, record):
    """An internal person answers 404 with the error shape."""
    response = client.get(f"/api/v1/people/{record.hidden.pk}")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_a_merged_person_redirects(client, record):
    """A merged person answers 301 to the survivor's record."""
    duplicate = PersonFactory(names=["Narges Duplicate"], confidentiality="public")
    Person.objects.filter(pk=duplicate.pk).update(merged_into=record.narges)
    response = client.get(f"/api/v1/people/{duplicate.pk}")
    assert response.status_code == 301
    assert response["Location"] == f"/api/v1/people/{record.narges.pk}"


def test_staff_tokens_read_internal_records_and_fields(client, record, token):
    """A staff token reads internal people and their notes."""
    key = token(Role.VIEWER)
    assert record.hidden.pk in ids(client.get("/api/v1/people", **bearer(key)))
    body = client.get(f"/api/v1/people/{record.narges.pk}", **bearer(key)).json()
    assert body["notes"] == "INTERNAL NOTE: lawyer's phone"
    assert body["confidentiality"] == "public"


def test_a_role_alone_makes_a_token_staff(client, record):
    """A viewer given the role on the staff screens (which never set Django's staff flag) read internal
    people but none of their internal fields: the fields went by the flag, the records by the role."""
    from django.contrib.auth.models import Group

    user = UserFactory(username="viewer-by-role", is_staff=False)
    user.groups.add(Group.objects.get(name=Role.VIEWER))
    _token, key = token_issue(user=user, name="test", actor=user, reason="Tests")
    body = client.get(f"/api/v1/people/{record.narges.pk}", **bearer(key)).json()
    assert body["notes"] == "INTERNAL NOTE: lawyer's phone" and body["confidentiality"] == "public"


def test_restricted_fields_need_restricted_clearance(client, record):
    """A staff member without restricted clearance reads notes but not a family contact."""
    user = UserFactory(username="staff-without-restricted", is_staff=True)
    _token, key = token_issue(user=user, name="test", actor=user, reason="Tests")
    body = client.get(f"/api/v1/people/{record.narges.pk}", **bearer(key)).json()
    assert "notes" in body
    assert "family_contact" not in body


def test_a_bad_token_is_refused_not_read_as_the_public(client, record):
    """An invalid token answers 401, so a broken script finds out."""
    response = client.get("/api/v1/people", **bearer("vigil_not-a-real-key"))
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"


def test_a_revoked_token_is_refused(client, record, token):
    """A revoked token answers 401."""
    from vigil.api.models import ApiToken
    from vigil.api.services import token_revoke

    key = token(Role.VIEWER)
    issued = ApiToken.objects.get()
    token_revoke(token=issued, actor=issued.user, reason="Leaked")
    assert client.get("/api/v1/people", **bearer(key)).status_code == 401


def test_invalid_parameters_answer_with_the_fields_at_fault(client):
    """A bad parameter answers 422 with the error shape naming the field."""
    response = client.get("/api/v1/people?page=0&gender=robot")
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_request"
    assert set(error["fields"]) == {"query.page", "query.gender"}


def test_events_are_listed_and_shown(client, record):
    """Events are listed and one event names the people killed in it."""
    listed = client.get("/api/v1/events").json()["results"]
    march = next(row for row in listed if row["title_en"] == "Malekshahi march")
    body = client.get(f"/api/v1/events/{march['id']}").json()
    assert [p["id"] for p in body["people"] if p["role"] == "killed"] == [record.teen.pk]


def test_events_filter_by_kind(client, record):
    """Events can be narrowed to one kind."""
    assert client.get("/api/v1/events?kind=strike").json()["count"] == 0


def test_an_unknown_event_is_not_found(client):
    """An event that does not exist answers 404."""
    assert client.get("/api/v1/events/999999").status_code == 404


def test_figures_are_listed_as_worded(client, record):
    """Reported figures keep their qualifier and source."""
    figure = client.get("/api/v1/figures?metric=arrested").json()["results"][0]
    assert (figure["qualifier"], figure["value"]) == ("at_least", 2300)
    assert figure["source"]["title"] == "HRANA daily report"


def test_search_finds_people_and_events(client, record):
    """Search finds people across scripts and events by title, best first."""
    body = client.get("/api/v1/search?q=محمدي").json()
    assert body["results"][0]["id"] == record.narges.pk
    assert body["results"][0]["url"] == f"/en/people/{record.narges.pk}/"
    assert client.get("/api/v1/search?q=Malekshahi&kind=event").json()["count"] == 1


def test_statistics_keep_named_and_reported_apart(client, record):
    """Statistics give named counts and reported figures side by side."""
    body = client.get("/api/v1/statistics").json()
    killed = next(count for count in body["named"] if count["code"] == "killed")
    assert (killed["people"], killed["minors"]) == (1, 1)
    assert any(figure["metric"] == "arrested" and figure["value"] == 2300 for figure in body["reported"])


def test_statistics_refuse_a_future_date(client):
    """A report cannot be as of a future date: 400 with the reason."""
    response = client.get("/api/v1/statistics?as_of=2999-01-01")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "future_as_of"


def test_vocabularies_give_the_codes_filters_use(client):
    """Vocabulary terms come with codes and both names."""
    terms = client.get("/api/v1/vocabularies/custody_status").json()
    assert any(term["code"] == "incommunicado" and term["name_fa"] for term in terms)
    assert client.get("/api/v1/vocabularies/nonsense").status_code == 422


def test_places_list_the_provinces(client):
    """The provinces of the gazetteer, with codes."""
    assert len(client.get("/api/v1/places").json()) == 31


def test_facilities_are_listed(client):
    """Prisons and detention centres, with codes."""
    assert any(row["code"] == "ir-evin" for row in client.get("/api/v1/facilities").json())


def test_the_openapi_document_describes_every_endpoint(client):
    """The generated OpenAPI document lists the endpoints and the error shape."""
    document = client.get("/api/v1/openapi.json").json()
    assert {"/api/v1/people", "/api/v1/people/{person_id}", "/api/v1/search", "/api/v1/statistics"} <= set(
        document["paths"]
    )
    assert "ErrorOut" in document["components"]["schemas"]
    # Reads need no token (an empty requirement beside the token's); writes do.
    assert document["paths"]["/api/v1/people"]["get"]["security"] == [{}, {"PublicOrToken": []}]
    assert document["paths"]["/api/v1/people"]["post"]["security"] == [{"TokenAuth": []}]


def test_the_openapi_examples_of_filter_codes_are_accepted(client, record):
    """The document gave "Facility code, e.g. evin."; ``facility=evin`` answers 422 (the code is ir-evin)."""
    document = client.get("/api/v1/openapi.json").json()
    parameters = document["paths"]["/api/v1/people"]["get"]["parameters"]
    for parameter in parameters:
        example = re.search(r"e\.g\. ([a-z0-9_-]+)", parameter.get("description", ""))
        if parameter["name"] in ("province", "facility") and example:
            response = client.get("/api/v1/people", {parameter["name"]: example.group(1)})
            assert response.status_code == 200, (parameter["name"], example.group(1))


def test_the_interactive_docs_load_nothing_from_other_sites(client):
    """The Swagger UI page loads its assets from Vigil itself and has no validator badge."""
    html = client.get("/api/v1/docs").content.decode()
    assert "swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()
    assert "http://" not in html and "https://" not in html
    assert '"validatorUrl": null' in html


def test_an_unknown_address_or_method_answers_in_the_error_shape(client, record):
    """They answered with Django's HTML pages; every API error has one shape."""
    missing = client.get("/api/v1/nonexistent")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    refused = client.delete(f"/api/v1/people/{record.narges.pk}")
    assert refused.status_code == 405 and refused.json()["error"]["code"] == "method_not_allowed"
    assert "GET" in refused["Allow"]
    assert client.get("/en/no-such-page/").get("Content-Type", "").startswith("text/html")


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/api/v1/people?date_to=0", "query.date_to"),  # was 1 January 1970
        ("/api/v1/people?date_from=1404-10-18", "query.date_from"),  # was the year 1404 AD
        ("/api/v1/statistics?as_of=1767225600", "query.as_of"),  # was 1 January 2026
    ],
)
def test_dates_are_iso_gregorian_days_only(client, record, path, field):
    """Numbers were read as seconds since 1970 and Jalali dates as Gregorian ones, answering 200 with
    the wrong filter; they are refused, saying how to write the date."""
    response = client.get(path)
    assert response.status_code == 422
    assert "YYYY-MM-DD" in " ".join(response.json()["error"]["fields"][field])
    assert client.get("/api/v1/people?date_from=2026-01-08").status_code == 200


def test_dates_may_be_written_in_persian_digits(client, record):
    """``as_of=۲۰۲۶-۰۱-۰۹`` (a Persian keyboard's digits) was refused with pydantic's "invalid character in
    year"; Persian and Arabic digits are read as the same date, other scripts' digits are refused clearly."""
    latin = client.get("/api/v1/statistics?as_of=2026-01-09")
    for written in ("۲۰۲۶-۰۱-۰۹", "٢٠٢٦-٠١-٠٩"):
        response = client.get("/api/v1/statistics", {"as_of": written})
        assert response.status_code == 200 and response.json() == latin.json()
    people = client.get("/api/v1/people", {"date_from": "۲۰۲۵-۱۲-۰۱", "date_to": "۲۰۲۶-۰۱-۳۱"})
    assert people.json() == client.get("/api/v1/people?date_from=2025-12-01&date_to=2026-01-31").json()
    refused = client.get("/api/v1/statistics", {"as_of": "２０２６-０１-０９"})
    assert refused.status_code == 422
    assert "YYYY-MM-DD" in " ".join(refused.json()["error"]["fields"]["query.as_of"])


def test_a_reversed_date_range_is_refused_as_on_the_site(client, record):
    """``date_from`` after ``date_to`` answered 200 with an empty list (the site's form says the range is
    reversed): refused, naming ``date_to``, in the reader's language."""
    path = "/api/v1/people?date_from=2026-02-01&date_to=2026-01-01"
    response = client.get(path)
    assert response.status_code == 422
    assert response.json()["error"]["fields"]["query.date_to"] == [
        "The end of the date range is before its start."
    ]
    persian = client.get(path, HTTP_ACCEPT_LANGUAGE="fa").json()["error"]["fields"]["query.date_to"]
    assert persian and "before its start" not in persian[0]
    assert client.get("/api/v1/people?date_from=2026-01-01&date_to=2026-01-01").status_code == 200


@pytest.mark.parametrize(
    ("path", "field"),
    [("/api/v1/events?kind=bogus", "query.kind"), ("/api/v1/figures?metric=bogus", "query.metric")],
)
def test_unknown_event_kinds_and_metrics_are_refused(client, record, path, field):
    """They answered 200 with an empty list, where the people filters answer 422 for an unknown code."""
    response = client.get(path)
    assert response.status_code == 422 and "“bogus”" in response.json()["error"]["fields"][field][0]
    assert client.get(path.replace("bogus", "protest" if "kind" in path else "killed")).status_code == 200
