"""Finding the user an API key acts as."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from vigil.accounts.models import User
from vigil.api.models import ApiToken
from vigil.api.services import key_digest

# ``last_used_at`` is bookkeeping: written at most this often per token, not on every request.
_TOUCH_EVERY = dt.timedelta(minutes=5)


def token_user(key: str) -> User | None:
    """The active user whose unexpired, unrevoked token has ``key``; None otherwise."""
    if not key or len(key) > 200:
        return None
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_digest=key_digest(key), revoked_at__isnull=True, user__is_active=True)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .first()
    )
    if token is None:
        return None
    if token.last_used_at is None or now - token.last_used_at > _TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
