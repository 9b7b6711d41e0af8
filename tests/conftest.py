"""Shared fixtures. Every test runs against a real database (SQLite or PostgreSQL) built by the real
migrations, with the shipped reference data loaded once per session."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    with django_db_blocker.unblock():
        call_command("load_reference", verbosity=0)


@pytest.fixture(autouse=True)
def _language_restored() -> Iterator[None]:
    """Each test starts and ends in the site's default language: a request in Persian (Accept-Language,
    /fa/) leaves Persian active in the thread, and a later test's messages would be Persian."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
