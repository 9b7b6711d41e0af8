"""Scoring a pair of people: how likely are they one person?

Each kind of evidence (names, birth year, gender, place, dates, shared sources) is compared into a level
("names: same skeleton, across scripts", "born 1 year apart", ...); each level carries a weight in log-odds,
fitted on labelled pairs (``weights.py``, written by ``benchmarks/matching/calibrate.py``). The score is the
sum of the weights; the probability its logistic. Every level and weight is kept as evidence, so a reviewer
sees why a pair was proposed.

The same ``score_pair`` serves the staff screens (people read from the database by ``selectors``) and the
benchmark (records held in memory), so what is measured is what runs.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from rapidfuzz.distance import Levenshtein

from vigil.matching import weights
from vigil.matching.normalise import NameForm


@dataclass(frozen=True, slots=True)
class PlaceRef:
    """A place a person is tied to (residence, arrest, death), with its province; a province refers to
    itself. ``place`` is ``None`` when only the province is known."""

    place: int | None
    province: int | None


@dataclass(frozen=True, slots=True)
class PersonFeatures:
    """What the matcher knows of one person (or one benchmark record)."""

    id: int
    names: tuple[NameForm, ...]
    gender: str = ""  # "female", "male", or "" when unknown
    birth_years: tuple[int, int] | None = None  # earliest and latest year of birth consistent with the record
    places: tuple[PlaceRef, ...] = ()
    days: tuple[int, ...] = ()  # ordinal days of arrests
    casualty_days: tuple[int, ...] = ()  # ordinal days the person was killed or injured
    sources: frozenset[int] = field(default_factory=frozenset)
    reported: int | None = None  # ordinal day the person was first reported (their earliest source)


def birth_years_from_age(age: int, reported_on_year: int) -> tuple[int, int]:
    """An age reported in a year allows two years of birth (born before or after that year's birthday)."""
    return (reported_on_year - age - 1, reported_on_year - age)


# --- the comparisons --------------------------------------------------------------------------------------

NAME_LEVELS = (
    "exact",
    "skeleton_same",
    "skeleton_cross",
    "vowels_same",
    "vowels_cross",
    "close_same",
    "close_cross",
    "part",
    "single",
    "fair",
    "weak",
)
_NAME_RANK = {level: rank for rank, level in enumerate(NAME_LEVELS)}
CLOSE = 0.84
FAIR = 0.70


def _subset(short: NameForm, long: NameForm) -> bool:
    """Every part of the shorter name (two parts or more) is a part of the longer one: a middle name left out."""
    if len(short.skeletons) < 2 or len(short.skeletons) >= len(long.skeletons):
        return False
    remaining = _suffixed_parts(long)
    for part in _suffixed_parts(short):
        if part not in remaining:
            return False
        remaining.remove(part)
    return True


def _suffixed_parts(form: NameForm) -> list[tuple[str, bool]]:
    """Each part's bare skeleton (vowels dropped, a final -i too) and whether it ends in -i (ی): "Moradi" is
    not "Morad", though both are "mrd" bare."""
    return sorted(zip(form.bare_parts, (skeleton.endswith("y") for skeleton in form.skeletons), strict=True))


def name_similarity(a: NameForm, b: NameForm) -> float:
    """Similarity of two skeletons in [0, 1]: rapidfuzz's normalised Levenshtein similarity, on the parts in
    the order written and in sorted order (sources swap given and family names), averaged with the same on
    the bare skeletons (vowel marks are the least reliable letters of a transliteration)."""
    similarity = Levenshtein.normalized_similarity
    full = max(similarity(a.joined, b.joined), similarity(a.sorted_joined, b.sorted_joined))
    coarse = max(
        similarity(a.bare_joined, b.bare_joined), similarity(a.bare_sorted_joined, b.bare_sorted_joined)
    )
    if len(a.skeletons) != len(b.skeletons):
        # A compound written apart in the longer name, joined in the shorter, in another order.
        short, long = (a, b) if len(a.skeletons) < len(b.skeletons) else (b, a)
        full = max(full, *(similarity(short.sorted_joined, run) for run in long.joined_sorted))
        coarse = max(coarse, *(similarity(short.bare_sorted_joined, run) for run in long.bare_joined_sorted))
    return (full + coarse) / 2


def compare_names(a: NameForm, b: NameForm) -> tuple[str, float]:
    """The level at which two names agree, and their similarity."""
    cross = a.script != b.script
    if not cross and a.sorted_tokens == b.sorted_tokens:
        return "exact", 1.0
    if (
        a.key == b.key
        or a.joined == b.joined
        or a.sorted_joined == b.sorted_joined
        or a.key in b.joined_keys
        or b.key in a.joined_keys
    ):
        return ("skeleton_cross" if cross else "skeleton_same"), 1.0
    similarity = name_similarity(a, b)
    if a.bare_joined == b.bare_joined or (
        a.bare_sorted_joined == b.bare_sorted_joined
        # With as many parts on each side the parts must agree, each with or without its -i: "Arash
        # Karamkia" and "Kourosh Karimi" run together the same consonants, cut in other places.
        and (len(a.bare_parts) != len(b.bare_parts) or _suffixed_parts(a) == _suffixed_parts(b))
    ):
        # Only the vowel marks differ (Mosavi and Mousavi, Fatima and Fatemeh): a spelling, or another name
        # (Mahmoud and Mohammad); a consonant that differs is more often another name than a typo.
        return ("vowels_cross" if cross else "vowels_same"), similarity
    if sorted(a.bare_parts) == sorted(b.bare_parts):
        # The same roots in another order, the -i that makes a family name of a given name on the other
        # part: "Hossein Akbari" and "Akbar Hosseini", "Reza Jafari" and "Jafar Rezaei" share no name.
        return "weak", similarity
    if similarity >= CLOSE:
        return ("close_cross" if cross else "close_same"), similarity
    if _subset(a, b) or _subset(b, a):
        return "part", similarity
    if (len(a.bare_parts) == 1 and a.bare_parts[0] in b.bare_parts) or (
        len(b.bare_parts) == 1 and b.bare_parts[0] in a.bare_parts
    ):
        return "single", similarity
    if similarity >= FAIR:
        return "fair", similarity
    return "weak", similarity


def compare_birth_years(
    a: tuple[int, int] | None, b: tuple[int, int] | None, commonness: Commonness | None = None
) -> str:
    """How many years apart two intervals of birth years are. With ``commonness``, agreeing years are graded
    by how many of the people being matched could be born in them: two 50-year-olds of one name are
    likelier one person than two 25-year-olds, where most detainees' ages lie."""
    if a is None or b is None:
        return "unknown"
    gap = max(0, b[0] - a[1], a[0] - b[1])
    if gap == 0:
        if commonness is not None and commonness.birth_counts is not None:
            return birth_level(commonness.birth_share(max(a[0], b[0]), min(a[1], b[1])))
        return "same"
    if gap == 1:
        return "1"
    if gap <= 3:
        return "2-3"
    if gap <= 7:
        return "4-7"
    return "8+"


def birth_level(share: float) -> str:
    """The level of agreeing years of birth by the share of people (with a known year) who could be born in
    them."""
    if share >= 0.05:
        return "same"
    if share >= 0.02:
        return "same_uncommon"
    return "same_rare"


def compare_gender(a: str, b: str) -> str:
    if not a or not b:
        return "unknown"
    return "same" if a == b else "different"


def compare_places(
    a: tuple[PlaceRef, ...], b: tuple[PlaceRef, ...], commonness: Commonness | None = None
) -> str:
    """Same city (or district), same province (a city and its province, or a province twice), different
    cities of one province, different provinces, or unknown (also when places differ and one side's province
    is not known). With ``commonness`` (how many of the people being matched are tied to each place), a city
    shared by many is its own level (two reports from the capital say less than two from a small town), and
    so are two different cities when one of them is such a city, and "different provinces" when one of them
    is a province far more often reported than the others (people are arrested, and reported, in the
    capital rather than at home)."""
    if not a or not b:
        return "unknown"
    shared = {p.place for p in a if p.place is not None} & {p.place for p in b if p.place is not None}
    if shared:
        if commonness is not None and all(commonness.common_place(place) for place in shared):
            return "same_place_common"
        return "same_place"
    provinces_a = {p.province for p in a if p.province is not None}
    provinces_b = {p.province for p in b if p.province is not None}
    if provinces_a & provinces_b:
        cities_a = {p.place for p in a if p.place is not None}
        cities_b = {p.place for p in b if p.place is not None}
        if cities_a and cities_b:
            # Both name a city, not the same one, in one province: two people, or one arrested away from
            # home (likelier when one of the cities is where many are reported).
            if commonness is not None and any(commonness.common_place(c) for c in cities_a | cities_b):
                return "other_place_common"
            return "other_place"
        return "same_province"
    if not provinces_a or not provinces_b:
        return "unknown"  # two places, one not known to lie in any province: maybe the same province
    if commonness is not None and any(commonness.hub(province) for province in provinces_a | provinces_b):
        return "different_hub"
    return "different"


def compare_days(a: PersonFeatures, b: PersonFeatures) -> str:
    """How far apart the closest dates of arrest, or of killing or injury, are (an arrest and a death are
    different events, weeks apart when someone dies in custody: they are not compared). Sources put one
    arrest a day or two apart (reported the day after, or the night before), sometimes a week or two; the
    nearer the dates, the stronger the evidence, so gaps under a month are kept in separate levels."""
    return days_level(days_gap(a.days, b.days, a.casualty_days, b.casualty_days))


def days_gap(
    arrests_a: tuple[int, ...],
    arrests_b: tuple[int, ...],
    casualties_a: tuple[int, ...],
    casualties_b: tuple[int, ...],
) -> int | None:
    """The fewest days between an arrest of each, or a killing or injury of each; None when neither pair."""
    gaps = [
        abs(x - y)
        for mine, theirs in ((arrests_a, arrests_b), (casualties_a, casualties_b))
        for x in mine
        for y in theirs
    ]
    return min(gaps) if gaps else None


def days_level(gap: int | None) -> str:
    if gap is None:
        return "unknown"
    if gap <= 2:
        return "same_day"
    if gap <= 4:
        return "days_3_4"
    if gap <= 15:
        return "days_5_15"
    if gap <= 31:
        return "month"
    return "far"


# A report this many days before the other's date of arrest is taken to be about an earlier event, not
# evidence either way (people are arrested more than once).
REPORTED_HORIZON = 365


def compare_reported(a: PersonFeatures, b: PersonFeatures) -> str:
    """Whether each was first reported after the other's arrest (or death): a source cannot report an arrest
    before it happens. "after" when every date that can be checked agrees (two days' grace, as dates of
    arrest are often a day or two off), "before_3_15" or "before_16" when one was reported that many days
    before the other's earliest date (two people, or a wrong date), "unknown" when nothing can be checked or
    the report is so much earlier (over ``REPORTED_HORIZON`` days) that it must be about something else."""
    return reported_level(
        reported_gap(a.days + a.casualty_days, b.reported, b.days + b.casualty_days, a.reported)
    )


def reported_gap(
    days_a: tuple[int, ...], reported_b: int | None, days_b: tuple[int, ...], reported_a: int | None
) -> int | None:
    """How many days one was reported before the other's earliest arrest or death (the larger of the two
    ways; negative when reported after); ``None`` when neither way can be checked."""
    gap: int | None = None
    if days_a and reported_b is not None:
        gap = min(days_a) - reported_b
    if days_b and reported_a is not None:
        other = min(days_b) - reported_a
        gap = other if gap is None or other > gap else gap
    return gap


def reported_level(gap: int | None) -> str:
    if gap is None or gap > REPORTED_HORIZON:
        return "unknown"
    if gap <= 2:
        return "after"
    if gap <= 15:
        return "before_3_15"
    return "before_16"


def compare_sources(a: frozenset[int], b: frozenset[int], commonness: Commonness | None = None) -> str:
    """A source in common, none, or unknown. With ``commonness``, a shared source is graded by how many of
    the people being matched it reports (its share, the rarest shared source counting): one outlet that
    reports half of everything mentioning two people says little, a small outlet naming both says more."""
    if not a or not b:
        return "unknown"
    shared = a & b
    if not shared:
        return "none"
    if commonness is None or commonness.source_counts is None:
        return "shared"
    counts = commonness.source_counts
    return source_level(min(counts.get(source, 0) for source in shared) / commonness.population)


def source_level(share: float) -> str:
    """The level of a shared source by the share of the people being matched that it reports."""
    if share < 0.002:
        return "shared_rare"
    if share < 0.01:
        return "shared"
    if share < 0.05:
        return "shared_common"
    return "shared_major"


def frequency_level(expected: float) -> str:
    """How common a name is, by how many people are expected to bear it among those being matched."""
    if expected <= 1.5:
        return "rare"
    if expected <= 4:
        return "uncommon"
    if expected <= 12:
        return "common"
    if expected <= 40:
        return "very_common"
    return "most_common"


class NameFrequency:
    """How common a name is: the expected number of people bearing it among ``population`` people, from how
    common each of its parts is (given and family names are chosen independently). Counting whole names
    instead would make a rare name look common just because one person is mentioned by many sources.

    What matters is how many *other* people the name could mean: two "Mohammad Hosseini" among 200 people
    are likely one person, among 100,000 likely not."""

    def __init__(self, part_counts: Mapping[str, int], population: int) -> None:
        self.part_counts = part_counts
        self.population = max(population, 1)

    def __call__(self, form: NameForm) -> float:
        expected = float(self.population)
        for part in form.skeletons:
            expected *= max(self.part_counts.get(part, 0), 1) / self.population
        return expected


# A city tied to at least this share of the people being matched is "common" (the capital, a big city).
COMMON_PLACE_SHARE = 0.01
# A province reported this many times more often than the average province is a "hub" (the capital), and
# it must be reported at least HUB_MIN times (a handful of records says nothing about hubs).
HUB_RATIO = 1.5
HUB_MIN = 20


class Commonness(NameFrequency):
    """``NameFrequency`` and how common sources, places and years of birth are among the people being
    matched: the counts of people each source reports, each city (or district) and each province they are
    tied to, each year they could be born in (``born_known``: how many have a known year). Without those
    counts (``None``) the comparisons fall back to their plain levels ("shared", "same_place", "different",
    "same")."""

    def __init__(
        self,
        part_counts: Mapping[str, int],
        population: int,
        *,
        source_counts: Mapping[int, int] | None = None,
        place_counts: Mapping[int, int] | None = None,
        province_counts: Mapping[int, int] | None = None,
        birth_counts: Mapping[int, int] | None = None,
        born_known: int = 0,
    ) -> None:
        super().__init__(part_counts, population)
        self.birth_counts = birth_counts
        self.born_known = max(born_known, 1)
        self.source_counts = source_counts
        self.place_counts = place_counts
        self.hubs: frozenset[int] = frozenset()
        if province_counts:
            mean = sum(province_counts.values()) / len(province_counts)
            self.hubs = frozenset(
                province
                for province, count in province_counts.items()
                if count >= HUB_MIN and count >= HUB_RATIO * mean
            )

    def birth_share(self, first: int, last: int) -> float:
        """The largest share of people with a known year of birth who could be born in a year from ``first``
        to ``last``."""
        counts = self.birth_counts or {}
        return max((counts.get(year, 0) for year in range(first, last + 1)), default=0) / self.born_known

    def common_place(self, place: int) -> bool:
        if self.place_counts is None:
            return False
        return self.place_counts.get(place, 0) >= COMMON_PLACE_SHARE * self.population

    def hub(self, province: int) -> bool:
        return province in self.hubs


# --- the score ---------------------------------------------------------------------------------------------

FEATURES = ("names", "frequency", "birth", "gender", "place", "days", "sources", "reported")

FEATURE_LABELS: Mapping[str, str | Promise] = {
    "names": _("Names"),
    "frequency": _("How common the name is"),
    "birth": _("Year of birth (from a birth date or a reported age)"),
    "gender": _("Gender"),
    "place": _("Place"),
    "days": _("Dates of arrest or death"),
    "sources": _("Sources"),
    "reported": _("First reported, against the other's date of arrest"),
}
LEVEL_LABELS: Mapping[str, str | Promise] = {
    "exact": _("same spelling"),
    "skeleton_same": _("same name, spelled differently"),
    "skeleton_cross": _("same name, in the other script"),
    "vowels_same": _("same consonants, other vowels"),
    "vowels_cross": _("same consonants, other vowels, in the other script"),
    "close_same": _("very similar spelling"),
    "close_cross": _("very similar, in the other script"),
    "part": _("one name lacks a part of the other"),
    "single": _("one name is a single part of the other"),
    "fair": _("somewhat similar"),
    "weak": _("different"),
    "rare": _("rare"),
    "uncommon": _("uncommon"),
    "common": _("common"),
    "very_common": _("very common"),
    "most_common": _("among the most common"),
    "n/a": _("not relevant"),
    "same": _("same"),
    "same_uncommon": _("same, a year few are born in"),
    "same_rare": _("same, a year very few are born in"),
    "1": _("one year apart"),
    "2-3": _("two or three years apart"),
    "4-7": _("four to seven years apart"),
    "8+": _("eight or more years apart"),
    "different": _("different"),
    "unknown": _("not known for one or both"),
    "same_place": _("same city or district"),
    "same_place_common": _("same city, one where many are reported"),
    "different_hub": _("different provinces, one of them where many are reported (arrested away from home?)"),
    "same_province": _("same province"),
    "other_place": _("same province, different cities"),
    "other_place_common": _("same province, different cities, one where many are reported"),
    "same_day": _("within two days"),
    "days_3_4": _("three or four days apart"),
    "days_5_15": _("five to fifteen days apart"),
    "month": _("sixteen days to a month apart"),
    "far": _("more than a month apart"),
    "shared": _("a source in common"),
    "shared_rare": _("a source in common that reports few people"),
    "shared_common": _("a source in common that reports many people"),
    "shared_major": _("a source in common that reports a large share of everyone"),
    "none": _("no source in common"),
    "after": _("each reported after the other's arrest"),
    "before_3_15": _("one reported 3 to 15 days before the other's arrest"),
    "before_16": _("one reported more than 15 days before the other's arrest"),
}

Frequency = Callable[[NameForm], float]


@dataclass(frozen=True, slots=True)
class PairScore:
    """The verdict on a pair: log-odds score, probability, and the level and weight of each comparison."""

    score: float
    probability: float
    levels: Mapping[str, str]
    contributions: Mapping[str, float]
    names: tuple[str, str]  # the two names that agreed best

    def evidence(self) -> dict[str, Any]:
        """A JSON-ready account of the pair, stored on the review queue."""
        return {
            "probability": round(self.probability, 4),
            "score": round(self.score, 3),
            "names": list(self.names),
            "levels": dict(self.levels),
            "weights": {k: round(v, 3) for k, v in self.contributions.items()},
        }


def probability(score: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, score))))


def logit(p: float) -> float:
    """The score whose probability is ``p``."""
    p = min(max(p, 1e-12), 1 - 1e-12)
    return math.log(p / (1 - p))


def best_names(a: PersonFeatures, b: PersonFeatures) -> tuple[str, float, NameForm, NameForm]:
    """The pair of names (one of each person) that agree best."""
    best: tuple[str, float, NameForm, NameForm] | None = None
    for name_a in a.names:
        for name_b in b.names:
            level, similarity = compare_names(name_a, name_b)
            if best is None or (_NAME_RANK[level], -similarity) < (_NAME_RANK[best[0]], -best[1]):
                best = (level, similarity, name_a, name_b)
    if best is None:
        raise ValueError("both people need at least one usable name")
    return best


def levels_for(
    a: PersonFeatures, b: PersonFeatures, *, frequency: Frequency
) -> tuple[dict[str, str], tuple[str, str]]:
    """The level of every comparison for a pair, and the two names that agreed best."""
    name_level, _similarity, name_a, name_b = best_names(a, b)
    context = frequency if isinstance(frequency, Commonness) else None
    if name_level in ("fair", "weak"):
        commonness = "n/a"
    else:
        commonness = frequency_level(max(frequency(name_a), frequency(name_b)))
    levels = {
        "names": name_level,
        "frequency": commonness,
        "birth": compare_birth_years(a.birth_years, b.birth_years, context),
        "gender": compare_gender(a.gender, b.gender),
        "place": compare_places(a.places, b.places, context),
        "days": compare_days(a, b),
        "sources": compare_sources(a.sources, b.sources, context),
        "reported": compare_reported(a, b),
    }
    return levels, (name_a.text, name_b.text)


def score_levels(levels: Mapping[str, str]) -> tuple[float, dict[str, float]]:
    contributions = {
        feature: weights.WEIGHTS.get(feature, {}).get(level, 0.0) for feature, level in levels.items()
    }
    return weights.INTERCEPT + sum(contributions.values()), contributions


def score_pair(a: PersonFeatures, b: PersonFeatures, *, frequency: Frequency) -> PairScore:
    """Score two people; ``frequency`` says how common a name is (a ``NameFrequency``)."""
    levels, names = levels_for(a, b, frequency=frequency)
    score, contributions = score_levels(levels)
    return PairScore(score, probability(score), levels, contributions, names)
