"""Issuing and revoking API tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vigil.accounts.models import User
from vigil.api.models import ApiToken

KEY_PREFIX = "vigil_"
_PREFIX_CHARS = 12


def key_digest(key: str) -> str:
    """The stored form of a key. A key is 256 random bits, so a plain SHA-256 is enough (no stretching)."""
    return hashlib.sha256(key.encode()).hexdigest()


def _save(token: ApiToken, *, actor: User | None, reason: str) -> ApiToken:
    """Validate and save with history (author and reason). Not ``save_with_history``: a token is a
    credential of one's own account, not a documented record, and who may manage it is decided here
    (``_may_manage``) rather than by the record permissions of a role."""
    if not reason.strip():
        raise ValidationError(_("Every change needs a reason."))
    token.full_clean()
    token._history_user = actor  # type: ignore[attr-defined]
    token._change_reason = reason.strip()  # type: ignore[attr-defined]
    token.save()
    return token


def _may_manage(actor: User | None, user: User) -> bool:
    return actor is not None and actor.is_active and (actor.pk == user.pk or actor.is_superuser)


@transaction.atomic
def token_issue(
    *, user: User, name: str, actor: User | None, reason: str, expires_at: dt.datetime | None = None
) -> tuple[ApiToken, str]:
    """Issue a token that acts as ``user``; returns the token and its key, which is shown only now.
    Users issue their own tokens; administrators issue them for anyone."""
    if not _may_manage(actor, user):
        raise PermissionDenied(
            _("Only %(user)s or an administrator may issue a token for them.") % {"user": user}
        )
    if not user.is_active:
        raise ValidationError(_("%(user)s cannot sign in, so no token can act as them.") % {"user": user})
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": _("The expiry is in the past; give a date to come.")})
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        name=name.strip(),
        prefix=key[:_PREFIX_CHARS],
        key_digest=key_digest(key),
        expires_at=expires_at,
    )
    _save(token, actor=actor, reason=reason)
    return token, key


@transaction.atomic
def token_revoke(*, token: ApiToken, actor: User | None, reason: str) -> ApiToken:
    """Revoke a token at once; it stays listed, with when it was revoked."""
    if not _may_manage(actor, token.user):
        raise PermissionDenied(
            _("Only %(user)s or an administrator may revoke their token.") % {"user": token.user}
        )
    if token.revoked_at is not None:
        raise ValidationError(
            _("This token was already revoked on %(date)s.") % {"date": token.revoked_at.date()}
        )
    token.revoked_at = timezone.now()
    return _save(token, actor=actor, reason=reason)
