"""The pages for an address with nothing at it (404) and for a server error (500), as production shows them."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.utils import translation
from django.views.defaults import server_error

from tests.factories import PersonFactory


@pytest.fixture
def production(settings):
    """Django shows its own 404 and 500 pages only with DEBUG off, as in production."""
    settings.DEBUG = False
    return settings


@pytest.mark.django_db
def test_a_missing_page_is_in_the_readers_language_with_the_site_header_and_a_way_home(client, production):
    """A Persian reader at an address with nothing at it gets a Persian, right-to-left page of the site,
    with its header and a link to the home page, not Django's bare English "Not Found"."""
    response = client.get("/fa/people/999999/")
    html = response.content.decode()
    assert response.status_code == 404
    assert '<html lang="fa" dir="rtl">' in html
    assert "<h1>صفحه پیدا نشد</h1>" in html
    assert '<a class="brand" href="/fa/">' in html
    assert '<a href="/fa/">صفحهٔ نخست</a>' in html


@pytest.mark.django_db
def test_a_missing_page_in_english_is_left_to_right(client, production):
    response = client.get("/en/events/999999/")
    html = response.content.decode()
    assert response.status_code == 404
    assert '<html lang="en" dir="ltr">' in html
    assert "<h1>Page not found</h1>" in html
    assert '<a href="/en/">Home page</a>' in html


@pytest.mark.django_db
def test_a_record_that_is_not_public_answers_as_one_that_does_not_exist(client, production):
    """The 404 page of an internal person is the page of a number nobody has: it does not tell them apart."""
    hidden = PersonFactory(names=["Hidden Test"], confidentiality="internal")
    missing = hidden.pk + 1000

    for language in ("en", "fa"):
        shown = client.get(f"/{language}/people/{hidden.pk}/").content.decode()
        absent = client.get(f"/{language}/people/{missing}/").content.decode()
        assert shown.replace(f"/people/{hidden.pk}/", "/people/N/") == absent.replace(
            f"/people/{missing}/", "/people/N/"
        )


def test_a_server_error_page_is_in_the_readers_language_and_needs_no_database():
    """Django renders the 500 page with no context; it must not need a request or the database (no
    ``django_db`` mark here: a query would fail the test)."""
    request = RequestFactory().get("/fa/statistics/")
    with translation.override("fa"):
        response = server_error(request)
    html = response.content.decode()
    assert response.status_code == 500
    assert '<html lang="fa" dir="rtl">' in html
    assert "<h1>خطای سرور</h1>" in html
    assert '<a href="/fa/">صفحهٔ نخست</a>' in html
