"""What each role may write, enforced in the services (``vigil.accounts.permissions``)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from tests.factories import PersonFactory, cite, day, staff
from vigil.accounts.actors import SYSTEM_USERNAME, system_actor
from vigil.accounts.permissions import Action, Refused, allowed
from vigil.accounts.roles import Role
from vigil.audit.models import AuditAction, AuditEntry
from vigil.core.models import Confidentiality, Verification
from vigil.core.services import delete_with_history, record_review, save_with_history
from vigil.custody.services import detention_record, status_record
from vigil.people.models import Person
from vigil.people.services import name_add, person_create, person_update

pytestmark = pytest.mark.django_db


def _create(actor: Any, **fields: Any) -> Person:
    values = {"actor": actor, "reason": "Test", "names": ["Sepideh Gholian"], "citations": [cite()]} | fields
    return person_create(**values)


def _refusals(actor_name: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=AuditAction.REFUSED, actor_name=actor_name))


def test_a_documenter_proposes_a_person_as_reported_and_internal():
    """A documenter records a person; it starts reported and internal."""
    person = _create(staff(Role.DOCUMENTER, restricted=False))
    assert (person.verification, person.confidentiality) == (Verification.REPORTED, Confidentiality.INTERNAL)


def test_a_documenters_public_proposal_is_held_back_as_internal():
    """A new record a documenter asks to be public is saved internal, a proposal for a reviewer."""
    person = _create(staff(Role.DOCUMENTER, restricted=False), confidentiality=Confidentiality.PUBLIC)
    assert person.confidentiality == Confidentiality.INTERNAL
    entry = AuditEntry.objects.filter(action=AuditAction.CREATE, object_type="people.person").first()
    assert entry is not None and entry.detail == {"held_for_review": True}


def test_a_record_inherits_public_only_through_a_reviewer():
    """A documenter's detention of a public person is held internal rather than published."""
    person = PersonFactory(confidentiality=Confidentiality.PUBLIC)
    detention = detention_record(
        actor=staff(Role.DOCUMENTER, restricted=False), reason="Test", person=person, arrested=day(2026, 1, 8),
        citations=[cite()],
    )  # fmt: skip
    assert detention.confidentiality == Confidentiality.INTERNAL


def test_a_documenter_publishing_is_refused_and_audited():
    """A documenter cannot make a record public; the attempt is in the audit log."""
    documenter = staff(Role.DOCUMENTER, restricted=False)
    person = _create(documenter)
    with pytest.raises(Refused, match=r"Only a reviewer may make person #.* public"):
        person_update(
            person=person, confidentiality=Confidentiality.PUBLIC, actor=documenter, reason="Publish"
        )
    assert Person.objects.get(pk=person.pk).confidentiality == Confidentiality.INTERNAL
    [entry] = _refusals(documenter.username)
    assert entry.detail["attempted"] == Action.PUBLISH and entry.object_id == str(person.pk)


def test_a_documenter_verifying_is_refused_and_audited():
    """Only a reviewer sets verification, whether on a new record or an existing one."""
    documenter = staff(Role.DOCUMENTER, restricted=False)
    with pytest.raises(Refused, match="Only a reviewer may set the verification"):
        _create(documenter, verification=Verification.VERIFIED)
    person = _create(documenter)
    with pytest.raises(Refused, match="Only a reviewer may verify or publish"):
        record_review(record=person, verification=Verification.VERIFIED, actor=documenter, reason="Seen it")
    assert len(_refusals(documenter.username)) == 2


def test_a_reviewer_verifies_and_publishes():
    """A reviewer verifies and publishes a documenter's proposal."""
    person = _create(staff(Role.DOCUMENTER, restricted=False))
    reviewed = record_review(
        record=person, verification=Verification.VERIFIED, confidentiality=Confidentiality.PUBLIC,
        actor=staff(Role.REVIEWER, restricted=False), reason="Two independent sources",
    )  # fmt: skip
    assert (reviewed.verification, reviewed.confidentiality) == (
        Verification.VERIFIED,
        Confidentiality.PUBLIC,
    )


def test_a_public_record_changes_only_through_a_reviewer():
    """A documenter cannot edit what is published, nor add a name shown on it."""
    documenter = staff(Role.DOCUMENTER, restricted=False)
    person = PersonFactory(confidentiality=Confidentiality.PUBLIC)
    with pytest.raises(Refused, match=r"Only a reviewer may change person #.*: it is public"):
        person_update(person=person, summary_en="Changed.", actor=documenter, reason="Edit")
    with pytest.raises(Refused, match=r"it is shown on person #.*, which is public"):
        name_add(person=person, name="Another Name", actor=documenter, reason="Edit")


def test_anyone_who_may_edit_can_take_a_record_down():
    """Making a public record internal is open to a documenter: a dangerous record comes down at once."""
    person = PersonFactory(confidentiality=Confidentiality.PUBLIC)
    person_update(
        person=person, confidentiality=Confidentiality.INTERNAL, actor=staff(Role.DOCUMENTER, restricted=False),
        reason="Family asked",
    )  # fmt: skip
    assert Person.objects.get(pk=person.pk).confidentiality == Confidentiality.INTERNAL


def test_a_viewer_editing_is_refused_and_audited():
    """A viewer reads but never writes."""
    viewer = staff(Role.VIEWER, restricted=False)
    person = PersonFactory()
    with pytest.raises(Refused, match="Your role does not allow you to change person"):
        person_update(person=person, summary_en="Changed.", actor=viewer, reason="Edit")
    with pytest.raises(Refused, match="Your role does not allow you to add person"):
        _create(viewer)
    assert len(_refusals(viewer.username)) == 2


@pytest.mark.parametrize("anonymous", [None, AnonymousUser()], ids=["no user", "anonymous user"])
def test_anonymous_writes_are_refused_and_audited(anonymous):
    """Nobody writes without signing in, through a service or through ``save_with_history``."""
    with pytest.raises(Refused, match="Sign in first"):
        _create(anonymous)
    person = PersonFactory()
    person.summary_en = "Changed."
    with pytest.raises(PermissionDenied):
        save_with_history(person, actor=anonymous, reason="Edit")
    with pytest.raises(PermissionDenied):
        delete_with_history(person, actor=anonymous, reason="Remove")
    assert len(_refusals("anonymous")) == 3


def test_an_inactive_account_cannot_write():
    """A deactivated account is refused like an anonymous one."""
    documenter = staff(Role.DOCUMENTER, restricted=False)
    documenter.is_active = False
    with pytest.raises(Refused, match="Sign in first"):
        _create(documenter)


def test_nobody_changes_a_record_they_cannot_see():
    """A reviewer without restricted clearance cannot change or link to a restricted person."""
    reviewer = staff(Role.REVIEWER, restricted=False)
    person = PersonFactory(confidentiality=Confidentiality.RESTRICTED)
    with pytest.raises(Refused, match="is restricted; you cannot see it"):
        person_update(person=person, summary_en="x", actor=reviewer, reason="Edit")
    with pytest.raises(Refused, match="You cannot link to person"):
        detention_record(
            actor=reviewer, reason="Test", person=person, arrested=day(2026, 1, 8), citations=[cite()]
        )


def test_a_restricted_field_is_entered_on_creation_but_not_overwritten_without_clearance():
    """A documenter enters a family contact on a new person but cannot change an existing one."""
    documenter = staff(Role.DOCUMENTER, restricted=False)
    person = _create(documenter, family_contact="+98 912 000 0000")
    with pytest.raises(Refused, match=r"The family contact of person #.* is above your clearance"):
        person_update(person=person, family_contact="", actor=documenter, reason="Edit")
    person_update(person=person, family_contact="", actor=staff(Role.DOCUMENTER), reason="Edit")


def test_deleting_needs_the_delete_permission_and_a_public_record_a_reviewer():
    """Documenters cannot delete; reviewers delete internal records."""
    person = PersonFactory()
    with pytest.raises(Refused, match="Your role does not allow you to delete"):
        delete_with_history(person, actor=staff(Role.DOCUMENTER, restricted=False), reason="Duplicate")
    delete_with_history(person, actor=staff(Role.REVIEWER, restricted=False), reason="Duplicate")
    assert not Person.objects.filter(pk=person.pk).exists()


def test_the_system_account_writes_and_publishes_but_cannot_sign_in():
    """Loaders act as the system account: it may publish, but it has no usable password and is inactive."""
    system = system_actor()
    person = _create(system, confidentiality=Confidentiality.PUBLIC, verification=Verification.VERIFIED)
    assert person.confidentiality == Confidentiality.PUBLIC
    assert system.username == SYSTEM_USERNAME and not system.is_active and not system.has_usable_password()


def test_an_activated_system_account_is_an_ordinary_user():
    """Giving the system account a password strips its powers: it is recognised by being unable to sign in."""
    system = system_actor()
    system.set_password("a long enough password")
    system.is_active = True
    with pytest.raises(Refused):
        _create(system)


def test_interfaces_ask_allowed_without_logging():
    """``allowed`` answers without writing a refusal to the log."""
    viewer = staff(Role.VIEWER, restricted=False)
    assert not allowed(viewer, Action.ADD, Person)
    assert allowed(staff(Role.DOCUMENTER, restricted=False), Action.ADD, Person)
    assert _refusals(viewer.username) == []


def test_a_status_on_a_restricted_detention_needs_clearance():
    """Facts hang on their record: without clearance a documenter cannot add to a restricted detention."""
    detention = detention_record(
        actor=staff(), reason="Test", person=PersonFactory(confidentiality=Confidentiality.RESTRICTED),
        arrested=day(2026, 1, 8), citations=[cite()],
    )  # fmt: skip
    with pytest.raises(Refused):
        status_record(
            detention=detention, status="incommunicado", started=day(2026, 1, 9), citations=[cite()],
            actor=staff(Role.DOCUMENTER, restricted=False), reason="Test",
        )  # fmt: skip
