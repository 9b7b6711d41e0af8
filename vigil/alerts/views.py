"""Staff pages of the alerts app: the watchlist, alerts and their acknowledgement, urgent-action sheets.

Thin: each view checks a permission, reads through a selector or calls a service, and renders. The URLs wrap
every view in the admin site's ``admin_view`` (sign-in, staff only, CSRF, no caching)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from vigil.alerts import services
from vigil.alerts.feeds import feed_token
from vigil.alerts.forms import AcknowledgeForm, AsOfForm, WatchlistAddForm, WatchlistRemoveForm
from vigil.alerts.models import WatchlistEntry
from vigil.alerts.selectors import alerts_for, watchlist_as_of
from vigil.alerts.sheets import public_person, render_sheet_html, render_sheet_pdf, urgent_action_sheet
from vigil.core.dates import Precision, parse_fuzzy_date
from vigil.core.visibility import allowed_levels
from vigil.people.models import Person
from vigil.staff.access import acting_user, preferred_calendar


def _require(request: HttpRequest, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied


def _page(request: HttpRequest, template: str, title: str, **context: Any) -> HttpResponse:
    full = admin.site.each_context(request)
    full.update(title=title, calendar=preferred_calendar(request), **context)
    return render(request, template, full)


def _as_of(request: HttpRequest) -> tuple[dt.date, AsOfForm]:
    """The day to evaluate for: ``?today=`` (any date Vigil reads, day precision) or the server's today."""
    form = AsOfForm(request.GET or None)
    today = timezone.localdate()
    if form.is_valid() and (text := form.cleaned_data["today"]):
        try:
            chosen = parse_fuzzy_date(text)
        except ValidationError as error:
            form.add_error("today", error)
        else:
            if chosen.precision != Precision.DAY or chosen.value is None:
                form.add_error("today", _("Give a day, e.g. 1404/10/21 or 2026-01-11."))
            else:
                today = chosen.value
    return today, form


@require_GET
def watchlist_view(request: HttpRequest) -> HttpResponse:
    _require(request, "alerts.view_watchlistentry")
    user = acting_user(request)
    today, as_of = _as_of(request)
    feed_url = request.build_absolute_uri(reverse("alerts:feed")) + "?token=" + feed_token(user)
    return _page(
        request,
        "alerts/watchlist.html",
        _("Prisoners at risk"),
        watchlist=watchlist_as_of(viewer=user, today=today),
        as_of=as_of,
        add_form=WatchlistAddForm(),
        feed_url=feed_url,
    )


def _visible_person(request: HttpRequest, person_id: int) -> Person:
    return get_object_or_404(Person, pk=person_id, confidentiality__in=allowed_levels(request.user))


@require_POST
def watchlist_add_view(request: HttpRequest) -> HttpResponse:
    _require(request, "alerts.add_watchlistentry")
    form = WatchlistAddForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect("alerts:watchlist")
    person = _visible_person(request, form.cleaned_data["person"])
    try:
        services.watchlist_add(person=person, actor=acting_user(request), reason=form.cleaned_data["reason"])
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("%(person)s is now on the watchlist.") % {"person": person})
    return redirect("alerts:watchlist")


@require_POST
def watchlist_remove_view(request: HttpRequest, person_id: int) -> HttpResponse:
    _require(request, "alerts.delete_watchlistentry")
    entry = get_object_or_404(WatchlistEntry, person=_visible_person(request, person_id))
    form = WatchlistRemoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why you stop following this person."))
        return redirect("alerts:watchlist")
    services.watchlist_remove(entry=entry, actor=acting_user(request), reason=form.cleaned_data["reason"])
    messages.success(request, _("%(person)s is no longer on the watchlist.") % {"person": entry.person})
    return redirect("alerts:watchlist")


@require_GET
def alert_list_view(request: HttpRequest) -> HttpResponse:
    _require(request, "alerts.view_alert")
    open_only = request.GET.get("open") == "1"
    alerts = alerts_for(viewer=acting_user(request), open_only=open_only)
    page = Paginator(alerts, 50).get_page(request.GET.get("page"))
    return _page(request, "alerts/alert_list.html", _("Alerts"), page=page, open_only=open_only)


@require_GET
def alert_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "alerts.view_alert")
    alert = get_object_or_404(alerts_for(viewer=acting_user(request)), pk=pk)
    return _page(request, "alerts/alert_detail.html", str(alert), alert=alert, form=AcknowledgeForm())


@require_POST
def alert_acknowledge_view(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "alerts.add_alertacknowledgement")
    user = acting_user(request)
    alert = get_object_or_404(alerts_for(viewer=user), pk=pk)
    form = AcknowledgeForm(request.POST)
    if not form.is_valid():
        return _page(request, "alerts/alert_detail.html", str(alert), alert=alert, form=form)
    services.alert_acknowledge(alert=alert, actor=user, note=form.cleaned_data["note"])
    messages.success(request, _("Alert acknowledged."))
    return redirect("alerts:alert-detail", pk=alert.pk)


def _sheet(request: HttpRequest, person_id: int) -> Any:
    try:
        person = public_person(person_id)
    except Person.DoesNotExist:
        raise Http404(_("Urgent-action sheets exist only for people whose record is public.")) from None
    today, _form = _as_of(request)
    return urgent_action_sheet(person=person, today=today)


@require_GET
def sheet_view(request: HttpRequest, person_id: int) -> HttpResponse:
    sheet = _sheet(request, person_id)
    pdf_url = reverse("alerts:sheet-pdf", args=[person_id])
    if request.GET.get("today"):
        pdf_url += "?" + request.GET.urlencode()
    return HttpResponse(render_sheet_html(sheet, pdf_url=pdf_url))


@require_GET
def sheet_pdf_view(request: HttpRequest, person_id: int) -> HttpResponse:
    sheet = _sheet(request, person_id)
    response = HttpResponse(render_sheet_pdf(sheet), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="urgent-action-{person_id}-{sheet.today:%Y-%m-%d}.pdf"'
    )
    return response
