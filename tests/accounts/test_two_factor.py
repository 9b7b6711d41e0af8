"""Reviewers and administrators sign in with a second factor (TOTP), on /staff/ like everywhere else."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone

from tests.factories import UserFactory
from vigil.accounts.models import TwoFactorDevice, User
from vigil.accounts.roles import Role
from vigil.accounts.two_factor import current_code, device_of, two_factor_check
from vigil.audit.models import AuditAction, AuditEntry

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _two_factor_on(settings):
    settings.VIGIL_TWO_FACTOR_REQUIRED = True


def _user(role: str) -> User:
    user: User = UserFactory(username=f"{role}-2fa", is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return user


def _sign_in(client: Client, user: User) -> None:
    response = client.post(
        "/staff/login/", {"username": user.username, "password": PASSWORD, "next": "/staff/"}
    )
    assert response.status_code == 302, response.content[:500]


def _enrol(client: Client, user: User) -> TwoFactorDevice:
    client.get("/account/two-factor/")
    device = device_of(user)
    assert device is not None
    client.post("/account/two-factor/", {"code": current_code(device), "next": "/staff/"})
    device.refresh_from_db()
    return device


def test_a_reviewer_signed_in_with_a_password_only_is_sent_to_the_second_factor():
    """After the password, every staff page (the admin at /staff/ included) asks for the second factor."""
    client = Client()
    _sign_in(client, _user(Role.REVIEWER))
    response = client.get("/staff/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/two-factor/?next=%2Fstaff%2F")


def test_a_write_without_the_second_factor_is_refused_and_audited():
    """A POST from a password-only session is refused (403) and logged."""
    client = Client()
    user = _user(Role.REVIEWER)
    _sign_in(client, user)
    response = client.post("/staff/people/person/add/", {})
    assert response.status_code == 403
    assert AuditEntry.objects.filter(action=AuditAction.REFUSED, actor_name=user.username).exists()


def test_the_first_sign_in_enrols_an_authenticator_with_a_qr_code_drawn_locally():
    """The enrolment page shows a QR code (inline SVG, no request elsewhere) and the key to type in."""
    client = Client()
    user = _user(Role.ADMINISTRATOR)
    _sign_in(client, user)
    page = client.get("/account/two-factor/").content.decode()
    assert "<svg" in page and "http" not in re.sub(
        r'xmlns(:\w+)?="[^"]*"', "", page.split("<svg", 1)[1].split("</svg>")[0]
    )
    device = device_of(user)
    assert device is not None and device.confirmed_at is None
    assert " ".join(device.secret[i : i + 4] for i in range(0, len(device.secret), 4)) in page


def test_a_good_code_enrols_and_opens_the_workspace():
    """The first good code confirms the device and lets the user in; the enrolment is audited."""
    client = Client()
    user = _user(Role.REVIEWER)
    _sign_in(client, user)
    device = _enrol(client, user)
    assert device.confirmed_at is not None
    assert client.get("/staff/").status_code == 200
    assert AuditEntry.objects.filter(action=AuditAction.TWO_FACTOR, detail__two_factor="enrolled").exists()


def test_a_wrong_code_is_refused_and_counted_as_a_failed_sign_in():
    """A wrong code keeps the user out and is logged as a failed sign-in."""
    client = Client()
    user = _user(Role.REVIEWER)
    _sign_in(client, user)
    client.get("/account/two-factor/")
    response = client.post("/account/two-factor/", {"code": "000000"})
    assert "That code is not right" in response.content.decode()
    assert client.get("/staff/").status_code == 302
    assert AuditEntry.objects.filter(action=AuditAction.LOGIN_FAILED, object_repr=user.username).count() == 1


def test_a_code_works_once():
    """A code seen over a shoulder cannot be replayed: a time step is accepted once."""
    user = _user(Role.REVIEWER)
    client = Client()
    _sign_in(client, user)
    device = _enrol(client, user)
    at = timezone.now() + dt.timedelta(seconds=30)
    code = current_code(device, at)
    assert two_factor_check(user=user, code=code, at=at)
    assert not two_factor_check(user=user, code=code, at=at)


def test_persian_digits_are_accepted_in_a_code():
    """A code typed on a Persian keyboard (۱۲۳۴۵۶) is read as digits."""
    user = _user(Role.REVIEWER)
    client = Client()
    _sign_in(client, user)
    client.get("/account/two-factor/")
    device = device_of(user)
    assert device is not None
    persian = current_code(device).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    assert two_factor_check(user=user, code=persian)


def test_each_password_sign_in_asks_for_the_code_again():
    """Signing out and in again needs a new code."""
    client = Client()
    user = _user(Role.REVIEWER)
    _sign_in(client, user)
    _enrol(client, user)
    client.post("/staff/logout/")
    _sign_in(client, user)
    assert client.get("/staff/").status_code == 302


def test_a_documenter_and_a_viewer_sign_in_with_a_password():
    """The second factor is required of reviewers, administrators and restricted-data holders only."""
    client = Client()
    _sign_in(client, _user(Role.DOCUMENTER))
    assert client.get("/staff/").status_code == 200


def test_an_administrator_resets_a_lost_authenticator(capsys):
    """`vigil two_factor reset` removes the device (audited); the user enrols again."""
    client = Client()
    user = _user(Role.REVIEWER)
    _sign_in(client, user)
    _enrol(client, user)
    call_command("two_factor", "reset", user.username, "--reason", "Phone lost on 3 January")
    assert device_of(user) is None
    entry = AuditEntry.objects.filter(action=AuditAction.TWO_FACTOR, detail__two_factor="reset").get()
    assert entry.reason == "Phone lost on 3 January"


def test_an_administrator_removes_a_lost_authenticator_on_the_users_page():
    """A lost phone was mended from the server's command line only: the user's page now says whether an
    authenticator is set up and removes it, with a reason, audited; without a reason nothing is removed."""
    reviewer = _user(Role.REVIEWER)
    _sign_in(Client(), reviewer)
    phone = Client()
    _sign_in(phone, reviewer)
    _enrol(phone, reviewer)
    administrator = _user(Role.ADMINISTRATOR)
    client = Client()
    _sign_in(client, administrator)
    _enrol(client, administrator)
    persian = client.get(f"/staff/accounts/user/{reviewer.pk}/change/", HTTP_ACCEPT_LANGUAGE="fa")
    assert "یک برنامهٔ احراز هویت راه‌اندازی شده است." in persian.content.decode()
    reset = f"/staff/accounts/user/{reviewer.pk}/two-factor-reset/"

    client.post(reset, {"reason": " "})
    assert device_of(reviewer) is not None
    client.post(reset, {"reason": "Phone lost on 3 January"})

    assert device_of(reviewer) is None
    entry = AuditEntry.objects.filter(action=AuditAction.TWO_FACTOR, detail__two_factor="reset").get()
    assert entry.reason == "Phone lost on 3 January" and entry.actor_id == administrator.pk
    page = client.get(f"/staff/accounts/user/{reviewer.pk}/change/").content.decode()
    assert "No authenticator is set up." in page and "Remove the authenticator" not in page


def test_a_reviewer_cannot_remove_a_colleagues_authenticator():
    """Removing an authenticator is changing a user: a reviewer's attempt is refused and the device kept."""
    colleague = _user(Role.DOCUMENTER)
    TwoFactorDevice.objects.create(user=colleague, secret="JBSWY3DPEHPK3PXP", confirmed_at=timezone.now())
    reviewer = _user(Role.REVIEWER)
    client = Client()
    _sign_in(client, reviewer)
    _enrol(client, reviewer)
    client.post(f"/staff/accounts/user/{colleague.pk}/two-factor-reset/", {"reason": "Because"})
    assert device_of(colleague) is not None


def test_the_secret_is_encrypted_at_rest():
    """The TOTP secret is not in the database in clear (a stolen database cannot mint codes)."""
    user = _user(Role.REVIEWER)
    client = Client()
    _sign_in(client, user)
    client.get("/account/two-factor/")
    device = device_of(user)
    assert device is not None
    with connection.cursor() as cursor:
        cursor.execute("SELECT secret FROM accounts_twofactordevice WHERE id = %s", [device.pk])
        stored = cursor.fetchone()[0]
    assert device.secret not in stored and stored.startswith("gAAAAA")


def test_reading_a_code_on_the_server_is_audited_and_needs_an_enrolment_begun(capsys):
    """`vigil two_factor code` left no trace, and for a user who had not enrolled began the enrolment itself,
    handing whoever ran it a secret the account would keep."""
    from django.core.management.base import CommandError

    user = _user(Role.REVIEWER)
    with pytest.raises(CommandError, match="has no authenticator yet"):
        call_command("two_factor", "code", user.username)
    assert device_of(user) is None
    client = Client()
    _sign_in(client, user)
    client.get("/account/two-factor/")  # the enrolment begins at sign-in
    capsys.readouterr()
    call_command("two_factor", "code", user.username)
    device = device_of(user)
    assert device is not None and capsys.readouterr().out.strip() == current_code(device)
    entry = AuditEntry.objects.filter(action=AuditAction.TWO_FACTOR, detail__code_read=True).get()
    assert entry.object_id == str(user.pk)
