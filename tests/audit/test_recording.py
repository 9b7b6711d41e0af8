"""What is written to the audit log: every write with actor, object and reason, and every change of who
may do what."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client

from tests.factories import PersonFactory, UserFactory, staff
from vigil.accounts.roles import Role
from vigil.audit.models import AuditAction, AuditEntry
from vigil.core.services import delete_with_history
from vigil.people.services import person_update

pytestmark = pytest.mark.django_db


def test_a_write_is_logged_with_actor_object_reason_and_the_fields_changed():
    """Creating and changing a person is logged with who, what, why and which fields (never the values)."""
    person = PersonFactory(summary_en="Teacher.")
    person_update(
        person=person,
        summary_en="Teacher, Mashhad.",
        family_contact="+98 912",
        actor=staff(),
        reason="New post",
    )
    entry = (
        AuditEntry.objects.filter(object_type="people.person", object_id=str(person.pk))
        .order_by("sequence")
        .last()
    )
    assert entry is not None
    assert (entry.action, entry.actor_name, entry.reason) == (
        AuditAction.UPDATE,
        staff().username,
        "New post",
    )
    assert sorted(entry.detail["fields"]) == ["family_contact", "summary_en"]
    assert "+98 912" not in str(entry.content())
    assert AuditEntry.objects.filter(action=AuditAction.CREATE, object_type="people.person").exists()


def test_a_deletion_is_logged_with_what_was_deleted():
    """A deletion names the record it removed."""
    person = PersonFactory()
    person_id = person.pk
    delete_with_history(person, actor=staff(Role.REVIEWER), reason="Duplicate of #1")
    entry = AuditEntry.objects.get(action=AuditAction.DELETE)
    assert entry.object_id == str(person_id) and entry.reason == "Duplicate of #1"


def test_joining_a_role_is_logged_with_who_granted_it():
    """Adding a user to a group, through the staff screens, is a logged permission change."""
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    user = UserFactory(username="newcomer", is_staff=True)
    client = Client()
    client.force_login(admin)
    reviewer = Group.objects.get(name=Role.REVIEWER)
    data = {
        "username": user.username, "is_active": "on", "is_staff": "on", "groups": [reviewer.pk],
        "date_joined_0": "2026-01-01", "date_joined_1": "00:00:00", "preferred_calendar": "jalali",
    }  # fmt: skip
    client.post(f"/staff/accounts/user/{user.pk}/change/", data)
    entry = AuditEntry.objects.filter(
        action=AuditAction.PERMISSION_CHANGE, object_repr="newcomer", detail__groups="added"
    ).get()
    assert entry.actor_name == "root" and entry.detail["names"] == [Role.REVIEWER]


def test_permission_changes_from_code_are_logged():
    """Group permissions, user permissions and the superuser flag changed anywhere are logged."""
    user = UserFactory(username="escalator")
    group = Group.objects.create(name="campaigners")
    permission = Permission.objects.get(codename="view_person")
    group.permissions.add(permission)
    user.user_permissions.add(permission)
    user.is_superuser = True
    user.save()
    details = list(
        AuditEntry.objects.filter(action=AuditAction.PERMISSION_CHANGE).values_list("detail", flat=True)
    )
    assert {"created": True} in details
    assert {"permissions": "added", "names": ["people.view_person"]} in details
    assert {"is_superuser": True} in details
    assert all(
        entry.actor_name == "command line"
        for entry in AuditEntry.objects.filter(action=AuditAction.PERMISSION_CHANGE, object_repr="escalator")
    )


def test_an_export_is_logged_with_what_and_how_much():
    """Exporters log who exported which kind of data and how many records."""
    from vigil.audit.services import export_recorded

    export_recorded(actor=None, kind="backup", records=1200)
    entry = AuditEntry.objects.get(action=AuditAction.EXPORT)
    assert (entry.actor_name, entry.detail) == ("command line", {"kind": "backup", "records": 1200})


def test_administrators_read_the_log_and_nobody_edits_it():
    """The staff screens show the log to administrators, read-only; other roles cannot open it."""
    admin_user = staff(Role.ADMINISTRATOR)
    client = Client()
    client.force_login(admin_user)
    PersonFactory()
    assert client.get("/staff/audit/auditentry/").status_code == 200
    entry = AuditEntry.objects.first()
    assert entry is not None
    assert client.post(f"/staff/audit/auditentry/{entry.pk}/delete/").status_code == 403
    client.force_login(staff(Role.REVIEWER))
    assert client.get("/staff/audit/auditentry/").status_code == 403
