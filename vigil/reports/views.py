"""The staff report page (``/staff/reports/``): the report as of a date with charts, tables and a print
view, and the same report as CSV, JSON, text or Markdown. A thin interface over ``report_as_of``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vigil.core.dates import Precision, parse_fuzzy_date
from vigil.reports.charts import tile_map, timeline_chart
from vigil.reports.named import shown
from vigil.reports.render.data import render_csv, render_json
from vigil.reports.render.text import render_text, reported_clauses
from vigil.reports.scope import Scope, scope_resolve
from vigil.reports.selectors import DEFAULT_PEOPLE_LIMIT, Report, report_as_of
from vigil.staff.forms import WholeNumberField


class DayField(forms.CharField):
    """A day written as documenters write it: 2026-01-09, 1404/10/19, 19 Dey 1404, ۱۹ دی ۱۴۰۴."""

    def to_python(self, value: Any) -> dt.date | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        parsed = parse_fuzzy_date(text)
        if parsed.precision != Precision.DAY or parsed.value is None:
            raise ValidationError(
                _("“%(text)s” is not a day; give a full date such as 2026-01-09 or 1404/10/19."),
                code="not_a_day",
                params={"text": text},
            )
        return parsed.value


class ReportForm(forms.Form):
    as_of = DayField(label=_("As of"), required=False, help_text=_("Default: today."))
    known_on = DayField(
        label=_("As recorded on"),
        required=False,
        help_text=_("Read the record as it stood that day. Default: now."),
    )
    scope = forms.CharField(
        label=_("Scope"),
        required=False,
        help_text=_("A province or city (Ilam, ir-tehran, کرمانشاه), facility:Evin or university:Sharif."),
    )
    period_start = DayField(label=_("Counting from"), required=False)
    since = DayField(label=_("Changes since"), required=False)
    audience = forms.ChoiceField(
        label=_("Audience"),
        choices=[("staff", _("Staff: every record counted")), ("public", _("Public: public records only"))],
        required=False,
    )
    people = WholeNumberField(
        label=_("Named individuals listed"), min_value=0, max_value=5000, required=False
    )

    def clean_scope(self) -> Scope:
        return scope_resolve(self.cleaned_data.get("scope"))


_DOWNLOADS = {
    "csv": ("text/csv", "csv"),
    "json": ("application/json", "json"),
    "text": ("text/plain", "txt"),
    "markdown": ("text/markdown", "md"),
}


def _download(report: Report, kind: str) -> HttpResponse:
    content_type, extension = _DOWNLOADS[kind]
    body = {
        "csv": lambda: render_csv(report),
        "json": lambda: render_json(report),
        "text": lambda: render_text(report),
        "markdown": lambda: render_text(report, markdown=True),
    }[kind]()
    response = HttpResponse(body, content_type=f"{content_type}; charset=utf-8")
    scope = report.scope.code or "all"
    name = f"vigil-report-{scope}-{report.as_of.isoformat()}-recorded-{report.recorded_on.isoformat()}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def report_page(request: HttpRequest) -> HttpResponse:
    form = ReportForm(request.GET or None)
    report: Report | None = None
    if not request.GET or form.is_valid():
        data = form.cleaned_data if request.GET else {}
        try:
            report = report_as_of(
                as_of=data.get("as_of") or timezone.localdate(),
                known_on=data.get("known_on"),
                scope=data.get("scope"),
                period_start=data.get("period_start"),
                since=data.get("since"),
                viewer=None if data.get("audience") == "public" else request.user,
                people_limit=DEFAULT_PEOPLE_LIMIT if data.get("people") is None else data["people"],
            )
        except ValidationError as error:
            form.add_error(None, error)
    kind = request.GET.get("format", "")
    if report is not None and kind in _DOWNLOADS:
        return _download(report, kind)
    query = request.GET.copy()
    query.pop("format", None)
    context = {
        **admin.site.each_context(request),
        "title": _("Situation report"),
        "form": form,
        "report": report,
        "clauses": reported_clauses(report) if report else [],
        "chart": timeline_chart(report.timeline) if report else None,
        "map": tile_map(report.events.by_province) if report and report.scope.is_country else None,
        "provinces": sorted((a for a in report.events.by_province if a.events), key=lambda a: -a.events)
        if report
        else [],
        "named": shown(report.named) if report else [],
        "query": query.urlencode(),
        "downloads": list(_DOWNLOADS),
    }
    return render(request, "reports/report.html", context)
