"""The staff workspace loads for each role, in English and in Persian (right to left)."""

from __future__ import annotations

import re

import pytest
from django.contrib import admin
from django.db import models
from django.test import Client, RequestFactory
from django.urls import reverse

from tests.factories import DetentionFactory, UserFactory
from tests.staff.conftest import staff_user
from vigil.accounts.roles import Role
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


def test_the_index_links_a_documenter_to_imports_reports_alerts_and_the_watchlist(
    documenter_client: Client,
) -> None:
    """Every staff screen outside the admin's model lists can be reached from the start page."""
    page = documenter_client.get("/staff/").content.decode()
    for name in ("exchange:batches", "reports:report", "alerts:alert-list", "alerts:watchlist"):
        assert f'href="{reverse(name)}"' in page, name


def test_the_index_offers_only_the_screens_the_user_may_use(client: Client) -> None:
    """A viewer, who may not add people, is not offered imports; a staff member without a role sees neither
    imports nor alerts, only the report every staff member may read."""
    client.force_login(staff_user(Role.VIEWER))
    page = client.get("/staff/").content.decode()
    assert f'href="{reverse("exchange:batches")}"' not in page
    assert f'href="{reverse("alerts:alert-list")}"' in page

    client.force_login(UserFactory(username="no-role", is_staff=True))
    page = client.get("/staff/").content.decode()
    assert f'href="{reverse("alerts:alert-list")}"' not in page
    assert f'href="{reverse("reports:report")}"' in page


def test_the_index_links_are_in_persian_for_persian_readers(documenter_client: Client) -> None:
    page = documenter_client.get("/staff/", HTTP_ACCEPT_LANGUAGE="fa").content.decode()
    assert "درون‌بری‌ها" in page and "گزارش وضعیت" in page and "زندانیان در معرض خطر" in page
    assert "برگه‌های اقدام فوری" in page


def test_persian_model_lists_have_persian_plurals(client: Client) -> None:
    """The Persian start page names every list in Persian: "هشدارها", never "هشدارs"."""
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    page = client.get("/staff/", HTTP_ACCEPT_LANGUAGE="fa").content.decode()
    assert "هشدارها" in page and "ادغام‌ها" in page
    assert re.findall(r"[\u0600-\u06ff\u200c]+s\b", page) == []


def test_date_examples_in_persian_help_texts_are_laid_out_left_to_right(documenter_client: Client) -> None:
    """ "۱۴۰۴-۱۰" in a Persian help text would read "۱۰-۱۴۰۴" without an isolate: the intake's help texts
    keep their examples as they must be typed."""
    page = documenter_client.get(reverse("admin:detainee_intake"), HTTP_ACCEPT_LANGUAGE="fa").content.decode()
    assert '<bdi dir="ltr">۱۴۰۴-۱۰</bdi>' in page
    assert '<bdi dir="ltr">2026-01-08</bdi>' in page


def test_a_detentions_person_is_labelled_in_persian(documenter_client: Client) -> None:
    """The person a detention, case or casualty belongs to was labelled "Person" in the Persian screens (the
    field had no translatable name)."""
    detention = DetentionFactory()
    url = reverse("admin:custody_detention_change", args=[detention.pk])
    page = documenter_client.get(url, HTTP_ACCEPT_LANGUAGE="fa").content.decode()
    assert re.search(r"<label[^>]*>فرد:?</label>", page) and ">Person:<" not in page


def test_the_persian_user_form_names_the_roles_in_persian(client: Client) -> None:
    """An administrator choosing a new colleague's role in Persian reads "مستندساز", not "documenter"."""
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    colleague = UserFactory(username="colleague", is_staff=True)
    url = reverse("admin:accounts_user_change", args=[colleague.pk])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="fa").content.decode()
    options = re.findall(r"<option value=\"\d+\">([^<]*)</option>", page)
    assert {"مدیر", "بازبین", "مستندساز", "خواننده", "دسترسی به سوابق محرمانه"} <= set(options)
    assert "documenter" not in options and "restricted access" not in options


def test_the_persian_user_screens_have_no_english_left_from_django(client: Client) -> None:
    """Django's Persian catalogue lacks the password strings its user screens gained in 5.1; Vigil's has
    them, so an administrator adding or editing a colleague in Persian reads no English."""
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    colleague = UserFactory(username="colleague", is_staff=True)
    pages = [
        client.get(reverse(name, args=args), HTTP_ACCEPT_LANGUAGE="fa").content.decode()
        for name, args in [
            ("admin:accounts_user_add", []),
            ("admin:accounts_user_change", [colleague.pk]),
            ("admin:auth_user_password_change", [colleague.pk]),
        ]
    ]
    english = [
        "Reset password",
        "Password-based authentication",
        "Enabled",
        "Whether the user",
        "Raw passwords",
    ]
    assert [text for text in english if any(text in page for page in pages)] == []
    assert "ورود با گذرواژه" in pages[0] and "بازنشانی گذرواژه" in pages[1]


def test_the_persian_workspace_reads_no_english_to_screen_readers(documenter_client: Client) -> None:
    """The hidden table headings and navigation labels Django's admin gives screen readers are in Persian."""
    DetentionFactory()
    pages = [
        documenter_client.get(url, HTTP_ACCEPT_LANGUAGE="fa").content.decode()
        for url in ("/staff/", reverse("admin:custody_detention_changelist"))
    ]
    assert "Model name" not in pages[0] and "نام فهرست" in pages[0]
    assert not [page for page in pages if 'aria-label="Breadcrumbs"' in page]
    assert "Select this object for an action" not in pages[1]


def test_no_change_list_shows_a_point_in_time_in_djangos_own_format(rf: RequestFactory) -> None:
    """A date-time column shown by its name is Django's: Gregorian, in Latin digits, on Persian pages too.
    Every change list shows its points in time with ``moment_column`` instead."""
    request = rf.get("/staff/")
    bare = [
        f"{model._meta.label}.{column}"
        for model, model_admin in admin.site._registry.items()
        for column in model_admin.get_list_display(request)
        if isinstance(column, str)
        and column in {field.name for field in model._meta.get_fields()}
        and isinstance(model._meta.get_field(column), models.DateTimeField)
    ]
    assert bare == []


def test_the_persian_users_list_filters_by_role_named_in_persian(client: Client) -> None:
    """The users list's filter by role read "documenter", "reviewer" (the names stored) on Persian pages; it
    names them in Persian, and filters by the one chosen."""
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    reviewer = staff_user(Role.REVIEWER)
    staff_user(Role.DOCUMENTER)
    url = reverse("admin:accounts_user_changelist")
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="fa").content.decode()
    filters = page[page.index('id="changelist-filter"') :]
    assert "بازبین" in filters and "مستندساز" in filters
    assert ">reviewer<" not in filters and ">documenter<" not in filters
    group = reviewer.groups.get()
    listed = client.get(url, {"group": group.pk}, HTTP_ACCEPT_LANGUAGE="fa").content.decode()
    assert reviewer.username in listed and "root" not in listed.split('id="result_list"')[1]
    assert client.get(url, {"group": "x"}).status_code == 200
