"""Resolving many people at once: blocking, scoring every candidate pair, and clustering.

Works on ``PersonFeatures`` held in memory, so the same code serves ``vigil match`` (people read from the
database) and the benchmark (100,000 synthetic records). Nothing here writes: the command turns the result
into review proposals, and only a reviewer's decision merges.
"""

from __future__ import annotations

import multiprocessing
from array import array
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

from vigil.matching import weights
from vigil.matching.normalise import NameForm, blocking_keys
from vigil.matching.scoring import (
    NAME_LEVELS,
    Commonness,
    PersonFeatures,
    birth_level,
    compare_birth_years,
    compare_gender,
    compare_names,
    days_gap,
    days_level,
    frequency_level,
    logit,
    probability,
    reported_level,
    source_level,
)

# A blocking key shared by more people than this is skipped: such a key is a deletion of a very common
# name, and every one of those people is still met under the name's own pair key.
MAX_BLOCK = 2_000
# Keys that tolerate a typo, or meet a one-part name, are capped lower: past this the name is so common that
# a typo or a lone family name says little about who is meant.
MAX_SMALL_BLOCK = 150

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True, slots=True)
class Link:
    """A scored pair of people (by ``PersonFeatures.id``), ``a < b``."""

    a: int
    b: int
    probability: float


@dataclass
class Resolution:
    """The outcome of a batch run: the scored links kept, and clusters of people judged to be one."""

    links: list[Link]
    clusters: list[list[int]]
    candidate_pairs: int
    skipped_keys: int


def _no_progress(stage: str, done: int, total: int) -> None:
    return None


def part_counts(people: Iterable[PersonFeatures]) -> Counter[str]:
    """How many people have a name with each part (skeleton), a person counted once per part."""
    counts: Counter[str] = Counter()
    for person in people:
        counts.update({part for name in person.names for part in name.skeletons})
    return counts


def commonness(people: Sequence[PersonFeatures]) -> Commonness:
    """How common each name part, source, city and province is among ``people`` (each person counted once
    for each): what the scores of pairs among them are weighed by."""
    sources: Counter[int] = Counter()
    places: Counter[int] = Counter()
    provinces: Counter[int] = Counter()
    born: Counter[int] = Counter()
    born_known = 0
    for person in people:
        sources.update(person.sources)
        if person.birth_years is not None:
            born_known += 1
            born.update(range(person.birth_years[0], person.birth_years[1] + 1))
        places.update({ref.place for ref in person.places if ref.place is not None})
        provinces.update({ref.province for ref in person.places if ref.province is not None})
    return Commonness(
        part_counts(people),
        len(people),
        source_counts=sources,
        place_counts=places,
        province_counts=provinces,
        birth_counts=born,
        born_known=born_known,
    )


class PairScorer:
    """Scores pairs of people by index, fast enough for a batch of 100,000 people.

    The levels come from the comparisons of ``scoring`` (tables of weight by year gap, day gap and gender
    are filled by calling them), and name comparisons are cached: in a block of a common name most pairs
    compare the same two spellings. ``score`` equals ``scoring.score_pair(...).score`` (tested).
    """

    def __init__(self, people: Sequence[PersonFeatures]) -> None:
        self.people = people
        self.frequency = commonness(people)
        self._forms: dict[NameForm, int] = {}
        self._form_list: list[NameForm] = []
        # Name comparisons depend on the skeletons alone (and the scripts, and whether the spelling is
        # identical), so they are cached per pair of skeletons: far fewer than pairs of spellings.
        self._skeleton_ids: dict[tuple[str, str], int] = {}
        self._form_info: list[tuple[str, tuple[str, ...], int, float]] = []
        self.name_ids = [tuple(self._intern(n) for n in p.names) for p in people]
        self._names: dict[tuple[int, int, bool, bool], tuple[int, float, float]] = {}
        w = weights.WEIGHTS
        self.intercept = weights.INTERCEPT
        frequency = self.frequency
        self.rows = [
            (
                p.birth_years,
                p.gender,
                (
                    frozenset(r.place for r in p.places if r.place is not None),
                    frozenset(r.province for r in p.places if r.province is not None),
                    any(r.province is not None and frequency.hub(r.province) for r in p.places),
                )
                if p.places
                else None,
                p.days,
                p.casualty_days,
                p.sources,
                min(p.days + p.casualty_days) if p.days or p.casualty_days else None,
                p.reported,
            )
            for p in people
        ]
        self.common_places = frozenset(
            place for place in (frequency.place_counts or {}) if frequency.common_place(place)
        )
        source_counts = frequency.source_counts or {}
        level_weight = {feature: dict(levels) for feature, levels in w.items()}
        self._w = level_weight
        self.birth_unknown = level_weight["birth"].get(compare_birth_years(None, None), 0.0)
        # Agreeing years of birth weigh by how many could be born in them: by the largest count of a year.
        birth_counts = frequency.birth_counts or {}
        self.birth_counts = birth_counts
        self.birth_same_by_count = {
            count: level_weight["birth"].get(birth_level(count / frequency.born_known), 0.0)
            for count in {0, *birth_counts.values()}
        }
        self.birth_by_gap = [
            level_weight["birth"].get(compare_birth_years((0, 0), (gap, gap)), 0.0) for gap in range(9)
        ]
        self.days_unknown = level_weight["days"].get(days_level(None), 0.0)
        self.days_by_gap = [level_weight["days"].get(days_level(gap), 0.0) for gap in range(33)]
        genders = ("", "female", "male", "other")
        self.gender_weight: dict[tuple[str, str], float] = defaultdict(
            float,
            {(x, y): level_weight["gender"].get(compare_gender(x, y), 0.0) for x in genders for y in genders},
        )
        place = level_weight["place"]
        self.place_unknown, self.place_same = place.get("unknown", 0.0), place.get("same_place", 0.0)
        self.place_same_common = place.get("same_place_common", 0.0)
        self.place_province, self.place_different = (
            place.get("same_province", 0.0),
            place.get("different", 0.0),
        )
        self.place_different_hub = place.get("different_hub", 0.0)
        self.place_other, self.place_other_common = (
            place.get("other_place", 0.0),
            place.get("other_place_common", 0.0),
        )
        self.reported_weight = {
            level: level_weight.get("reported", {}).get(level, 0.0)
            for level in ("unknown", "after", "before_3_15", "before_16")
        }
        sources = level_weight["sources"]
        self.source_unknown, self.source_none = sources.get("unknown", 0.0), sources.get("none", 0.0)
        # The weight of a shared source, by how many people the rarest shared source reports.
        self.source_counts = source_counts
        self.source_shared: dict[int, float] = {
            count: sources.get(source_level(count / frequency.population), 0.0)
            for count in {0, *source_counts.values()}
        }
        if frequency.source_counts is None:
            self.source_shared = defaultdict(lambda: sources.get("shared", 0.0))
        # The most the names can add: a pair whose context is below a threshold by more than this is decided
        # without comparing names.
        self.max_names = max(level_weight["names"].values(), default=0.0) + max(
            level_weight["frequency"].values(), default=0.0
        )

    def _intern(self, form: NameForm) -> int:
        found = self._forms.get(form)
        if found is None:
            found = self._forms[form] = len(self._form_list)
            self._form_list.append(form)
            skeleton = self._skeleton_ids.setdefault((form.key, form.joined), len(self._skeleton_ids))
            self._form_info.append((form.script, form.sorted_tokens, skeleton, self.frequency(form)))
        return found

    def _name_weight(self, x: int, y: int) -> tuple[int, float, float]:
        """For two name forms: minus the rank of their level, their similarity (the order in which
        ``scoring.best_names`` prefers pairs of names), and the weight of the names and their commonness."""
        script_x, tokens_x, skeleton_x, frequency_x = self._form_info[x]
        script_y, tokens_y, skeleton_y, frequency_y = self._form_info[y]
        cross = script_x != script_y
        exact = not cross and tokens_x == tokens_y
        if skeleton_x < skeleton_y:
            key = (skeleton_x, skeleton_y, cross, exact)
        else:
            key = (skeleton_y, skeleton_x, cross, exact)
        found = self._names.get(key)
        if found is None:
            level, similarity = compare_names(self._form_list[x], self._form_list[y])
            commonness = "n/a"
            if level not in ("fair", "weak"):
                commonness = frequency_level(max(frequency_x, frequency_y))
            weight = self._w["names"].get(level, 0.0) + self._w["frequency"].get(commonness, 0.0)
            found = self._names[key] = (-NAME_LEVELS.index(level), similarity, weight)
        return found

    def score(self, i: int, j: int) -> float:
        """The log-odds that people ``i`` and ``j`` are one."""
        return self.context(i, j) + self.names(i, j)

    def names(self, i: int, j: int) -> float:
        """The weight of the best-agreeing names of ``i`` and ``j`` and of their commonness."""
        names_i, names_j = self.name_ids[i], self.name_ids[j]
        if len(names_i) == 1 and len(names_j) == 1:
            return self._name_weight(names_i[0], names_j[0])[2]
        best = max((self._name_weight(x, y) for x in names_i for y in names_j), key=lambda found: found[:2])
        return best[2]

    def context(self, i: int, j: int) -> float:
        """The intercept and the weights of everything but the names."""
        birth_i, gender_i, places_i, days_i, casualties_i, sources_i, first_i, reported_i = self.rows[i]
        birth_j, gender_j, places_j, days_j, casualties_j, sources_j, first_j, reported_j = self.rows[j]
        total = self.intercept + self.gender_weight[gender_i, gender_j]
        if birth_i is None or birth_j is None:
            total += self.birth_unknown
        else:
            gap = birth_j[0] - birth_i[1] if birth_j[0] > birth_i[1] else birth_i[0] - birth_j[1]
            if gap <= 0:
                counts = self.birth_counts
                first = birth_i[0] if birth_i[0] > birth_j[0] else birth_j[0]
                last = birth_i[1] if birth_i[1] < birth_j[1] else birth_j[1]
                total += self.birth_same_by_count[max(counts.get(year, 0) for year in range(first, last + 1))]
            else:
                total += self.birth_by_gap[8 if gap > 8 else gap]
        if places_i is None or places_j is None:
            total += self.place_unknown
        elif not places_i[0].isdisjoint(places_j[0]):
            if self.common_places and (places_i[0] & places_j[0]) <= self.common_places:
                total += self.place_same_common
            else:
                total += self.place_same
        elif not places_i[1].isdisjoint(places_j[1]):
            if not places_i[0] or not places_j[0]:
                total += self.place_province
            elif self.common_places and not (places_i[0] | places_j[0]).isdisjoint(self.common_places):
                total += self.place_other_common
            else:
                total += self.place_other
        elif not places_i[1] or not places_j[1]:
            total += self.place_unknown  # one side's province not known
        elif places_i[2] or places_j[2]:
            total += self.place_different_hub
        else:
            total += self.place_different
        day_gap: int | None = None
        if casualties_i and casualties_j:
            day_gap = days_gap(days_i, days_j, casualties_i, casualties_j)
        elif days_i and days_j:  # arrests only, as in most pairs: the same answer, sooner
            day_gap = (
                min(abs(x - y) for x in days_i for y in days_j)
                if len(days_i) + len(days_j) > 2
                else abs(days_i[0] - days_j[0])
            )
        total += self.days_unknown if day_gap is None else self.days_by_gap[32 if day_gap > 32 else day_gap]
        if not sources_i or not sources_j:
            total += self.source_unknown
        elif sources_i.isdisjoint(sources_j):
            total += self.source_none
        else:
            counts = self.source_counts
            total += self.source_shared[min(counts.get(source, 0) for source in sources_i & sources_j)]
        before: int | None = None  # how many days one was reported before the other's arrest
        if first_i is not None and reported_j is not None:
            before = first_i - reported_j
        if (
            first_j is not None
            and reported_i is not None
            and (before is None or first_j - reported_i > before)
        ):
            before = first_j - reported_i
        return total + self.reported_weight[reported_level(before)]


def candidate_pairs(
    people: Sequence[PersonFeatures], *, progress: Progress = _no_progress
) -> tuple[set[int], int]:
    """Index pairs (packed as ``i * n + j``, ``i < j``) of people who share a blocking key (as
    ``normalise.lookup_keys`` finds them), and how many oversized keys were split (see ``_add_sub_blocks``).
    A person is never paired with themself (a name's typo key can equal its own pair key: "ldst str" less
    the l is "dst str")."""
    blocks: dict[str, list[int]] = defaultdict(list)
    total = len(people)
    for index, person in enumerate(people):
        keys: set[str] = set()
        for name in person.names:
            keys |= blocking_keys(name)
        for key in keys:
            blocks[key].append(index)
        if index % 10_000 == 0:
            progress("keys", index, total)
    progress("keys", total, total)
    pairs: set[int] = set()
    skipped = 0
    n = total
    contexts: list[frozenset[tuple[str, int]]] | None = None
    for key, members in blocks.items():
        kind, _sep, value = key.partition(":")
        if kind == "u":
            continue  # met from the one-part names' side
        limit = MAX_BLOCK if kind == "p" else MAX_SMALL_BLOCK
        others = blocks.get({"t": "u:", "e": "p:"}.get(kind, "-") + value, [])
        if len(members) + len(others) > limit:
            skipped += 1
            if contexts is None:
                contexts = [_context_keys(person) for person in people]
            _add_sub_blocks(pairs, n, members, others, contexts, limit)
            continue
        _pair_up(pairs, n, members, others)
    return pairs, skipped


def _pair_up(pairs: set[int], n: int, members: list[int], others: list[int]) -> None:
    """Add every pair of ``members``, and every member with every one of ``others`` (both in ascending
    order), packed, never a person with themself. The packing is done by C-level ``map``: a 100,000-person
    run adds millions of pairs."""
    for position, i in enumerate(members):
        pairs.update(map((i * n).__add__, members[position + 1 :]))
    if not others:
        return
    scaled = [j * n for j in others]
    for i in members:
        split = bisect_left(others, i)
        pairs.update(map(i.__add__, scaled[:split]))  # others before i: (j, i)
        if split < len(others) and others[split] == i:
            split += 1
        pairs.update(map((i * n).__add__, others[split:]))


def _context_keys(person: PersonFeatures) -> frozenset[tuple[str, int]]:
    """What an oversized block is split by: each province and each possible year of birth of a person."""
    keys = {("p", ref.province) for ref in person.places if ref.province is not None}
    if person.birth_years is not None:
        keys.update(("y", year) for year in range(person.birth_years[0], person.birth_years[1] + 1))
    return frozenset(keys)


def _add_sub_blocks(
    pairs: set[int],
    n: int,
    members: list[int],
    others: list[int],
    contexts: list[frozenset[tuple[str, int]]],
    limit: int,
) -> None:
    """An oversized block (a lone common family name, a typo of a common name) is not compared whole: its
    members meet only those who share a province or a possible year of birth with them, and only where that
    part of the block is not oversized itself. So "Karimi" reported in Hamadan meets the Zahra Karimi of
    Hamadan, not every Karimi."""
    by_context: dict[tuple[str, int], tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
    for i in members:
        for key in contexts[i]:
            by_context[key][0].append(i)
    for j in others:
        for key in contexts[j]:
            found = by_context.get(key)
            if found is not None:
                found[1].append(j)
    for sub_members, sub_others in by_context.values():
        if len(sub_members) + len(sub_others) > limit:
            continue
        _pair_up(pairs, n, sub_members, sub_others)


# What a worker process needs, set before it is forked (so nothing is pickled on the way in).
_SHARED: dict[str, Any] = {}


def _score_chunk(bounds: tuple[int, int]) -> tuple[array[int], array[float], array[int]]:
    """Score a slice of the candidate pairs: the pairs kept (packed) with their probabilities, and the pairs
    found apart (packed). Runs in the parent, or in a forked worker."""
    scorer: PairScorer = _SHARED["scorer"]
    pairs: list[int] = _SHARED["pairs"]
    n, keep_score, apart_score = _SHARED["n"], _SHARED["keep_score"], _SHARED["apart_score"]
    kept, kept_p, apart = array("q"), array("d"), array("q")
    context, names, ceiling = scorer.context, scorer.names, scorer.max_names
    for packed in pairs[bounds[0] : bounds[1]]:
        i, j = divmod(packed, n)
        value = context(i, j)
        if value + ceiling < apart_score:
            # Born years apart, in another province ...: different people whatever their names.
            apart.append(packed)
            continue
        if value + ceiling < keep_score:
            continue
        value += names(i, j)
        if value >= keep_score:
            kept.append(packed)
            kept_p.append(probability(value))
        elif value < apart_score:
            apart.append(packed)
    return kept, kept_p, apart


def resolve(
    people: Sequence[PersonFeatures],
    *,
    threshold: float | None = None,
    keep_above: float | None = None,
    cluster_threshold: float | None = None,
    cannot_link: Iterable[tuple[int, int]] = (),
    progress: Progress = _no_progress,
    workers: int = 1,
) -> Resolution:
    """Find people recorded more than once.

    Pairs scoring at least ``keep_above`` are returned as links (with their pairwise probability: those at
    or above ``threshold`` are the ones to propose). Clusters join links by their probability in context
    (``in_context``: a pair whose records many others match as well is less likely one person) at or above
    ``cluster_threshold`` (strongest first), except where two people in the clusters to be joined are known
    to be different: scored below ``weights.CANNOT_LINK`` or listed in ``cannot_link`` (by id, e.g. a
    reviewer's "different people"). So one common name cannot chain strangers into one cluster. With
    ``workers`` > 1 the pairs are scored in that many forked processes (where the platform forks).
    """
    threshold = weights.MATCH_THRESHOLD if threshold is None else threshold
    cluster_threshold = weights.CLUSTER_THRESHOLD if cluster_threshold is None else cluster_threshold
    keep_above = min(threshold, weights.CANDIDATE_THRESHOLD) if keep_above is None else keep_above
    pair_set, skipped = candidate_pairs(people, progress=progress)
    n = len(people)
    total = len(pair_set)
    # Compared as log-odds: no exponential for the millions of pairs that are plainly different people.
    _SHARED.update(
        scorer=PairScorer(people),
        pairs=list(pair_set),
        n=n,
        keep_score=logit(keep_above),
        apart_score=logit(weights.CANNOT_LINK),
    )
    del pair_set
    step = 250_000
    chunks = [(start, min(start + step, total)) for start in range(0, total, step)]
    results = []
    try:
        if workers > 1 and len(chunks) > 1 and "fork" in multiprocessing.get_all_start_methods():
            with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
                for result in pool.map(_score_chunk, chunks):
                    results.append(result)
                    progress("pairs", min(len(results) * step, total), total)
        else:
            for bounds in chunks:
                results.append(_score_chunk(bounds))
                progress("pairs", bounds[1], total)
    finally:
        _SHARED.clear()
    progress("pairs", total, total)
    edges: list[tuple[int, int, float]] = []
    for kept, kept_p, _apart in results:
        edges += [(*divmod(packed, n), p) for packed, p in zip(kept, kept_p, strict=True)]
    joined = in_context(edges)
    # Only people with a link strong enough to cluster them can be kept apart: the other pairs found apart
    # (millions, in a large run) are of no use to the clustering.
    linked = {x for i, j, p in joined if p >= cluster_threshold for x in (i, j)}
    apart: list[tuple[int, int]] = []
    for _kept, _kept_p, apart_packed in results:
        for packed in apart_packed:
            i, j = divmod(packed, n)
            if i in linked and j in linked:
                apart.append((i, j))
    index = {person.id: i for i, person in enumerate(people)}
    apart += [(index[a], index[b]) for a, b in cannot_link if a in index and b in index]
    clusters = cluster(n, joined, apart, cluster_threshold)
    links = [Link(people[i].id, people[j].id, p) for i, j, p in edges]
    return Resolution(
        links=sorted(links, key=lambda link: -link.probability),
        clusters=[[people[i].id for i in members] for members in clusters],
        candidate_pairs=total,
        skipped_keys=skipped,
    )


# Links weaker than this neither compete for a record nor support a pair (see ``context_levels``).
CONTEXT_FLOOR = 0.1
_RIVALS = (0.05, 0.5, 2.0, 8.0)  # bounds of the levels of rivalry (summed odds)


def _rival_level(odds: float) -> str:
    return "rivals_" + str(bisect_right(_RIVALS, odds))


def context_levels(edges: Sequence[tuple[int, int, float]]) -> list[tuple[str, str, str]]:
    """For each link ``(i, j, p)``, what the other links say about it, in three levels:

    - how strongly others compete for ``i`` and for ``j`` (the more and the likelier the records that match
      one of the two and not the other, summed as odds), the stronger side and the weaker side: a record
      describes one person, so a mention that matches several namesakes, who do not match each other, is
      less likely any one of them;
    - how many records match both (0, 1, 2, 3 or more).

    Rivals and records matching both count from ``CONTEXT_FLOOR``; a record linked to the other side at all
    (any link kept) is no rival."""
    neighbours: dict[int, dict[int, float]] = defaultdict(dict)
    for i, j, p in edges:
        neighbours[i][j] = p
        neighbours[j][i] = p
    floor = CONTEXT_FLOOR
    found = []
    for i, j, _p in edges:
        near_i, near_j = neighbours[i], neighbours[j]
        rivals_i = sum(
            q / (1.0 - q) if q < 1.0 else 1e6
            for k, q in near_i.items()
            if q >= floor and k != j and k not in near_j
        )
        rivals_j = sum(
            q / (1.0 - q) if q < 1.0 else 1e6
            for k, q in near_j.items()
            if q >= floor and k != i and k not in near_i
        )
        small, large = (near_i, near_j) if len(near_i) <= len(near_j) else (near_j, near_i)
        shared = sum(1 for k, q in small.items() if q >= floor and large.get(k, 0.0) >= floor)
        found.append(
            (
                "most_" + _rival_level(max(rivals_i, rivals_j)),
                "least_" + _rival_level(min(rivals_i, rivals_j)),
                f"shared_{min(shared, 3)}",
            )
        )
    return found


def context_score(levels: Iterable[str]) -> float:
    """What the context adds to a link's log-odds (``weights.CONTEXT``)."""
    return weights.CONTEXT_INTERCEPT + sum(weights.CONTEXT.get(level, 0.0) for level in levels)


def in_context(edges: Sequence[tuple[int, int, float]]) -> list[tuple[int, int, float]]:
    """The links with their probability in context: the pairwise log-odds plus what the other links say
    (``context_levels``), as fitted by ``benchmarks/matching/calibrate.py``."""
    return [
        (i, j, probability(logit(p) + context_score(levels)))
        for (i, j, p), levels in zip(edges, context_levels(edges), strict=True)
    ]


def cluster(
    n: int,
    edges: Iterable[tuple[int, int, float]],
    apart: Iterable[tuple[int, int]],
    threshold: float,
    linkage: float | None = None,
) -> list[list[int]]:
    """Constrained average-linkage clustering: take the edges strongest first, and join their two clusters
    only when no pair across them is known to be apart and the average probability over every pair across
    them (a pair never scored counts as 0) is at least ``linkage``. So one common name, or one loose link,
    cannot chain strangers into one cluster. Returns clusters of two or more, largest first."""
    linkage = weights.LINKAGE if linkage is None else linkage
    edges = sorted(edges, key=lambda edge: -edge[2])
    known = {(i, j) if i < j else (j, i): p for i, j, p in edges}
    parent = list(range(n))
    members: dict[int, list[int]] = {}
    forbidden: dict[int, set[int]] = defaultdict(set)
    for i, j in apart:
        forbidden[i].add(j)
        forbidden[j].add(i)

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, j, p in edges:
        if p < threshold:
            break
        ri, rj = find(i), find(j)
        if ri == rj:
            continue
        group_i = members.get(ri, [ri])
        group_j = members.get(rj, [rj])
        if len(group_i) > 1 or len(group_j) > 1:
            if any(forbidden.get(x, set()).intersection(group_i) for x in group_j):
                continue
            total = sum(known.get((x, y) if x < y else (y, x), 0.0) for x in group_i for y in group_j)
            if total / (len(group_i) * len(group_j)) < linkage:
                continue
        elif j in forbidden.get(i, ()):
            continue
        if len(group_i) < len(group_j):
            ri, rj, group_i, group_j = rj, ri, group_j, group_i
        parent[rj] = ri
        members[ri] = group_i + group_j
        members.pop(rj, None)
    return sorted((sorted(group) for group in members.values()), key=lambda group: (-len(group), group[0]))
