"""The staff workspace loads for each role, in English and in Persian (right to left)."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from tests.factories import DetentionFactory, UserFactory
from vigil.core.dates import Calendar
from vigil.staff.admin import StaffAdmin

pytestmark = pytest.mark.django_db


def test_the_index_loads_for_a_documenter_and_offers_the_intake(documenter_client: Client) -> None:
    """A documenter's start page lists the records and links to "Add a detainee"."""
    response = documenter_client.get("/staff/")
    assert response.status_code == 200
    page = response.content.decode()
    assert reverse("admin:detainee_intake") in page
    assert "Vigil" in page and "Detentions" in page


def test_every_screen_of_every_model_loads(client: Client) -> None:
    """Each staff screen's change list, add form, and a record's change form and history render."""
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    DetentionFactory()
    for model, model_admin in admin.site._registry.items():
        if not isinstance(model_admin, StaffAdmin):
            continue  # Django's own (users, groups) and other apps' screens test themselves
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        assert client.get(reverse(f"{name}_changelist")).status_code == 200, name
        if name != "admin:sources_citation":  # citations are added on the screen of their fact
            assert client.get(reverse(f"{name}_add")).status_code == 200, name
        if (record := model._default_manager.first()) is not None:
            assert client.get(reverse(f"{name}_change", args=[record.pk])).status_code == 200, name
            assert client.get(reverse(f"{name}_history", args=[record.pk])).status_code == 200, name


def test_the_detention_list_links_to_the_intake_and_shows_dates_in_both_calendars(
    documenter_client: Client,
) -> None:
    """Arrest dates are listed in Jalali and Gregorian; the list offers "Add a detainee"."""
    DetentionFactory()
    page = documenter_client.get(reverse("admin:custody_detention_changelist")).content.decode()
    assert reverse("admin:detainee_intake") in page
    assert "18 Dey 1404 (8 January 2026)" in page


def test_staff_pages_are_persian_and_right_to_left_with_accept_language(documenter_client: Client) -> None:
    """With Accept-Language: fa, the page is RTL and Vigil's own strings are in Persian."""
    page = documenter_client.get("/staff/", HTTP_ACCEPT_LANGUAGE="fa").content.decode()
    assert 'dir="rtl"' in page and 'lang="fa"' in page
    assert "افزودن بازداشت‌شده" in page  # "Add a detainee"
    assert "ویجیل" in page  # the site header


def test_the_language_cookie_switches_to_persian(documenter_client: Client) -> None:
    """The header's language switch sets the cookie, and later pages follow it."""
    response = documenter_client.post("/i18n/setlang/", {"language": "fa", "next": "/staff/"})
    assert response.status_code == 302
    page = documenter_client.get("/staff/").content.decode()
    assert 'dir="rtl"' in page and "افزودن بازداشت‌شده" in page


def test_the_header_offers_both_languages(documenter_client: Client) -> None:
    """Every staff page carries the switch to English and Persian."""
    page = documenter_client.get("/staff/").content.decode()
    assert 'action="/i18n/setlang/"' in page
    assert 'value="fa"' in page and "فارسی" in page


def test_a_user_can_choose_the_gregorian_calendar(documenter_client: Client, documenter) -> None:
    """The preference changes how stored dates are shown for editing."""
    response = documenter_client.post(reverse("admin:preferences"), {"preferred_calendar": "gregorian"})
    assert response.status_code == 302
    documenter.refresh_from_db()
    assert documenter.preferred_calendar == Calendar.GREGORIAN
    detention = DetentionFactory()
    form = (
        documenter_client.get(reverse("admin:custody_detention_change", args=[detention.pk]))
        .context["adminform"]
        .form
    )
    assert form["arrested"].value() == "8 January 2026"
