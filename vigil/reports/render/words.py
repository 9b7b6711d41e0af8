"""How reports say numbers, dates, qualifiers and figures, in English or Persian (the active language)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext, pgettext

from vigil.core.dates import Calendar, FuzzyDate, Precision, format_fuzzy_date
from vigil.core.text import isolated, reads_persian, to_persian_digits
from vigil.reports.figures import ReportedValue, SourceRef

_PERSIAN_THOUSANDS = "٬"  # U+066C ARABIC THOUSANDS SEPARATOR, as Persian typesetting uses


def number(value: int) -> str:
    """2,300 in English; ۲٬۳۰۰ in Persian."""
    text = f"{value:,}"
    if reads_persian():
        return to_persian_digits(text.replace(",", _PERSIAN_THOUSANDS))
    return text


def day(value: dt.date | FuzzyDate | None) -> str:
    """9 January 2026 in English; ۱۹ دی ۱۴۰۴ (Jalali) in Persian; fuzzy dates to their precision."""
    if value is None:
        return gettext("date unknown")
    fuzzy = value if isinstance(value, FuzzyDate) else FuzzyDate(value, Precision.DAY)
    if not fuzzy.is_known:
        return gettext("date unknown")
    if reads_persian():
        return format_fuzzy_date(fuzzy, calendar_name=Calendar.JALALI, language="fa")
    return format_fuzzy_date(fuzzy, calendar_name=Calendar.GREGORIAN, language="en")


def qualified(qualifier: str, value: int) -> str:
    """ "at least 2,300", "more than 512", "about 50", "up to 10", "35"."""
    words = {
        "at_least": pgettext("figure qualifier", "at least %(number)s"),
        "more_than": pgettext("figure qualifier", "more than %(number)s"),
        "about": pgettext("figure qualifier", "about %(number)s"),
        "up_to": pgettext("figure qualifier", "up to %(number)s"),
    }
    return words.get(qualifier, "%(number)s") % {"number": number(value)}


def source_note(source: SourceRef, published_on: dt.date | None = None) -> str:
    """What follows a figure in brackets: the source, isolated (a title in one script would otherwise pull
    the digits of a date in the other into its run), and the date it published the figure."""
    when = published_on or source.published_on
    if when is None or day(when) in source.short:  # titles often carry their date already
        return isolated(source.short)
    return gettext("%(source)s, %(date)s") % {"source": isolated(source.short), "date": day(when)}


def _all_or(figure: ReportedValue, total: int, phrase_all: str, phrase: str) -> str:
    if figure.value == total and figure.qualifier in ("exactly", "at_least") and total:
        return phrase_all % {"number": number(total)}
    return phrase % {"figure": qualified(figure.qualifier, figure.value)}


def figure_phrase(figure: ReportedValue) -> str:
    """One reported figure in words: "at least 2,300 arrested"."""
    amount = qualified(figure.qualifier, figure.value)
    phrases = {
        "protests": gettext("%(figure)s protests"),
        "provinces_with_protests": gettext("protests in %(figure)s provinces"),
        "cities_with_protests": gettext("protests in %(figure)s cities"),
        "killed": gettext("%(figure)s protesters killed"),
        "killed_minors": gettext("%(figure)s minors killed"),
        "injured": gettext("%(figure)s injured"),
        "arrested": gettext("%(figure)s arrested"),
        "arrested_minors": gettext("%(figure)s minors arrested"),
        "universities_with_protests": gettext("student protests at %(figure)s universities"),
        "executions": gettext("%(figure)s executions"),
        "death_sentences": gettext("%(figure)s death sentences"),
        "hunger_strikers": gettext("%(figure)s prisoners on hunger strike"),
        "disappeared": gettext("%(figure)s disappeared"),
    }
    phrase = phrases.get(figure.metric)
    if phrase is None:
        return gettext("%(metric)s: %(figure)s") % {"metric": figure.metric_name, "figure": amount}
    return phrase % {"figure": amount}


# Reported metrics that read as one clause with another ("at least 50 killed, at least 7 of them under 18").
COMPANIONS = {
    "protests": "provinces_with_protests",
    "killed": "killed_minors",
    "arrested": "arrested_minors",
}


def companion_phrase(main: ReportedValue, companion: ReportedValue, provinces_total: int) -> str:
    """The clause a companion figure adds to its main one."""
    if companion.metric == "provinces_with_protests":
        return _all_or(
            companion,
            provinces_total,
            gettext("in all %(number)s provinces"),
            gettext("in %(figure)s provinces"),
        )
    return gettext("%(figure)s of them under 18") % {
        "figure": qualified(companion.qualifier, companion.value)
    }
