"""Template filters for the alerts pages: dates and points in time in both calendars, day counters in the
reader's digits."""

from __future__ import annotations

import datetime as dt

from django import template

from vigil.core.dates import Calendar, FuzzyDate
from vigil.staff.display import both_calendars
from vigil.staff.templatetags.staff_dates import digits, moment

register = template.Library()


@register.filter
def calendars(value: FuzzyDate | dt.date | None, preferred: str = Calendar.JALALI) -> str:
    """``21 Azar 1404 (12 December 2025)``, starting with the reader's preferred calendar."""
    if value is None:
        value = FuzzyDate.unknown()
    elif isinstance(value, dt.date):
        value = FuzzyDate(value)
    return both_calendars(value, calendar_name=preferred or Calendar.JALALI)


# Day counters in the reader's digits, and points in time (an alert raised, acknowledged), as on every
# staff page.
register.filter("digits", digits)
register.filter("moment", moment)
