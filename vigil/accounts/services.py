"""Writes to users' own settings."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from vigil.accounts.models import User
from vigil.core.dates import Calendar


def user_set_preferred_calendar(*, user: User, calendar_name: str) -> User:
    """Choose the calendar (Jalali or Gregorian) the staff screens show dates in for this user."""
    if calendar_name not in Calendar.values:
        raise ValidationError(
            {"preferred_calendar": _("Unknown calendar “%(name)s”: choose Jalali or Gregorian.")},
            params={"name": calendar_name},
        )
    with transaction.atomic():
        user.preferred_calendar = calendar_name
        user.save(update_fields=["preferred_calendar"])
    return user
