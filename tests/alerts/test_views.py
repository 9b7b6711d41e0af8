"""The staff pages: watchlist by urgency, acknowledgement trail, the authenticated feed, the sheets."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from tests.alerts.records import held, incommunicado, observe
from tests.factories import UserFactory, day
from vigil.accounts.models import User
from vigil.accounts.roles import Role
from vigil.alerts.feeds import feed_token
from vigil.alerts.models import Alert, AlertAcknowledgement, WatchlistEntry
from vigil.alerts.services import alert_acknowledge, alerts_raise_due, watchlist_add

pytestmark = pytest.mark.django_db


def campaigner(username: str, role: str = Role.DOCUMENTER) -> User:
    """A staff member in ``role`` (documenters follow people and acknowledge alerts)."""
    user: User = UserFactory(username=username, is_staff=True, preferred_calendar="gregorian")
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def staff() -> User:
    return campaigner("campaigner")


@pytest.fixture
def signed_in(staff: User) -> Client:
    client = Client()
    client.force_login(staff)
    return client


def test_watchlist_is_sorted_by_urgency_with_day_counters_in_both_calendars(signed_in: Client, staff: User):
    """The followed person at critical risk comes first; dates show in both calendars with a day count."""
    long_held, _ = incommunicado(since=day(2025, 11, 1), names=["Long Held"])
    critical, detention = held(arrested=day(2026, 1, 1), names=["Critical Case"])
    observe(detention, "health_emergency", day(2026, 1, 10))
    for person in (long_held, critical):
        watchlist_add(person=person, actor=staff, reason="Campaign focus")

    response = signed_in.get(reverse("alerts:watchlist"), {"today": "2026-01-11"})

    page = response.content.decode()
    assert response.status_code == 200
    assert page.index("Critical Case") < page.index("Long Held")
    assert "71 days" in page
    assert "1 November 2025 (10 Aban 1404)" in page


def test_as_of_date_may_be_given_in_jalali(signed_in: Client):
    """`?today=1404/10/21` evaluates on 11 January 2026."""
    incommunicado(since=day(2025, 12, 12))

    page = signed_in.get(reverse("alerts:watchlist"), {"today": "1404/10/21"}).content.decode()

    assert "30 days" in page


def test_following_someone_from_the_page_records_who_and_why(signed_in: Client, staff: User):
    """The add form puts the person on the watchlist, with the campaigner and the reason in its history."""
    person, _ = incommunicado(since=day(2025, 12, 12))

    signed_in.post(reverse("alerts:watchlist-add"), {"person": person.pk, "reason": "Family asked us"})

    entry = WatchlistEntry.objects.get(person=person)
    assert entry.added_by == staff
    assert entry.history.get().history_change_reason == "Family asked us"


def test_following_someone_twice_is_refused_with_a_reason(staff: User):
    """The second add names who added the person and when."""
    person, _ = incommunicado(since=day(2025, 12, 12))
    watchlist_add(person=person, actor=staff, reason="Campaign focus")

    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="already on the watchlist"):
        watchlist_add(person=person, actor=staff, reason="Again")


def test_acknowledgements_form_a_trail(signed_in: Client, staff: User):
    """Two colleagues acknowledging one alert leave two lines: who, when, note."""
    incommunicado(since=day(2025, 12, 12))
    alerts_raise_due(today=dt.date(2026, 1, 11))
    alert = Alert.objects.get()
    colleague = campaigner("lawyer-liaison")
    alert_acknowledge(alert=alert, actor=colleague, note="Lawyer informed")

    signed_in.post(reverse("alerts:alert-acknowledge", args=[alert.pk]), {"note": "Called the family"})

    trail = list(AlertAcknowledgement.objects.filter(alert=alert).values_list("by__username", "note"))
    assert trail == [("lawyer-liaison", "Lawyer informed"), ("campaigner", "Called the family")]
    page = signed_in.get(reverse("alerts:alert-detail", args=[alert.pk])).content.decode()
    assert "Called the family" in page and "Lawyer informed" in page


def test_feed_refuses_anonymous_readers():
    """Without a session or a token, the feed answers 401."""
    assert Client().get(reverse("alerts:feed")).status_code == 401
    assert Client().get(reverse("alerts:feed"), {"token": "1-forged"}).status_code == 401


def test_feed_with_a_personal_token_lists_alerts_as_atom(staff: User):
    """A feed reader with the user's token gets an Atom feed of the alerts."""
    incommunicado(since=day(2025, 12, 12))
    alerts_raise_due(today=dt.date(2026, 1, 11))

    response = Client().get(reverse("alerts:feed"), {"token": feed_token(staff)})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    assert "Narges Mohammadi: Held incommunicado or whereabouts unknown" in response.content.decode()


def test_changing_the_password_revokes_the_feed_token(staff: User):
    """The token is bound to the password: after a change the old link stops working."""
    token = feed_token(staff)
    staff.set_password("a completely new passphrase")
    staff.save()

    assert Client().get(reverse("alerts:feed"), {"token": token}).status_code == 401


def test_sheet_pages_serve_html_and_pdf(signed_in: Client):
    """The sheet is an HTML page and a PDF download for a public person."""
    person, _ = incommunicado(since=day(2025, 12, 12))

    html = signed_in.get(reverse("alerts:sheet", args=[person.pk]), {"today": "2026-01-11"})
    pdf = signed_in.get(reverse("alerts:sheet-pdf", args=[person.pk]), {"today": "2026-01-11"})

    assert "نرگس محمدی" in html.content.decode()
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_no_sheet_for_a_person_who_is_not_public(signed_in: Client):
    """An internal person has no urgent-action sheet: 404."""
    person, _ = incommunicado(since=day(2025, 12, 12), confidentiality="internal")

    assert signed_in.get(reverse("alerts:sheet", args=[person.pk])).status_code == 404


def test_staff_pages_need_a_signed_in_staff_member():
    """Anonymous visitors are sent to the staff sign-in."""
    response = Client().get(reverse("alerts:watchlist"))

    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_viewers_read_the_watchlist_but_cannot_acknowledge():
    """The viewer role sees the watchlist and alerts; acknowledging is refused."""
    incommunicado(since=day(2025, 12, 12))
    alerts_raise_due(today=dt.date(2026, 1, 11))
    client = Client()
    client.force_login(campaigner("reader", Role.VIEWER))

    assert client.get(reverse("alerts:watchlist")).status_code == 200
    response = client.post(reverse("alerts:alert-acknowledge", args=[Alert.objects.get().pk]), {"note": "x"})

    assert response.status_code == 403
    assert not AlertAcknowledgement.objects.exists()


RAISED = dt.datetime(2026, 1, 8, 14, 5, tzinfo=dt.UTC)
# The campaigners of these tests read the Gregorian calendar first.
RAISED_IN_PERSIAN = "۸ ژانویه ۲۰۲۶ (۱۸ دی ۱۴۰۴)، ۱۴:۰۵"


def _acknowledged_alert(staff: User) -> Alert:
    """An alert raised and acknowledged at ``RAISED``."""
    incommunicado(since=day(2025, 12, 12))
    alerts_raise_due(today=dt.date(2026, 1, 11))
    alert = Alert.objects.get()
    alert_acknowledge(alert=alert, actor=staff, note="Called the family")
    Alert.objects.update(created_at=RAISED)
    AlertAcknowledgement.objects.update(at=RAISED)
    return alert


def test_alert_list_times_are_in_both_calendars_in_persian_digits_for_a_persian_reader(
    signed_in: Client, staff: User
):
    """The list showed when an alert was raised as "2026-01-08 14:05" and its acknowledgement as
    "2026-01-08", in Latin digits on the Persian page; both read as the staff pages' other times do."""
    _acknowledged_alert(staff)

    page = signed_in.get(reverse("alerts:alert-list"), HTTP_ACCEPT_LANGUAGE="fa").content.decode()

    assert page.count(f'<time datetime="2026-01-08T14:05:00+00:00">{RAISED_IN_PERSIAN}</time>') == 2
    assert "2026-01-08" not in page.replace('datetime="2026-01-08', "")


def test_alert_acknowledgement_times_are_in_both_calendars_in_persian_digits_for_a_persian_reader(
    signed_in: Client, staff: User
):
    """An acknowledgement on the alert's page read "2026-01-08 14:05" under Persian."""
    alert = _acknowledged_alert(staff)

    url = reverse("alerts:alert-detail", args=[alert.pk])
    page = signed_in.get(url, HTTP_ACCEPT_LANGUAGE="fa").content.decode()

    assert f'<time datetime="2026-01-08T14:05:00+00:00">{RAISED_IN_PERSIAN}</time>' in page
    english = signed_in.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "8 January 2026 (18 Dey 1404), 14:05" in english


def test_followed_since_is_in_both_calendars_in_persian_digits_for_a_persian_reader(
    signed_in: Client, staff: User
):
    """A followed person's "followed since 2026-01-08" was in Latin digits under Persian."""
    person, _ = incommunicado(since=day(2025, 12, 12))
    watchlist_add(person=person, actor=staff, reason="Campaign focus")
    WatchlistEntry.objects.update(added_at=RAISED)

    page = signed_in.get(
        reverse("alerts:watchlist"), {"today": "2026-01-11"}, HTTP_ACCEPT_LANGUAGE="fa"
    ).content.decode()

    assert (
        f'در پیگیری از <time datetime="2026-01-08T14:05:00+00:00">{RAISED_IN_PERSIAN}</time> (campaigner)'
        in page
    )


def test_the_facts_of_an_alert_are_dated_in_both_calendars_in_persian_digits_for_a_persian_reader(
    signed_in: Client, staff: User
):
    """Each fact recorded with an alert was dated "(2025-12-12)", in Latin digits on the Persian page."""
    alert = _acknowledged_alert(staff)

    url = reverse("alerts:alert-detail", args=[alert.pk])
    page = signed_in.get(url, HTTP_ACCEPT_LANGUAGE="fa").content.decode()

    assert "(۱۲ دسامبر ۲۰۲۵ (۲۱ آذر ۱۴۰۴))" in page
    assert "2025-12-12" not in page


def test_day_counters_and_page_numbers_are_in_persian_digits_for_a_persian_reader(
    signed_in: Client, staff: User
):
    """The alerts' day counters ("30 روز") and the list's page numbers ("1 / 1") were in Latin digits on
    Persian pages, beside dates in Persian digits."""
    alert = _acknowledged_alert(staff)

    listed = signed_in.get(reverse("alerts:alert-list"), HTTP_ACCEPT_LANGUAGE="fa").content.decode()
    detail = signed_in.get(
        reverse("alerts:alert-detail", args=[alert.pk]), HTTP_ACCEPT_LANGUAGE="fa"
    ).content.decode()
    watchlist = signed_in.get(
        reverse("alerts:watchlist"), {"today": "2026-01-11"}, HTTP_ACCEPT_LANGUAGE="fa"
    ).content.decode()

    assert "۳۰ روز" in listed and "۳۰ روز" in detail and "۳۰ روز" in watchlist
    assert "۱ / ۱" in listed
