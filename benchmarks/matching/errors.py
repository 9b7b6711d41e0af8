"""What the matcher gets wrong, and why: an error analysis of ``vigil.matching`` on labelled records.

    nice .venv/bin/python -m benchmarks.matching.errors [--size 100000] [--seed 7] [--workers 2]

Resolves the records as ``run.py`` does, then sorts the missed true pairs and the false pairs by cause
(blocking, score, clustering), by what each record carries (age, place, date) and by how common the name
is, with what each group costs in pairwise F1 (the F1 if that group alone were right).

It also measures a ceiling: every candidate pair falls in one combination of comparison levels (names,
frequency, birth, gender, place, dates, sources); the share of true pairs in each combination is what the
data say about such a pair, whatever the weights. The best pairwise F1 any rule deciding by combination
can reach (combinations taken most-likely first) bounds what better weights or thresholds could do; the
errors such a rule makes too are *undecidable on these comparisons*: two records with the same name and
nothing that tells them apart. Measuring the ceiling uses the labels of the very records measured: it is an
analysis, never a tuning.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence

from benchmarks.matching.common import Scores, candidate_levels, evaluate, features, log
from benchmarks.matching.generate import Record, generate
from vigil.matching import engine, weights
from vigil.matching.scoring import FEATURES, PersonFeatures, probability, score_levels

Pair = tuple[int, int]


def _thin(r: Record) -> bool:
    """No age, no city and no date: at most a name, a province and a gender."""
    return r.age is None and r.city is None and r.arrested_on is None


def context(a: Record, b: Record) -> str:
    """What the two records carry that could tell them apart, in a few groups."""
    if _thin(a) or _thin(b):
        return "one side has no age, no city, no date"
    if a.province and b.province and a.province != b.province and "Tehran" in (a.city, b.city):
        return "one reported in the capital, one elsewhere"
    if a.age is None or b.age is None:
        return "one side has no age"
    return "both have an age"


def _f1(scores: Scores, *, fewer_false: int = 0, more_true: int = 0) -> float:
    fixed = Scores(scores.tp + more_true, scores.predicted - fewer_false + more_true, scores.true)
    return fixed.f1


def _table(
    title: str, groups: Counter[str], cost: Callable[[int], float], base: float, total: int
) -> list[str]:
    lines = [f"  {title}:"]
    for group, count in groups.most_common():
        lines.append(f"    {group:58s} {count:7,d} {count / total:6.1%}   F1 +{cost(count) - base:.4f}")
    return lines


def _ceiling(combos: dict[tuple[str, ...], list[int]], true_pairs: int) -> tuple[float, float, float]:
    """The best pairwise F1 of any rule that decides by combination of levels, the share of true pairs in
    the last combination it takes (its cut-off), and the share of true pairs blocking finds."""
    ranked = sorted(combos.values(), key=lambda c: -c[0] / (c[0] + c[1]))
    tp = predicted = 0
    best = (0.0, 1.0)
    for true, false in ranked:
        tp, predicted = tp + true, predicted + true + false
        f1 = 2 * tp / (predicted + true_pairs)
        if f1 > best[0]:
            best = (f1, true / (true + false))
    found = sum(c[0] for c in combos.values())
    return best[0], best[1], found / true_pairs


def analyse(records: Sequence[Record], people: Sequence[PersonFeatures], workers: int) -> list[str]:
    started = time.perf_counter()
    resolution = engine.resolve(people, workers=workers)
    seconds = time.perf_counter() - started
    scores = evaluate(records, resolution.clusters)
    overall = scores["all"]
    n = len(records)
    cluster_of: dict[int, int] = {}
    size_of: dict[int, int] = {}
    for k, members in enumerate(resolution.clusters):
        size_of[k] = len(members)
        for x in members:
            cluster_of[x] = k
    log("blocking and comparing every candidate pair (for the analysis)")
    level_of = candidate_levels(people)
    combos: dict[tuple[str, ...], list[int]] = defaultdict(lambda: [0, 0])
    for packed, key in level_of.items():
        i, j = divmod(packed, n)
        combos[key][0 if records[i].entity == records[j].entity else 1] += 1
    ceiling, cutoff, blocked = _ceiling(combos, overall.true)
    posterior = {key: c[0] / (c[0] + c[1]) for key, c in combos.items()}

    def model_p(key: tuple[str, ...]) -> float:
        return probability(score_levels(dict(zip(FEATURES, key, strict=True)))[0])

    pairwise = Scores(true=overall.true)
    for combo, (true_count, false_count) in combos.items():
        if model_p(combo) >= weights.MATCH_THRESHOLD:
            pairwise.tp += true_count
            pairwise.predicted += true_count + false_count

    by_entity: dict[int, list[int]] = defaultdict(list)
    for r in records:
        by_entity[r.entity].append(r.id)
    missed: list[Pair] = []
    for ids in by_entity.values():
        for x, i in enumerate(ids):
            for j in ids[x + 1 :]:
                a, b = min(i, j), max(i, j)
                if cluster_of.get(a, -1) != cluster_of.get(b, -2):
                    missed.append((a, b))
    false: list[Pair] = []
    for members in resolution.clusters:
        for x, i in enumerate(members):
            false.extend((i, j) for j in members[x + 1 :] if records[i].entity != records[j].entity)

    lines = [
        f"{n:,} records, {len({r.entity for r in records}):,} people; resolved in {seconds:.1f} s",
        f"clusters: P {overall.precision:.3f} R {overall.recall:.3f} F1 {overall.f1:.3f} "
        f"(cross-script F1 {scores['cross'].f1:.3f}); {overall.true:,} true pairs",
        f"candidate pairs {len(level_of):,}: blocking finds {blocked:.1%} of true pairs",
        f"pairs scored >= {weights.MATCH_THRESHOLD} without clustering: P {pairwise.precision:.3f} "
        f"R {pairwise.recall:.3f} F1 {pairwise.f1:.3f}",
        f"ceiling of any rule deciding by combination of levels (labels of these records): F1 {ceiling:.3f}, "
        f"taking combinations down to {cutoff:.0%} true",
        "",
        f"missed true pairs: {len(missed):,}",
    ]

    def cost_missed(count: int) -> float:
        return _f1(overall, more_true=count)

    def cost_false(count: int) -> float:
        return _f1(overall, fewer_false=count)

    for kind, found, cost in (("missed", missed, cost_missed), ("false", false, cost_false)):
        if kind == "false":
            lines += ["", f"false pairs: {len(found):,}"]
        cause: Counter[str] = Counter()
        where: Counter[str] = Counter()
        common: Counter[str] = Counter()
        decidable: Counter[str] = Counter()
        for i, j in found:
            found_key = level_of.get(i * n + j)
            if found_key is None:
                cause["not a candidate pair (blocking)"] += 1
                decidable["undecidable here: never compared"] += 1
            else:
                key = found_key
                p = model_p(key)
                strong = p >= weights.MATCH_THRESHOLD
                if kind == "missed":
                    cause[
                        "scored >= threshold, kept apart by clustering"
                        if strong
                        else "scored below threshold"
                    ] += 1
                else:
                    cause[
                        "scored >= threshold itself" if strong else "chained in by clustering (scored below)"
                    ] += 1
                linked = posterior[key] >= cutoff
                wrong_anyway = linked if kind == "false" else not linked
                decidable[
                    "undecidable on these comparisons (the ceiling rule errs too)"
                    if wrong_anyway
                    else "avoidable (the ceiling rule gets it right)"
                ] += 1
                common[f"name {key[0]}, {key[1]}"] += 1
            where[context(records[i], records[j])] += 1
            if kind == "false":
                where_size = size_of[cluster_of[i]]
                common[f"in a predicted cluster of {min(where_size, 6)}{'+' if where_size >= 6 else ''}"] += 1
        base = overall.f1
        lines += _table("cause", cause, cost, base, len(found))
        lines += _table("decidable?", decidable, cost, base, len(found))
        lines += _table("what the records carry", where, cost, base, len(found))
        top = Counter(dict(common.most_common(12)))
        lines += _table("names and cluster sizes (largest groups)", top, cost, base, len(found))
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    records = generate(args.size, seed=args.seed)
    print("\n".join(analyse(records, features(records), args.workers)))


if __name__ == "__main__":
    main()
