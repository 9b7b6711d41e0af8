"""Left-to-right examples kept whole in right-to-left text."""

from vigil.core.templatetags.bidi import isolate_dates


def test_dates_in_any_digits_are_isolated_left_to_right_and_the_rest_escaped():
    """Dates written in digits, Latin or Persian, are wrapped in a left-to-right ``<bdi>``; markup in the text
    is escaped, and numbers that are not dates are left alone."""
    text = "مثلاً 2025-12-28 یا ۱۴۰۴/۱۰/۰۷، نه <b>12</b>"

    assert isolate_dates(text) == (
        'مثلاً <bdi dir="ltr">2025-12-28</bdi> یا <bdi dir="ltr">۱۴۰۴/۱۰/۰۷</bdi>، نه &lt;b&gt;12&lt;/b&gt;'
    )
