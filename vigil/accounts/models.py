"""Users and their roles. Roles are Django groups created by a data migration (see ``roles.py``)."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from vigil.core.dates import Calendar


class User(AbstractUser):
    """A staff member. Names and preferences only: what a user may do comes from their role groups."""

    preferred_calendar = models.CharField(
        _("calendar for dates"), max_length=10, choices=Calendar.choices, default=Calendar.JALALI
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
