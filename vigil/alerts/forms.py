"""Forms of the alerts pages. Each collects input for one service call."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from vigil.core.text import validate_plain_text
from vigil.staff.forms import WholeNumberField


class WatchlistAddForm(forms.Form):
    person = WholeNumberField(label=_("Person number"), min_value=1)
    reason = forms.CharField(
        label=_("Why follow this person?"),
        max_length=500,
        validators=[validate_plain_text],
        help_text=_("Kept in the watchlist's history, e.g. “Family reports no contact since 12 December”."),
    )


class WatchlistRemoveForm(forms.Form):
    reason = forms.CharField(label=_("Why stop following?"), max_length=500, validators=[validate_plain_text])


class AcknowledgeForm(forms.Form):
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=[validate_plain_text],
        help_text=_("What you did or will do, e.g. “Called the family; lawyer informed”."),
    )


class AsOfForm(forms.Form):
    """The day the watchlist is evaluated for; today when empty. Jalali or Gregorian."""

    today = forms.CharField(label=_("As of"), required=False, max_length=40)
