"""The one-screen intake, "Add a detainee"."""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import FacilityFactory, OrganizationFactory, PlaceFactory, SourceFactory
from vigil.core.dates import Precision
from vigil.core.models import Term, Vocabulary
from vigil.core.text import to_persian_digits
from vigil.custody.models import Detention, StatusObservation
from vigil.matching.models import MatchPair, MatchStatus
from vigil.people.models import NameVariant, Person
from vigil.sources.models import Citation, Source

pytestmark = pytest.mark.django_db

INTAKE = reverse("admin:detainee_intake")


def _term(vocabulary: str, code: str) -> Term:
    return Term.objects.get(vocabulary=vocabulary, code=code)


def _post(**changes: Any) -> dict[str, Any]:
    """A complete intake as a documenter fills it from a Telegram post, with a new source."""
    data: dict[str, Any] = {
        "name_fa": "سپیده قلیان",
        "name_latin": "Sepideh Gholian",
        "other_names": "Sepideh Qolian",
        "gender": "female",
        "reported_age": "31",
        "occupations": [_term(Vocabulary.OCCUPATION, "civil_activist").pk],
        "arrested": "1404/09/21",
        "arrest_place": PlaceFactory(name_en="Mashhad", name_fa="مشهد").pk,
        "arresting_body": OrganizationFactory(name_en="Ministry of Intelligence").pk,
        "facility": FacilityFactory(name_en="Vakilabad Prison").pk,
        "incommunicado_since": "۱۴۰۴/۰۹/۲۱",
        "note": "",
        "confidentiality": "internal",
        "source": "",
        "new_source_kind": _term(Vocabulary.SOURCE_KIND, "social_post").pk,
        "new_source_title": "Telegram post by her brother",
        "new_source_url": "https://t.me/example/123",
        "new_source_publisher": "",
        "new_source_published_on": "1404/10/17",
        "new_source_language": "fa",
        "quote": "سپیده را در مراسم یادبود بازداشت کردند و از او خبری نداریم",
        "quote_language": "fa",
        "translation": "They arrested Sepideh at the memorial and we have no news of her",
        "translation_method": "human",
        "relation": "relative",
        "change_reason": "Telegram post by her brother, 7 January 2026",
    }
    data.update(changes)
    return data


def _nothing_created() -> bool:
    return not (Person.objects.exists() or Detention.objects.exists() or Source.objects.exists())


def test_intake_page_offers_the_form_in_both_scripts(documenter_client: Client) -> None:
    """The intake screen loads for a documenter with name boxes for both scripts and the source choice."""
    response = documenter_client.get(INTAKE)
    assert response.status_code == 200
    content = response.content.decode()
    assert 'name="name_fa"' in content and 'dir="rtl"' in content
    assert 'name="name_latin"' in content and 'name="new_source_title"' in content


def test_one_post_records_person_names_detention_incommunicado_and_citations(
    documenter_client: Client, documenter: Any
) -> None:
    """One submission creates the person with both names, the detention on the Gregorian day of the Jalali
    date, "incommunicado since", the new source and the citations, and opens the detention."""
    response = documenter_client.post(INTAKE, _post())

    detention = Detention.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:custody_detention_change", args=[detention.pk])
    person = detention.person
    assert {(n.text, n.script, n.is_primary) for n in person.names.all()} == {
        ("سپیده قلیان", "arab", True),
        ("Sepideh Gholian", "latn", True),
        ("Sepideh Qolian", "latn", False),
    }
    assert person.gender == "female" and person.reported_age == 31
    assert [t.code for t in person.occupations.all()] == ["civil_activist"]
    assert detention.arrested_on == dt.date(2025, 12, 12)  # 21 Azar 1404
    assert detention.arrested_precision == Precision.DAY
    assert str(detention.facility) == "Vakilabad Prison"
    status = StatusObservation.objects.get(detention=detention)
    assert status.status.code == "incommunicado" and status.started_on == dt.date(2025, 12, 12)
    source = Source.objects.get()
    assert source.published_on == dt.date(2026, 1, 7) and source.kind.code == "social_post"
    citation = Citation.objects.filter(object_id=detention.pk, content_type__model="detention").get()
    assert (
        citation.source == source
        and citation.translation_method == "human"
        and citation.relation == "relative"
    )
    assert Citation.objects.filter(source=source).count() == 3  # person, detention, status
    assert detention.history.get().history_change_reason == "Telegram post by her brother, 7 January 2026"
    assert detention.history.get().history_user == documenter


def test_intake_can_cite_an_existing_source(documenter_client: Client) -> None:
    """Picking a recorded source cites it and creates no new one."""
    source = SourceFactory(title="HRANA daily report")
    response = documenter_client.post(
        INTAKE, _post(source=source.pk, new_source_kind="", new_source_title="", new_source_url="")
    )
    assert response.status_code == 302
    assert Source.objects.get() == source
    assert Citation.objects.filter(source=source).count() == 3


def test_thirtieth_of_esfand_in_a_common_year_is_refused_and_nothing_is_created(
    documenter_client: Client,
) -> None:
    """1402/12/30 does not exist: the arrest date shows the specific reason and nothing is saved."""
    response = documenter_client.post(INTAKE, _post(arrested="1402/12/30"))
    assert response.status_code == 200
    assert response.context["form"].errors["arrested"] == [
        "30 Esfand 1402 does not exist (1402 is not a leap year)."
    ]
    assert "30 Esfand 1402 does not exist (1402 is not a leap year)." in response.content.decode()
    assert _nothing_created()


def test_html_in_a_name_is_refused_and_nothing_is_created(documenter_client: Client) -> None:
    """Markup in a name is shown as an error on that name; nothing is saved."""
    response = documenter_client.post(INTAKE, _post(name_latin="<script>alert(1)</script>Sepideh"))
    assert response.status_code == 200
    assert "must not contain HTML markup" in response.context["form"].errors["name_latin"][0]
    assert "<script>alert(1)" not in response.content.decode()
    assert _nothing_created()


def test_a_title_alone_is_refused_as_a_name_and_nothing_is_created(documenter_client: Client) -> None:
    page = documenter_client.post(INTAKE, _post(name_fa="سید", name_latin="", other_names=""))
    assert "is a title or honorific" in page.content.decode()
    assert _nothing_created()


def test_a_latin_name_in_the_persian_box_is_refused(documenter_client: Client) -> None:
    """Each name box takes its own script, so names are stored with the right script."""
    response = documenter_client.post(INTAKE, _post(name_fa="Sepideh Gholian", name_latin=""))
    assert "is not in Persian script" in response.context["form"].errors["name_fa"][0]
    assert _nothing_created()


@pytest.mark.parametrize(
    ("box", "typed", "said"),
    [
        ("name_fa", "\u200c", "has no letters; enter the person's name"),
        ("name_latin", "12345", "has no letters; enter the person's name"),
        ("name_latin", "Иван Петров", "is in neither Persian nor Latin script"),
    ],
)
def test_a_name_box_with_no_name_in_either_script_says_so(
    documenter_client: Client, box: str, typed: str, said: str
) -> None:
    """A ZWNJ alone in the Persian box was told it "is not in Persian script" and sent to the Latin box;
    "12345" in the Latin box was sent to the Persian one. Neither is a name in any box."""
    response = documenter_client.post(INTAKE, _post(**{"name_fa": "", "name_latin": "", box: typed}))
    errors = response.context["form"].errors[box]
    assert said in errors[0] and "enter it as the name in" not in errors[0]
    assert _nothing_created()


def test_a_fact_without_a_source_is_refused(documenter_client: Client) -> None:
    """Neither an existing source nor a new one: the source box says every fact needs one."""
    response = documenter_client.post(
        INTAKE, _post(new_source_kind="", new_source_title="", new_source_url="", new_source_published_on="")
    )
    assert "Every fact needs a source" in response.context["form"].errors["source"][0]
    assert _nothing_created()


def test_a_refusal_by_the_service_undoes_the_new_source_too(documenter_client: Client) -> None:
    """An arrest date in the future is refused by the service after the new source was created; the error
    is shown on the arrest date and the source is rolled back with everything else."""
    response = documenter_client.post(INTAKE, _post(arrested="2099-01-01", new_source_published_on=""))
    assert response.status_code == 200
    assert "in the future" in response.context["form"].errors["arrested"][0]
    assert _nothing_created()
    assert not NameVariant.objects.exists()


def test_a_viewer_cannot_open_the_intake(client: Client) -> None:
    """Viewers read; they do not record."""
    from tests.staff.conftest import staff_user

    client.force_login(staff_user("viewer"))
    assert client.get(INTAKE).status_code == 403


def test_possible_existing_matches_are_shown_before_anything_is_saved(documenter_client: Client) -> None:
    """Entering "Sepideh Qolian" when "سپیده قلیان" is recorded lists her first and saves nothing."""
    documenter_client.post(INTAKE, _post())
    people_before = Person.objects.count()

    page = documenter_client.post(
        INTAKE, _post(name_fa="", name_latin="Sepideh Qolian", other_names="", new_source_url="")
    )

    assert page.status_code == 200
    assert 'id="possible-matches"' in page.content.decode()
    assert "سپیده قلیان" in page.content.decode()
    # What tells namesakes apart is beside each name: the age, the place and day of the arrest.
    facts = page.content.decode().split('class="vigil-match-facts">')[1].split("</small>")[0]
    assert (
        "31 years old" in facts and "Mashhad" in facts and "arrested 21 Azar 1404 (12 December 2025)" in facts
    )
    assert Person.objects.count() == people_before


def test_possible_matches_weigh_the_arrest_day_and_the_posts_date(documenter_client: Client) -> None:
    """The matcher compares what the form says beyond the name: the day of arrest against the one recorded,
    and the post's date against it (a post cannot report an arrest made after it)."""
    documenter_client.post(INTAKE, _post())
    again = _post(name_fa="", name_latin="Sepideh Qolian", other_names="", new_source_url="")

    page = documenter_client.post(INTAKE, again)
    levels = page.context["candidates"][0].evidence["levels"]
    assert (levels["days"], levels["reported"]) == ("same_day", "after")

    earlier = documenter_client.post(INTAKE, {**again, "new_source_published_on": "1404/08/01"})
    levels = earlier.context["candidates"][0].evidence["levels"]
    assert levels["reported"] == "before_16"
    assert earlier.context["candidates"][0].probability < page.context["candidates"][0].probability


def test_saving_again_from_the_page_of_possible_matches_records_the_new_person(
    documenter_client: Client,
) -> None:
    """The page listing possible matches carries the confirmation: the form as that page sends it again
    records the new person (it used to list the matches again, for ever)."""
    documenter_client.post(INTAKE, _post())
    people_before = Person.objects.count()
    again = _post(name_fa="", name_latin="Sepideh Qolian", other_names="", new_source_url="")
    page = documenter_client.post(INTAKE, again).content.decode()
    hidden = re.search(r'<input type="hidden" name="new_person_confirmed" value="([^"]*)"', page)
    assert hidden is not None

    documenter_client.post(INTAKE, {**again, "new_person_confirmed": html.unescape(hidden.group(1))})
    assert Person.objects.count() == people_before + 1


def test_a_new_person_confirmed_is_recorded_and_the_pair_waits_for_a_reviewer(
    documenter_client: Client,
) -> None:
    """After the list of possible matches, saving again with the confirmation records a new person; the
    pair with the person shown goes on the review queue (it was left for `vigil match` to find)."""
    documenter_client.post(INTAKE, _post())
    first = Person.objects.get()
    again = _post(name_fa="", name_latin="Sepideh Qolian", other_names="", new_source_url="")
    shown = documenter_client.post(INTAKE, again).context["candidates"]
    assert [candidate.person for candidate in shown] == [first]

    documenter_client.post(INTAKE, {**again, "new_person_confirmed": str(first.pk)})
    second = Person.objects.exclude(pk=first.pk).get()
    pair = MatchPair.objects.get()
    assert {pair.person_a, pair.person_b} == {first, second} and pair.status == MatchStatus.PROPOSED


def test_a_confirmation_holds_only_for_the_people_it_was_given_for(documenter_client: Client) -> None:
    """The documenter confirmed "not Narges", then changed the name to someone else recorded: the form
    saved a second record of her without showing her (the confirmation was a yes for any name)."""
    documenter_client.post(INTAKE, _post())
    first = Person.objects.get()
    other = _post(
        name_fa="نرگس محمدی",
        name_latin="Narges Mohammadi",
        other_names="",
        new_source_url="",
        arrest_place="",
    )
    documenter_client.post(INTAKE, other)
    narges = Person.objects.exclude(pk=first.pk).get()

    typed = _post(
        name_fa="", name_latin="Narges Mohamadi", other_names="", new_source_url="", arrest_place=""
    )
    page = documenter_client.post(INTAKE, typed)
    assert narges in [candidate.person for candidate in page.context["candidates"]]
    confirmation = page.context["form"].data["new_person_confirmed"]
    # Changed to a name of the first person recorded: shown again, not saved.
    changed = {**typed, "name_latin": "Sepideh Qolian", "new_person_confirmed": confirmation}
    page = documenter_client.post(INTAKE, changed)
    assert first in [candidate.person for candidate in page.context["candidates"]]
    assert Person.objects.count() == 2


def test_an_age_in_persian_digits_is_recorded(documenter_client: Client) -> None:
    """ "۲۳" typed in the age box is the age 23 (the browser's number box dropped it: no age at all)."""
    content = documenter_client.get(INTAKE).content.decode()
    assert re.search(r'<input type="text" name="reported_age"[^>]*inputmode="numeric"', content)
    documenter_client.post(INTAKE, _post(reported_age="۲۳"))
    assert Person.objects.get().reported_age == 23


@pytest.mark.parametrize(
    ("typed", "code"), [("فارسی", "fa"), ("English", "en"), ("ckb", "ckb"), ("FA", "fa")]
)
def test_a_sources_language_is_kept_as_its_code_however_typed(
    documenter_client: Client, typed: str, code: str
) -> None:
    """ "فارسی" was stored as the language code of the source; the name of a language becomes its code."""
    documenter_client.post(INTAKE, _post(new_source_language=typed, quote_language=typed))
    assert Source.objects.get().language == code
    assert Citation.objects.filter(quote_language=code).exists()


def test_a_language_that_is_not_one_is_refused(documenter_client: Client) -> None:
    response = documenter_client.post(INTAKE, _post(new_source_language="Telegram"))
    assert response.status_code == 200 and _nothing_created()
    assert "is not a language code" in html.unescape(response.content.decode())


def test_a_possible_match_is_described_in_persian_digits_to_a_persian_reader(
    documenter_client: Client,
) -> None:
    """The possible match read "#5 … ۳۱ ساله" half in Latin digits ("31 ساله در ۱۷ دی ۱۴۰۴", "(امتیاز تطابق
    100٪)") on the Persian intake page."""
    documenter_client.post(INTAKE, _post())
    recorded = Person.objects.get()
    page = documenter_client.post(INTAKE, _post(other_names=""), HTTP_ACCEPT_LANGUAGE="fa")
    assert [candidate.person for candidate in page.context["candidates"]] == [recorded]
    shown = re.search(r'<li><a href="[^"]*">#.*?</li>', page.content.decode(), re.S)
    assert shown is not None
    assert re.search(r"[0-9]", re.sub(r'<[^>]*>|href="[^"]*"', "", shown.group(0))) is None
    assert f"#{to_persian_digits(str(recorded.pk))} " in shown.group(0)
    assert "۳۱" in shown.group(0)
