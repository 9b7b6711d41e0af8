"""Scoring pairs of people on names, age, gender, place, dates and sources."""

import random
from typing import Any

from vigil.matching import weights
from vigil.matching.engine import PairScorer, cluster, part_counts, resolve
from vigil.matching.normalise import analyse_name
from vigil.matching.scoring import NameFrequency, PersonFeatures, PlaceRef, score_pair

TEHRAN, MASHHAD, ZAHEDAN = PlaceRef(1, 10), PlaceRef(2, 20), PlaceRef(3, 30)
KHORASAN = PlaceRef(None, 20)


def person(pk: int, *names: str, **fields: Any) -> PersonFeatures:
    return PersonFeatures(id=pk, names=tuple(analyse_name(n) for n in names), **fields)


def frequency(*people: PersonFeatures) -> NameFrequency:
    return NameFrequency(part_counts(people), len(people))


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
    assert evidence["levels"]["sources"] == "shared"
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
            places=rng.choice(((), (TEHRAN,), (KHORASAN,), (MASHHAD, TEHRAN))),
            days=rng.choice(((), (739000,), (739010, 739100))),
            sources=rng.choice((frozenset(), frozenset({1}), frozenset({1, 2}))),
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
