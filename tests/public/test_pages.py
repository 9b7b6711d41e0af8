"""The public website: what it shows, in which language and script, and what it never shows."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import translation

from tests.factories import DetentionFactory, EventFactory, PersonFactory, SourceFactory, cite, day, staff
from vigil.core.dates import FuzzyDate
from vigil.core.models import Term
from vigil.core.text import to_persian_digits
from vigil.custody.models import Detention
from vigil.events.models import Casualty
from vigil.people.models import Person
from vigil.people.services import person_update
from vigil.sources.services import figure_record

pytestmark = pytest.mark.django_db


def url(name: str, *args, language: str = "en") -> str:
    with translation.override(language):
        return reverse(f"public:{name}", args=args)


def page(client, address: str) -> str:
    response = client.get(address)
    assert response.status_code == 200, address
    return str(response.content.decode())


def test_the_root_sends_readers_to_their_language(client):
    """ "/" redirects to the site in the reader's language."""
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="fa")
    assert response.status_code == 302
    assert response["Location"] == "/fa/"


def test_persian_pages_are_right_to_left_with_persian_digits_and_jalali_dates(client, record):
    """In Persian the page is rtl, dates are Jalali and digits Persian (12 December 2025 is ۲۱ آذر ۱۴۰۴)."""
    html = page(client, url("person", record.narges.pk, language="fa"))
    assert '<html lang="fa" dir="rtl">' in html
    assert "۲۱ آذر ۱۴۰۴" in html


def test_english_pages_are_left_to_right_with_gregorian_dates(client, record):
    """In English the page is ltr and dates Gregorian."""
    html = page(client, url("person", record.narges.pk))
    assert '<html lang="en" dir="ltr">' in html
    assert "12 December 2025" in html


def test_every_page_links_to_itself_in_the_other_language(client, record):
    """The language switch keeps the page and its filters."""
    html = page(client, url("directory") + "?status=detained")
    assert 'href="/fa/people/?status=detained"' in html


def test_the_directory_lists_public_people_only(client, record):
    """Internal records are not in the directory."""
    html = page(client, url("directory"))
    assert "Narges Mohammadi" in html
    assert "Hidden Witness" not in html


def test_merged_people_are_not_listed(client, record):
    """A person merged into another is not listed a second time."""
    duplicate = PersonFactory(names=["Narges Mohamadi Duplicate"], confidentiality="public")
    Person.objects.filter(pk=duplicate.pk).update(merged_into=record.narges)
    assert "Duplicate" not in page(client, url("directory"))


def test_a_merged_person_redirects_permanently_to_the_survivor(client, record):
    """The old address of a merged person leads to the person they were merged into (301)."""
    duplicate = PersonFactory(names=["Narges Mohamadi Duplicate"], confidentiality="public")
    Person.objects.filter(pk=duplicate.pk).update(merged_into=record.narges)
    response = client.get(url("person", duplicate.pk))
    assert response.status_code == 301
    assert response["Location"] == url("person", record.narges.pk)


def test_an_internal_person_has_no_public_page(client, record):
    """An internal record answers 404, as if it did not exist."""
    assert client.get(url("person", record.hidden.pk)).status_code == 404


def test_a_profile_shows_names_in_both_scripts_situation_and_sources(client, record):
    """The profile names the person in both scripts, says where they are held and cites sources."""
    html = page(client, url("person", record.narges.pk))
    assert "نرگس محمدی" in html and "Narges Mohammadi" in html
    assert "Evin" in html
    assert "Held incommunicado" in html or "incommunicado" in html.lower()
    assert "Sources" in html and "Test source" in html


def test_a_profile_counts_the_days_without_contact(client, record):
    """A person held incommunicado shows how many days (at least) since the last contact."""
    html = page(client, url("person", record.narges.pk))
    assert re.search(r"No contact with family or lawyer for at least \d+ days", html)


def test_a_profile_never_shows_internal_or_restricted_fields(client, record):
    """Notes and family contacts never reach a public page."""
    html = page(client, url("person", record.narges.pk))
    assert "INTERNAL NOTE" not in html
    assert "RESTRICTED CONTACT" not in html


def test_retracted_facts_are_not_shown_as_facts(client, record):
    """A retracted detention disappears from the profile and the directory's status."""
    Detention.objects.filter(person=record.released).update(verification="retracted")
    html = page(client, url("person", record.released.pk))
    assert "Released" not in html.split("</article>")[1] and "What happened" not in html


def test_an_internal_detention_of_a_public_person_is_not_shown(client, record):
    """A fact more confidential than its person stays hidden on the person's page."""
    DetentionFactory(person=record.teen, arrested=day(2025, 12, 30), confidentiality="internal")
    html = page(client, url("person", record.teen.pk))
    assert "30 December 2025" not in html


def test_a_person_with_no_public_name_is_shown_by_number_in_the_readers_digits(client):
    """A public person whose every name rests on an internal source is shown by number: "#۵" to a Persian
    reader, as every other number on a Persian page, and "#5" to an English one."""
    person = PersonFactory(names=["Sepideh Qolian"], confidentiality="public")
    person.names.update(source=SourceFactory(confidentiality="internal"))
    persian_number = f"#{to_persian_digits(str(person.pk))}"
    persian = page(client, url("person", person.pk, language="fa"))
    assert f'<h1 id="person-name">{persian_number}</h1>' in persian
    assert f"#{person.pk}<" not in persian and "Sepideh" not in persian
    assert f'<h1 id="person-name">#{person.pk}</h1>' in page(client, url("person", person.pk))


def test_a_public_fact_during_a_hidden_event_does_not_name_the_event(client, record):
    """A public arrest or death linked to an internal event printed the event's title and link on the
    public profile, and its id in the public API."""
    hidden = EventFactory(
        title_en="Secret gathering in Karaj",
        title_fa="گردهمایی پنهان",
        started=day(2025, 12, 1),
        confidentiality="internal",
    )
    DetentionFactory(person=record.teen, arrested=day(2025, 12, 30), event=hidden, confidentiality="public")
    Casualty.objects.filter(person=record.teen).update(event=hidden)
    for language in ("en", "fa"):
        html = page(client, url("person", record.teen.pk, language=language))
        assert "30" in html and "Secret gathering" not in html and "گردهمایی پنهان" not in html
        assert f"/events/{hidden.pk}/" not in html
    answer = client.get(f"/api/v1/people/{record.teen.pk}").json()
    facts = answer["detentions"] + answer["casualties"]
    assert len(facts) == 2 and all(fact["event_id"] is None for fact in facts)

    Casualty.objects.filter(person=record.teen).update(event=EventFactory(title_en="Open march"))
    assert "Open march" in page(client, url("person", record.teen.pk))  # a public event is still named


@pytest.mark.parametrize(
    ("query", "shown", "absent"),
    [
        ("status=detained", "Narges Mohammadi", "Reza Test"),
        ("status=killed", "Reza Test", "Narges Mohammadi"),
        ("status=released", "Sara Released", "Narges Mohammadi"),
        ("status=incommunicado", "Narges Mohammadi", "Sara Released"),
        ("province=ir-ilam", "Reza Test", "Narges Mohammadi"),
        ("province=ir-razavi-khorasan", "Narges Mohammadi", "Reza Test"),
        ("facility=ir-evin", "Narges Mohammadi", "Sara Released"),
        ("gender=male", "Reza Test", "Narges Mohammadi"),
        ("minor=yes", "Reza Test", "Narges Mohammadi"),
        ("minor=no", "Narges Mohammadi", "Reza Test"),
        ("ethnicity=persian", "Narges Mohammadi", "Reza Test"),
        ("occupation=journalist", "Narges Mohammadi", "Sara Released"),
        ("date_from=2026-01-01&date_to=2026-01-04", "Reza Test", "Narges Mohammadi"),
        ("date_from=1404/10/11&date_to=1404/10/14", "Reza Test", "Narges Mohammadi"),
        ("q=Mohamadi", "Narges Mohammadi", "Reza Test"),
        ("q=محمدي", "Narges Mohammadi", "Sara Released"),
    ],
)
def test_directory_filters_narrow_the_list(client, record, query, shown, absent):
    """Each filter (status, province, facility, gender, minor, ethnicity, occupation, dates, name) narrows
    the directory to the people it describes."""
    html = page(client, url("directory") + "?" + query)
    results = html.split('id="results"')[1]
    assert shown in results
    assert absent not in results


def test_an_unreadable_date_is_reported_on_the_form(client, record):
    """A filter date Vigil cannot read is explained next to the field; the other filters still apply."""
    html = page(client, url("directory") + "?date_from=yesterday&status=killed")
    assert "is not a date Vigil can read" in html
    assert "Reza Test" in html.split('id="results"')[1]


def test_pages_weigh_under_100_kilobytes(client, record):
    """Every page is under 100 KB before photos (a slow link)."""
    for address in (
        url("home"),
        url("directory"),
        url("person", record.narges.pk),
        url("events"),
        url("statistics"),
        url("about"),
    ):
        assert len(client.get(address).content) < 100_000, address


def test_pages_need_no_javascript_and_make_no_third_party_requests(client, record):
    """No scripts, and nothing loaded from another site: styles are inline, fonts the reader's own."""
    for address in (url("home"), url("directory"), url("person", record.narges.pk), url("statistics")):
        html = page(client, address)
        assert "<script" not in html
        assert not re.search(r'(src|srcset)="https?://', html)
        assert not re.search(r'<link[^>]+href="https?://', html)


def test_anonymous_pages_are_cached_and_vary_on_language(client, record, django_assert_num_queries):
    """A page read twice anonymously is served from the cache the second time, with public caching
    headers that vary on the language."""
    address = url("person", record.narges.pk)
    first = client.get(address)
    assert "public" in first["Cache-Control"]
    assert "Accept-Language" in first["Vary"]
    with django_assert_num_queries(0):
        second = client.get(address)
    assert second.content == first.content


def test_signed_in_staff_are_not_served_cached_pages(client, record):
    """Staff see fresh, private pages (with a link to the workspace)."""
    client.force_login(staff())
    response = client.get(url("person", record.narges.pk))
    assert "private" in response["Cache-Control"]
    assert "Staff workspace" in response.content.decode()


def test_a_change_shows_at_once(client, record):
    """Saving a record makes cached pages stale at once (in this process)."""
    address = url("person", record.narges.pk)
    assert "A new summary" not in page(client, address)
    person_update(person=record.narges, actor=staff(), reason="New statement", summary_en="A new summary")
    assert "A new summary" in page(client, address)


def test_an_event_page_lists_the_people_in_it(client, record):
    """An event page names the people killed in it and links to them."""
    killed = record.teen.casualties.get()
    html = page(client, url("event", killed.event_id))
    assert "Malekshahi march" in html
    assert url("person", record.teen.pk) in html


def test_the_event_list_filters_by_kind(client, record):
    """Events can be narrowed to one kind."""
    assert "Malekshahi march" in page(client, url("events") + "?kind=protest")
    assert "Malekshahi march" not in page(client, url("events") + "?kind=strike")


def test_an_unknown_kind_of_event_is_said_to_be_unknown(client, record):
    """A mistyped kind (an old link) listed every event as if they were of that kind, and said nothing."""
    html = page(client, url("events") + "?kind=<b>protset</b>")
    assert "There is no kind of event “&lt;b&gt;protset&lt;/b&gt;”: all events are shown." in html
    assert "Malekshahi march" in html
    assert "There is no kind of event" not in page(client, url("events") + "?kind=protest")
    assert "رویدادی از نوع «protset» نداریم" in page(client, url("events", language="fa") + "?kind=protset")


@pytest.mark.parametrize(
    ("as_of", "said"),
    [("garbage", "is not a date Vigil can read"), ("2030-01-01", "That day has not come yet")],
)
def test_statistics_as_of_a_day_they_cannot_show_say_so(client, record, as_of, said):
    assert said in page(client, url("statistics") + f"?as_of={as_of}")


def test_statistics_keep_named_people_and_reported_figures_apart(client, record):
    """The statistics page shows named counts and the sources' figures, worded "at least"."""
    html = page(client, url("statistics"))
    assert "Documented by name" in html and "Reported by sources" in html
    assert "at least" in html and "2,300" in html


def test_the_about_page_explains_counting(client):
    """The about page explains named individuals versus reported figures and "at least"."""
    html = page(client, url("about"))
    assert "never adds one to the other" in html
    assert "“At least”" in html


def test_the_records_feed_lists_new_public_records_only(client, record):
    """The Atom feed of new and changed records names public people, never internal ones."""
    response = client.get(url("feed-records"))
    assert response["Content-Type"].startswith("application/atom+xml")
    body = response.content.decode()
    assert "Narges Mohammadi" in body
    assert "Hidden Witness" not in body


def test_an_alias_known_only_from_a_hidden_source_is_not_published(client, record):
    """Names had no level: an alias whose only source is a restricted witness account was on the public
    profile, in the API, the exports and public search. A name follows its source's level."""
    import io

    from vigil.exchange.exports import popolo_json, public_people_csv
    from vigil.people.services import NameInput, name_add

    witness = SourceFactory(title="Witness account", confidentiality="restricted")
    name_add(
        person=record.narges,
        name=NameInput(text="آرش ناشناس‌پور", kind="alias", source=witness),
        actor=staff(),
        reason="Witness account",
    )
    name_add(
        person=record.narges, name=NameInput(text="Narges M.", kind="alias"), actor=staff(), reason="Post"
    )

    def everywhere() -> str:
        csv_out, popolo_out = io.StringIO(), io.StringIO()
        public_people_csv(csv_out)
        popolo_json(popolo_out)
        return " ".join(
            [
                page(client, url("person", record.narges.pk)),
                page(client, url("person", record.narges.pk, language="fa")),
                client.get(f"/api/v1/people/{record.narges.pk}").content.decode(),
                csv_out.getvalue(),
                popolo_out.getvalue(),
            ]
        )

    published = everywhere()
    assert "ناشناس" not in published and "Narges M." in published  # a name with no source follows its person
    assert client.get("/api/v1/search", {"q": "ناشناس‌پور"}).json()["results"] == []
    assert "Narges Mohammadi" not in page(client, url("directory") + "?q=ناشناس‌پور")

    witness.confidentiality = "public"
    witness.save()
    assert "ناشناس" in everywhere()
    assert [hit["id"] for hit in client.get("/api/v1/search", {"q": "ناشناس‌پور"}).json()["results"]] == [
        record.narges.pk
    ]


def test_editing_only_hidden_fields_is_not_announced_to_the_public(client, record):
    """A change to a public person's family contact (restricted) or internal notes put "Updated: Narges
    Mohammadi" at the top of the public feed and moved "Record last changed on": the public learnt that
    something hidden was edited. A change the public sees still moves both."""
    from vigil.core.services import save_with_history

    narges = record.narges
    first = Person.objects.get(pk=narges.pk).updated_at
    narges.family_contact = "RESTRICTED: a new number for her son"
    narges.notes = "INTERNAL: lawyer visited"
    save_with_history(narges, actor=staff(), reason="Son's call")
    assert Person.objects.get(pk=narges.pk).updated_at == first
    assert narges.history.latest().family_contact == "RESTRICTED: a new number for her son"  # in the history

    narges.summary_en = "Human rights defender, 2023 Nobel Peace laureate, on hunger strike."
    save_with_history(narges, actor=staff(), reason="Statement of her family")
    assert Person.objects.get(pk=narges.pk).updated_at > first


def test_the_figures_feed_lists_reported_figures(client, record):
    """The Atom feed of reported figures words them as the source did."""
    body = client.get(url("feed-figures")).content.decode()
    assert "at least 2,300" in body


def test_a_fact_of_unknown_date_says_so_and_a_person_without_facts_has_no_empty_heading(client, record):
    """ "Arrested (date unknown) in Mashhad", not "Arrested unknown in Mashhad"; no "What happened" over
    nothing; no "(primary)" beside names, which readers do not need."""
    from tests.factories import PersonFactory

    arrested = PersonFactory(names=["Hasti Pakzad"], confidentiality="public")
    from vigil.places.models import Place

    mashhad = Place.objects.get(code="ir-razavi-khorasan-mashhad")
    DetentionFactory(
        person=arrested, arrested=FuzzyDate.unknown(), arrest_place=mashhad, confidentiality="public"
    )
    html = page(client, url("person", arrested.pk))
    assert 'Arrested <span class="muted">(date unknown)</span> in Mashhad' in html
    assert "(primary)" not in html
    bare = PersonFactory(names=["Nothing Known"], confidentiality="public")
    assert "What happened" not in page(client, url("person", bare.pk))


def test_persian_pages_use_persian_commas_between_figures(client, record):
    html = page(client, url("home", language="fa"))
    assert "</a>،" in html and "</a>," not in html


def test_english_pages_join_terms_with_latin_commas_and_persian_pages_with_persian_ones(client, record):
    """A list of terms is punctuated in the page's language: "Journalist, Teacher" and "روزنامه‌نگار، معلم"."""
    person = PersonFactory(
        names=["Leila Test"], confidentiality="public", occupations=["journalist", "teacher"]
    )
    march = EventFactory(title_en="Tehran march", tactics=["tear_gas", "batons"], confidentiality="public")

    assert "<dd>Journalist, Teacher</dd>" in page(client, url("person", person.pk))
    assert "<dd>روزنامه‌نگار، معلم</dd>" in page(client, url("person", person.pk, language="fa"))
    batons, gas = (Term.objects.get(vocabulary="tactic", code=code) for code in ("batons", "tear_gas"))
    assert f"<dd>{batons.name_en}, {gas.name_en}</dd>" in page(client, url("event", march.pk))
    assert f"<dd>{batons.name_fa}، {gas.name_fa}</dd>" in page(client, url("event", march.pk, language="fa"))


def test_persian_pages_separate_the_place_of_arrest_from_the_prison_with_a_persian_semicolon(client, record):
    """ "Arrested … in Mashhad; held at Evin" reads "… در مشهد؛ نگهداری در …" in Persian, never with a Latin
    semicolon."""
    assert "; held at" in page(client, url("person", record.narges.pk))
    persian = page(client, url("person", record.narges.pk, language="fa"))
    assert "؛ " in persian
    assert "; " not in persian.split('id="person-name"')[1]


def test_a_one_day_period_shows_its_day_once(client, record):
    """An event that began and ended the same day shows that day once, not "۱۹ دی ۱۴۰۴ – ۱۹ دی ۱۴۰۴"."""
    vigil = EventFactory(
        title_en="Vigil in Rasht", started=day(2026, 1, 9), ended=day(2026, 1, 9), confidentiality="public"
    )
    html = page(client, url("event", vigil.pk, language="fa"))
    assert '<dd><time datetime="2026-01-09">۱۹ دی ۱۴۰۴</time></dd>' in html
    longer = EventFactory(title_en="Strike", started=day(2026, 1, 9), ended=day(2026, 1, 11))
    assert "9 January 2026</time> – <time" in page(client, url("event", longer.pk))
    figure_record(
        actor=staff(),
        reason="HRANA",
        source=SourceFactory(title="HRANA, 10 January", confidentiality="public"),
        metric="killed",
        qualifier="at_least",
        value=12,
        published_on=dt.date(2026, 1, 10),
        period_start=dt.date(2026, 1, 10),
        period_end=dt.date(2026, 1, 10),
    )
    assert '<td><time datetime="2026-01-10">۲۰ دی ۱۴۰۴</time></td>' in page(
        client, url("statistics", language="fa")
    )


def test_date_examples_in_persian_forms_are_laid_out_left_to_right(client, record):
    """ "2025-12-28" in a Persian help text would read "28-12-2025" without an isolate: the directory's date
    hints and the statistics' "as of" label keep their examples left to right."""
    assert '<bdi dir="ltr">2025-12-28</bdi>' in page(client, url("directory", language="fa"))
    assert '<bdi dir="ltr">2026-01-09</bdi>' in page(client, url("statistics", language="fa"))


def test_source_titles_are_isolated_from_the_date_beside_them(client, record):
    """A source's title, in whichever script, is isolated, so it cannot pull the date after it into its
    direction."""
    source = SourceFactory(title="گزارش روزانه هرانا", confidentiality="public")
    person = PersonFactory(names=["Sina Test"], confidentiality="public", citations=[cite(source)])

    assert "<bdi>گزارش روزانه هرانا</bdi>" in page(client, url("person", person.pk))


def test_a_figures_source_title_on_the_persian_statistics_page_keeps_the_day_with_its_month(client, record):
    """In "(HRANA daily report، ۱۹ دی ۱۴۰۴)" the Persian day would join the English title's run and show on
    its far side from «دی ۱۴۰۴»: the title is isolated in a <bdi>, and no invisible isolate is left in the
    page."""
    html = page(client, url("statistics", language="fa"))

    assert "(<bdi>HRANA daily report</bdi>، ۱۹ دی ۱۴۰۴)" in html
    assert "\u2068" not in html and "\u2069" not in html


def test_the_site_answers_for_its_icon_without_an_error(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 204 and "max-age" in response["Cache-Control"]
