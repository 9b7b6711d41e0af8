"""Every change through the staff screens carries a reason into the history, and a record can be seen as it
stood before an edit."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from tests.factories import DetentionFactory, PersonFactory
from tests.staff.conftest import change_form_data
from vigil.core.dates import Precision
from vigil.people.models import Person

pytestmark = pytest.mark.django_db


def _edit_summary(client: Client, person: Person, summary: str, reason: str) -> Any:
    url = reverse("admin:people_person_change", args=[person.pk])
    data = change_form_data(client.get(url))
    data.update(summary_en=summary, change_reason=reason)
    return client.post(url, data)


def test_a_change_without_a_reason_is_refused(documenter_client: Client) -> None:
    """The change form requires a reason and saves nothing without one."""
    person = PersonFactory(summary_en="Arrested in Mashhad.")
    response = _edit_summary(documenter_client, person, "Arrested at a memorial in Mashhad.", "")
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["change_reason"] == ["This field is required."]
    person.refresh_from_db()
    assert person.summary_en == "Arrested in Mashhad."


def test_the_reason_and_the_author_are_kept_in_the_history(
    documenter_client: Client, documenter: Any
) -> None:
    """The history row of an edit carries the reason typed on the form and the user who saved it."""
    person = PersonFactory(summary_en="Arrested in Mashhad.")
    response = _edit_summary(documenter_client, person, "Arrested at a memorial in Mashhad.", "HRANA, 9 Jan")
    assert response.status_code == 302
    latest = person.history.latest()
    assert latest.summary_en == "Arrested at a memorial in Mashhad."
    assert latest.history_change_reason == "HRANA, 9 Jan"
    assert latest.history_user == documenter


def test_the_history_list_shows_author_and_reason(documenter_client: Client, documenter: Any) -> None:
    """The history page lists each version with who changed it and why."""
    person = PersonFactory(summary_en="Arrested in Mashhad.")
    _edit_summary(documenter_client, person, "Arrested at a memorial in Mashhad.", "HRANA, 9 Jan")
    page = documenter_client.get(reverse("admin:people_person_history", args=[person.pk])).content.decode()
    assert "HRANA, 9 Jan" in page and documenter.username in page


def test_the_as_of_page_shows_the_record_as_it_stood_before_the_edit(documenter_client: Client) -> None:
    """After an edit, the version before it still shows the old value, with its date and reason."""
    person = PersonFactory(summary_en="Arrested in Mashhad.")
    _edit_summary(documenter_client, person, "Arrested at a memorial in Mashhad.", "HRANA, 9 Jan")
    before = person.history.earliest()
    url = reverse("admin:people_person_simple_history", args=[person.pk, before.history_id])
    response = documenter_client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Arrested in Mashhad." in page
    assert "Arrested at a memorial" not in page
    assert "This is the record as it stood" in page


def test_a_jalali_date_typed_on_the_change_form_is_stored_as_day_and_precision(
    documenter_client: Client,
) -> None:
    """One date box: a Jalali month fills both columns, and the form shows it again as typed."""
    detention = DetentionFactory()
    url = reverse("admin:custody_detention_change", args=[detention.pk])
    data = change_form_data(documenter_client.get(url))
    assert data["arrested"] == "18 Dey 1404"  # stored 2026-01-08, shown in the documenter's (Jalali) calendar
    data.update(released="1404-10", change_reason="Family statement")
    response = documenter_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    detention.refresh_from_db()
    assert (detention.released_on, detention.released_precision) == (
        dt.date(2025, 12, 22),
        Precision.JALALI_MONTH,
    )
    assert change_form_data(documenter_client.get(url))["released"] == "Dey 1404"


def test_a_parse_error_is_shown_on_the_date_box(documenter_client: Client) -> None:
    """An impossible date is refused on the date's own box with the reason."""
    detention = DetentionFactory()
    url = reverse("admin:custody_detention_change", args=[detention.pk])
    data = change_form_data(documenter_client.get(url))
    data.update(arrested="1402/12/30", change_reason="Typo test")
    response = documenter_client.post(url, data)
    assert response.context["adminform"].form.errors["arrested"] == [
        "30 Esfand 1402 does not exist (1402 is not a leap year)."
    ]


def test_a_release_before_the_arrest_is_refused(documenter_client: Client) -> None:
    """The model's own rule (release not before arrest) is checked on the typed dates; nothing is saved."""
    detention = DetentionFactory()
    url = reverse("admin:custody_detention_change", args=[detention.pk])
    data = change_form_data(documenter_client.get(url))
    data.update(released="2026-01-02", change_reason="Family statement")
    response = documenter_client.post(url, data)
    assert response.status_code == 200
    assert "The release date is before the arrest date." in str(response.context["adminform"].form.errors)
    detention.refresh_from_db()
    assert detention.released_on is None


def test_a_deletion_needs_a_reason(reviewer_client: Client) -> None:
    """Deleting without a reason is refused; with one, the deletion is kept in history with it."""
    person = PersonFactory()
    url = reverse("admin:people_person_delete", args=[person.pk])
    reviewer_client.post(url, {"post": "yes"})
    assert Person.objects.filter(pk=person.pk).exists()
    reviewer_client.post(url, {"post": "yes", "change_reason": "Duplicate entered by mistake"})
    assert not Person.objects.filter(pk=person.pk).exists()
    assert Person.history.filter(id=person.pk, history_type="-").get().history_change_reason == (
        "Duplicate entered by mistake"
    )


def test_an_age_typed_in_persian_digits_is_kept(documenter_client: Client) -> None:
    """The age box takes Persian digits: it is a text box for numbers, not the browser's number box, which
    sent nothing for "۱۸" and so erased the age recorded, with a success message."""
    person = PersonFactory(reported_age=17, age_reported_on=dt.date(2026, 1, 9))
    url = reverse("admin:people_person_change", args=[person.pk])
    page = documenter_client.get(url)
    box = next(line for line in page.content.decode().split("<") if 'name="reported_age"' in line)
    assert 'type="text"' in box and 'inputmode="numeric"' in box
    data = change_form_data(page)
    data.update(reported_age="۱۸", change_reason="HRANA, 9 Jan")
    assert documenter_client.post(url, data).status_code == 302
    person.refresh_from_db()
    assert person.reported_age == 18
    data.update(reported_age="هجده")
    response = documenter_client.post(url, data)
    assert response.status_code == 200 and "reported_age" in response.context["adminform"].form.errors
    person.refresh_from_db()
    assert person.reported_age == 18


def test_date_examples_in_the_edit_pages_help_are_laid_out_left_to_right(documenter_client: Client) -> None:
    """The admin's own help texts (a person's "age reported on") isolate their date examples too: in Persian
    "2026-01-08" read "08-01-2026"."""
    person = PersonFactory()
    url = reverse("admin:people_person_change", args=[person.pk])
    page = documenter_client.get(url, HTTP_ACCEPT_LANGUAGE="fa").content.decode()
    assert re.search(r'<bdi dir="ltr">[0-9۰-۹]{4}-[0-9۰-۹]{2}-[0-9۰-۹]{2}</bdi>', page)


def test_the_history_page_is_all_in_persian_for_a_persian_reader(documenter_client: Client) -> None:
    """The line above the list of versions was simple-history's own, which has no Persian: a Persian reader
    met an English sentence about "reverting" at the top of every history page."""
    person = PersonFactory(summary_en="Arrested in Mashhad.")
    _edit_summary(documenter_client, person, "Arrested at a memorial in Mashhad.", "HRANA, 9 Jan")
    url = reverse("admin:people_person_history", args=[person.pk])
    page = documenter_client.get(url, HTTP_ACCEPT_LANGUAGE="fa").content.decode()
    assert "Choose a date from the list below" not in page
    assert "نسخه‌ای را در پایین باز کنید" in page


def test_history_times_are_jalali_in_persian_digits_for_a_persian_reader(documenter_client: Client) -> None:
    """A version's time read "8 ژانویه 2026، ساعت 14:05" (Gregorian, Latin digits) on the Persian history
    pages; it reads as the other staff pages' dates do: Jalali first, in Persian digits."""
    person = PersonFactory(summary_en="Arrested in Mashhad.")
    person.history.update(history_date=dt.datetime(2026, 1, 8, 14, 5, tzinfo=dt.UTC))
    shown = "۱۸ دی ۱۴۰۴ (۸ ژانویه ۲۰۲۶)، ۱۴:۰۵"
    versions = reverse("admin:people_person_history", args=[person.pk])
    assert shown in documenter_client.get(versions, HTTP_ACCEPT_LANGUAGE="fa").content.decode()
    as_it_stood = reverse(
        "admin:people_person_simple_history", args=[person.pk, person.history.get().history_id]
    )
    assert shown in documenter_client.get(as_it_stood, HTTP_ACCEPT_LANGUAGE="fa").content.decode()
    english = documenter_client.get(versions, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "18 Dey 1404 (8 January 2026), 14:05" in english


def test_the_history_pages_count_and_page_numbers_are_in_persian_digits_for_a_persian_reader(
    documenter_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Under the Persian list of versions, "3 نسخه" and the page numbers 1 2 were in Latin digits; they are
    in Persian digits, as the versions' times above them are."""
    monkeypatch.setattr(admin.site._registry[Person], "history_list_per_page", 2)
    person = PersonFactory(summary_en="Arrested in Mashhad.")
    person.save()
    person.save()
    url = reverse("admin:people_person_history", args=[person.pk])
    page = documenter_client.get(url, HTTP_ACCEPT_LANGUAGE="fa").content.decode()
    assert "۳ نسخه" in page
    assert '<span class="this-page">۱</span>' in page
    assert 'class="end">۲</a>' in page
