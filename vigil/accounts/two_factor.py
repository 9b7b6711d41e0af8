"""TOTP two-factor sign-in (RFC 6238: the six-digit codes of any authenticator app).

Why pyotp and our own model rather than django-otp: the secret is stored in an ``EncryptedCharField`` like
every restricted field (django-otp keeps it in plaintext, so a stolen database could mint codes), failed
codes count towards the same audit-log lockout as failed passwords, and enforcement is one middleware
(``TwoFactorMiddleware``) in front of every view, the staff admin at ``/staff/`` included, instead of a
replacement admin site. pyotp supplies the tested RFC 6238 arithmetic; this module holds the policy.

Who must use it: ``actors.requires_two_factor`` (reviewers, administrators, superusers, anyone who may
read restricted data). They enrol at their first sign-in; an administrator resets a lost device with
``vigil two_factor reset USER``.
"""

from __future__ import annotations

import datetime as dt
import hmac
from typing import Any

import pyotp
import segno
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from vigil.accounts.actors import requires_two_factor
from vigil.accounts.models import TwoFactorDevice, User
from vigil.accounts.permissions import Action, require
from vigil.audit.models import AuditAction
from vigil.audit.services import audit_append
from vigil.core.text import to_ascii_digits

ISSUER = "Vigil"
SESSION_KEY = "vigil_two_factor"
# One step either side of now: a phone's clock a little off, or a code typed as it changed.
_DRIFT_STEPS = 1


def device_of(user: User) -> TwoFactorDevice | None:
    return TwoFactorDevice.objects.filter(user=user).first()


def enrolled(user: User) -> bool:
    return TwoFactorDevice.objects.filter(user=user, confirmed_at__isnull=False).exists()


def two_factor_enrolment_begin(*, user: User) -> TwoFactorDevice:
    """A new, unconfirmed device with a fresh secret (or the unconfirmed one already begun). Refused when
    the user is enrolled: replacing a device is an administrator's reset, not a signed-in user's click."""
    with transaction.atomic():
        device = TwoFactorDevice.objects.select_for_update().filter(user=user).first()
        if device is not None and device.confirmed_at is not None:
            raise ValidationError(
                _(
                    "This account already has an authenticator; ask an administrator to reset it if it was lost."
                ),
                code="already_enrolled",
            )
        if device is None:
            device = TwoFactorDevice.objects.create(user=user, secret=pyotp.random_base32())
        return device


def provisioning_uri(device: TwoFactorDevice) -> str:
    """The ``otpauth://`` address an authenticator app reads (from the QR code or typed in)."""
    return pyotp.TOTP(device.secret).provisioning_uri(name=device.user.get_username(), issuer_name=ISSUER)


def provisioning_qr_svg(device: TwoFactorDevice) -> str:
    """The provisioning address as an inline SVG QR code, drawn here: no request leaves the machine."""
    return str(segno.make(provisioning_uri(device), error="m").svg_inline(scale=5, border=2))


def current_code(device: TwoFactorDevice, at: dt.datetime | None = None) -> str:
    """The code an authenticator shows now (for ``vigil two_factor code`` and tests)."""
    return str(pyotp.TOTP(device.secret).at(at or timezone.now()))


def _matching_step(device: TwoFactorDevice, code: str, at: dt.datetime) -> int | None:
    code = to_ascii_digits("".join(code.split()))
    if not code.isdigit() or len(code) != 6:
        return None
    totp = pyotp.TOTP(device.secret)
    now_step = int(totp.timecode(at))
    for step in range(now_step - _DRIFT_STEPS, now_step + _DRIFT_STEPS + 1):
        if hmac.compare_digest(totp.generate_otp(step), code) and (
            device.last_step is None or step > device.last_step
        ):
            return step
    return None


def two_factor_check(*, user: User, code: str, at: dt.datetime | None = None) -> bool:
    """Check a code against the user's device; the first good code confirms an enrolment. A code is good
    once: a step at or before the last one used is refused (a code read over a shoulder cannot be
    replayed). Every outcome is audited; failures count towards lockout."""
    at = at or timezone.now()
    with transaction.atomic():
        device = TwoFactorDevice.objects.select_for_update().filter(user=user).first()
        step = None if device is None else _matching_step(device, code, at)
        if device is None or step is None:
            audit_append(
                action=AuditAction.LOGIN_FAILED,
                actor=None,
                object_type=User._meta.label_lower,
                object_repr=user.get_username(),
                detail={"stage": "two_factor"},
            )
            return False
        first = device.confirmed_at is None
        device.last_step = step
        if first:
            device.confirmed_at = at
        device.save(update_fields=["last_step", "confirmed_at"])
        audit_append(
            action=AuditAction.TWO_FACTOR,
            actor=user,
            target=user,
            detail={"two_factor": "enrolled" if first else "verified"},
        )
    return True


def two_factor_reset(*, actor: Any, user: User, reason: str) -> None:
    """Remove a user's authenticator (lost phone, suspected copy); they enrol again at next sign-in."""
    require(actor, Action.CHANGE, user)
    if not reason.strip():
        raise ValidationError(
            _("Say why the authenticator is reset (for example “phone lost on 3 January”).")
        )
    with transaction.atomic():
        TwoFactorDevice.objects.filter(user=user).delete()
        audit_append(
            action=AuditAction.TWO_FACTOR,
            actor=actor,
            target=user,
            reason=reason.strip(),
            detail={"two_factor": "reset"},
        )


def mark_verified(request: HttpRequest) -> None:
    """This session has passed the second factor (a new session key: a fixated one is worth nothing)."""
    request.session.cycle_key()
    request.session[SESSION_KEY] = request.user.pk


def session_verified(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return user is not None and request.session.get(SESSION_KEY) == user.pk


def needs_second_factor(request: HttpRequest) -> bool:
    """Whether the signed-in user of ``request`` must still give a code before going anywhere."""
    return (
        bool(getattr(settings, "VIGIL_TWO_FACTOR_REQUIRED", True))
        and requires_two_factor(getattr(request, "user", None))
        and not session_verified(request)
    )


def forget_verification(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    """On every password sign-in the second factor is asked again (connected to ``user_logged_in``)."""
    if request is not None and hasattr(request, "session"):
        request.session.pop(SESSION_KEY, None)
