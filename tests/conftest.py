"""Shared fixtures. Every test runs against a real database (SQLite or PostgreSQL) built by the real
migrations, with the shipped reference data loaded once per session."""

from typing import Any

import pytest
from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    with django_db_blocker.unblock():
        call_command("load_reference", verbosity=0)
