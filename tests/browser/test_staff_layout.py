"""Staff edit screens fit a laptop's window in both languages: the table of sources cited for a record,
whose quotes, translations and addresses are long, narrows and wraps its cells instead of widening the page."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

LONG_QUOTE = (
    "به گزارش خبرگزاری هرانا، این فعال مدنی در روز نوزدهم دی ماه در منزل شخصی خود بازداشت و به مکان "
    "نامعلومی منتقل شد؛ خانواده او تاکنون از محل نگهداری‌اش اطلاعی ندارند. "
) * 3
LONG_TITLE = "HRANA daily report on arrests in Rasht, Tehran, Mashhad and Zahedan, 9 January 2026. " * 2
LONG_ADDRESS = "https://example.org/" + "a-long-path-segment-without-spaces/" * 4


@pytest.fixture
def staff_page(browser: Any, live_server: Any, transactional_db: None) -> Iterator[Any]:
    """A page in a 1280-pixel-wide window, signed in as an administrator."""
    from tests.factories import UserFactory

    call_command("load_reference", verbosity=0)
    client = Client()
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("language", ["en", "fa"])
@pytest.mark.parametrize("screen", ["people_person", "custody_detention"])
def test_a_record_citing_long_sources_fits_a_1280_pixel_window(staff_page, live_server, language, screen):
    """The person's and the detention's edit screens, citing a source with a long title, quote, translation
    and address, are no wider than the window, and their tables of sources no wider than their boxes."""
    from tests.factories import DetentionFactory, PersonFactory, SourceFactory
    from vigil.accounts.actors import system_actor
    from vigil.sources.services import CitationInput

    actor = system_actor()
    source = SourceFactory(actor=actor, title=LONG_TITLE, url=LONG_ADDRESS)
    citation = CitationInput(
        source=source,
        quote=LONG_QUOTE,
        translation="An activist was arrested at home and taken to an unknown place. " * 4,
        translation_method="human",
        locator=LONG_ADDRESS,
    )
    person = PersonFactory(actor=actor, citations=[citation])
    detention = DetentionFactory(actor=actor, person=person, citations=[citation])

    staff_page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    record = person if screen == "people_person" else detention
    staff_page.goto(live_server.url + reverse(f"admin:{screen}_change", args=[record.pk]))

    assert staff_page.locator("html").get_attribute("lang") == language
    assert staff_page.evaluate("document.documentElement.scrollWidth") <= 1280
    sources = staff_page.locator(".inline-group:has(.field-quote) fieldset.module")
    assert sources.evaluate("box => box.scrollWidth <= box.clientWidth")
