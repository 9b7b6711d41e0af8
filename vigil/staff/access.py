"""Who is acting on a staff screen, and what they may do or prefer."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from vigil.accounts.models import User
from vigil.accounts.roles import REVIEW_PERMISSION
from vigil.core.dates import Calendar


def acting_user(request: HttpRequest) -> User:
    """The signed-in staff member (the admin lets only staff in)."""
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user


def can_review(request: HttpRequest) -> bool:
    """Reviewers set verification and may make records public."""
    return request.user.has_perm(REVIEW_PERMISSION)


def preferred_calendar(request: HttpRequest) -> str:
    """The calendar the signed-in user reads and edits dates in; Jalali for everyone else."""
    user = getattr(request, "user", None)
    if isinstance(user, User) and user.preferred_calendar:
        return str(user.preferred_calendar)
    return Calendar.JALALI
