"""Template filters of the public site: dates in the reader's calendar, numbers in the reader's digits,
bilingual fields in the reader's language, punctuation of the reader's language, and the same page in the
other language."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django import template
from django.http import HttpRequest
from django.urls import translate_url

from vigil.core.dates import Calendar, FuzzyDate, Precision, format_fuzzy_date
from vigil.core.templatetags.punctuation import punct
from vigil.core.text import Script, reads_persian, to_persian_digits

register = template.Library()


@register.filter
def fuzzy(value: FuzzyDate | dt.date | None) -> str:
    """A (fuzzy) date in the reader's calendar: Jalali with Persian digits in Persian, Gregorian in English."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        value = FuzzyDate(value, Precision.DAY)
    language = "fa" if reads_persian() else "en"
    calendar_name = Calendar.JALALI if language == "fa" else Calendar.GREGORIAN
    return format_fuzzy_date(value, calendar_name=calendar_name, language=language)


@register.filter
def iso(value: FuzzyDate | dt.date | None) -> str:
    """The machine-readable form of a date for ``<time datetime>``."""
    if isinstance(value, FuzzyDate):
        return value.iso().split("/")[0]
    return value.isoformat() if isinstance(value, dt.date) else ""


@register.filter
def num(value: int | str | None) -> str:
    """A number with thousands separators, in Persian digits for Persian readers."""
    if value is None or value == "":
        return ""
    text = f"{value:,}" if isinstance(value, int) else str(value)
    return to_persian_digits(text.replace(",", "٬")) if reads_persian() else text


@register.filter
def bi(record: Any, field: str) -> str:
    """``record.<field>_fa`` for Persian readers when it is filled in, else ``record.<field>_en``."""
    if record is None:
        return ""
    persian = getattr(record, f"{field}_fa", "") or ""
    english = getattr(record, f"{field}_en", "") or ""
    return str(persian if reads_persian() and persian else english or persian)


register.simple_tag(punct)  # the public pages load only this library


@register.filter
def bi_list(records: Iterable[Any], field: str) -> str:
    """Each record's ``field`` (as ``bi`` gives it) joined by the reader's comma: "journalist, student",
    "روزنامه‌نگار، دانشجو"."""
    return f"{punct(',')} ".join(bi(record, field) for record in records)


def _known(value: FuzzyDate | dt.date | None) -> bool:
    return value.is_known if isinstance(value, FuzzyDate) else value is not None


@register.inclusion_tag("public/_range.html")
def date_range(start: FuzzyDate | dt.date | None, end: FuzzyDate | dt.date | None) -> dict[str, Any]:
    """A period as "start – end": one date when both ends read the same (a single day), the start alone
    when the end is not known, the end alone when there is no start."""
    ends = [start] if start is not None else []
    if end is not None and _known(end) and not (ends and fuzzy(start) == fuzzy(end)):
        ends.append(end)
    return {"ends": ends}


@register.filter
def name_in(person: Any, language: str) -> str:
    """The person's primary name in the script of ``language``, or "" when they have none in it."""
    wanted = Script.PERSIAN_ARABIC if language == "fa" else Script.LATIN
    names = [name for name in person.names.all() if name.script == wanted]
    primary = next((name for name in names if name.is_primary), names[0] if names else None)
    return str(primary.text) if primary else ""


@register.filter
def script_lang(name: Any) -> str:
    """The language attribute for a name: ``fa`` for Persian/Arabic script, ``en`` otherwise."""
    return "fa" if getattr(name, "script", "") == Script.PERSIAN_ARABIC else "en"


@register.simple_tag(takes_context=True)
def other_language(context: template.Context, code: str) -> str:
    """This page's URL in language ``code`` (the query string kept, so a filtered list stays filtered)."""
    request: HttpRequest | None = context.get("request")
    if request is None:
        return f"/{code}/"
    return translate_url(request.get_full_path(), code)


@register.simple_tag(takes_context=True)
def with_query(context: template.Context, **changes: Any) -> str:
    """The current query string with ``changes`` applied (``page=2``), for pagination links."""
    request: HttpRequest = context["request"]
    query = request.GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = str(value)
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"
