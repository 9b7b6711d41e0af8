"""Repeated failed sign-ins lock the account (and a client address) for a while; every attempt is logged."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import UserFactory
from vigil.accounts.models import User
from vigil.audit.models import AuditAction, AuditEntry

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"


def _attempt(client: Client, username: str, password: str) -> bool:
    """Whether the sign-in form let the user in."""
    response = client.post("/staff/login/", {"username": username, "password": password, "next": "/staff/"})
    return response.status_code == 302


def _staff(username: str) -> User:
    user: User = UserFactory(username=username, is_staff=True)
    return user


def test_failed_sign_ins_are_audited_with_the_name_tried():
    """A failed sign-in is logged with the username tried and a hash of the client's address, not the address."""
    _attempt(Client(), "nobody", "wrong")
    entry = AuditEntry.objects.get(action=AuditAction.LOGIN_FAILED)
    assert entry.object_repr == "nobody" and entry.detail["stage"] == "password"
    assert "127.0.0.1" not in str(entry.detail) and len(entry.detail["client"]) == 16


def test_a_successful_sign_in_and_sign_out_are_audited():
    """Signing in and out are in the log, with the actor."""
    client = Client()
    user = _staff("signer")
    assert _attempt(client, user.username, PASSWORD)
    client.post("/staff/logout/")
    actions = list(
        AuditEntry.objects.filter(actor_name="signer").order_by("sequence").values_list("action", flat=True)
    )
    assert actions == [AuditAction.LOGIN, AuditAction.LOGOUT]


def test_five_failures_lock_the_account_even_against_the_right_password(settings):
    """After the allowed failures the right password is refused too, and the page says why."""
    settings.VIGIL_LOCKOUT_FAILURES = 5
    user = _staff("target")
    client = Client()
    for _ in range(5):
        assert not _attempt(client, user.username, "guess")
    response = client.post("/staff/login/", {"username": user.username, "password": PASSWORD}, follow=True)
    assert response.status_code == 200 and not response.wsgi_request.user.is_authenticated
    assert "Too many failed sign-ins" in response.content.decode()
    locked = AuditEntry.objects.filter(action=AuditAction.LOGIN_FAILED, detail__locked_out=True)
    assert locked.count() == 1


def test_a_lock_on_one_account_leaves_others_alone(settings):
    """Locking one account does not lock another tried from elsewhere."""
    settings.VIGIL_LOCKOUT_FAILURES = 3
    settings.VIGIL_LOCKOUT_CLIENT_FAILURES = 100
    _staff("target")
    other = _staff("colleague")
    for _ in range(3):
        _attempt(Client(), "target", "guess")
    assert _attempt(Client(), other.username, PASSWORD)


def test_many_failures_from_one_address_lock_that_address(settings):
    """Guessing across many usernames from one address locks the address."""
    settings.VIGIL_LOCKOUT_CLIENT_FAILURES = 4
    user = _staff("victim")
    client = Client()
    for n in range(4):
        _attempt(client, f"guess{n}", "guess")
    assert not _attempt(client, user.username, PASSWORD)
    assert _attempt(Client(REMOTE_ADDR="10.0.0.9"), user.username, PASSWORD)


def test_the_lock_lasts_the_configured_window(settings):
    """Failures older than the window no longer count (here a window of zero minutes)."""
    settings.VIGIL_LOCKOUT_FAILURES = 2
    user = _staff("patient")
    for _ in range(2):
        _attempt(Client(), user.username, "guess")
    assert not _attempt(Client(), user.username, PASSWORD)
    settings.VIGIL_LOCKOUT_MINUTES = 0
    assert _attempt(Client(), user.username, PASSWORD)
