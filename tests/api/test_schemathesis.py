"""Property-based tests of the whole API from its OpenAPI document (schemathesis, through the WSGI app):
whatever the parameters and bodies, no request gets a server error, and answers match the document."""

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.factories import staff
from vigil.accounts.roles import Role
from vigil.api.services import token_issue
from vigil.wsgi import application

# Bounded so the run stays well under a minute on two cores: about ten cases per operation.
EXAMPLES = 200

# The document is generated from code (no database access), so it is loaded when the module is collected.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
# Valid requests, and requests that break the document's rules (which must be refused, not crash).
cases = st.one_of(schema.as_strategy(), schema.as_strategy(GenerationMode.NEGATIVE))


@pytest.fixture
def one_connection() -> Iterator[None]:
    """Keep the test's database connection across requests, as Django's test client does: the WSGI app
    would otherwise close it at the end of each request, inside the test's transaction."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def documenter_key(db) -> str:
    user = staff(Role.DOCUMENTER, restricted=False)
    return token_issue(user=user, name="schemathesis", actor=user, reason="Tests")[1]


@pytest.mark.django_db
@given(case=cases)
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_never_fails_and_keeps_to_its_document(case, record, documenter_key, one_connection):
    """Every operation, with generated parameters and bodies (writes with a documenter's token), answers
    without a server error, with a documented status, content type and body."""
    # Reads as the public (the generated bearer tokens would all be refused), writes as a documenter.
    case.headers = {k: v for k, v in (case.headers or {}).items() if k.lower() != "authorization"}
    headers = {"Authorization": f"Bearer {documenter_key}"} if case.method.upper() != "GET" else {}
    checks: list[Any] = [not_a_server_error]
    if case.meta is None or case.meta.generation.mode == GenerationMode.POSITIVE:
        checks += [status_code_conformance, content_type_conformance, response_schema_conformance]
    case.call_and_validate(headers=headers, checks=checks)
