"""Writing for identity resolution: proposing pairs, reviewers' verdicts, merging and unmerging people.

A merge moves everything recorded on one person to the other and leaves a redirect; it never deletes a
fact. Where a moved row would duplicate one the kept person already has (the same name, the same role in
the same event, the same source cited twice, the same death or execution on a day that can be the same),
the duplicate is folded into it: its citations move over and the row itself is deleted, with a full copy
kept on the ``Merge``, so that ``person_unmerge`` can put back exactly what was there.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Collection
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vigil.accounts.models import User
from vigil.accounts.permissions import Action, refusals_audited, require
from vigil.core.dates import FuzzyDate, date_label
from vigil.core.encryption import EncryptedTextField, decrypt, encrypt
from vigil.core.models import CONFIDENTIALITY_RANK, Confidentiality
from vigil.core.services import delete_with_history, save_with_history
from vigil.matching import weights
from vigil.matching.models import MatchDecision, MatchPair, MatchStatus, Merge
from vigil.matching.scoring import PairScore
from vigil.matching.selectors import different_from, match_candidates_for_person
from vigil.people.models import Gender, NameVariant, Person
from vigil.sources.models import Citation

# Records kept with the person they were made for: derived from the facts and rebuilt from them (the
# search index) or a log of what happened to that record (risk alerts).
LEFT_IN_PLACE = frozenset({"search.searchentry", "alerts.alert"})

# Fields of the kept person filled from the merged one when the kept one has none (restored on unmerge).
FILLABLE = (
    "birth_on",
    "birth_precision",
    "reported_age",
    "age_reported_on",
    "residence_id",
    "ethnicity_id",
    "religion_id",
    "summary_en",
    "summary_fa",
)


# Text fields both people keep: the merged person's text is added after the kept one's, marked with its
# record number (language-neutral, so an unmerge finds and takes it out again in any interface language).
APPENDED = ("notes", "family_contact")


def _appended(merge: Person, field: str) -> str:
    text: str = getattr(merge, field).strip()
    return f"[#{merge.pk}] {text}" if text else ""


def _ordered(a: Person, b: Person) -> tuple[Person, Person]:
    return (a, b) if a.pk < b.pk else (b, a)


# --- proposals and verdicts --------------------------------------------------------------------------------


@transaction.atomic
def match_pair_propose(
    *, a: Person, b: Person, score: PairScore, actor: User, reason: str
) -> MatchPair | None:
    """Put a pair on the review queue (or refresh its score and evidence if it is still waiting). Returns
    ``None``, writing nothing, when the pair was already decided or the two were found different before
    (directly, or through people merged into either): a "different people" verdict is never undone by a
    later run."""
    if a.pk == b.pk or a.merged_into_id is not None or b.merged_into_id is not None:
        return None
    if b.pk in different_from(a.pk):
        return None
    first, second = _ordered(a, b)
    pair = MatchPair.objects.filter(person_a=first, person_b=second).first()
    if pair is None:
        pair = MatchPair(person_a=first, person_b=second)
    elif pair.status != MatchStatus.PROPOSED:
        return None
    pair.score = round(score.probability, 6)
    pair.evidence = score.evidence()
    if first.pk != a.pk:
        pair.evidence["names"] = list(reversed(score.names))
    return save_with_history(pair, actor=actor, reason=reason)


def match_pairs_queue(*, person: Person, named: Collection[int], actor: User, reason: str) -> int:
    """Put on the review queue the pairs of ``person``, just recorded and flagged as a possible duplicate,
    with the people ``named`` by the flag and any other the matcher finds at ``MATCH_THRESHOLD``, scored on
    everything now recorded of both (a flagged row's person was otherwise left for ``vigil match`` to find),
    among the people ``actor`` may see. Returns how many pairs were queued."""
    queued = 0
    for candidate in match_candidates_for_person(person, viewer=actor):
        if candidate.person.pk in named or candidate.probability >= weights.MATCH_THRESHOLD:
            pair = match_pair_propose(
                a=person, b=candidate.person, score=candidate.score, actor=actor, reason=reason
            )
            queued += pair is not None
    return queued


@refusals_audited
@transaction.atomic
def match_pair_decide(
    *, pair: MatchPair, status: str, actor: User, note: str = "", keep: Person | None = None
) -> MatchPair:
    """A reviewer's verdict on a pair: "same person" merges them (into ``keep``, by default the one
    recorded first), "different people" is remembered for good, "not sure" leaves both as they are. Every
    verdict is kept in the pair's decisions."""
    require(actor, Action.REVIEW, pair.person_a)
    if status not in MatchStatus.values or status == MatchStatus.PROPOSED:
        raise ValidationError(
            _("“%(status)s” is not a verdict; choose same person, different people or not sure."),
            code="invalid_verdict",
            params={"status": status},
        )
    # Two reviewers may have the pair open at once: the second verdict must not overwrite the first (a
    # "same person" over a "different people" would merge what was just found to be two people).
    current = MatchPair.objects.select_for_update().get(pk=pair.pk)
    if current.status in (MatchStatus.SAME, MatchStatus.DIFFERENT):
        raise ValidationError(
            _(
                "%(user)s has already decided this pair (“%(verdict)s”) while you were looking at it; "
                "your verdict was not recorded."
            ),
            code="already_decided",
            params={
                "user": current.decided_by or _("Another reviewer"),
                "verdict": current.get_status_display(),
            },
        )
    a, b = Person.objects.get(pk=pair.person_a_id), Person.objects.get(pk=pair.person_b_id)
    for person in (a, b):
        if person.merged_into_id is not None:
            raise ValidationError(
                _("#%(id)s has been merged into #%(into)s since this pair was proposed; review that person."),
                code="merged_person",
                params={"id": person.pk, "into": person.merged_into_id},
            )
    reason = note.strip() or _("Reviewed as a possible duplicate: %(verdict)s.") % {
        "verdict": MatchStatus(status).label
    }
    pair.status = status
    pair.decided_by = actor
    pair.decided_at = timezone.now()
    pair.note = note.strip()
    save_with_history(pair, actor=actor, reason=reason)
    save_with_history(
        MatchDecision(pair=pair, status=status, decided_by=actor, note=note.strip()),
        actor=actor,
        reason=reason,
    )
    if status == MatchStatus.SAME:
        kept = keep if keep is not None else a
        if kept.pk not in (a.pk, b.pk):
            raise ValidationError(_("The person kept must be one of the pair."), code="keep_not_in_pair")
        person_merge(keep=kept, merge=b if kept.pk == a.pk else a, actor=actor, reason=reason, pair=pair)
    return pair


# --- merging -----------------------------------------------------------------------------------------------


def _fold_name(row: models.Model, keep: Person) -> models.Model | None:
    return NameVariant.objects.filter(person=keep, text=getattr(row, "text", None)).first()


def _fold_involvement(row: models.Model, keep: Person) -> models.Model | None:
    return (
        type(row)
        ._default_manager.filter(
            person=keep, event_id=getattr(row, "event_id", None), role_id=getattr(row, "role_id", None)
        )
        .first()
    )


# Two reports of one death may give days this far apart (a death at night, a date converted from the
# Jalali calendar, a report of "yesterday"): a reviewer who found the two people one person merges them.
FOLD_DAYS_APART = dt.timedelta(days=2)


def _near(day: FuzzyDate, other: FuzzyDate) -> bool:
    """Whether two dates can be the same day, or are at most ``FOLD_DAYS_APART`` apart."""
    if not day.certainly_apart(other):
        return True
    first, last = (day, other) if day.certainly_before(other) else (other, day)
    end, start = first.latest, last.earliest
    return end is not None and start is not None and start - end <= FOLD_DAYS_APART


def _fold_same_day(kind: str, date: str) -> Callable[[models.Model, Person], models.Model | None]:
    """A death or execution the kept person has too, on a day that can be the same or a day or two apart:
    one event reported twice (the kept record's date stays; the other is kept on the merge's record and
    comes back on an undo). Further apart, it is a contradiction for a person to resolve."""

    def fold(row: models.Model, keep: Person) -> models.Model | None:
        found = type(row)._default_manager.filter(person=keep, **({"kind": kind} if kind else {}))
        day = getattr(row, date)
        for other in found:
            if _near(day, getattr(other, date)):
                return other
        return None

    return fold


def _merge_conflict(row: models.Model, keep: Person) -> str:
    """Why ``row`` cannot join ``keep``'s records, and what to do: a death or an execution on days that
    cannot be the same is a contradiction of the sources, which a reviewer resolves by correcting a date
    (never by deleting a source's claim); another record a person has once names both records."""
    dated = {"events.casualty": ("occurred", _("killed")), "custody.execution": ("executed", _("executed"))}
    label = row._meta.label_lower
    if label in dated:
        date, what = dated[label]
        kept = type(row)._default_manager.filter(
            person=keep, **({"kind": "killed"} if date == "occurred" else {})
        )
        other = kept.first()
        if other is not None:
            return _(
                "Both are recorded as %(what)s, on %(theirs)s (#%(pk)s) and on %(mine)s (#%(kept)s): days "
                "too far apart to be one report. If they are one person, correct the date that is wrong (both "
                "sources stay) and merge again; if not, they are different people."
            ) % {
                "what": what,
                "theirs": date_label(getattr(row, date)),
                "pk": row.pk,
                "mine": date_label(getattr(other, date)),
                "kept": other.pk,
            }
    return _(
        "Both people have a record a person can have only once (%(what)s #%(pk)s); correct or remove one of "
        "them before merging."
    ) % {"what": row._meta.verbose_name, "pk": row.pk}


# Rows that duplicate one of the kept person's are folded into it (its citations move to the kept row);
# any other conflict stops the merge.
FOLDABLE: dict[str, Callable[[models.Model, Person], models.Model | None]] = {
    "people.namevariant": _fold_name,
    "events.involvement": _fold_involvement,
    "events.casualty": _fold_same_day("killed", "occurred"),
    "custody.execution": _fold_same_day("", "executed"),
}


def _snapshot(row: models.Model) -> dict[str, Any]:
    """A row as Django serialises it (fields by value, relations by key), to recreate it exactly. Encrypted
    fields (a casualty's medical details) are kept encrypted, as at rest: ``Merge.moved`` is a plain column
    that reviewers without restricted clearance read."""
    data = json.loads(serializers.serialize("json", [row]))[0]
    sealed = [
        field.name
        for field in row._meta.concrete_fields
        if isinstance(field, EncryptedTextField) and data["fields"].get(field.name)
    ]
    for name in sealed:
        data["fields"][name] = encrypt(data["fields"][name])
    return {"label": row._meta.label_lower, "data": data, "sealed": sealed}


def _citations_of(row: models.Model) -> models.QuerySet[Citation]:
    return Citation.objects.filter(content_type=ContentType.objects.get_for_model(row), object_id=row.pk)


def _conflicts(row: models.Model) -> bool:
    try:
        row.validate_unique()
        row.validate_constraints()
    except ValidationError:
        return True
    return False


class _Mover:
    """Moves the rows of one merge and records them in ``moved``."""

    def __init__(self, *, keep: Person, merge: Person, actor: User, reason: str) -> None:
        self.keep, self.merge, self.actor, self.reason = keep, merge, actor, reason
        self.moved: dict[str, list[Any]] = {"repointed": [], "citations": [], "folded": [], "unprimary": []}

    def move_citations(self, old: models.Model, new: models.Model) -> None:
        """Re-point the citations of ``old`` to ``new``, folding those ``new`` already has."""
        for citation in _citations_of(old):
            citation.object_id = new.pk
            if _conflicts(citation):
                citation.object_id = old.pk
                self.moved["folded"].append({**_snapshot(citation), "into": None, "citations": []})
                delete_with_history(citation, actor=self.actor, reason=self.reason)
                continue
            save_with_history(citation, actor=self.actor, reason=self.reason)
            self.moved["citations"].append({"pk": citation.pk, "from": old.pk})

    def move_row(self, row: models.Model, field: str) -> None:
        label = row._meta.label_lower
        setattr(row, field, self.keep)
        if (
            isinstance(row, NameVariant)
            and row.is_primary
            and self.keep.names.filter(script=row.script, is_primary=True).exists()
        ):
            # The kept person's primary name stays primary; this one becomes a variant.
            row.is_primary = False
            self.moved["unprimary"].append(row.pk)
        if _conflicts(row):
            setattr(row, field, self.merge)
            fold = FOLDABLE.get(label)
            survivor = fold(row, self.keep) if fold else None
            if survivor is None:
                raise ValidationError(_merge_conflict(row, self.keep), code="merge_conflict")
            if row.pk in self.moved["unprimary"]:
                self.moved["unprimary"].remove(row.pk)
                row.is_primary = True  # type: ignore[attr-defined]
            entry = {**_snapshot(row), "into": survivor.pk, "citations": []}
            for citation in _citations_of(row):
                entry["citations"].append(citation.pk)
            self.move_citations(row, survivor)
            self.moved["folded"].append(entry)
            delete_with_history(row, actor=self.actor, reason=self.reason)
            return
        save_with_history(row, actor=self.actor, reason=self.reason)
        self.moved["repointed"].append({"label": label, "pk": row.pk, "field": field})


def _related_rows(person: Person) -> list[tuple[models.Model, str]]:
    rows: list[tuple[models.Model, str]] = []
    for relation in Person._meta.related_objects:
        model = relation.related_model
        if not isinstance(model, type) or model is Person:
            continue
        label = model._meta.label_lower
        if label in LEFT_IN_PLACE or label.startswith("matching."):
            continue
        if not (relation.one_to_many or relation.one_to_one):
            continue
        field = relation.field.name
        rows.extend((row, field) for row in model._default_manager.filter(**{field: person}).order_by("pk"))
    return rows


@refusals_audited
@transaction.atomic
def person_merge(
    *, keep: Person, merge: Person, actor: User, reason: str, pair: MatchPair | None = None
) -> Person:
    """Record that ``merge`` is ``keep``: every name, citation, detention, case, casualty, involvement and
    other fact of ``merge`` moves to ``keep`` (duplicates folded, see the module's docstring), fields
    ``keep`` lacks (age, birth, residence ...) are filled from ``merge``, and ``merge`` redirects to
    ``keep``. The ``Merge`` returned by ``keep.pk`` lookups records all of it for ``person_unmerge``."""
    require(actor, Action.REVIEW, keep)
    require(actor, Action.REVIEW, merge)
    keep = Person.objects.select_for_update().get(pk=keep.pk)
    merge = Person.objects.select_for_update().get(pk=merge.pk)
    if keep.pk == merge.pk:
        raise ValidationError(_("A person cannot be merged into themselves."), code="merge_self")
    for person in (keep, merge):
        if person.merged_into_id is not None:
            raise ValidationError(
                _("#%(id)s was already merged into #%(into)s; merge into that person instead."),
                code="already_merged",
                params={"id": person.pk, "into": person.merged_into_id},
            )
    if merge.pk in different_from(keep.pk):
        raise ValidationError(
            _("#%(a)s and #%(b)s were found to be different people; change that verdict before merging."),
            code="known_different",
            params={"a": keep.pk, "b": merge.pk},
        )
    if (
        CONFIDENTIALITY_RANK[Confidentiality(merge.confidentiality)]
        > CONFIDENTIALITY_RANK[Confidentiality(keep.confidentiality)]
    ):
        # The merged person's names and facts would be shown wherever the kept one is: a restricted
        # witness's alias on a public profile. The reviewer raises the kept level or keeps the other.
        raise ValidationError(
            _(
                "#%(merge)s is “%(merge_level)s” and #%(keep)s “%(keep_level)s”: merging would show what is "
                "recorded of #%(merge)s to all who may see #%(keep)s. Keep #%(merge)s instead, or make "
                "#%(keep)s “%(merge_level)s” first."
            ),
            code="less_confidential_keep",
            params={
                "merge": merge.pk,
                "keep": keep.pk,
                "merge_level": Confidentiality(merge.confidentiality).label,
                "keep_level": Confidentiality(keep.confidentiality).label,
            },
        )
    mover = _Mover(keep=keep, merge=merge, actor=actor, reason=reason)
    for row, field in _related_rows(merge):
        mover.move_row(row, field)
    mover.move_citations(merge, keep)
    filled: dict[str, Any] = {}
    for field in FILLABLE:
        mine, theirs = getattr(keep, field), getattr(merge, field)
        if mine in (None, "", "unknown") and theirs not in (None, "", "unknown"):
            filled[field] = mine
            setattr(keep, field, theirs)
    if keep.gender == Gender.UNKNOWN and merge.gender != Gender.UNKNOWN:
        filled["gender"] = keep.gender
        keep.gender = merge.gender
    appended = []  # which fields; not their text (the family contact is restricted, Merge.moved is not)
    for field in APPENDED:
        if block := _appended(merge, field):
            mine = getattr(keep, field).rstrip()
            setattr(keep, field, f"{mine}\n\n{block}" if mine else block)
            appended.append(field)
    # Always a version of the kept person, so that its history says when and why the other was merged in.
    save_with_history(keep, actor=actor, reason=f"{reason.strip()} (#{merge.pk} → #{keep.pk})")
    added = sorted(
        set(merge.occupations.values_list("pk", flat=True))
        - set(keep.occupations.values_list("pk", flat=True))
    )
    if added:
        keep._history_user = actor  # type: ignore[attr-defined]
        keep._change_reason = reason.strip()  # type: ignore[attr-defined]
        keep.occupations.add(*added)
    merge.merged_into = keep
    save_with_history(merge, actor=actor, reason=reason)
    moved = {**mover.moved, "filled": _json_ready(filled), "occupations": added, "appended": appended}
    return_merge = Merge(keep=keep, merged=merge, pair=pair, actor=actor, reason=reason.strip(), moved=moved)
    save_with_history(return_merge, actor=actor, reason=reason)
    MatchPair.objects.filter(
        person_a=min(keep.pk, merge.pk), person_b=max(keep.pk, merge.pk), status=MatchStatus.PROPOSED
    ).update(status=MatchStatus.SAME, decided_by=actor, decided_at=timezone.now())
    return keep


def _json_ready(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in values.items()}


# --- unmerging ---------------------------------------------------------------------------------------------


def _restore(entry: dict[str, Any], actor: User, reason: str) -> models.Model:
    """Recreate a folded row with its own primary key and values, timestamps included."""
    data = {**entry["data"], "fields": dict(entry["data"]["fields"])}
    for name in entry.get("sealed", []):
        data["fields"][name] = decrypt(data["fields"][name])
    deserialized = next(serializers.deserialize("json", json.dumps([data])))
    row = deserialized.object
    save_with_history(row, actor=actor, reason=reason)
    for m2m, values in (deserialized.m2m_data or {}).items():
        getattr(row, m2m).set(values)
    stamps = {
        f.attname: getattr(deserialized.object, f.attname)
        for f in row._meta.concrete_fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    }
    original = {
        f.attname: f.to_python(entry["data"]["fields"].get(f.name))
        for f in row._meta.concrete_fields
        if f.attname in stamps
    }
    if original:
        type(row)._default_manager.filter(pk=row.pk).update(**original)
    return row


# Fields filled together, and emptied again together: an age and the day it was reported for, a birth
# date and its precision.
_FILLED_TOGETHER = (("reported_age", "age_reported_on"), ("birth_on", "birth_precision"))


def _corrected_since(keep: Person, merged: Person, filled: dict[str, Any]) -> set[str]:
    """The filled fields whose value on ``keep`` is no longer the one the merge gave it (``merged``'s): a
    correction made since, which an unmerge leaves as it is."""
    corrected = {field for field in filled if getattr(keep, field) != getattr(merged, field)}
    for group in _FILLED_TOGETHER:
        if corrected & set(group):
            corrected |= set(group) & set(filled)
    return corrected


@refusals_audited
@transaction.atomic
def person_unmerge(*, merged: Person, actor: User, reason: str) -> Person:
    """Undo the merge of ``merged``: everything that was moved goes back, folded duplicates are recreated
    as they were, fields filled on the kept person are emptied again, and ``merged`` is a person of its own
    again. Facts added to the kept person since the merge stay with it, and so does a filled field
    corrected since. Returns ``merged``."""
    require(actor, Action.REVIEW, merged)
    merge = Merge.objects.select_for_update().filter(merged=merged, undone_at__isnull=True).first()
    if merge is None:
        raise ValidationError(
            _("#%(id)s is not merged into anyone; there is nothing to undo."),
            code="not_merged",
            params={"id": merged.pk},
        )
    if not reason or not reason.strip():
        raise ValidationError(_("Every change needs a reason (for example the source it comes from)."))
    merged = Person.objects.select_for_update().get(pk=merged.pk)
    keep = Person.objects.select_for_update().get(pk=merge.keep_id)
    moved = merge.moved
    for entry in reversed(moved.get("folded", [])):
        if entry["data"]["model"] == "sources.citation":
            continue
        _restore(entry, actor, reason)
    for entry in reversed(moved.get("folded", [])):
        if entry["data"]["model"] == "sources.citation":
            _restore(entry, actor, reason)
    for entry in moved.get("folded", []):
        for pk in entry.get("citations", []):
            citation = Citation.objects.filter(pk=pk).first()
            if citation is not None:
                citation.object_id = entry["data"]["pk"]
                save_with_history(citation, actor=actor, reason=reason)
    for entry in moved.get("citations", []):
        citation = Citation.objects.filter(pk=entry["pk"]).first()
        if citation is not None:
            citation.object_id = entry["from"]
            save_with_history(citation, actor=actor, reason=reason)
    model_of: dict[str, type[models.Model]] = {}
    for entry in moved.get("repointed", []):
        model = model_of.setdefault(entry["label"], apps.get_model(entry["label"]))
        row = model._default_manager.filter(pk=entry["pk"]).first()
        if row is None:
            continue  # deleted since the merge; its deletion is in its history
        setattr(row, entry["field"], merged)
        if isinstance(row, NameVariant) and row.pk in moved.get("unprimary", []):
            row.is_primary = True
        save_with_history(row, actor=actor, reason=reason)
    filled = moved.get("filled", {})
    corrected = _corrected_since(keep, merged, filled)
    for field, value in filled.items():
        if field in corrected:
            continue
        keep_field = Person._meta.get_field(field.removesuffix("_id"))
        if value is not None and isinstance(keep_field, models.Field):
            value = keep_field.to_python(value)
        setattr(keep, field, value)
    for field in moved.get("appended", []):
        # The merged person's text, as added; what was written around it since stays.
        if block := _appended(merged, field):
            text = getattr(keep, field)
            setattr(keep, field, text.replace(f"\n\n{block}", "").replace(block, "").strip())
    if filled or moved.get("appended"):
        save_with_history(keep, actor=actor, reason=reason)
    if moved.get("occupations"):
        keep._history_user = actor  # type: ignore[attr-defined]
        keep._change_reason = reason.strip()  # type: ignore[attr-defined]
        keep.occupations.remove(*moved["occupations"])
    merged.merged_into = None
    save_with_history(merged, actor=actor, reason=reason)
    merge.undone_at = timezone.now()
    merge.undone_by = actor
    merge.undo_reason = reason.strip()
    save_with_history(merge, actor=actor, reason=reason)
    pair = MatchPair.objects.filter(
        person_a=min(keep.pk, merged.pk), person_b=max(keep.pk, merged.pk)
    ).first()
    if pair is not None and pair.status == MatchStatus.SAME:
        pair.status = MatchStatus.UNSURE
        pair.decided_by, pair.decided_at = actor, timezone.now()
        save_with_history(pair, actor=actor, reason=reason)
        save_with_history(
            MatchDecision(pair=pair, status=MatchStatus.UNSURE, decided_by=actor, note=reason.strip()),
            actor=actor,
            reason=reason,
        )
    return merged
