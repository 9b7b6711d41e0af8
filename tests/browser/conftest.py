"""Browser tests: real headless Chromium (Debian's ``chromium`` package) driven by Playwright against
pytest-django's live server. Screenshots go to ``test-artifacts/`` (git-ignored).

Playwright's own browser downloads are never used (``playwright install`` is not run): the browser is
``/usr/bin/chromium``. Where it is missing the tests are skipped, unless ``VIGIL_REQUIRE_BROWSER=1`` (CI),
where a missing browser is a failure.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.core.management import call_command

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists() or shutil.which("chromium") is None:
        if os.environ.get("VIGIL_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium chromium-driver")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install -y chromium chromium-driver)")
    from playwright.sync_api import sync_playwright

    # Playwright's synchronous API keeps an event loop on this thread, which Django takes for async code
    # and refuses database calls from; the tests themselves are synchronous, so the guard is lifted here.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield launched
            launched.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    """A fresh page that records every request it makes (to prove none leaves the site)."""
    context = browser.new_context(viewport={"width": 1100, "height": 900}, locale="en-GB")
    opened = context.new_page()
    opened.requests_made = []
    opened.on("request", lambda request: opened.requests_made.append(request.url))
    yield opened
    context.close()


def screenshot(page: Any, name: str) -> Path:
    """Save a full-page screenshot as a test artefact."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@dataclass
class BrowserRecord:
    narges_id: int
    teen_id: int


@pytest.fixture
def site(transactional_db: None) -> BrowserRecord:
    """Reference data and a small public record, made through the services as the system account.

    Live-server tests run in a database that is emptied after each of them (no rolled-back transaction to
    hide in), so they load what they need themselves rather than rely on the session's reference data."""
    import datetime as dt

    from tests.factories import DetentionFactory, PersonFactory, SourceFactory, day
    from vigil.accounts.actors import system_actor
    from vigil.custody.services import status_record
    from vigil.events.services import casualty_record
    from vigil.places.models import Facility, Place
    from vigil.sources.services import CitationInput

    call_command("load_reference", verbosity=0)
    cache.clear()
    actor = system_actor()

    def cite() -> list[CitationInput]:
        return [CitationInput(source=SourceFactory(actor=actor, confidentiality="public"))]

    narges = PersonFactory(
        actor=actor,
        names=["نرگس محمدی", "Narges Mohammadi"],
        citations=cite(),
        confidentiality="public",
        gender="female",
        summary_en="Human rights defender.",
        summary_fa="مدافع حقوق بشر.",
    )
    detention = DetentionFactory(
        actor=actor,
        person=narges,
        arrested=day(2025, 12, 12),
        citations=cite(),
        facility=Facility.objects.get(code="ir-evin"),
    )
    status_record(
        detention=detention,
        status="incommunicado",
        started=day(2025, 12, 12),
        citations=cite(),
        actor=actor,
        reason="Statement",
    )
    teen = PersonFactory(
        actor=actor,
        names=["Reza Test", "رضا آزمون"],
        citations=cite(),
        confidentiality="public",
        gender="male",
        reported_age=16,
        age_reported_on=dt.date(2026, 1, 3),
    )
    casualty_record(
        person=teen,
        kind="killed",
        occurred=day(2026, 1, 3),
        place=Place.objects.get(code="ir-ilam-malekshahi"),
        citations=cite(),
        actor=actor,
        reason="HRANA",
    )
    PersonFactory(actor=actor, names=["Hidden Witness"], citations=cite(), confidentiality="internal")
    return BrowserRecord(narges_id=narges.pk, teen_id=teen.pk)
