"""Privilege escalation through the interfaces is refused and audited: a documenter publishing from the
staff screens, a viewer editing, an anonymous caller of a write endpoint."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import PersonFactory, UserFactory, staff
from vigil.accounts.roles import Role
from vigil.audit.models import AuditAction, AuditEntry
from vigil.core.models import Confidentiality
from vigil.people.models import Person

pytestmark = pytest.mark.django_db


def _refused(actor_name: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=AuditAction.REFUSED, actor_name=actor_name))


def test_an_anonymous_call_to_a_write_endpoint_is_refused_and_audited():
    """POSTing a person to the API without a token is refused (401) and logged as anonymous."""
    response = Client().post("/api/v1/people", {"names": ["Intruder"]}, content_type="application/json")
    assert response.status_code == 401
    [entry] = _refused("anonymous")
    assert entry.detail["path"] == "/api/v1/people"
    assert not Person.objects.exists()


def test_a_viewer_posting_a_change_on_the_staff_screens_is_refused_and_audited():
    """A viewer who forges the change form of a person gets 403, and the attempt is logged."""
    viewer = staff(Role.VIEWER, restricted=False)
    person = PersonFactory(summary_en="Teacher.")
    client = Client()
    client.force_login(viewer)
    response = client.post(f"/staff/people/person/{person.pk}/change/", {"summary_en": "Changed."})
    assert response.status_code == 403
    assert Person.objects.get(pk=person.pk).summary_en == "Teacher."
    assert _refused(viewer.username)


def test_a_documenter_publishing_through_the_api_is_refused_and_audited():
    """A documenter's token cannot make a person public; the service refuses and the attempt is logged."""
    from vigil.api.services import token_issue

    documenter = staff(Role.DOCUMENTER, restricted=False)
    person = PersonFactory(confidentiality=Confidentiality.INTERNAL)
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    _, key = token_issue(user=documenter, name="test", actor=root, reason="Test")
    response = Client().patch(
        f"/api/v1/people/{person.pk}", {"confidentiality": "public", "reason": "Publish"},
        content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}",
    )  # fmt: skip
    assert response.status_code in (403, 422), response.content
    assert Person.objects.get(pk=person.pk).confidentiality == Confidentiality.INTERNAL
    assert _refused(documenter.username)
