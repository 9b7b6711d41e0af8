"""API fixtures: the public site's small record, and tokens for staff of each role."""

from collections.abc import Callable

import pytest
from django.test import Client

from tests.factories import staff
from tests.public.conftest import Record, _empty_cache, record  # noqa: F401 - shared fixtures
from vigil.accounts.roles import Role
from vigil.api.services import token_issue


@pytest.fixture
def token() -> Callable[[str], str]:
    """A function giving the key of a new token for a staff member of ``role``."""

    def issue(role: str = Role.DOCUMENTER) -> str:
        user = staff(role, restricted=False)
        _token, key = token_issue(user=user, name=f"test {role}", actor=user, reason="Tests")
        return key

    return issue


@pytest.fixture
def api(client: Client) -> Client:
    return client


def bearer(key: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


__all__ = ["Record", "bearer"]
