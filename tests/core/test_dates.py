import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from vigil.core.dates import Calendar, FuzzyDate, Precision, format_fuzzy_date, parse_fuzzy_date


def test_jalali_date_with_persian_digits_is_read_as_the_gregorian_day():
    """۱۸ دی ۱۴۰۴ is 8 January 2026."""
    assert parse_fuzzy_date("۱۴۰۴/۱۰/۱۸") == FuzzyDate(dt.date(2026, 1, 8), Precision.DAY)
    assert parse_fuzzy_date("18 Dey 1404") == FuzzyDate(dt.date(2026, 1, 8), Precision.DAY)
    assert parse_fuzzy_date("۱۸ دی ۱۴۰۴") == FuzzyDate(dt.date(2026, 1, 8), Precision.DAY)


def test_gregorian_dates_in_common_forms():
    assert parse_fuzzy_date("2026-01-08").value == dt.date(2026, 1, 8)
    assert parse_fuzzy_date("08/01/2026").value == dt.date(2026, 1, 8)
    assert parse_fuzzy_date("January 8, 2026").value == dt.date(2026, 1, 8)


def test_thirtieth_of_esfand_in_a_common_year_is_refused_with_the_reason():
    with pytest.raises(ValidationError, match=r"30 Esfand 1402 does not exist \(1402 is not a leap year\)"):
        parse_fuzzy_date("1402/12/30")


def test_thirtieth_of_esfand_in_a_leap_year_exists():
    assert parse_fuzzy_date("1403/12/30").value == dt.date(2025, 3, 20)


def test_day_beyond_month_length_names_the_month():
    with pytest.raises(ValidationError, match="31 Mehr 1404 does not exist"):
        parse_fuzzy_date("1404/07/31")
    with pytest.raises(ValidationError, match="30 February 2026 does not exist"):
        parse_fuzzy_date("2026-02-30")


def test_jalali_month_keeps_its_own_interval():
    """Dey 1404 runs from 22 December 2025 to 20 January 2026."""
    dey = parse_fuzzy_date("1404-10")
    assert dey.precision == Precision.JALALI_MONTH
    assert (dey.earliest, dey.latest) == (dt.date(2025, 12, 22), dt.date(2026, 1, 20))


def test_month_precision_is_not_certainly_before_a_day_inside_it():
    january = parse_fuzzy_date("2026-01")
    assert not january.certainly_before(parse_fuzzy_date("2026-01-08"))
    assert january.certainly_before(parse_fuzzy_date("2026-02-01"))


def test_unreadable_date_says_which_forms_work():
    with pytest.raises(ValidationError, match="not a date Vigil can read"):
        parse_fuzzy_date("last Tuesday")


def test_unknown_date():
    assert not parse_fuzzy_date("").is_known
    assert not parse_fuzzy_date("نامعلوم").is_known


def test_format_in_jalali_persian_uses_persian_digits_and_month_names():
    value = FuzzyDate(dt.date(2026, 1, 8), Precision.DAY)
    assert format_fuzzy_date(value, calendar_name=Calendar.JALALI, language="fa") == "۱۸ دی ۱۴۰۴"
    assert format_fuzzy_date(value, calendar_name=Calendar.GREGORIAN, language="en") == "8 January 2026"


def test_a_records_label_gives_its_date_in_the_readers_calendar() -> None:
    """Detentions, statuses and cases are named on the staff screens with their dates: "8 January 2026" in
    English, "۱۸ دی ۱۴۰۴" in Persian (both read "2026-01-08")."""
    from django.utils import translation

    from vigil.core.dates import date_label

    day = FuzzyDate(dt.date(2026, 1, 8), Precision.DAY)
    with translation.override("en"):
        assert date_label(day) == "8 January 2026"
    with translation.override("fa"):
        assert date_label(day) == "۱۸ دی ۱۴۰۴"
