"""Template filters for the report page: the same words, numbers and dates as the text report."""

from __future__ import annotations

import datetime as dt

from django import template

from vigil.core.dates import FuzzyDate
from vigil.reports.figures import ReportedValue
from vigil.reports.individuals import Fact
from vigil.reports.named import CATEGORY_LABELS, LEVELS, NamedCount
from vigil.reports.render import text, words

register = template.Library()


@register.filter
def report_day(value: dt.date | FuzzyDate | None) -> str:
    return words.day(value)


@register.filter
def report_number(value: int | None) -> str:
    return words.number(int(value or 0))


@register.filter
def signed(value: int) -> str:
    return text.signed(value)


@register.filter
def figure_words(figure: ReportedValue) -> str:
    return words.figure_phrase(figure)


@register.filter
def fact_sentence(fact: Fact) -> str:
    return text.fact_sentence(fact)


@register.filter
def levels(count: NamedCount) -> list[int]:
    """The people of a category at each verification level, highest first."""
    return [count.people.by_level.get(level, 0) for level in LEVELS]


@register.filter
def category_label(code: str) -> str:
    label = CATEGORY_LABELS.get(code)
    return str(label) if label is not None else code


@register.filter
def event_measure(code: str) -> str:
    return text.event_measure_words(code)


@register.filter
def divide(value: int, by: int) -> float:
    return value / by
