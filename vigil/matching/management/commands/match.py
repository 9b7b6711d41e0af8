"""``vigil match``: find people recorded more than once, queue the pairs for review, report the clusters."""

from __future__ import annotations

import json
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from vigil.accounts.actors import system_actor
from vigil.matching import weights
from vigil.matching.engine import commonness, resolve
from vigil.matching.scoring import score_pair
from vigil.matching.selectors import (
    PlaceTree,
    current_people,
    known_different_pairs,
    person_features,
    waiting_pairs,
)
from vigil.matching.services import match_pair_propose
from vigil.people.models import Person

CHUNK = 5_000


class Command(BaseCommand):
    help = _(
        "Find people recorded more than once (across scripts and spellings), put each likely pair on the "
        "reviewers' queue, and print the clusters found. Nothing is merged: reviewers decide."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--threshold",
            type=float,
            default=None,
            help=_("Probability from which a pair is proposed (default: the calibrated %(default)s).")
            % {"default": weights.MATCH_THRESHOLD},
        )
        parser.add_argument("--dry-run", action="store_true", help=_("Report only; queue nothing."))
        parser.add_argument("--json", action="store_true", help=_("Print the cluster report as JSON."))
        parser.add_argument(
            "--limit", type=int, default=50, help=_("Clusters listed in the report (default 50).")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        threshold = weights.MATCH_THRESHOLD if options["threshold"] is None else options["threshold"]
        if not 0 < threshold <= 1:
            raise CommandError(_("The threshold is a probability: give a number above 0 and at most 1."))
        started = time.monotonic()
        actor = system_actor()
        ids = list(current_people(actor).order_by("pk").values_list("pk", flat=True))
        places = PlaceTree()
        features = []
        for start in range(0, len(ids), CHUNK):
            people = list(Person.objects.filter(pk__in=ids[start : start + CHUNK]))
            features += person_features(people, places=places)
            self._progress(_("reading people"), min(start + CHUNK, len(ids)), len(ids))
        different = known_different_pairs()
        resolution = resolve(features, threshold=threshold, cannot_link=different, progress=self._progress)
        # A pair already waiting is refreshed (its score and evidence), not queued again: counted apart.
        proposed = refreshed = skipped = 0
        if not options["dry_run"]:
            waiting = waiting_pairs()
            by_id = {f.id: f for f in features}
            frequency = commonness(features)
            people_by_id = Person.objects.in_bulk(
                [pk for link in resolution.links for pk in (link.a, link.b)]
            )
            strong = [link for link in resolution.links if link.probability >= threshold]
            for done, link in enumerate(strong, 1):
                if (link.a, link.b) in different:
                    skipped += 1
                    continue
                score = score_pair(by_id[link.a], by_id[link.b], frequency=frequency)
                pair = match_pair_propose(
                    a=people_by_id[link.a],
                    b=people_by_id[link.b],
                    score=score,
                    actor=actor,
                    reason=_("Found by vigil match (threshold %(threshold)s).") % {"threshold": threshold},
                )
                if pair is None:
                    skipped += 1
                elif (min(link.a, link.b), max(link.a, link.b)) in waiting:
                    refreshed += 1
                else:
                    proposed += 1
                self._progress(_("queueing pairs"), done, len(strong))
        self._report(resolution.clusters, features, options, threshold)
        # Labels before numbers: "1 new pairs" is wrong in English, and so are its Persian plurals.
        summary = _(
            "People compared: %(people)s; candidate pairs: %(pairs)s; clusters: %(clusters)s; pairs newly "
            "queued for review: %(proposed)s; already waiting (score refreshed): %(refreshed)s; already "
            "decided: %(skipped)s; %(seconds).1f s."
        ) % {
            "people": len(features),
            "pairs": resolution.candidate_pairs,
            "clusters": len(resolution.clusters),
            "proposed": proposed,
            "refreshed": refreshed,
            "skipped": skipped,
            "seconds": time.monotonic() - started,
        }
        self.stderr.write(summary)

    def _progress(self, stage: str, done: int, total: int) -> None:
        """One line per stage, rewritten in place as it advances (on stderr, so the report stays clean)."""
        if total:
            self.stderr.write(
                f"\r{stage}: {done}/{total} ({100 * done // total}%)", ending="\n" if done >= total else ""
            )
            self.stderr.flush()

    def _report(
        self, clusters: list[list[int]], features: list[Any], options: dict[str, Any], threshold: float
    ) -> None:
        """The clusters, which join links by their probability in context from ``CLUSTER_THRESHOLD`` (not
        ``--threshold``, which says which pairs are proposed), as text or JSON."""
        names = {f.id: [form.text for form in f.names] for f in features}
        shown = clusters[: options["limit"]]
        if options["json"]:
            data = [
                {"people": [{"id": pk, "names": names.get(pk, [])} for pk in cluster]} for cluster in shown
            ]
            self.stdout.write(
                json.dumps(
                    {
                        "threshold": threshold,
                        "cluster_threshold": weights.CLUSTER_THRESHOLD,
                        "clusters": data,
                        "total": len(clusters),
                    },
                    ensure_ascii=False,
                    indent=2,
                )
            )
            return
        self.stdout.write(
            _(
                "Clusters of people who may be one (linked at a probability in context of %(threshold)s or "
                "more): %(count)s"
            )
            % {"threshold": weights.CLUSTER_THRESHOLD, "count": len(clusters)}
        )
        for number, cluster in enumerate(shown, 1):
            self.stdout.write(f"\n{number}.")
            for pk in cluster:
                self.stdout.write(f"   #{pk}  " + " / ".join(names.get(pk, [])))
        if len(clusters) > len(shown):
            self.stdout.write(
                "\n" + _("… and %(more)s more (use --limit).") % {"more": len(clusters) - len(shown)}
            )
