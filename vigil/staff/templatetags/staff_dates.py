"""``{% load staff_dates %}``: dates on staff pages as ``staff.display`` writes them, in both calendars, and
numbers in the reader's digits."""

from __future__ import annotations

import datetime as dt

from django import template

from vigil.core.dates import Calendar, FuzzyDate
from vigil.core.text import reader_digits
from vigil.staff.display import both_calendars, point_in_time

register = template.Library()


@register.filter
def calendars(value: FuzzyDate | dt.date | None) -> str:
    """``18 Dey 1404 (8 January 2026)`` in the page's language; a plain date is a day."""
    if value is None:
        return ""
    return both_calendars(value if isinstance(value, FuzzyDate) else FuzzyDate(value))


@register.filter
def digits(value: object) -> str:
    """A number (a record's number, a count) in Persian digits when the page is in Persian."""
    return reader_digits(value)


@register.filter
def moment(value: dt.datetime | None, preferred: str = Calendar.JALALI) -> str:
    """A point in time (a version in a record's history): its local day as ``calendars`` writes it, then the
    time, in the reader's digits: ``18 Dey 1404 (8 January 2026), 14:05``. ``moment:calendar`` starts with
    the reader's calendar, on the pages that follow it (the alerts pages)."""
    if value is None:
        return ""
    return point_in_time(value, calendar_name=preferred or Calendar.JALALI)
