"""Staff pages that are not a model's change screens: the user's preferences."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.admin import AdminSite, site
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView

from vigil.accounts.services import user_set_preferred_calendar
from vigil.core.dates import Calendar
from vigil.staff.access import acting_user, preferred_calendar


class AdminPageMixin:
    """Gives a custom staff page the admin's header, breadcrumbs and permissions context."""

    admin_site: AdminSite = site
    title: Any = ""
    request: HttpRequest

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)  # type: ignore[misc]
        context.update(self.admin_site.each_context(self.request))
        context["title"] = self.title
        return context


class PreferencesForm(forms.Form):
    preferred_calendar = forms.ChoiceField(
        label=gettext_lazy("Calendar for dates"),
        choices=Calendar.choices,
        widget=forms.RadioSelect,
        help_text=gettext_lazy(
            "Dates are shown for editing in this calendar. You can always type either calendar."
        ),
    )


class PreferencesView(AdminPageMixin, FormView):  # type: ignore[type-arg]
    form_class = PreferencesForm
    template_name = "staff/preferences.html"
    title = gettext_lazy("Your preferences")

    def get_initial(self) -> dict[str, Any]:
        return {"preferred_calendar": preferred_calendar(self.request)}

    def form_valid(self, form: PreferencesForm) -> HttpResponse:
        user = acting_user(self.request)
        user_set_preferred_calendar(user=user, calendar_name=form.cleaned_data["preferred_calendar"])
        messages.success(
            self.request,
            _("Dates are now shown in the %(calendar)s calendar.")
            % {"calendar": Calendar(user.preferred_calendar).label},
        )
        return HttpResponseRedirect(reverse("admin:preferences"))
