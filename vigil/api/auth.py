"""Who is calling: the user of a bearer token, or the public.

Reads take either: no ``Authorization`` header is the public (public records, public fields), a valid
token is its user (what the user may see). A header with an invalid, expired or revoked token is refused
(401) rather than read as the public, so a broken script finds out. Writes need a token.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from ninja.security import HttpBearer

from vigil.accounts.models import User
from vigil.api.selectors import token_user


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <key>``, as issued by ``vigil api_token issue``."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        return token_user(token)


class PublicOrToken(TokenAuth):
    """The token's user when a token is given, the public (an ``AnonymousUser``) when none is."""

    def __call__(self, request: HttpRequest) -> Any:
        if "Authorization" not in request.headers:
            return AnonymousUser()
        return super().__call__(request)


def viewer_of(request: HttpRequest) -> User | None:
    """The reader for selectors: the token's user, or None for the public."""
    auth = getattr(request, "auth", None)
    return auth if isinstance(auth, User) else None


def actor_of(request: HttpRequest) -> User:
    """The acting user of a write (writes require a token, so there is one)."""
    auth = getattr(request, "auth", None)
    if not isinstance(auth, User):  # pragma: no cover - the route's auth guarantees it
        raise PermissionError("A write without a token's user.")
    return auth
