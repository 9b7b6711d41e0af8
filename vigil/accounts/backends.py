"""Sign-in with lockout: after ``VIGIL_LOCKOUT_FAILURES`` failed attempts on one account (or
``VIGIL_LOCKOUT_CLIENT_FAILURES`` from one address) within ``VIGIL_LOCKOUT_MINUTES``, every attempt is
refused, even with the right password, until the window has passed without them.

Failures are counted from the audit log (``login_failed`` entries), which records them anyway: one
source of truth, shared by every app server behind a load balancer, and visible to administrators.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _

from vigil.accounts.models import User
from vigil.audit.selectors import recent_failures
from vigil.audit.services import client_address, client_fingerprint


class LockedOut(PermissionDenied):
    """Too many recent failures; Django's ``authenticate`` stops at this and reports a failed sign-in."""


def lockout_window() -> dt.timedelta:
    return dt.timedelta(minutes=int(settings.VIGIL_LOCKOUT_MINUTES))


def is_locked_out(*, username: str, request: HttpRequest | None) -> bool:
    """Whether sign-in is refused for ``username`` (or for the client of ``request``) right now."""
    window = lockout_window()
    if username and recent_failures(username=username, within=window) >= int(settings.VIGIL_LOCKOUT_FAILURES):
        return True
    client = client_fingerprint(client_address(request)) if request is not None else ""
    return bool(client) and recent_failures(client=client, within=window) >= int(
        settings.VIGIL_LOCKOUT_CLIENT_FAILURES
    )


def tell_locked_out(request: HttpRequest | None) -> None:
    """Say why on the page (the sign-in form itself only says the credentials were not accepted)."""
    if request is not None and hasattr(request, "_messages"):
        messages.error(
            request,
            _(
                "Too many failed sign-ins: this account is locked for %(minutes)s minutes after the last "
                "attempt. Wait, then try again; an administrator can see the attempts in the audit log."
            )
            % {"minutes": settings.VIGIL_LOCKOUT_MINUTES},
        )


class ThrottledModelBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        name = username if username is not None else kwargs.get(User.USERNAME_FIELD, "")
        if is_locked_out(username=str(name or ""), request=request):
            if request is not None:
                request.vigil_locked_out = True  # type: ignore[attr-defined]
            tell_locked_out(request)
            raise LockedOut
        return super().authenticate(request, username=username, password=password, **kwargs)
