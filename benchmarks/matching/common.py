"""What the benchmark scripts share: turning records into the matcher's features, and pairwise metrics
computed from clusters (every pair inside a predicted cluster is a predicted match)."""

from __future__ import annotations

import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings

# The matcher's scoring code needs no database: settings just enough for its (translatable) messages.
if not settings.configured:
    settings.configure(USE_I18N=False)

from benchmarks.matching.generate import Record
from vigil.matching import engine
from vigil.matching.normalise import analyse_name
from vigil.matching.scoring import FEATURES, PersonFeatures, PlaceRef, birth_years_from_age, levels_for


class PlaceIds:
    def __init__(self) -> None:
        self.ids: dict[str, int] = {}

    def __call__(self, name: str) -> int:
        return self.ids.setdefault(name, len(self.ids) + 1)


def features(records: Sequence[Record]) -> list[PersonFeatures]:
    """The matcher's view of each record, as ``selectors`` builds it from the database."""
    place_ids = PlaceIds()
    out = []
    for r in records:
        form = analyse_name(r.name)
        places: tuple[PlaceRef, ...] = ()
        if r.province is not None:
            city = place_ids("city:" + r.city) if r.city else None
            places = (PlaceRef(city, place_ids("province:" + r.province)),)
        out.append(
            PersonFeatures(
                id=r.id,
                names=(form,) if form.usable else (),
                gender=r.gender,
                birth_years=birth_years_from_age(r.age, r.reported_on.year) if r.age is not None else None,
                places=places,
                days=(r.arrested_on.toordinal(),) if r.arrested_on else (),
                sources=frozenset({r.source}),
                reported=r.reported_on.toordinal(),
            )
        )
    return out


@dataclass
class Scores:
    tp: int = 0
    predicted: int = 0
    true: int = 0

    @property
    def precision(self) -> float:
        return self.tp / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.tp / self.true if self.true else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _pairs_by_kind(scripts: Counter[str]) -> dict[str, int]:
    latin, persian = scripts["latn"], scripts["arab"]
    return {
        "same": latin * (latin - 1) // 2 + persian * (persian - 1) // 2,
        "cross": latin * persian,
    }


def evaluate(records: Sequence[Record], clusters: Iterable[Iterable[int]]) -> dict[str, Scores]:
    """Pairwise precision and recall of ``clusters`` (lists of record ids; singletons may be left out),
    overall and for same-script and cross-script pairs."""
    result = {"all": Scores(), "same": Scores(), "cross": Scores()}
    by_entity: dict[int, Counter[str]] = defaultdict(Counter)
    for r in records:
        by_entity[r.entity][r.script] += 1
    for counts in by_entity.values():
        for kind, n in _pairs_by_kind(counts).items():
            result[kind].true += n
    for cluster in clusters:
        members = [records[i] for i in cluster]
        for kind, n in _pairs_by_kind(Counter(r.script for r in members)).items():
            result[kind].predicted += n
        overlap: dict[int, Counter[str]] = defaultdict(Counter)
        for r in members:
            overlap[r.entity][r.script] += 1
        for counts in overlap.values():
            for kind, n in _pairs_by_kind(counts).items():
                result[kind].tp += n
    for kind in ("tp", "predicted", "true"):
        setattr(result["all"], kind, getattr(result["same"], kind) + getattr(result["cross"], kind))
    return result


def components(n: int, edges: Iterable[tuple[int, int]]) -> list[list[int]]:
    """Connected components (plain transitive closure), for the baselines."""
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[ra] = rb
    groups: dict[int, list[int]] = defaultdict(list)
    for x in range(n):
        groups[find(x)].append(x)
    return [g for g in groups.values() if len(g) > 1]


def candidate_levels(people: Sequence[PersonFeatures]) -> dict[int, tuple[str, ...]]:
    """The comparison levels (in ``FEATURES`` order) of every candidate pair the real blocking finds, by the
    pair's packed index ``i * len(people) + j``: what calibration fits and the error analysis counts."""
    pairs, _skipped = engine.candidate_pairs(people)
    frequency = engine.commonness(people)
    n = len(people)
    found = {}
    for packed in pairs:
        i, j = divmod(packed, n)
        levels, _names = levels_for(people[i], people[j], frequency=frequency)
        found[packed] = tuple(levels[f] for f in FEATURES)
    return found


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)
