"""Fit the matcher's weights and thresholds on labelled synthetic pairs, and write ``vigil/matching/weights.py``.

    nice .venv/bin/python -m benchmarks.matching.calibrate [--size 50000] [--seed 101] [--write]

1. Generate ``size`` labelled records (a seed the benchmark never uses for measuring).
2. Block them with the real blocking code and compare every candidate pair into levels (``scoring.levels_for``).
3. Fit a logistic regression on the levels, one weight per level (L2-regularised, Newton's method). Pairs
   are aggregated by their combination of levels first, so the fit takes seconds in plain Python.
4. Pick the threshold of a pair that maximises pairwise F1 of the clusters (what is proposed for review and
   flagged on import), and the lower "possible match" threshold the intake screen uses (the highest that
   keeps 98 % recall of pairs).
5. Fit what the other links add to a link (``engine.context_levels``: rivals for either record, records
   matching both) on the links a batch run keeps, with the pairwise log-odds as a fixed offset; then pick
   the threshold and linkage that the clustering applies to these probabilities in context.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import time
from collections import Counter
from pathlib import Path

from benchmarks.matching.common import candidate_levels, evaluate, features, log
from benchmarks.matching.generate import generate
from vigil.matching import engine, weights
from vigil.matching.scoring import FEATURES, logit

L2 = 1.0
WEIGHTS_FILE = Path(__file__).resolve().parents[2] / "vigil" / "matching" / "weights.py"


def _solve(matrix: list[list[float]], vector: list[float]) -> list[float]:
    """Gaussian elimination with partial pivoting (the system is small and positive definite)."""
    n = len(vector)
    a = [[*row, vector[i]] for i, row in enumerate(matrix)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(a[r][col]))
        a[col], a[pivot] = a[pivot], a[col]
        for r in range(col + 1, n):
            factor = a[r][col] / a[col][col]
            if factor:
                for c in range(col, n + 1):
                    a[r][c] -= factor * a[col][c]
    x = [0.0] * n
    for r in range(n - 1, -1, -1):
        x[r] = (a[r][n] - sum(a[r][c] * x[c] for c in range(r + 1, n))) / a[r][r]
    return x


def fit(rows: Counter[tuple[tuple[str, ...], bool]]) -> tuple[float, dict[str, dict[str, float]]]:
    """Weighted logistic regression on one-hot levels; index 0 is the intercept."""
    columns: dict[tuple[str, str], int] = {}
    for levels, _label in rows:
        for feature, level in zip(FEATURES, levels, strict=True):
            columns.setdefault((feature, level), len(columns) + 1)
    data = [(0.0, [0, *(columns[(f, lv)] for f, lv in zip(FEATURES, levels, strict=True))], label, count)
            for (levels, label), count in rows.items()]  # fmt: skip
    beta = _newton(data, len(columns) + 1)
    table: dict[str, dict[str, float]] = {feature: {} for feature in FEATURES}
    for (feature, level), index in columns.items():
        table[feature][level] = beta[index]
    return beta[0], table


def fit_context(rows: Counter[tuple[float, tuple[str, ...], bool]]) -> tuple[float, dict[str, float]]:
    """Logistic regression of a link's label on its context levels, with its pairwise log-odds as a fixed
    offset (coefficient 1): what the context adds. Index 0 is the intercept."""
    columns: dict[str, int] = {}
    for _offset, levels, _label in rows:
        for level in levels:
            columns.setdefault(level, len(columns) + 1)
    data = [(offset, [0, *(columns[lv] for lv in levels)], label, count)
            for (offset, levels, label), count in rows.items()]  # fmt: skip
    beta = _newton(data, len(columns) + 1)
    return beta[0], {level: beta[index] for level, index in columns.items()}


def _newton(data: list[tuple[float, list[int], bool, int]], size: int) -> list[float]:
    """Newton's method for an L2-regularised logistic regression (the intercept, index 0, not penalised):
    each row is its fixed offset, its active columns, its label and how many pairs it stands for."""
    beta = [0.0] * size
    for _iteration in range(30):
        gradient = [0.0] * size
        hessian = [[0.0] * size for _ in range(size)]
        for offset, active, label, count in data:
            z = offset + sum(beta[i] for i in active)
            p = 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, z))))
            residual = count * ((1.0 if label else 0.0) - p)
            curvature = count * p * (1.0 - p)
            for i in active:
                gradient[i] += residual
                row = hessian[i]
                for j in active:
                    row[j] += curvature
        for i in range(1, size):
            gradient[i] -= L2 * beta[i]
            hessian[i][i] += L2
        hessian[0][0] += 1e-9
        step = _solve(hessian, gradient)
        beta = [b + s for b, s in zip(beta, step, strict=True)]
        if max(abs(s) for s in step) < 1e-6:
            break
    return beta


def _format(
    intercept: float,
    table: dict[str, dict[str, float]],
    thresholds: dict[str, float],
    note: str,
    context: tuple[float, dict[str, float]],
) -> str:
    lines = [
        '"""The matcher\'s weights (log-odds per level of each comparison) and thresholds.',
        "",
        "Generated by ``benchmarks/matching/calibrate.py``; do not edit by hand, re-run it (see docs/matching.md).",
        note,
        '"""',
        "",
        f"INTERCEPT = {intercept:.4f}",
        "# Pairs at or above this probability are proposed for review by ``vigil match`` and flagged on import.",
        f"MATCH_THRESHOLD = {thresholds['match']:.2f}",
        "# Pairs at or above this are shown as possible existing matches when a person is added.",
        f"CANDIDATE_THRESHOLD = {thresholds['candidate']:.2f}",
        "# Links join clusters when their probability in context (``engine.in_context``) reaches this.",
        f"CLUSTER_THRESHOLD = {thresholds['cluster']:.2f}",
        "# Two clusters join only when the average probability in context over all pairs across them reaches this.",
        f"LINKAGE = {thresholds['linkage']:.3f}",
        "# Pairs below this are taken as different people when clustering (no chaining through them).",
        f"CANNOT_LINK = {thresholds['cannot_link']:.3f}",
        "WEIGHTS: dict[str, dict[str, float]] = {",
    ]
    for feature in FEATURES:
        lines.append(f'    "{feature}": {{')
        lines += [f'        "{level}": {w:.4f},' for level, w in sorted(table[feature].items())]
        lines.append("    },")
    lines.append("}")
    lines += [
        "# What the other links add to a link's log-odds (``engine.context_levels``).",
        f"CONTEXT_INTERCEPT = {context[0]:.4f}",
        "CONTEXT: dict[str, float] = {",
        *(f'    "{level}": {w:.4f},' for level, w in sorted(context[1].items())),
        "}",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="15000,60000", help="sizes of the labelled sets, comma-separated")
    parser.add_argument("--seed", type=int, default=101, help="seed of the first set (the next ones follow)")
    parser.add_argument("--write", action="store_true", help="write vigil/matching/weights.py")
    args = parser.parse_args()

    started = time.perf_counter()
    sizes = [int(size) for size in args.sizes.split(",")]
    rows: Counter[tuple[tuple[str, ...], bool]] = Counter()
    sets = []
    for offset, size in enumerate(sizes):
        records = generate(size, seed=args.seed + offset)
        people = features(records)
        levels_of = candidate_levels(people)
        n = len(people)
        log(f"{n} records, {len(levels_of)} candidate pairs")
        for packed, key in levels_of.items():
            i, j = divmod(packed, n)
            rows[(key, records[i].entity == records[j].entity)] += 1
        sets.append((records, levels_of))
    log(f"{len(rows)} distinct combinations of levels; fitting")
    intercept, table = fit(rows)

    # Thresholds, with the fitted weights in force.
    weights.INTERCEPT, weights.WEIGHTS = intercept, table

    def prob(key: tuple[str, ...]) -> float:
        z = intercept + sum(table[f][lv] for f, lv in zip(FEATURES, key, strict=True))
        return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, z))))

    # The thresholds that maximise the mean cluster F1 over the sets.
    prepared = []
    for records, levels_of in sets:
        n = len(records)
        scored = [(divmod(packed, n), prob(key)) for packed, key in levels_of.items()]
        edges = [(i, j, p) for (i, j), p in scored if p >= 0.05]
        prepared.append((records, scored, edges))
    best = (0.0, 0.5, 0.3, 0.02)
    for cannot_link in (0.01, 0.03):
        for step in range(20, 96, 5):
            threshold = step / 100
            for linkage in (threshold / 2, threshold):
                f1s = []
                for records, scored, edges in prepared:
                    apart = [pair for pair, p in scored if p < cannot_link]
                    clusters = engine.cluster(len(records), edges, apart, threshold, linkage)
                    f1s.append(evaluate(records, clusters)["all"].f1)
                f1 = sum(f1s) / len(f1s)
                if f1 > best[0]:
                    best = (f1, threshold, linkage, cannot_link)
                    log(
                        f"  threshold {threshold:.2f} linkage {linkage:.3f} cannot-link {cannot_link}: F1 {f1:.4f}"
                    )
    pair_f1, threshold, _pair_linkage, cannot_link = best
    true_pairs = sorted(
        p
        for records, scored, _edges in prepared
        for (i, j), p in scored
        if records[i].entity == records[j].entity
    )
    candidate = true_pairs[int(len(true_pairs) * 0.02)] if true_pairs else 0.1
    candidate = min(threshold, math.floor(candidate * 100) / 100)
    log(f"threshold {threshold}, cannot-link {cannot_link}, candidate {candidate}: pairwise F1 {pair_f1:.4f}")

    # The links a batch run keeps, what the other links say about each, and the fit of what that adds.
    keep_above = min(threshold, candidate)
    context_rows: Counter[tuple[float, tuple[str, ...], bool]] = Counter()
    linked_sets = []
    for records, scored, _edges in prepared:
        kept = [(i, j, p) for (i, j), p in scored if p >= keep_above]
        link_levels = engine.context_levels(kept)
        for (i, j, p), said in zip(kept, link_levels, strict=True):
            context_rows[(round(logit(p), 2), said, records[i].entity == records[j].entity)] += 1
        apart = [pair for pair, p in scored if p < cannot_link]
        linked_sets.append((records, kept, apart))
    context = fit_context(context_rows)
    weights.CONTEXT_INTERCEPT, weights.CONTEXT = context
    log(
        f"context: intercept {context[0]:.3f}, "
        + ", ".join(f"{k} {v:.2f}" for k, v in sorted(context[1].items()))
    )
    joined_sets = [(records, engine.in_context(kept), apart) for records, kept, apart in linked_sets]
    best = (0.0, 0.5, 0.3, 0.0)
    for step in range(20, 76, 5):
        cluster_threshold = step / 100
        for linkage in (cluster_threshold / 2, cluster_threshold):
            f1s = [
                evaluate(records, engine.cluster(len(records), joined, apart, cluster_threshold, linkage))[
                    "all"
                ].f1
                for records, joined, apart in joined_sets
            ]
            f1 = sum(f1s) / len(f1s)
            if f1 > best[0]:
                best = (f1, cluster_threshold, linkage, 0.0)
                log(f"  in context: threshold {cluster_threshold:.2f} linkage {linkage:.3f}: F1 {f1:.4f}")
    f1, cluster_threshold, linkage, _unused = best
    thresholds = {
        "match": threshold,
        "candidate": candidate,
        "cannot_link": cannot_link,
        "linkage": linkage,
        "cluster": cluster_threshold,
    }
    log(f"clusters in context: threshold {cluster_threshold}, linkage {linkage}: calibration F1 {f1:.4f}")
    note = (
        f"Calibrated on sets of {args.sizes} records (seeds from {args.seed}), {sum(rows.values())} labelled "
        f"candidate pairs,\n{dt.datetime.now(dt.UTC).date().isoformat()}; mean cluster F1 there {f1:.4f}."
    )
    text = _format(intercept, table, thresholds, note, context)
    print(text)
    if args.write:
        WEIGHTS_FILE.write_text(text)
        log(f"wrote {WEIGHTS_FILE}")
    log(f"{time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
