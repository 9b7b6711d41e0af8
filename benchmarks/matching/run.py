"""The identity-resolution benchmark: Vigil's matcher against Splink and a plain rapidfuzz baseline, on the
same labelled synthetic records, at 10,000 and 100,000 records.

    nice .venv/bin/python -m benchmarks.matching.run [--sizes 10000,100000] [--seed 7] [--skip-splink]

Needs the ``bench`` extra (``pip install -e '.[bench]'``) for Splink. Prints one table: pairwise precision,
recall and F1 of the clusters (overall, same-script pairs, cross-script pairs) and seconds, per method and
size. Vigil's weights and thresholds were calibrated on other seeds (``calibrate.py``); each baseline's
threshold is tuned here on the very records it is measured on (the most favourable tuning it could get).
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict
from collections.abc import Callable, Sequence

from benchmarks.matching.common import Scores, components, evaluate, features, log
from benchmarks.matching.generate import Record, generate
from vigil.core.text import fold_name
from vigil.matching.engine import resolve

Clusters = list[list[int]]


def run_vigil(records: Sequence[Record], workers: int) -> tuple[Clusters, float]:
    """Vigil's matcher, from raw names to clusters: normalisation, blocking, scoring, clustering."""
    started = time.perf_counter()
    clusters = resolve(features(records), workers=workers).clusters
    return clusters, time.perf_counter() - started


def _folded(records: Sequence[Record]) -> list[list[str]]:
    return [fold_name(r.name).split() for r in records]


def _baseline_blocks(tokens: list[list[str]]) -> dict[str, list[int]]:
    """The baselines' blocking, as Splink's own examples block: same first name, or same last name (names
    lower-cased and folded with ``fold_name``, so Arabic and Persian letter forms already agree)."""
    blocks: dict[str, list[int]] = defaultdict(list)
    for i, parts in enumerate(tokens):
        if parts:
            blocks["f:" + parts[0]].append(i)
            blocks["l:" + parts[-1]].append(i)
    return blocks


def run_rapidfuzz(records: Sequence[Record]) -> tuple[Callable[[float], Clusters], float]:
    """rapidfuzz's token-sort ratio of the folded names over the blocked pairs; clusters are the connected
    components of pairs at or above a threshold, which is tuned afterwards."""
    from rapidfuzz import fuzz

    started = time.perf_counter()
    tokens = _folded(records)
    texts = [" ".join(parts) for parts in tokens]
    scored: dict[int, float] = {}
    n = len(records)
    for members in _baseline_blocks(tokens).values():
        if len(members) > 3000:
            continue  # a first name shared by thousands: every other baseline would skip it too
        for position, i in enumerate(members):
            for j in members[position + 1 :]:
                packed = min(i, j) * n + max(i, j)
                if packed not in scored:
                    scored[packed] = fuzz.token_sort_ratio(texts[i], texts[j], score_cutoff=70)
    pairs = [(divmod(packed, n), score) for packed, score in scored.items() if score]
    elapsed = time.perf_counter() - started

    def at(threshold: float) -> Clusters:
        return components(n, (pair for pair, score in pairs if score >= threshold))

    return at, elapsed


def run_splink(records: Sequence[Record]) -> tuple[Callable[[float], Clusters], float]:
    """Splink (DuckDB) with its default name comparisons on first and last name, and exact comparisons of
    birth year, gender, city and province; trained without labels (u by random sampling, m by EM), as its
    tutorials do. Clusters at a match probability tuned afterwards."""
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    started = time.perf_counter()
    rows = []
    for r, parts in zip(records, _folded(records), strict=True):
        rows.append(
            {
                "unique_id": r.id,
                "first_name": parts[0] if parts else None,
                "surname": parts[-1] if len(parts) > 1 else None,
                "birth_year": (r.reported_on.year - r.age) if r.age is not None else None,
                "gender": r.gender or None,
                "city": r.city,
                "province": r.province,
            }
        )
    db_api = DuckDBAPI()
    table = db_api.register(rows)
    settings = SettingsCreator(
        link_type="dedupe_only",
        blocking_rules_to_generate_predictions=[block_on("first_name"), block_on("surname")],
        comparisons=[
            cl.NameComparison("first_name"),
            cl.NameComparison("surname"),
            cl.ExactMatch("birth_year"),
            cl.ExactMatch("gender"),
            cl.ExactMatch("city"),
            cl.ExactMatch("province"),
        ],
        retain_intermediate_calculation_columns=False,
    )
    linker = Linker(table, settings, log_level="WARNING")
    linker.training.estimate_probability_two_random_records_match(
        [block_on("first_name", "surname", "birth_year")], recall=0.6
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("first_name", "surname"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("birth_year", "province"))
    predictions = linker.inference.predict(threshold_match_probability=0.01)
    edges = [
        (int(row["unique_id_l"]), int(row["unique_id_r"]), float(row["match_probability"]))
        for row in predictions.as_record_list()
    ]
    elapsed = time.perf_counter() - started

    def at(threshold: float) -> Clusters:
        return components(len(records), ((a, b) for a, b, p in edges if p >= threshold))

    return at, elapsed


def tune(
    records: Sequence[Record], at: Callable[[float], Clusters], grid: Sequence[float]
) -> tuple[float, Clusters]:
    """The threshold with the best overall F1 on these very records."""
    best: tuple[float, float, Clusters] = (-1.0, grid[0], [])
    for threshold in grid:
        clusters = at(threshold)
        f1 = evaluate(records, clusters)["all"].f1
        if f1 > best[0]:
            best = (f1, threshold, clusters)
    return best[1], best[2]


def _row(size: int, method: str, scores: dict[str, Scores], seconds: float, note: str = "") -> str:
    cells = [f"{size:,}", method]
    for kind in ("all", "same", "cross"):
        s = scores[kind]
        cells.append(
            f"{s.precision:.3f} / {s.recall:.3f} / **{s.f1:.3f}**"
            if kind == "all"
            else f"{s.precision:.3f} / {s.recall:.3f} / {s.f1:.3f}"
        )
    cells += [f"{seconds:.1f}", note]
    return "| " + " | ".join(cells) + " |"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--skip-splink", action="store_true")
    parser.add_argument(
        "--workers", type=int, default=2, help="processes scoring pairs (the machine has 2 cores)"
    )
    args = parser.parse_args()
    lines = [
        "| records | method | all: P / R / F1 | same script: P / R / F1 | cross script: P / R / F1 | seconds | threshold |",
        "|---|---|---|---|---|---|---|",
    ]
    for size in (int(s) for s in args.sizes.split(",")):
        records = generate(size, seed=args.seed)
        entities = len({r.entity for r in records})
        log(f"{size} records of {entities} people (seed {args.seed})")
        cpu = time.process_time()
        clusters, seconds = run_vigil(records, args.workers)
        note = f"calibrated elsewhere; {args.workers} workers, parent CPU {time.process_time() - cpu:.0f} s"
        lines.append(_row(size, "Vigil", evaluate(records, clusters), seconds, note))
        log(lines[-1])
        at, seconds = run_rapidfuzz(records)
        threshold, clusters = tune(records, at, [70, 75, 80, 85, 88, 90, 92, 95, 98, 100])
        lines.append(
            _row(size, "rapidfuzz token-sort", evaluate(records, clusters), seconds, f"{threshold:g} (tuned)")
        )
        log(lines[-1])
        if not args.skip_splink:
            at, seconds = run_splink(records)
            threshold, clusters = tune(records, at, [0.01, 0.05, 0.1, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 0.99])
            lines.append(
                _row(size, "Splink (DuckDB)", evaluate(records, clusters), seconds, f"{threshold:g} (tuned)")
            )
            log(lines[-1])
    print("\n".join(lines))


if __name__ == "__main__":
    main()
