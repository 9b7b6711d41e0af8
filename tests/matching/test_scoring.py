"""Scoring pairs of people on names, age, gender, place, dates and sources."""

import random
from typing import Any

import pytest

from vigil.matching import weights
from vigil.matching.engine import (
    PairScorer,
    candidate_pairs,
    cluster,
    commonness,
    context_levels,
    in_context,
    resolve,
)
from vigil.matching.normalise import analyse_name
from vigil.matching.scoring import (
    Commonness,
    NameFrequency,
    PersonFeatures,
    PlaceRef,
    compare_names,
    score_pair,
)

TEHRAN, MASHHAD, ZAHEDAN = PlaceRef(1, 10), PlaceRef(2, 20), PlaceRef(3, 30)
KHORASAN = PlaceRef(None, 20)
NEYSHABUR = PlaceRef(4, 20)  # another city of Khorasan


def person(pk: int, *names: str, **fields: Any) -> PersonFeatures:
    return PersonFeatures(id=pk, names=tuple(analyse_name(n) for n in names), **fields)


def frequency(*people: PersonFeatures) -> NameFrequency:
    return commonness(people)


def test_the_four_spellings_of_narges_mohammadi_score_as_one_person():
    """Four spellings in two scripts, ages a year apart, city and province: one person."""
    people = [
        person(1, "Narges Mohammadi", gender="female", birth_years=(1971, 1972), places=(MASHHAD,)),
        person(2, "Narges Mohamadi", gender="female", birth_years=(1972, 1973)),
        person(3, "نرگس محمدی", gender="female", places=(KHORASAN,)),
        person(4, "نرگس محمدي", birth_years=(1971, 1972), places=(MASHHAD,)),
    ]
    freq = frequency(*people)
    for a in people:
        for b in people:
            if a.id < b.id:
                assert score_pair(a, b, frequency=freq).probability >= weights.MATCH_THRESHOLD, (a.id, b.id)


def test_namesakes_with_different_ages_and_places_score_below_the_threshold():
    """Two "Mohammad Hosseini", born decades apart in different provinces, are different people."""
    a = person(1, "Mohammad Hosseini", gender="male", birth_years=(1990, 1991), places=(TEHRAN,))
    b = person(2, "محمد حسینی", gender="male", birth_years=(1962, 1963), places=(ZAHEDAN,))
    score = score_pair(a, b, frequency=frequency(a, b))
    assert score.probability < weights.MATCH_THRESHOLD
    assert score.levels["birth"] == "8+" and score.levels["place"] == "different"


def test_a_common_name_alone_counts_for_less_among_many_namesakes():
    """The same exact name is weaker evidence when many people bear it."""
    a, b = person(1, "Ali Karimi"), person(2, "Ali Karimi")
    few = score_pair(a, b, frequency=NameFrequency({"aly": 2, "krymy": 2}, 2))
    many = score_pair(a, b, frequency=NameFrequency({"aly": 8000, "krymy": 3000}, 100_000))
    assert many.score < few.score


def test_evidence_names_every_comparison():
    """The evidence kept for reviewers has the level and weight of each comparison."""
    a = person(1, "Varisheh Moradi", gender="female", sources=frozenset({7}))
    b = person(2, "وریشه مرادی", gender="female", sources=frozenset({7}))
    evidence = score_pair(a, b, frequency=frequency(a, b)).evidence()
    assert evidence["levels"]["names"] == "skeleton_cross"
    assert evidence["levels"]["sources"].startswith("shared")  # graded by how many people source 7 reports
    assert set(evidence["weights"]) == set(evidence["levels"])


def test_the_batch_scorer_gives_the_same_scores_as_score_pair():
    """The fast batch scorer and ``score_pair`` are one scoring."""
    rng = random.Random(4)  # noqa: S311 (test data)
    names = ["Narges Mohammadi", "نرگس محمدی", "Ali Karimi", "علی کریمی", "Ali Karimian", "Sepideh Gholian"]
    people = [
        person(
            i,
            *rng.sample(names, rng.choice((1, 2))),
            gender=rng.choice(("", "female", "male")),
            birth_years=rng.choice((None, (1990, 1991), (1980, 1981))),
            places=rng.choice(((), (TEHRAN,), (KHORASAN,), (MASHHAD, TEHRAN), (NEYSHABUR,))),
            days=rng.choice(((), (739000,), (739010, 739100))),
            sources=rng.choice((frozenset(), frozenset({1}), frozenset({1, 2}))),
            reported=rng.choice((None, 738990, 739001, 739020, 738500)),
        )
        for i in range(40)
    ]
    scorer = PairScorer(people)
    freq = frequency(*people)
    for i in range(len(people)):
        for j in range(i + 1, len(people)):
            assert abs(scorer.score(i, j) - score_pair(people[i], people[j], frequency=freq).score) < 1e-9


def test_clusters_do_not_chain_strangers_through_a_common_name():
    """A and C both match B weakly but are known apart: they never end up in one cluster."""
    clusters = cluster(3, [(0, 1, 0.9), (1, 2, 0.85)], [(0, 2)], threshold=0.5, linkage=0.1)
    assert clusters == [[0, 1]]


def test_resolve_groups_spellings_and_keeps_namesakes_apart():
    """A batch run puts the four Narges Mohammadi records together, and not the namesake from elsewhere."""
    people = [
        person(1, "Narges Mohammadi", gender="female", birth_years=(1971, 1972), places=(MASHHAD,)),
        person(2, "نرگس محمدي", gender="female", birth_years=(1971, 1972), places=(KHORASAN,)),
        person(3, "Narges Mohamadi", gender="female", places=(MASHHAD,)),
        person(4, "Narges Mohammadi", gender="female", birth_years=(2004, 2005), places=(ZAHEDAN,)),
    ]
    resolution = resolve(people)
    assert resolution.clusters == [[1, 2, 3]]


def test_clusters_joined_by_one_bridge_stay_apart():
    """Two pairs linked by one strong pair across them are not joined: most pairs across are unscored."""
    edges = [(0, 1, 0.95), (2, 3, 0.95), (1, 2, 0.9)]
    assert cluster(4, edges, [], threshold=0.3, linkage=0.3) == [[0, 1], [2, 3]]


def test_dates_a_few_days_apart_weigh_between_the_same_days_and_weeks_apart():
    """Arrest dates two days apart count more than four days apart, which count more than ten days apart."""
    a = person(1, "Sepideh Gholian", days=(739000,))
    others = [person(2, "Sepideh Gholian", days=(739000 + gap,)) for gap in (2, 4, 10)]
    levels = [score_pair(a, b, frequency=frequency(a)).levels["days"] for b in others]
    assert levels == ["same_day", "days_3_4", "days_5_15"]
    assert weights.WEIGHTS["days"]["same_day"] > weights.WEIGHTS["days"]["days_3_4"]
    assert weights.WEIGHTS["days"]["days_3_4"] > weights.WEIGHTS["days"]["days_5_15"]


GIVEN = ["Ali", "Reza", "Hassan", "Mehdi", "Sara", "Maryam", "Zahra", "Amir", "Nima", "Parisa"]


def test_a_lone_common_family_name_meets_the_full_names_of_its_province():
    """ "Karimi" alone is compared with every Karimi while few bear the name; past that, only with those
    reported in the same province or born in the same years, not with every Karimi in the country."""
    people = [
        person(i, f"{GIVEN[i % len(GIVEN)]} Karimi", places=(PlaceRef(None, 100 + i % 30),))
        for i in range(200)
    ]
    lone = person(200, "Karimi", places=(PlaceRef(None, 105),))
    pairs, split = candidate_pairs([*people, lone])
    n = len(people) + 1
    assert split >= 1
    assert {packed // n for packed in pairs if packed % n == 200} == {i for i in range(200) if i % 30 == 5}


def test_no_one_is_paired_with_themself():
    """A name whose typo key equals its own pair key ("ldst str" less the l is "dst str") is not a pair."""
    people = [person(1, "ستاره ولی دوست"), person(2, "Setareh Validoost")]
    pairs, _split = candidate_pairs(people)
    assert pairs and all(packed // 2 < packed % 2 for packed in pairs)


def test_a_source_that_reports_few_people_counts_for_more_than_one_that_reports_most():
    """Two mentions by a small outlet are stronger evidence than two by the outlet that reports half of all."""
    common = Commonness({}, 10_000, source_counts={1: 5_000, 2: 3})
    a, b = person(1, "Ali Karimi", sources=frozenset({1, 2})), person(2, "Ali Karimi", sources=frozenset({1}))
    c = person(3, "Ali Karimi", sources=frozenset({2}))
    major, rare = score_pair(a, b, frequency=common), score_pair(a, c, frequency=common)
    assert (major.levels["sources"], rare.levels["sources"]) == ("shared_major", "shared_rare")
    assert rare.score > major.score


def test_different_provinces_weigh_less_when_one_is_where_most_are_reported():
    """Reported in the capital (where far more people are reported than anywhere else) and in a province:
    weaker evidence of two people than two ordinary provinces."""
    common = Commonness({}, 1_000, province_counts={10: 500, 20: 100, 30: 100, 40: 100})
    tehran, mashhad, zahedan = (
        person(i, "Ali Karimi", places=(p,)) for i, p in enumerate((TEHRAN, MASHHAD, ZAHEDAN))
    )
    hub, plain = score_pair(tehran, zahedan, frequency=common), score_pair(mashhad, zahedan, frequency=common)
    assert (hub.levels["place"], plain.levels["place"]) == ("different_hub", "different")
    assert hub.score > plain.score


def test_the_same_year_of_birth_counts_for_more_when_few_are_born_in_it():
    """Two namesakes born in a year few detainees were born in are likelier one person than two born in the
    commonest year."""
    common = Commonness({}, 1_000, birth_counts={1998: 200, 1999: 200, 1960: 5, 1961: 5}, born_known=1_000)
    young = [person(i, "Ali Karimi", birth_years=(1998, 1999)) for i in (1, 2)]
    old = [person(i, "Ali Karimi", birth_years=(1960, 1961)) for i in (3, 4)]
    assert score_pair(*young, frequency=common).levels["birth"] == "same"
    assert score_pair(*old, frequency=common).levels["birth"] == "same_rare"
    assert score_pair(*old, frequency=common).score > score_pair(*young, frequency=common).score


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("قلی\u200cوند محمدرضا", "محمد رضا قلی\u200cوند"),  # joined, family name first / apart
        ("Hossein Gholimanesh", "قلی منش حسین"),  # a family name written in two words, family name first
        ("Yousefabadi Mohammad Mahdi", "Mohammadmahdi Yousefabadi"),
    ],
)
def test_a_compound_joined_in_one_source_and_apart_in_another_is_one_name(first, second):
    """Mohammadreza and Mohammad Reza are one name even when one source puts the family name first."""
    level, _similarity = compare_names(analyse_name(first), analyse_name(second))
    assert level in ("skeleton_same", "skeleton_cross")


@pytest.mark.parametrize(
    ("first", "second", "level"),
    [
        # The same roots, the -i of the family name on the other part: two people (from the iranvictims list).
        ("Hossein Akbari", "Seyyed Akbar Hosseini", "weak"),
        ("Reza Jafari", "Jafar Rezaei", "weak"),
        ("حسین اکبری", "اکبر حسینی", "weak"),
        ("Amirreza Movahhedi", "Mehdi Mirzaei", "weak"),
        # Parts that run together alike but are cut in other places: only as alike as their letters.
        ("Arash Karamkia", "Kourosh Karimi", "fair"),
        # The same parts in another order, spelt otherwise: one name.
        ("Fatemeh Rezaei", "Rezaee Fatima", "vowels_same"),
        ("Mousavi Ali", "Ali Mosavi", "vowels_same"),
        ("فاطمه رضایی", "Rezaee Fatima", "vowels_cross"),
        # A middle name left out, but not a family name taken for a given one.
        ("Ali Moradi", "Ali Reza Moradi", "part"),
        ("Ali Moradi", "Mohammad Reza Morad Ali", "weak"),
    ],
)
def test_given_and_family_names_swapped_with_their_endings_are_other_names(first, second, level):
    """Family names are given names with -i ("Hosseini" from "Hossein"): two names made of the same roots
    with the -i on the other part share no name, though their consonants alone are the same."""
    assert compare_names(analyse_name(first), analyse_name(second))[0] == level


def test_two_places_of_which_one_has_no_known_province_are_not_different_provinces():
    """A town the gazetteer does not place in a province may lie in the other's province: "unknown", not
    "different provinces", and the batch scorer agrees."""
    a = person(1, "Sepideh Gholian", places=(PlaceRef(7, None),))
    b = person(2, "سپیده قلیان", places=(MASHHAD,))
    c = person(3, "Sepideh Qolian", places=(PlaceRef(8, None),))
    freq = frequency(a, b, c)
    assert score_pair(a, b, frequency=freq).levels["place"] == "unknown"
    assert score_pair(a, c, frequency=freq).levels["place"] == "unknown"
    scorer = PairScorer([a, b, c])
    assert abs(scorer.score(0, 1) - score_pair(a, b, frequency=freq).score) < 1e-9


def test_two_cities_of_one_province_weigh_against_one_person():
    """Mashhad in one report and Neyshabur in the other (both in Khorasan) is weaker evidence of one person
    than Mashhad and Khorasan: two people, or one arrested away from home."""
    plain = NameFrequency({}, 1_000)  # no counts: the plain levels
    a, b = person(1, "Ali Karimi", places=(MASHHAD,)), person(2, "علی کریمی", places=(NEYSHABUR,))
    c = person(3, "Ali Karimi", places=(KHORASAN,))
    other, province = score_pair(a, b, frequency=plain), score_pair(a, c, frequency=plain)
    assert (other.levels["place"], province.levels["place"]) == ("other_place", "same_province")
    assert other.score < province.score
    common = Commonness({}, 1_000, place_counts={2: 500, 4: 3})  # Mashhad: where many are reported
    assert score_pair(a, b, frequency=common).levels["place"] == "other_place_common"


def test_a_report_published_before_the_other_arrest_weighs_against_one_person():
    """A source cannot report an arrest before it happens: reported a month before the other's arrest is
    evidence of two people; reported over a year before, it is about something else (no evidence)."""
    arrested = person(1, "Sepideh Gholian", days=(739_000,), reported=739_003)
    after, before, long_before, plain = (
        person(i, "سپیده قلیان", reported=day)
        for i, day in ((2, 739_005), (3, 739_000 - 30), (4, 739_000 - 400), (5, None))
    )
    freq = frequency(arrested, after, before, long_before, plain)
    scores = [score_pair(arrested, other, frequency=freq) for other in (after, before, long_before, plain)]
    assert [s.levels["reported"] for s in scores] == ["after", "before_16", "unknown", "unknown"]
    assert scores[1].score < scores[0].score


def test_a_mention_that_matches_several_namesakes_counts_for_less_in_context():
    """Record 0 matches 1, 2 and 3 equally, and they do not match each other: at most one of them is the
    same person, so each link counts for less than the same link with no rivals (4 and 5)."""
    edges = [(0, 1, 0.6), (0, 2, 0.6), (0, 3, 0.6), (4, 5, 0.6)]
    levels = context_levels(edges)
    assert levels[0] == ("most_rivals_3", "least_rivals_0", "shared_0")
    assert levels[3] == ("most_rivals_0", "least_rivals_0", "shared_0")
    joined = {(i, j): p for i, j, p in in_context(edges)}
    assert joined[0, 1] < joined[4, 5]
    # Three records that all match one another support each other: none is a rival.
    assert context_levels([(0, 1, 0.6), (0, 2, 0.6), (1, 2, 0.6)])[0] == (
        "most_rivals_0",
        "least_rivals_0",
        "shared_1",
    )
