"""The change screens write through the services, keep "every fact has a source", and respect roles."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from tests.factories import PersonFactory, SourceFactory
from tests.staff.conftest import change_form_data
from vigil.accounts.roles import RECORD_APPS, REVIEW_PERMISSION, VOCABULARY_APPS, Role
from vigil.core.models import Term, Vocabulary
from vigil.events.models import Event
from vigil.people.models import Person
from vigil.sources.models import Citation, Source

pytestmark = pytest.mark.django_db


def _event_form(client: Client) -> dict[str, object]:
    data = change_form_data(client.get(reverse("admin:events_event_add")))
    data.update(
        kind=Term.objects.get(vocabulary=Vocabulary.EVENT_KIND, code="protest").pk,
        title_en="Malekshahi march",
        started="1404/10/13",
        confidentiality="internal",
        change_reason="HRANA, 9 January 2026",
    )
    return data


def test_a_new_fact_must_cite_a_source(documenter_client: Client) -> None:
    """An event added without a citation is refused with the reason; nothing is saved."""
    response = documenter_client.post(reverse("admin:events_event_add"), _event_form(documenter_client))
    assert response.status_code == 200
    assert "Every fact needs a source: cite at least one below." in response.content.decode()
    assert not Event.objects.exists()


def test_a_fact_added_with_its_citation_is_saved_with_history(documenter_client: Client, documenter) -> None:
    """The event, its Jalali start date and its citation are saved, each with the reason in history."""
    source = SourceFactory()
    data = _event_form(documenter_client)
    prefix = "sources-citation-content_type-object_id-0-"
    data.update(
        {
            f"{prefix}source": source.pk,
            f"{prefix}quote": "راهپیمایی در ملکشاهی",
            f"{prefix}quote_language": "fa",
        }
    )
    response = documenter_client.post(reverse("admin:events_event_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    event = Event.objects.get()
    assert event.started_on == dt.date(2026, 1, 3)
    citation = Citation.objects.get(object_id=event.pk, content_type__model="event")
    assert citation.history.get().history_change_reason == "HRANA, 9 January 2026"
    assert event.history.get().history_user == documenter


def test_a_source_added_on_its_screen_is_created_by_the_source_service(documenter_client: Client) -> None:
    """A duplicate URL is refused as the service refuses it, and a new one is recorded with its reason."""
    SourceFactory(url="https://t.me/example/1")
    url = reverse("admin:sources_source_add")
    data = change_form_data(documenter_client.get(url))
    data.update(
        kind=Term.objects.get(vocabulary=Vocabulary.SOURCE_KIND, code="social_post").pk,
        title="Post by her son",
        url="https://t.me/example/2",
        published_on="۱۴۰۴/۱۰/۱۷",
        language="fa",
        change_reason="Found on Telegram",
    )
    refused = documenter_client.post(url, {**data, "url": "https://t.me/example/1"})
    assert refused.status_code == 200
    assert "This URL is already recorded as source" in refused.context["adminform"].form.errors["url"][0]
    assert Source.objects.count() == 1
    response = documenter_client.post(url, data)
    assert response.status_code == 302
    source = Source.objects.get(url="https://t.me/example/2")
    assert source.published_on == dt.date(2026, 1, 7)
    assert source.history.get().history_change_reason == "Found on Telegram"


def test_a_documenter_cannot_verify_or_publish(documenter_client: Client) -> None:
    """Verification is read-only for documenters and "public" is not offered to them."""
    form = documenter_client.get(reverse("admin:events_event_add")).context["adminform"].form
    assert "verification" not in form.fields
    assert "public" not in [value for value, _label in form.fields["confidentiality"].choices]


def test_a_reviewer_can_verify_and_publish(reviewer_client: Client) -> None:
    """Reviewers set verification and may make a record public."""
    form = reviewer_client.get(reverse("admin:events_event_add")).context["adminform"].form
    assert "verification" in form.fields
    assert "public" in [value for value, _label in form.fields["confidentiality"].choices]


def test_a_person_is_found_by_a_spelling_with_arabic_letter_forms(documenter_client: Client) -> None:
    """Searching "نرگس محمدي" (Arabic yeh) finds "نرگس محمدی"."""
    from tests.factories import PersonFactory

    PersonFactory(names=["نرگس محمدی", "Narges Mohammadi"])
    response = documenter_client.get(reverse("admin:people_person_changelist"), {"q": "نرگس محمدي"})
    assert response.context["cl"].result_count == 1


@pytest.mark.parametrize("typed", ["منجی‌آزاد", "منجی آزاد", "منجیآزاد"])
def test_a_compound_name_is_found_with_a_zwnj_a_space_or_nothing_between_its_parts(
    documenter_client: Client, typed: str
) -> None:
    """ "منجی‌آزاد" (with a ZWNJ, which folding drops) found 2 of the 4 people "منجی آزاد" found."""
    from tests.factories import PersonFactory

    PersonFactory(names=["علی منجی آزاد"])
    PersonFactory(names=["مهدی منجی‌آزاد"])
    PersonFactory(names=["علی آزاد"])
    response = documenter_client.get(reverse("admin:people_person_changelist"), {"q": typed})
    assert response.context["cl"].result_count == 2


@pytest.mark.parametrize(
    ("model", "typed", "spelled"),
    [
        ("place", "كرمانشاه", "کرمانشاه"),
        ("place", "كرمان شاه", "کرمانشاه"),
        ("facility", "قزلحصار", "قزل‌حصار"),
        ("facility", "قزل حصار", "قزل‌حصار"),
    ],
)
def test_places_and_prisons_are_found_however_their_persian_name_is_typed(
    documenter_client: Client, model: str, typed: str, spelled: str
) -> None:
    """The lists and the pick-lists (their search) find "کرمانشاه" typed with an Arabic kaf, and
    "قزل‌حصار" typed with a space or nothing for its ZWNJ (they found nothing)."""
    from tests.factories import FacilityFactory, PlaceFactory

    created = {
        "place": PlaceFactory(name_en="Kermanshah", name_fa="کرمانشاه"),
        "facility": FacilityFactory(name_en="Ghezel Hesar Prison", name_fa="زندان قزل‌حصار"),
    }
    changelist = reverse(f"admin:places_{model}_changelist")

    def found(term: str) -> set[int]:
        return {
            record.pk for record in documenter_client.get(changelist, {"q": term}).context["cl"].result_list
        }

    assert created[model].pk in found(typed) and found(typed) == found(spelled)
    assert found("Kermanshah") == found("kermanshah")


def _codenames(role: str) -> set[str]:
    """The role's permissions on documented records, vocabularies and accounts (other apps grant their own)."""
    permissions = Group.objects.get(name=role).permissions
    apps = [*RECORD_APPS, *VOCABULARY_APPS, "accounts", "auth"]
    return set(permissions.filter(content_type__app_label__in=apps).values_list("codename", flat=True))


def test_roles_have_the_permissions_of_their_work() -> None:
    """Viewers only view; documenters add and change but never delete; reviewers also delete and review;
    administrators may do everything."""
    viewer, documenter, reviewer = (
        _codenames(Role.VIEWER),
        _codenames(Role.DOCUMENTER),
        _codenames(Role.REVIEWER),
    )
    assert "view_detention" in viewer and all(code.startswith("view_") for code in viewer)
    assert {"add_detention", "change_person", "add_source"} <= documenter
    assert not any(code.startswith("delete_") for code in documenter)
    assert "change_term" not in documenter and "view_term" in documenter
    assert {"delete_person", REVIEW_PERMISSION.split(".")[1]} <= reviewer
    assert REVIEW_PERMISSION.split(".")[1] not in documenter
    assert {"change_term", "delete_user", "change_group"} <= _codenames(Role.ADMINISTRATOR)


def test_a_change_only_a_reviewer_may_make_is_refused_on_the_form(documenter_client: Client) -> None:
    """A documenter editing a published source gets the service's refusal on the form; nothing changes."""
    source = SourceFactory(title="HRANA daily report", confidentiality="public")
    url = reverse("admin:sources_source_change", args=[source.pk])
    data = change_form_data(documenter_client.get(url))
    data.update(title="HRANA report (edited)", change_reason="Typo")
    response = documenter_client.post(url, data)
    assert response.status_code == 200
    assert "Only a reviewer may change" in response.context["adminform"].form.non_field_errors()[0]
    source.refresh_from_db()
    assert source.title == "HRANA daily report"


def test_publishing_a_person_whose_names_are_all_hidden_warns_the_reviewer(reviewer_client: Client) -> None:
    """A name is only as public as its source: a person published while every name rested on an internal
    source went out as "#5", with no name, and the reviewer was told nothing."""
    person = PersonFactory(names=["Sepideh Qolian"], confidentiality="internal")
    hidden = SourceFactory(confidentiality="internal")
    person.names.update(source=hidden)
    url = reverse("admin:people_person_change", args=[person.pk])
    data = change_form_data(reviewer_client.get(url))
    data.update(confidentiality="public", change_reason="Her family agreed to publication.")
    response = reviewer_client.post(url, data, follow=True)
    assert response.status_code == 200
    warned = [str(message) for message in response.context["messages"]]
    assert any(f"the public sees them as #{person.pk}, with no name" in message for message in warned)

    Source.objects.filter(pk=hidden.pk).update(confidentiality="public")
    data = change_form_data(reviewer_client.get(url))
    data.update(summary_en="Arrested in Mashhad.", change_reason="HRANA, 9 January 2026")
    response = reviewer_client.post(url, data, follow=True)
    assert not [str(message) for message in response.context["messages"] if "with no name" in str(message)]


def test_the_people_list_shows_when_each_changed_in_both_calendars_in_persian_digits(
    documenter_client: Client,
) -> None:
    """The list of people's "last changed at" column read "8 ژانویه 2026، ساعت 14:05" (Django's Gregorian
    format in Latin digits) to a Persian reader; it reads as the other staff pages' times do."""
    person = PersonFactory(names=["Narges Mohammadi"])
    Person.objects.filter(pk=person.pk).update(updated_at=dt.datetime(2026, 1, 8, 14, 5, tzinfo=dt.UTC))

    url = reverse("admin:people_person_changelist")
    persian = documenter_client.get(url, HTTP_ACCEPT_LANGUAGE="fa").content.decode()
    english = documenter_client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "۱۸ دی ۱۴۰۴ (۸ ژانویه ۲۰۲۶)، ۱۴:۰۵" in persian
    assert "18 Dey 1404 (8 January 2026), 14:05" in english
