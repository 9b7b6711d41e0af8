"""``vigil match``: batch runs with progress, proposals for review, and a cluster report."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from vigil.matching import weights
from vigil.matching.models import MatchPair, MatchStatus
from vigil.matching.services import match_pair_decide
from vigil.people.models import Person

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("match", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_match_queues_the_spellings_of_one_person_and_reports_the_cluster(make_person, mashhad):
    """Three records of Narges Mohammadi become one cluster and queued pairs; a stranger stays out."""
    people = [
        make_person("Narges Mohammadi", gender="female", age=53, residence=mashhad),
        make_person("نرگس محمدي", gender="female", age=53),
        make_person("Narges Mohamadi", gender="female", residence=mashhad),
        make_person("Sepideh Gholian", gender="female", age=30),
    ]
    out, err = run()
    assert "Clusters of people who may be one" in out
    assert "Narges Mohammadi" in out and "Sepideh" not in out
    assert "reading people" in err and "candidate pairs" in err
    queued = {(p.person_a_id, p.person_b_id) for p in MatchPair.objects.filter(status=MatchStatus.PROPOSED)}
    assert (people[0].pk, people[1].pk) in queued
    assert not any(people[3].pk in pair for pair in queued)
    assert not Person.objects.filter(merged_into__isnull=False).exists()  # nothing merged without a reviewer


def test_a_second_run_respects_a_different_people_verdict(make_person, reviewer):
    """After "different people", re-running the batch does not queue the pair again."""
    make_person("Ali Karimi", gender="male", age=30)
    make_person("علی کریمی", gender="male", age=30)
    run("--threshold", "0.05")
    pair = MatchPair.objects.get()
    match_pair_decide(pair=pair, status=MatchStatus.DIFFERENT, actor=reviewer)
    run("--threshold", "0.05")
    assert MatchPair.objects.get().status == MatchStatus.DIFFERENT
    assert MatchPair.objects.count() == 1


def test_a_second_run_counts_the_pairs_already_waiting_apart_from_new_ones(make_person):
    """Re-running the batch refreshes the pairs still waiting; it does not report them as queued again."""
    make_person("Narges Mohammadi", gender="female", age=53)
    make_person("نرگس محمدی", gender="female", age=53)

    _out, first = run()
    _out, second = run()

    assert "pairs newly queued for review: 1; already waiting (score refreshed): 0;" in first
    assert "pairs newly queued for review: 0; already waiting (score refreshed): 1;" in second
    assert MatchPair.objects.count() == 1


def test_the_cluster_report_names_the_threshold_the_clusters_use(make_person):
    """--threshold chooses the pairs proposed; the clusters join links from CLUSTER_THRESHOLD, and the
    report's heading (and JSON) say so rather than repeating --threshold."""
    make_person("Narges Mohammadi", gender="female", age=53)
    make_person("نرگس محمدی", gender="female", age=53)

    out, _err = run("--threshold", "0.9", "--dry-run")
    data = json.loads(run("--threshold", "0.9", "--dry-run", "--json")[0])

    assert f"probability in context of {weights.CLUSTER_THRESHOLD} or more" in out
    assert "0.9" not in out
    assert (data["threshold"], data["cluster_threshold"]) == (0.9, weights.CLUSTER_THRESHOLD)


def test_dry_run_queues_nothing(make_person):
    """--dry-run reports only."""
    make_person("Narges Mohammadi", gender="female", age=53)
    make_person("نرگس محمدی", gender="female", age=53)
    out, _err = run("--dry-run", "--json")
    assert '"clusters"' in out
    assert MatchPair.objects.count() == 0


def test_a_threshold_outside_zero_to_one_is_refused():
    """The threshold is a probability."""
    with pytest.raises(CommandError, match="probability"):
        run("--threshold", "7")
