"""The review queue in the staff workspace: two people side by side and three buttons."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from tests.factories import staff
from tests.matching.test_services import a_score
from vigil.accounts.roles import Role
from vigil.core.text import to_persian_digits
from vigil.matching import weights
from vigil.matching.models import MatchDecision, MatchPair, MatchStatus, Merge
from vigil.matching.services import match_pair_propose, person_merge
from vigil.people.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(make_person, reviewer, mashhad):
    a = make_person("Narges Mohammadi", gender="female", age=53, residence=mashhad)
    b = make_person("نرگس محمدی", gender="female", age=53)
    return match_pair_propose(a=a, b=b, score=a_score(), actor=reviewer, reason="Found by a test.")


def test_the_review_page_shows_both_people_and_the_evidence(client, pair, reviewer):
    """Names in both scripts, places and the evidence are shown, with the three verdicts."""
    client.force_login(reviewer)
    page = client.get(reverse("admin:matching_matchpair_change", args=[pair.pk])).content.decode()
    for text in ("Narges Mohammadi", "نرگس محمدی", "Mashhad", "Same person", "Different people", "Not sure"):
        assert text in page


def test_the_evidence_starts_from_the_intercept_and_adds_up_to_the_pairs_probability(client, pair, reviewer):
    """The weights alone do not make the score: the page shows the starting point (the intercept, about
    −7.30) as a row, each weight signed, and the total that gives the pair's probability."""
    client.force_login(reviewer)
    response = client.get(reverse("admin:matching_matchpair_change", args=[pair.pk]))
    page = response.content.decode()

    start = round(pair.evidence["score"] - round(sum(pair.evidence["weights"].values()), 3), 3)
    assert round(start, 2) == round(weights.INTERCEPT, 2)
    assert (
        f'Starting point, before any comparison</td><td class="weight"><bdi dir="ltr">\u2212{-start:.2f}</bdi>'
        in page
    )
    assert f'<bdi dir="ltr">{pair.evidence["score"]:+.2f}</bdi>'.replace("-", "\u2212") in page
    assert f"Total (probability {pair.score:.2f})" in page
    assert "not evidence found in these records" in page


def test_negative_weights_keep_their_sign_on_the_left_in_the_persian_interface(client, pair, reviewer):
    """In a right-to-left page "-1.59" would show as "1.59-": every weight is in a left-to-right isolate."""
    client.force_login(reviewer)
    page = client.get(
        reverse("admin:matching_matchpair_change", args=[pair.pk]), HTTP_ACCEPT_LANGUAGE="fa"
    ).content.decode()

    start = round(pair.evidence["score"] - round(sum(pair.evidence["weights"].values()), 3), 3)
    assert 'dir="rtl"' in page
    assert (
        f'نقطهٔ آغاز، پیش از هر مقایسه</td><td class="weight"><bdi dir="ltr">\u2212{persian(-start)}</bdi>'
        in page
    )
    for weight in pair.evidence["weights"].values():
        shown = ("+" if weight >= 0 else "\u2212") + persian(abs(weight))
        assert f'<td class="weight"><bdi dir="ltr">{shown}</bdi></td>' in page


def persian(value: float, form: str = ".2f") -> str:
    """A number as a Persian page writes it: Persian digits, the Persian decimal point and percent sign."""
    return to_persian_digits(format(value, form)).replace(".", "\u066b").replace("%", "\u066a")


def test_probabilities_and_weights_are_in_persian_digits_for_a_persian_reader(client, pair, reviewer):
    """The queue's probability column, the pair's probability and the total are written as the rest of a
    Persian page (ages, dates, record numbers), in Persian digits: not "1.00" in a Persian sentence."""
    client.force_login(reviewer)
    page = client.get(
        reverse("admin:matching_matchpair_change", args=[pair.pk]), HTTP_ACCEPT_LANGUAGE="fa"
    ).content.decode()
    queue = client.get(
        reverse("admin:matching_matchpair_changelist"), HTTP_ACCEPT_LANGUAGE="fa"
    ).content.decode()

    assert persian(pair.score) in page
    assert f"{pair.score:.2f}" not in page
    assert f">{persian(pair.score, '.0%')}<" in queue


def test_the_review_page_links_sources_shows_notes_and_dates_in_both_calendars(client, pair, reviewer):
    """What a reviewer needs to decide: each source opens, the notes an import left (a place it could not
    find) are there, and dates read in both calendars."""
    from tests.factories import DetentionFactory, day

    Person.objects.filter(pk=pair.person_a_id).update(notes="Place as given in the imported file: Shabad")
    DetentionFactory(person=pair.person_b, arrested=day(2026, 1, 8))
    from django.contrib.contenttypes.models import ContentType

    from vigil.sources.models import Citation, Source

    cited = Citation.objects.filter(
        content_type=ContentType.objects.get_for_model(Person), object_id=pair.person_a_id
    )
    Source.objects.filter(pk__in=cited.values("source_id")).update(url="https://t.me/example/42")
    client.force_login(reviewer)
    page = client.get(reverse("admin:matching_matchpair_change", args=[pair.pk])).content.decode()
    assert '<a href="https://t.me/example/42" rel="noopener noreferrer" target="_blank">' in page
    assert "Place as given in the imported file: Shabad" in page
    assert "18 Dey 1404 (8 January 2026)" in page


def test_the_queue_lists_pairs_waiting_for_a_verdict_and_finds_them_by_name(
    client, pair, make_person, reviewer
):
    """Decided pairs ("not sure" included) leave the default list and are a filter away; a name in either
    script, in any letter forms, finds its pairs."""
    from vigil.matching.services import match_pair_decide

    other = match_pair_propose(
        a=make_person("Sepideh Gholian"),
        b=make_person("سپیده قلیان"),
        score=a_score(),
        actor=reviewer,
        reason="Test",
    )
    assert other is not None
    match_pair_decide(pair=other, status=MatchStatus.UNSURE, actor=reviewer, note="Cannot tell")
    client.force_login(reviewer)
    queue = reverse("admin:matching_matchpair_changelist")

    def listed(query: str = "") -> set[int]:
        response = client.get(queue + query)
        return {item.pk for item in response.context["cl"].result_list}

    assert listed() == {pair.pk}
    assert listed("?status=unsure") == {other.pk}
    assert listed("?status=all") == {pair.pk, other.pk}
    assert listed("?status=all&q=قليان") == {other.pk}  # Arabic yeh, folded
    assert listed("?q=Mohammadi") == {pair.pk}


def test_the_queue_finds_a_pair_by_a_spelling_neither_person_was_recorded_with(client, make_person, reviewer):
    """ "Mohamadi" finds a pair recorded as "Narges Mohammadi" and "نرگس محمدی", and a Latin spelling finds
    a pair of people recorded in Persian script only; a different name finds nothing."""
    spelled = match_pair_propose(
        a=make_person("Narges Mohammadi"),
        b=make_person("نرگس محمدی"),
        score=a_score(),
        actor=reviewer,
        reason="T",
    )
    persian_only = match_pair_propose(
        a=make_person("سپیده قلیان"),
        b=make_person("سپیده قليان"),
        score=a_score(),
        actor=reviewer,
        reason="T",
    )
    assert spelled is not None and persian_only is not None
    client.force_login(reviewer)
    queue = reverse("admin:matching_matchpair_changelist")

    def listed(query: str) -> set[int]:
        return {item.pk for item in client.get(queue + query).context["cl"].result_list}

    assert listed("?q=Mohamadi") == {spelled.pk}
    assert listed("?q=Narges+Mohamadi") == {spelled.pk}
    assert listed("?q=Sepideh+Qolian") == {persian_only.pk}
    assert listed("?q=Hosseini") == set()


def test_the_different_people_button_records_the_verdict(client, pair, reviewer):
    """Pressing "different people" stores the verdict and merges nothing."""
    client.force_login(reviewer)
    client.post(reverse("admin:matching_matchpair_change", args=[pair.pk]), {"verdict": "different"})
    assert MatchPair.objects.get(pk=pair.pk).status == MatchStatus.DIFFERENT
    assert not Person.objects.filter(merged_into__isnull=False).exists()


def test_decision_times_are_in_both_calendars_in_persian_digits_for_a_persian_reader(client, pair, reviewer):
    """A verdict on the review page was dated "8 ژانویه 2026، ساعت 14:05" (Django's Gregorian format in
    Latin digits) to a Persian reader; it reads as the other staff pages' times do."""
    client.force_login(reviewer)
    url = reverse("admin:matching_matchpair_change", args=[pair.pk])
    client.post(url, {"verdict": "unsure", "note": "Ask the family."})
    MatchDecision.objects.update(decided_at=dt.datetime(2026, 1, 8, 14, 5, tzinfo=dt.UTC))

    persian = client.get(url, HTTP_ACCEPT_LANGUAGE="fa").content.decode()
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert '<time datetime="2026-01-08T14:05:00+00:00">۱۸ دی ۱۴۰۴ (۸ ژانویه ۲۰۲۶)، ۱۴:۰۵</time>' in persian
    assert "18 Dey 1404 (8 January 2026), 14:05</time>" in english


def test_the_same_person_button_merges_into_the_chosen_record(client, pair, reviewer):
    """Pressing "same person" merges, keeping the record chosen."""
    client.force_login(reviewer)
    answer = client.post(
        reverse("admin:matching_matchpair_change", args=[pair.pk]),
        {"verdict": "same", "keep": pair.person_b_id},
        follow=True,
    )
    merged = Person.objects.get(pk=pair.person_a_id)
    assert merged.merged_into_id == pair.person_b_id
    # Named as they were, not "#12" (the merge moved their names to the person kept).
    assert "Merged: Narges Mohammadi ↔ نرگس محمدی are now one person." in answer.content.decode()
    assert str(merged) == f"#{merged.pk} (merged into Narges Mohammadi)"


def test_a_documenter_sees_the_pair_but_cannot_decide(client, pair):
    """Verdicts are the reviewers'."""
    documenter = staff(Role.DOCUMENTER)
    client.force_login(documenter)
    url = reverse("admin:matching_matchpair_change", args=[pair.pk])
    assert "Same person" not in client.get(url).content.decode()
    assert client.post(url, {"verdict": "same"}).status_code == 403


def test_a_merge_can_be_undone_from_its_page(client, make_person, reviewer):
    """The merge's page undoes it."""
    keep, gone = make_person("Ali Karimi"), make_person("علی کریمی")
    person_merge(keep=keep, merge=gone, actor=reviewer, reason="Same man.")
    merge = Merge.objects.get()
    client.force_login(reviewer)
    page = client.get(reverse("admin:matching_merge_change", args=[merge.pk])).content.decode()
    assert "names: 1; citations: 1" in page and "repointed" not in page  # what moved, in words, not JSON
    client.post(reverse("admin:matching_merge_undo", args=[merge.pk]), {"reason": "Two men after all."})
    assert Person.objects.get(pk=gone.pk).merged_into is None


def test_the_undo_form_is_offered_to_reviewers_only(client, make_person, reviewer):
    keep, gone = make_person("Ali Karimi"), make_person("علی کریمی")
    person_merge(keep=keep, merge=gone, actor=reviewer, reason="Same man.")
    url = reverse("admin:matching_merge_change", args=[Merge.objects.get().pk])
    client.force_login(reviewer)
    assert "Undo the merge" in client.get(url).content.decode()
    client.force_login(staff(Role.DOCUMENTER))
    page = client.get(url)
    assert page.status_code == 200 and "Undo the merge" not in page.content.decode()


def test_the_review_page_separates_facts_with_the_readers_comma(client, pair, reviewer, mashhad):
    """A detention's date, place and prison are separated by "،" in Persian (they read "..., مشهد"), by
    "," in English."""
    from tests.factories import DetentionFactory, day

    DetentionFactory(person=pair.person_b, arrested=day(2026, 1, 8), arrest_place=mashhad)
    client.force_login(reviewer)
    url = reverse("admin:matching_matchpair_change", args=[pair.pk])
    persian = client.get(url, HTTP_ACCEPT_LANGUAGE="fa").content.decode()
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"، {mashhad}" in persian and f", {mashhad}" not in persian
    assert f", {mashhad}" in english


def test_what_a_merge_moved_is_counted_in_the_readers_digits_and_punctuation(client, make_person, reviewer):
    """A merge's page read "بازداشت‌ها: 1; نام‌ها: 2" to a Persian reader."""
    keep, gone = make_person("Ali Karimi"), make_person("علی کریمی")
    person_merge(keep=keep, merge=gone, actor=reviewer, reason="Same man.")
    client.force_login(reviewer)
    url = reverse("admin:matching_merge_change", args=[Merge.objects.get().pk])
    persian = client.get(url, HTTP_ACCEPT_LANGUAGE="fa").content.decode()
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert re.search(r"names: 1\b", english)
    assert re.search(r"[^<>]*: ۱", persian) and not re.search(r": 1\b", persian)


def test_the_queue_and_the_merges_show_their_times_in_both_calendars_in_persian_digits(
    client, pair, make_person, reviewer
):
    """The queue's "proposed at" and the merges' "merged at" read "8 ژانویه 2026، ساعت 14:05" (Django's
    Gregorian format in Latin digits) to a Persian reader; they read as the other staff pages' times do."""
    person_merge(
        keep=make_person("Ali Karimi"), merge=make_person("علی کریمی"), actor=reviewer, reason="Same man."
    )
    at = dt.datetime(2026, 1, 8, 14, 5, tzinfo=dt.UTC)
    MatchPair.objects.filter(pk=pair.pk).update(proposed_at=at)
    Merge.objects.update(merged_at=at)
    client.force_login(reviewer)

    for changelist in ("admin:matching_matchpair_changelist", "admin:matching_merge_changelist"):
        persian = client.get(reverse(changelist), HTTP_ACCEPT_LANGUAGE="fa").content.decode()
        assert "۱۸ دی ۱۴۰۴ (۸ ژانویه ۲۰۲۶)، ۱۴:۰۵" in persian
