"""How staff screens show fuzzy dates: in the reader's calendar and language, and in both calendars where a
documenter checks what a Jalali date was read as."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from vigil.core.dates import Calendar, FuzzyDate, Precision, format_fuzzy_date
from vigil.core.text import reader_digits, reader_mark, reads_persian

_JALALI_PRECISIONS = (Precision.JALALI_MONTH, Precision.JALALI_YEAR)
_GREGORIAN_PRECISIONS = (Precision.MONTH, Precision.YEAR)


def _language() -> str:
    return "fa" if reads_persian() else "en"


def natural_calendar(value: FuzzyDate, preferred: str) -> str:
    """The calendar a date must be written in to keep its precision: a Jalali month is no Gregorian month."""
    if value.precision in _JALALI_PRECISIONS:
        return Calendar.JALALI
    if value.precision in _GREGORIAN_PRECISIONS:
        return Calendar.GREGORIAN
    return preferred


def editable_text(value: FuzzyDate, *, calendar_name: str) -> str:
    """The text a form shows for a stored date; ``parse_fuzzy_date`` reads it back to the same value."""
    if not value.is_known:
        return ""
    shown_in = natural_calendar(value, calendar_name)
    # Persian month names are only read back for the Jalali calendar, so Gregorian dates stay in Latin.
    language = _language() if shown_in == Calendar.JALALI else "en"
    return format_fuzzy_date(value, calendar_name=shown_in, language=language)


def both_calendars(value: FuzzyDate, *, calendar_name: str = Calendar.JALALI) -> str:
    """``18 Dey 1404 (8 January 2026)``; a Jalali month gives its Gregorian days and the reverse."""
    language = _language()
    if not value.is_known or value.earliest is None or value.latest is None:
        return format_fuzzy_date(value, language=language)
    first = natural_calendar(value, calendar_name)
    other = Calendar.GREGORIAN if first == Calendar.JALALI else Calendar.JALALI
    shown = format_fuzzy_date(value, calendar_name=first, language=language)
    if value.precision == Precision.DAY:
        return f"{shown} ({format_fuzzy_date(value, calendar_name=other, language=language)})"
    start = format_fuzzy_date(FuzzyDate(value.earliest), calendar_name=other, language=language)
    end = format_fuzzy_date(FuzzyDate(value.latest), calendar_name=other, language=language)
    return f"{shown} ({start} – {end})"


def point_in_time(value: dt.datetime, *, calendar_name: str = Calendar.JALALI) -> str:
    """A point in time (a version, an alert, an import): its local day in both calendars, then the time, in
    the reader's digits: ``18 Dey 1404 (8 January 2026), 14:05``."""
    local = timezone.localtime(value)
    day = both_calendars(FuzzyDate(local.date()), calendar_name=calendar_name)
    return f"{day}{reader_mark(',')} {reader_digits(local.strftime('%H:%M'))}"
