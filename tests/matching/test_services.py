"""Reviewers' verdicts, merging and unmerging people."""

import datetime as dt
import json
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError

from tests.factories import DetentionFactory, EventFactory, PersonFactory, SourceFactory, cite, day, staff
from vigil.accounts.roles import Role
from vigil.core.services import delete_with_history, save_with_history
from vigil.custody.models import Detention
from vigil.custody.services import execution_record
from vigil.events.models import Casualty, Involvement
from vigil.events.services import casualty_record, involvement_record
from vigil.matching.keys import keys_for_text
from vigil.matching.models import MatchDecision, MatchPair, MatchStatus, Merge, NameKey
from vigil.matching.normalise import analyse_name
from vigil.matching.scoring import NameFrequency, PairScore, PersonFeatures, score_pair
from vigil.matching.selectors import review_queue
from vigil.matching.services import match_pair_decide, match_pair_propose, person_merge, person_unmerge
from vigil.people.models import NameVariant, Person
from vigil.sources.models import Citation

pytestmark = pytest.mark.django_db
REASON = "Two sources describe the same woman."


def a_score(a_name: str = "Narges Mohammadi", b_name: str = "نرگس محمدی") -> PairScore:
    a = PersonFeatures(id=1, names=(analyse_name(a_name),))
    b = PersonFeatures(id=2, names=(analyse_name(b_name),))
    return score_pair(a, b, frequency=NameFrequency({}, 2))


def snapshot(*people: Person) -> dict[str, list[Any]]:
    """Everything a merge may touch, as plain values."""
    person_type = ContentType.objects.get_for_model(Person)
    ids = [p.pk for p in people]
    return {
        "people": sorted(
            Person.objects.filter(pk__in=ids).values_list(
                "pk", "merged_into_id", "gender", "reported_age", "age_reported_on", "residence_id"
            )
        ),
        "names": sorted(
            NameVariant.objects.filter(person__in=ids).values_list(
                "pk", "person_id", "text", "is_primary", "source_id"
            )
        ),
        "person_citations": sorted(
            Citation.objects.filter(content_type=person_type, object_id__in=ids).values_list(
                "pk", "object_id", "source_id", "locator"
            )
        ),
        "detentions": sorted(Detention.objects.filter(person__in=ids).values_list("pk", "person_id")),
        "involvements": sorted(
            Involvement.objects.filter(person__in=ids).values_list("pk", "person_id", "event_id")
        ),
        "all_citations": sorted(
            Citation.objects.values_list("pk", "content_type_id", "object_id", "source_id")
        ),
    }


@pytest.fixture
def two_records(make_person, mashhad):
    """One woman recorded twice, by two sources, each with a detention; both name her in Latin script."""
    shared = SourceFactory(title="HRANA daily report")
    keep = make_person("نرگس محمدی", "Narges Mohammadi", gender="female", age=53, source=shared)
    merge = make_person(
        "Narges Mohamadi", "Narges Mohammadi", gender="unknown", residence=mashhad, source=shared
    )
    DetentionFactory(person=keep, arrested=day(2025, 12, 12))
    DetentionFactory(person=merge, arrested=day(2025, 12, 12), citations=[cite(SourceFactory())])
    return keep, merge


def test_merge_keeps_every_name_and_citation_of_both(two_records, reviewer):
    """After a merge the kept person has all names and sources of both; the other redirects to it."""
    keep, merge = two_records
    names_before = set(keep.names.values_list("text", flat=True)) | set(
        merge.names.values_list("text", flat=True)
    )
    person_type = ContentType.objects.get_for_model(Person)
    sources_before = set(
        Citation.objects.filter(content_type=person_type, object_id__in=[keep.pk, merge.pk]).values_list(
            "source_id", flat=True
        )
    )
    person_merge(keep=keep, merge=merge, actor=reviewer, reason=REASON)
    merge.refresh_from_db()
    assert merge.merged_into == keep
    assert set(keep.names.values_list("text", flat=True)) == names_before
    assert (
        set(
            Citation.objects.filter(content_type=person_type, object_id=keep.pk).values_list(
                "source_id", flat=True
            )
        )
        == sources_before
    )
    assert Detention.objects.filter(person=keep).count() == 2
    assert keep.names.filter(is_primary=True, script="latn").count() == 1


def test_merge_fills_what_the_kept_person_lacks(two_records, reviewer, mashhad):
    """The kept record takes the residence it lacked from the merged one."""
    keep, merge = two_records
    person_merge(keep=keep, merge=merge, actor=reviewer, reason=REASON)
    keep.refresh_from_db()
    assert keep.residence == mashhad and keep.gender == "female" and keep.reported_age == 53


def test_merge_is_recorded_with_who_and_why(two_records, reviewer):
    """The merge is a record of its own, with the reviewer, the reason and what was moved."""
    keep, merge = two_records
    person_merge(keep=keep, merge=merge, actor=reviewer, reason=REASON)
    record = Merge.objects.get(merged=merge)
    assert record.keep == keep and record.actor == reviewer and record.reason == REASON
    assert record.moved["repointed"] and record.moved["folded"]


def test_unmerge_restores_exactly(two_records, reviewer):
    """Undoing a merge puts back every name, citation and detention where it was, with the same ids."""
    keep, merge = two_records
    event = EventFactory()
    involvement_record(
        person=keep, event=event, role="detained", citations=[cite()], actor=reviewer, reason=REASON
    )
    involvement_record(
        person=merge, event=event, role="detained", citations=[cite()], actor=reviewer, reason=REASON
    )
    before = snapshot(keep, merge)
    person_merge(keep=keep, merge=merge, actor=reviewer, reason=REASON)
    assert snapshot(keep, merge) != before
    person_unmerge(merged=merge, actor=reviewer, reason="Different women after all.")
    assert snapshot(keep, merge) == before
    assert Merge.objects.get(merged=merge).undone_by == reviewer


def test_merge_keeps_the_notes_of_both_and_says_so_in_the_kept_persons_history(two_records, reviewer):
    """The merged person's internal notes and family contact follow the kept person's, marked with its
    number; the kept person's history has the merge; an unmerge takes the added text out again and leaves
    what was written since."""
    keep, merge = two_records
    Person.objects.filter(pk=keep.pk).update(notes="Held in Evin ward 209.")
    Person.objects.filter(pk=merge.pk).update(notes="Place as given in the imported file: Shabad")
    merge.refresh_from_db()
    merge.family_contact = "Brother: +98 912 000 0000"
    merge.save()

    person_merge(keep=keep, merge=merge, actor=reviewer, reason=REASON)
    keep.refresh_from_db()
    assert (
        keep.notes == f"Held in Evin ward 209.\n\n[#{merge.pk}] Place as given in the imported file: Shabad"
    )
    assert keep.family_contact == f"[#{merge.pk}] Brother: +98 912 000 0000"
    assert keep.history.latest().history_change_reason == f"{REASON} (#{merge.pk} → #{keep.pk})"
    assert "+98 912" not in str(Merge.objects.get(merged=merge).moved)  # restricted: not copied in clear

    Person.objects.filter(pk=keep.pk).update(notes=f"{keep.notes}\n\nLawyer visited on 2 February.")
    person_unmerge(merged=merge, actor=reviewer, reason="Different women after all.")
    keep.refresh_from_db()
    assert keep.notes == "Held in Evin ward 209.\n\nLawyer visited on 2 February."
    assert keep.family_contact == ""


def test_unmerge_leaves_a_filled_field_corrected_since_the_merge(make_person, mashhad, reviewer):
    """The merge filled the kept person's age and residence from the other; a reviewer then corrected the
    age. Undoing the merge emptied it again, losing the correction; now it empties only what is still the
    merge's (the residence) and keeps the corrected age with the day it was reported for."""
    keep = make_person("Narges Mohammadi", gender="female")
    merge = make_person("نرگس محمدی", age=53, residence=mashhad)
    person_merge(keep=keep, merge=merge, actor=reviewer, reason=REASON)
    keep.refresh_from_db()
    assert keep.reported_age == 53 and keep.residence == mashhad
    keep.reported_age = 54
    save_with_history(keep, actor=reviewer, reason="Her family gave her age as 54.")

    person_unmerge(merged=merge, actor=reviewer, reason="Different women after all.")
    keep.refresh_from_db()
    assert keep.reported_age == 54 and keep.age_reported_on == merge.age_reported_on
    assert keep.residence is None


def test_only_a_reviewer_may_undo_a_merge_even_of_someone_never_merged(make_person):
    """A documenter was told "not merged" (or, for a merged person, refused as if publishing)."""
    documenter = staff(Role.DOCUMENTER)
    with pytest.raises(PermissionDenied):
        person_unmerge(merged=make_person("Sepideh Gholian"), actor=documenter, reason="Mistake")


def test_unmerge_of_a_person_never_merged_is_refused(make_person, reviewer):
    """There is nothing to undo for a person who was not merged."""
    person = make_person("Sepideh Gholian")
    with pytest.raises(ValidationError, match="not merged into anyone"):
        person_unmerge(merged=person, actor=reviewer, reason="Mistake")


def test_merge_that_would_record_two_deaths_is_refused(make_person, reviewer):
    """Two executions on different days cannot become one person's: the merge stops and says what to
    resolve first."""
    keep, merge = make_person("Mohsen Shekari"), make_person("محسن شکاری")
    for person, executed in ((keep, day(2022, 12, 8)), (merge, day(2022, 12, 12))):
        execution_record(person=person, executed=executed, citations=[cite()], actor=reviewer, reason=REASON)
    with pytest.raises(ValidationError) as refused:
        person_merge(keep=keep, merge=merge, actor=reviewer, reason=REASON)
    message = refused.value.messages[0]
    assert message.startswith("Both are recorded as executed, on 12 December 2022 (#")
    assert "and on 8 December 2022 (#" in message and "correct the date that is wrong" in message
    assert Person.objects.get(pk=merge.pk).merged_into is None


def test_deaths_a_day_apart_are_one_death_reported_twice(make_person, reviewer):
    """Killed on 8 January says one source, on 9 January another: the matcher counts that as evidence for
    one person, and the merge refused it ("correct the date"), pushing the reviewer to overwrite a source."""
    keep, merge = make_person("Hossein Moradi"), make_person("حسین مرادی")
    for person, occurred in ((keep, day(2026, 1, 9)), (merge, day(2026, 1, 8))):
        casualty_record(
            person=person, kind="killed", occurred=occurred, citations=[cite()], actor=reviewer, reason=REASON
        )
    person_merge(keep=keep, merge=merge, actor=reviewer, reason=REASON)
    death = Casualty.objects.get()
    assert death.person == keep and str(death.occurred_on) == "2026-01-09"
    person_unmerge(merged=Person.objects.get(pk=merge.pk), actor=reviewer, reason="Two people after all")
    assert sorted(Casualty.objects.values_list("person_id", "occurred_on")) == sorted(
        [(keep.pk, dt.date(2026, 1, 9)), (merge.pk, dt.date(2026, 1, 8))]
    )


def test_the_same_death_recorded_twice_is_one_after_the_merge_and_two_again_after_the_unmerge(
    make_person, reviewer
):
    """One person listed twice as killed on the same day (as lists of the dead often do): the merge keeps
    one death with the sources of both, and the unmerge puts the other back as it was."""
    keep, merge = make_person("Ali Heydari"), make_person("علی حیدری")
    first, second = SourceFactory(), SourceFactory()
    deaths = [
        casualty_record(
            person=person, kind="killed", occurred=day(2026, 1, 9), citations=[cite(source)], actor=reviewer,
            reason=REASON,
        )
        for person, source in ((keep, first), (merge, second))
    ]  # fmt: skip
    deaths[1].medical_details = "Shot in the chest; taken to Imam Reza hospital"
    deaths[1].save()
    before = sorted(Casualty.objects.values_list("pk", "person_id", "occurred_on"))

    person_merge(keep=keep, merge=merge, actor=reviewer, reason=REASON)
    assert list(Casualty.objects.values_list("pk", "person_id")) == [(deaths[0].pk, keep.pk)]
    # The folded death's restricted medical details are kept encrypted on the merge, as at rest.
    assert "Imam Reza" not in json.dumps(Merge.objects.get(merged=merge).moved, ensure_ascii=False)
    cited = _citations_of_casualty(deaths[0].pk)
    assert cited == sorted([first.pk, second.pk])

    person_unmerge(merged=Person.objects.get(pk=merge.pk), actor=reviewer, reason="Two people after all")
    assert sorted(Casualty.objects.values_list("pk", "person_id", "occurred_on")) == before
    assert (
        Casualty.objects.get(pk=deaths[1].pk).medical_details
        == "Shot in the chest; taken to Imam Reza hospital"
    )
    assert _citations_of_casualty(deaths[0].pk) == [first.pk]
    assert _citations_of_casualty(deaths[1].pk) == [second.pk]


def _citations_of_casualty(pk: int) -> list[int]:
    kind = ContentType.objects.get_for_model(Casualty)
    return sorted(
        Citation.objects.filter(content_type=kind, object_id=pk).values_list("source_id", flat=True)
    )


def test_only_reviewers_merge(make_person):
    """A documenter may not merge people."""
    keep, merge = make_person("Narges Mohammadi"), make_person("نرگس محمدی")
    with pytest.raises(PermissionDenied):
        person_merge(keep=keep, merge=merge, actor=staff(Role.DOCUMENTER), reason=REASON)


def test_a_merge_into_oneself_or_a_merged_person_is_refused(make_person, reviewer):
    """No merge into oneself, and none into a record that already redirects elsewhere."""
    a, b, c = make_person("Ali Karimi"), make_person("علی کریمی"), make_person("Ali Karimy")
    with pytest.raises(ValidationError, match="into themselves"):
        person_merge(keep=a, merge=a, actor=reviewer, reason=REASON)
    person_merge(keep=a, merge=b, actor=reviewer, reason=REASON)
    with pytest.raises(ValidationError, match="already merged"):
        person_merge(keep=b, merge=c, actor=reviewer, reason=REASON)


def test_same_person_verdict_merges_and_records_the_decision(make_person, reviewer):
    """ "Same person" merges the pair into the one recorded first and keeps the verdict."""
    a, b = make_person("Narges Mohammadi"), make_person("نرگس محمدی")
    pair = match_pair_propose(a=a, b=b, score=a_score(), actor=reviewer, reason="Found by a test.")
    assert pair is not None
    match_pair_decide(pair=pair, status=MatchStatus.SAME, actor=reviewer, note="Same photo.")
    assert Person.objects.get(pk=b.pk).merged_into_id == a.pk
    assert list(MatchDecision.objects.filter(pair=pair).values_list("status", flat=True)) == ["same"]
    assert pair.status == MatchStatus.SAME and pair.decided_by == reviewer


def test_different_people_is_never_proposed_again(make_person, reviewer):
    """Once found different, a pair is not proposed again, even after one of them absorbs a duplicate."""
    a, b, c = make_person("Ali Karimi"), make_person("علی کریمی"), make_person("Ali Karimy")
    pair = match_pair_propose(a=a, b=b, score=a_score(), actor=reviewer, reason="Found by a test.")
    assert pair is not None
    match_pair_decide(pair=pair, status=MatchStatus.DIFFERENT, actor=reviewer, note="Different fathers.")
    assert match_pair_propose(a=a, b=b, score=a_score(), actor=reviewer, reason="Again") is None
    assert match_pair_propose(a=b, b=a, score=a_score(), actor=reviewer, reason="Again") is None
    person_merge(keep=c, merge=a, actor=reviewer, reason=REASON)
    assert match_pair_propose(a=c, b=b, score=a_score(), actor=reviewer, reason="Again") is None
    with pytest.raises(ValidationError, match="different people"):
        person_merge(keep=c, merge=b, actor=reviewer, reason=REASON)
    assert not review_queue(viewer=reviewer).exists()


def test_a_second_reviewer_cannot_overturn_a_verdict_given_while_the_pair_was_open(make_person, reviewer):
    """Two reviewers open one pair; the first finds two people, the second (on a stale page) says "same
    person": refused with who decided and what, nothing merged, the first verdict the only one kept."""
    a, b = make_person("Jamileh Shafiee"), make_person("Jamileh Shafiei")
    pair = match_pair_propose(a=a, b=b, score=a_score(), actor=reviewer, reason="Found by a test.")
    assert pair is not None
    stale = MatchPair.objects.get(pk=pair.pk)
    match_pair_decide(pair=pair, status=MatchStatus.DIFFERENT, actor=reviewer, note="Different fathers.")
    with pytest.raises(ValidationError, match=f"{reviewer.username} has already decided this pair"):
        match_pair_decide(pair=stale, status=MatchStatus.SAME, actor=staff(), note="Same photo.")
    assert not Person.objects.filter(merged_into__isnull=False).exists()
    assert MatchPair.objects.get(pk=pair.pk).status == MatchStatus.DIFFERENT
    assert list(MatchDecision.objects.filter(pair=pair).values_list("status", flat=True)) == ["different"]


def test_a_restricted_person_is_not_merged_into_a_public_one(make_person, reviewer):
    """Merging a restricted record into a public one would put its names on the public profile: refused,
    saying which to keep; kept the other way round (the restricted record kept), the merge goes ahead."""
    public = make_person("Mohammad Reza Darzadeh", confidentiality="public")
    hidden = make_person("محمدرضا درزاده", "Secretalias Witnessname", confidentiality="restricted")
    with pytest.raises(ValidationError, match=f"Keep #{hidden.pk} instead"):
        person_merge(keep=public, merge=hidden, actor=reviewer, reason=REASON)
    assert set(NameVariant.objects.filter(person=hidden).values_list("text", flat=True)) == {
        "محمدرضا درزاده",
        "Secretalias Witnessname",
    }
    assert not Merge.objects.exists()
    person_merge(keep=hidden, merge=public, actor=reviewer, reason=REASON)
    assert Person.objects.get(pk=public.pk).merged_into_id == hidden.pk


def test_not_sure_leaves_both_people_and_the_pair_out_of_the_queue(make_person, reviewer):
    """ "Not sure" merges nothing and takes the pair off the waiting list."""
    a, b = make_person("Narges Mohammadi"), make_person("نرگس محمدی")
    pair = match_pair_propose(a=a, b=b, score=a_score(), actor=reviewer, reason="Found by a test.")
    assert pair is not None
    match_pair_decide(pair=pair, status=MatchStatus.UNSURE, actor=reviewer)
    assert not Person.objects.filter(merged_into__isnull=False).exists()
    assert not review_queue(viewer=reviewer).exists()


def test_a_proposal_is_not_a_verdict(make_person, reviewer):
    """ "proposed" is refused as a verdict."""
    a, b = make_person("Narges Mohammadi"), make_person("نرگس محمدی")
    pair = match_pair_propose(a=a, b=b, score=a_score(), actor=reviewer, reason="Found by a test.")
    assert pair is not None
    with pytest.raises(ValidationError, match="is not a verdict"):
        match_pair_decide(pair=pair, status=MatchStatus.PROPOSED, actor=reviewer)
    assert MatchPair.objects.get(pk=pair.pk).status == MatchStatus.PROPOSED


def test_the_queue_holds_pairs_of_current_people_the_reviewer_may_see(make_person):
    """A pair with a person merged into someone since, or one the reviewer is not cleared to see, is not
    in the queue."""
    cleared = staff(Role.REVIEWER)
    uncleared = staff(Role.REVIEWER, restricted=False)
    a, b = make_person("Narges Mohammadi"), make_person("نرگس محمدی")
    c, d = make_person("Sepideh Gholian"), make_person("سپیده قلیان", confidentiality="restricted")
    e, f, g = make_person("Ali Heydari"), make_person("علی حیدری"), make_person("Ali Heidari")
    for one, other in ((a, b), (c, d), (e, f)):
        match_pair_propose(a=one, b=other, score=a_score(), actor=cleared, reason="Found by a test.")
    person_merge(keep=g, merge=f, actor=cleared, reason=REASON)

    def queued(viewer: Any) -> set[frozenset[int]]:
        return {frozenset((p.person_a_id, p.person_b_id)) for p in review_queue(viewer=viewer)}

    assert queued(uncleared) == {frozenset((a.pk, b.pk))}
    assert queued(cleared) == {frozenset((a.pk, b.pk)), frozenset((c.pk, d.pk))}


def test_merges_recorded_before_hold_their_folded_medical_details_encrypted_after_the_migration(
    make_person, reviewer
):
    """A merge that folded a death before folded rows were kept encrypted held its medical details in clear:
    the migration encrypts them, and the unmerge still puts them back."""
    from importlib import import_module

    from django.apps import apps

    keep, merge = make_person("Ali Heydari"), make_person("علی حیدری")
    deaths = [
        casualty_record(person=person, kind="killed", occurred=day(2026, 1, 9), citations=[cite()], actor=reviewer, reason=REASON)
        for person in (keep, merge)
    ]  # fmt: skip
    deaths[1].medical_details = "Shot in the chest"
    deaths[1].save()
    person_merge(keep=keep, merge=merge, actor=reviewer, reason=REASON)
    recorded = Merge.objects.get(merged=merge)
    folded = next(entry for entry in recorded.moved["folded"] if entry["label"] == "events.casualty")
    folded["data"]["fields"]["medical_details"], folded["sealed"] = (
        "Shot in the chest",
        [],
    )  # as stored before
    recorded.save()

    import_module("vigil.matching.migrations.0004_seal_folded_encrypted_fields")._seal(apps, None)
    assert "Shot in the chest" not in json.dumps(Merge.objects.get(pk=recorded.pk).moved)
    person_unmerge(merged=Person.objects.get(pk=merge.pk), actor=reviewer, reason="Two people after all")
    assert Casualty.objects.get(pk=deaths[1].pk).medical_details == "Shot in the chest"


def test_a_persons_keys_follow_their_names_and_go_with_them() -> None:
    """The name keys are a person's, built from all their names (a Persian name and its Latin spelling
    share most of theirs, stored once), and have no foreign key in the database (an import writes some
    fourteen a row): the signals keep them in step when a name is added, changed or deleted, and Django's
    cascade removes them with the person, or a deleted name would still be found as a candidate."""
    admin = staff(Role.ADMINISTRATOR)
    person = PersonFactory(names=["نرگس محمدی", "Narges Mohammadi"])
    other = PersonFactory(names=["Sepideh Rashno"])

    def keys(of: Person) -> set[str]:
        found = list(NameKey.objects.filter(person=of).values_list("key", flat=True))
        assert len(found) == len(set(found))
        return set(found)

    both = keys_for_text("نرگس محمدی") | keys_for_text("Narges Mohammadi")
    assert keys(person) == both
    latin = person.names.get(text="Narges Mohammadi")
    latin.text = "Narges Mohamadi Karimi"
    save_with_history(latin, actor=admin, reason="The source's full name.")
    assert keys(person) == keys_for_text("نرگس محمدی") | keys_for_text("Narges Mohamadi Karimi")
    delete_with_history(latin, actor=admin, reason="Misspelled; the source gives another name.")
    assert keys(person) == keys_for_text("نرگس محمدی")
    moved = person.names.get()
    moved.person = other
    moved.is_primary = False
    save_with_history(moved, actor=admin, reason="The name is the other person's.")
    assert keys(person) == set()
    assert keys(other) == keys_for_text("Sepideh Rashno") | keys_for_text("نرگس محمدی")
    delete_with_history(person, actor=admin, reason="Entered twice by mistake, never published.")
    assert NameKey.objects.filter(person_id=person.pk).count() == 0
    delete_with_history(other, actor=admin, reason="Entered twice by mistake, never published.")
    assert not NameKey.objects.exists()
