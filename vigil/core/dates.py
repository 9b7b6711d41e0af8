"""Fuzzy dates: a date with a precision, entered and shown in the Jalali or Gregorian calendar.

A date known only to the month is stored as the first day of that month with precision ``month``; its
*interval* (``earliest``..``latest``) is what comparisons use, so "Dey 1404" is not "before" 8 January 2026.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

import jdatetime
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from vigil.core.text import reads_persian, to_ascii_digits


class Precision(models.TextChoices):
    DAY = "day", _("Day")
    MONTH = "month", _("Month")
    YEAR = "year", _("Year")
    # A Jalali month or year straddles two Gregorian ones, so it keeps its own precision and interval.
    JALALI_MONTH = "jmonth", _("Month (Jalali)")
    JALALI_YEAR = "jyear", _("Year (Jalali)")
    UNKNOWN = "unknown", _("Unknown")


class Calendar(models.TextChoices):
    GREGORIAN = "gregorian", _("Gregorian")
    JALALI = "jalali", _("Jalali (Solar Hijri)")


JALALI_MONTHS_EN = [
    "Farvardin", "Ordibehesht", "Khordad", "Tir", "Mordad", "Shahrivar",
    "Mehr", "Aban", "Azar", "Dey", "Bahman", "Esfand",
]  # fmt: skip
JALALI_MONTHS_FA = [
    "فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور",
    "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند",
]  # fmt: skip
GREGORIAN_MONTHS_EN = [calendar.month_name[i] for i in range(1, 13)]
GREGORIAN_MONTHS_FA = [
    "ژانویه", "فوریه", "مارس", "آوریل", "مه", "ژوئن",
    "ژوئیه", "اوت", "سپتامبر", "اکتبر", "نوامبر", "دسامبر",
]  # fmt: skip

# Years below this are read as Jalali when the calendar is not stated: 1404 AP is 2025/26 CE.
_JALALI_YEAR_LIMIT = 1700
_NUMERIC = re.compile(r"^(\d{3,4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?$")
_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_WORDS = re.compile(r"^(?:(\d{1,2})\s+)?([^\d\s,]+)\s*,?\s+(\d{3,4})$")
_WORD_FIRST = re.compile(r"^([^\d\s,]+)\s+(\d{1,2}),?\s+(\d{4})$")


@dataclass(frozen=True)
class FuzzyDate:
    """A point in valid time known to a given precision (``value`` is None when unknown)."""

    value: dt.date | None
    precision: str = Precision.DAY

    @classmethod
    def unknown(cls) -> FuzzyDate:
        return cls(None, Precision.UNKNOWN)

    @property
    def is_known(self) -> bool:
        return self.value is not None and self.precision != Precision.UNKNOWN

    @property
    def earliest(self) -> dt.date | None:
        return self.value if self.is_known else None

    @property
    def latest(self) -> dt.date | None:
        """The last day the date may stand for (end of its month or year)."""
        if not self.is_known or self.value is None:
            return None
        if self.precision == Precision.MONTH:
            return self.value.replace(day=calendar.monthrange(self.value.year, self.value.month)[1])
        if self.precision == Precision.YEAR:
            return self.value.replace(month=12, day=31)
        if self.precision in (Precision.JALALI_MONTH, Precision.JALALI_YEAR):
            start = jdatetime.date.fromgregorian(date=self.value)
            if self.precision == Precision.JALALI_YEAR or start.month == 12:
                following = jdatetime.date(start.year + 1, 1, 1)
            else:
                following = jdatetime.date(start.year, start.month + 1, 1)
            last: dt.date = following.togregorian() - dt.timedelta(days=1)
            return last
        return self.value

    def certainly_before(self, other: FuzzyDate) -> bool:
        """True only when every day this date may stand for is before every day ``other`` may."""
        mine, theirs = self.latest, other.earliest
        return mine is not None and theirs is not None and mine < theirs

    def certainly_apart(self, other: FuzzyDate) -> bool:
        """True only when the two dates cannot be the same day (both known, their intervals apart): two
        reports of one death "in Dey 1404" and "9 January 2026" may be one; on the 8th and the 20th not."""
        return self.certainly_before(other) or other.certainly_before(self)

    def iso(self) -> str:
        """Popolo-style partial date: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; empty when unknown."""
        if not self.is_known or self.value is None:
            return ""
        if self.precision == Precision.YEAR:
            return f"{self.value.year:04d}"
        if self.precision == Precision.MONTH:
            return f"{self.value.year:04d}-{self.value.month:02d}"
        if self.precision in (Precision.JALALI_MONTH, Precision.JALALI_YEAR):
            # Popolo has no Jalali partial dates: give the Gregorian interval.
            return f"{self.value.isoformat()}/{self.latest.isoformat() if self.latest else ''}"
        return self.value.isoformat()

    def __str__(self) -> str:
        return self.iso() or "unknown"


def _month_number(word: str) -> tuple[int, str] | None:
    """Find a month by name in either calendar; returns (month, calendar)."""
    folded = word.strip().lower()
    for number, name in enumerate(JALALI_MONTHS_EN, start=1):
        if folded == name.lower():
            return number, Calendar.JALALI
    for number, name in enumerate(JALALI_MONTHS_FA, start=1):
        if word.strip() == name:
            return number, Calendar.JALALI
    for number, name in enumerate(GREGORIAN_MONTHS_EN, start=1):
        if folded in (name.lower(), name.lower()[:3]):
            return number, Calendar.GREGORIAN
    return None


def _jalali_to_gregorian(year: int, month: int, day: int) -> dt.date:
    if not 1 <= month <= 12:
        raise ValidationError(
            _("Month %(month)s does not exist: Jalali months run from 1 (Farvardin) to 12 (Esfand)."),
            code="invalid_month",
            params={"month": month},
        )
    last_day = 31 if month <= 6 else 30 if month <= 11 else 30 if jdatetime.date(year, 1, 1).isleap() else 29
    if not 1 <= day <= last_day:
        if month == 12 and day == 30:
            raise ValidationError(
                _("30 Esfand %(year)s does not exist (%(year)s is not a leap year)."),
                code="invalid_day",
                params={"year": year},
            )
        raise ValidationError(
            _("%(day)s %(month)s %(year)s does not exist (%(month)s has %(last)s days)."),
            code="invalid_day",
            params={"day": day, "month": JALALI_MONTHS_EN[month - 1], "year": year, "last": last_day},
        )
    result: dt.date = jdatetime.date(year, month, day).togregorian()
    return result


def _gregorian(year: int, month: int, day: int) -> dt.date:
    if not 1 <= month <= 12:
        raise ValidationError(
            _("Month %(month)s does not exist: months run from 1 to 12."),
            code="invalid_month",
            params={"month": month},
        )
    last_day = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last_day:
        raise ValidationError(
            _("%(day)s %(month)s %(year)s does not exist (%(month)s %(year)s has %(last)s days)."),
            code="invalid_day",
            params={"day": day, "month": GREGORIAN_MONTHS_EN[month - 1], "year": year, "last": last_day},
        )
    return dt.date(year, month, day)


def make_date(year: int, month: int | None, day: int | None, calendar_name: str) -> FuzzyDate:
    """Build a fuzzy date from parts in the given calendar, validating that the day exists."""
    jalali = calendar_name == Calendar.JALALI
    convert = _jalali_to_gregorian if jalali else _gregorian
    if month is None:
        return FuzzyDate(convert(year, 1, 1), Precision.JALALI_YEAR if jalali else Precision.YEAR)
    if day is None:
        return FuzzyDate(convert(year, month, 1), Precision.JALALI_MONTH if jalali else Precision.MONTH)
    return FuzzyDate(convert(year, month, day), Precision.DAY)


def parse_fuzzy_date(text: str, calendar_name: str | None = None) -> FuzzyDate:
    """Read a date as documenters write it.

    Accepts ``2026-01-08``, ``1404/10/18``, ``۱۴۰۴/۱۰/۱۸``, ``1404-10`` (month), ``1404`` (year), ``08/01/2026``
    (day first), ``18 Dey 1404``, ``۱۸ دی ۱۴۰۴``, ``8 January 2026``, ``January 8, 2026``; empty or ``unknown``
    gives an unknown date. Without ``calendar_name``, years below 1700 are Jalali.
    """
    raw = (text or "").strip()
    cleaned = to_ascii_digits(raw).strip()
    if cleaned.lower() in ("", "unknown", "?", "نامعلوم", "نامشخص"):
        return FuzzyDate.unknown()

    def _calendar_for(year: int) -> str:
        if calendar_name:
            return calendar_name
        return Calendar.JALALI if year < _JALALI_YEAR_LIMIT else Calendar.GREGORIAN

    if match := _NUMERIC.match(cleaned):
        year = int(match[1])
        month = int(match[2]) if match[2] else None
        day = int(match[3]) if match[3] else None
        return make_date(year, month, day, _calendar_for(year))
    if match := _DMY.match(cleaned):
        year = int(match[3])
        return make_date(year, int(match[2]), int(match[1]), _calendar_for(year))
    for pattern, day_group, word_group, year_group in ((_WORDS, 1, 2, 3), (_WORD_FIRST, 2, 1, 3)):
        if match := pattern.match(cleaned):
            found = _month_number(match[word_group])
            if found is None:
                break
            month, month_calendar = found
            day = int(match[day_group]) if match[day_group] else None
            return make_date(int(match[year_group]), month, day, month_calendar)
    raise ValidationError(
        _(
            "“%(text)s” is not a date Vigil can read. Write it as 2026-01-08, 1404/10/18, "
            "18 Dey 1404, 1404-10 (month only) or 1404 (year only)."
        ),
        code="unreadable_date",
        params={"text": raw},
    )


def date_label(value: FuzzyDate) -> str:
    """A date in a record's label (detentions, cases, statuses on the staff screens): in the reader's
    language, Jalali in Persian ("۱۸ دی ۱۴۰۴"), Gregorian in English ("8 January 2026")."""
    if reads_persian():
        return format_fuzzy_date(value, calendar_name=Calendar.JALALI, language="fa")
    return format_fuzzy_date(value)


def day_month_ambiguous(text: str) -> bool:
    """Whether ``text`` is a date written with the day and the month both 12 or less and different
    (``01/08/2026``): read day first by ``parse_fuzzy_date``, month first by American spreadsheets."""
    match = _DMY.match(to_ascii_digits(text or "").strip())
    if match is None:
        return False
    day, month = int(match[1]), int(match[2])
    return day <= 12 and month <= 12 and day != month


def format_fuzzy_date(
    value: FuzzyDate, *, calendar_name: str = Calendar.GREGORIAN, language: str = "en"
) -> str:
    """Show a fuzzy date in the reader's calendar and language (Persian digits and month names in ``fa``)."""
    from vigil.core.text import to_persian_digits

    if not value.is_known or value.value is None:
        return "نامعلوم" if language == "fa" else "unknown"
    day_value = value.value
    if calendar_name == Calendar.JALALI:
        jalali = jdatetime.date.fromgregorian(date=day_value)
        year, month, day = jalali.year, jalali.month, jalali.day
        months = JALALI_MONTHS_FA if language == "fa" else JALALI_MONTHS_EN
    else:
        year, month, day = day_value.year, day_value.month, day_value.day
        months = GREGORIAN_MONTHS_FA if language == "fa" else GREGORIAN_MONTHS_EN
    if value.precision in (Precision.YEAR, Precision.JALALI_YEAR):
        text = f"{year}"
    elif value.precision in (Precision.MONTH, Precision.JALALI_MONTH):
        text = f"{months[month - 1]} {year}"
    else:
        text = f"{day} {months[month - 1]} {year}"
    return to_persian_digits(text) if language == "fa" else text
