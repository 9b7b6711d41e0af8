"""Users and their roles. Roles are Django groups created by a data migration (see ``roles.py``)."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from vigil.core.dates import Calendar
from vigil.core.encryption import EncryptedCharField


class User(AbstractUser):
    """A staff member. Names and preferences only: what a user may do comes from their role groups."""

    preferred_calendar = models.CharField(
        _("calendar for dates"), max_length=10, choices=Calendar.choices, default=Calendar.JALALI
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")


class TwoFactorDevice(models.Model):
    """A user's authenticator app (TOTP, RFC 6238). Its secret is encrypted at rest like restricted fields,
    so a stolen database cannot mint codes; ``last_step`` refuses a code seen before (replay)."""

    user = models.OneToOneField(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="two_factor"
    )
    secret = EncryptedCharField(_("secret"), max_length=64, editable=False)
    confirmed_at = models.DateTimeField(_("enrolled at"), null=True, blank=True, editable=False)
    last_step = models.BigIntegerField(_("last code's time step"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("two-factor device")
        verbose_name_plural = _("two-factor devices")

    def __str__(self) -> str:
        return f"{self.user} ({_('enrolled') if self.confirmed_at else _('not yet confirmed')})"
