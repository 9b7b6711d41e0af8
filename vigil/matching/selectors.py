"""Reading for identity resolution: people as the matcher sees them, possible existing matches for a person
being entered, and the review queue. Every selector applies the viewer's confidentiality: a restricted
person is never offered as a match to someone who may not see them."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from vigil.core.dates import FuzzyDate, Precision, date_label
from vigil.core.text import reader_digits
from vigil.core.visibility import field_visible, visible
from vigil.custody.models import Detention
from vigil.events.models import Casualty
from vigil.matching import weights
from vigil.matching.models import MatchPair, MatchStatus, NameKey
from vigil.matching.normalise import NameForm, analyse_name, lookup_keys
from vigil.matching.scoring import (
    Commonness,
    NameFrequency,
    PairScore,
    PersonFeatures,
    PlaceRef,
    birth_years_from_age,
    score_pair,
)
from vigil.people.models import Gender, NameVariant, Person
from vigil.places.models import Place
from vigil.sources.models import Citation, Source

# How many people sharing a key with the name being entered are scored at most (those sharing most keys).
MAX_SCORED = 500


@dataclass(frozen=True)
class Candidate:
    """A person already recorded who may be the one being entered."""

    person: Person
    probability: float
    score: PairScore

    @property
    def evidence(self) -> dict[str, Any]:
        return self.score.evidence()


# --- people as the matcher sees them -----------------------------------------------------------------------


class PlaceTree:
    """The gazetteer's parent links, read once: every place's province."""

    def __init__(self) -> None:
        self.parent: dict[int, tuple[int | None, str]] = {
            pk: (parent, kind) for pk, parent, kind in Place.objects.values_list("pk", "parent_id", "kind")
        }

    def ref(self, place_id: int | None) -> PlaceRef | None:
        """A city (or district, village) with its province; a province alone; nothing for a country."""
        if place_id is None or place_id not in self.parent:
            return None
        province: int | None = None
        current: int | None = place_id
        for _step in range(10):  # a gazetteer is shallow; never loop on a cycle
            if current is None:
                break
            parent, kind = self.parent.get(current, (None, ""))
            if kind == Place.Kind.PROVINCE:
                province = current
                break
            current = parent
        if self.parent[place_id][1] in (Place.Kind.PROVINCE, Place.Kind.COUNTRY):
            return PlaceRef(None, province) if province is not None else None
        return PlaceRef(place_id, province)


def _birth_years(
    birth_on: dt.date | None, precision: str, age: int | None, reported_on: dt.date | None
) -> tuple[int, int] | None:
    if birth_on is not None and precision != Precision.UNKNOWN:
        birth = FuzzyDate(birth_on, precision)
        if birth.earliest is not None and birth.latest is not None:
            return (birth.earliest.year, birth.latest.year)
    if age is not None and reported_on is not None:
        return birth_years_from_age(age, reported_on.year)
    return None


def person_features(people: Sequence[Person], *, places: PlaceTree | None = None) -> list[PersonFeatures]:
    """The matcher's view of ``people`` (names, gender, years of birth, places of residence, arrest and death,
    days of arrest and death, sources and the earliest date one of them was published), read in a few
    queries. People without a usable name are left out."""
    places = places or PlaceTree()
    ids = [p.pk for p in people]
    names: dict[int, list[NameForm]] = defaultdict(list)
    sources: dict[int, set[int]] = defaultdict(set)
    refs: dict[int, list[PlaceRef]] = defaultdict(list)
    days: dict[tuple[int, str], list[int]] = defaultdict(list)
    for person_id, text, source_id in NameVariant.objects.filter(person_id__in=ids).values_list(
        "person_id", "text", "source_id"
    ):
        form = analyse_name(text)
        if form.usable:
            names[person_id].append(form)
        if source_id:
            sources[person_id].add(source_id)
    person_type = ContentType.objects.get_for_model(Person)
    for object_id, source_id in Citation.objects.filter(
        content_type=person_type, object_id__in=ids
    ).values_list("object_id", "source_id"):
        sources[int(object_id)].add(source_id)
    for model, place_field, day_field in (
        (Detention, "arrest_place_id", "arrested"),
        (Casualty, "place_id", "occurred"),  # killed or injured
    ):
        rows = model.objects.filter(person_id__in=ids).values_list(
            "person_id", place_field, f"{day_field}_on", f"{day_field}_precision"
        )
        for person_id, place_id, day, precision in rows:
            if (ref := places.ref(place_id)) is not None:
                refs[person_id].append(ref)
            if day is not None and precision == Precision.DAY:
                days[person_id, day_field].append(day.toordinal())
    published: dict[int, dt.date] = {
        pk: day
        for pk, day in Source.objects.filter(
            pk__in={pk for cited in sources.values() for pk in cited}, published_on__isnull=False
        ).values_list("pk", "published_on")
        if day is not None
    }
    found = []
    for person in people:
        if not names[person.pk]:
            continue
        dates = [published[pk] for pk in sources[person.pk] if pk in published]
        residence = places.ref(person.residence_id)
        found.append(
            PersonFeatures(
                id=person.pk,
                names=tuple(names[person.pk]),
                gender=person.gender if person.gender in (Gender.FEMALE, Gender.MALE) else "",
                birth_years=_birth_years(
                    person.birth_on, person.birth_precision, person.reported_age, person.age_reported_on
                ),
                places=tuple(dict.fromkeys([*([residence] if residence else []), *refs[person.pk]])),
                days=tuple(sorted(set(days[person.pk, "arrested"]))),
                casualty_days=tuple(sorted(set(days[person.pk, "occurred"]))),
                sources=frozenset(sources[person.pk]),
                reported=min(dates).toordinal() if dates else None,
            )
        )
    return found


def current_people(viewer: Any) -> QuerySet[Person]:
    """People ``viewer`` may see who have not been merged into someone else."""
    return visible(Person.objects.filter(merged_into__isnull=True), viewer)


def name_frequency(forms: Iterable[NameForm], *, population: int | None = None) -> NameFrequency:
    """How common each part of ``forms`` is among the people recorded (``NameFrequency``), from the ``w:``
    keys of the names: one query."""
    parts = {part for form in forms for part in form.skeletons}
    counts = dict(
        NameKey.objects.filter(key__in=[f"w:{part}" for part in parts], person__merged_into__isnull=True)
        .values("key")
        .annotate(people=Count("person"))
        .values_list("key", "people")
    )
    if population is None:
        population = Person.objects.filter(merged_into__isnull=True).count()
    return NameFrequency({key[2:]: n for key, n in counts.items()}, population)


def commonness(
    forms: Iterable[NameForm],
    *,
    places: PlaceTree | None = None,
    population: int | None = None,
    sources: bool = True,
) -> Commonness:
    """``name_frequency`` and how common each source, place and province is among the people recorded, as
    the batch run (``engine.commonness``) weighs them: a source in common that reports few people is
    stronger evidence than one that reports many, and so on. A handful of grouped counts (sources only with
    ``sources``: a person being entered has none yet); a person tied to a place twice (residence and
    arrest) is counted twice. Years of birth are not counted here: agreeing years weigh as a common year
    does."""
    names = name_frequency(forms, population=population)
    places = places or PlaceTree()
    source_counts: dict[int, int] | None = None
    if sources:
        source_counts = {}
        person_type = ContentType.objects.get_for_model(Person)
        for rows in (
            Citation.objects.filter(content_type=person_type)
            .values("source")
            .annotate(people=Count("object_id", distinct=True))
            .values_list("source", "people"),
            NameVariant.objects.filter(source__isnull=False)
            .values("source")
            .annotate(people=Count("person", distinct=True))
            .values_list("source", "people"),
        ):
            for source, count in rows:
                source_counts[source] = max(source_counts.get(source, 0), count)
    place_counts: dict[int, int] = defaultdict(int)
    province_counts: dict[int, int] = defaultdict(int)
    for place_rows in (
        Person.objects.filter(merged_into__isnull=True, residence__isnull=False)
        .values("residence")
        .annotate(people=Count("pk"))
        .values_list("residence", "people"),
        Detention.objects.filter(arrest_place__isnull=False)
        .values("arrest_place")
        .annotate(people=Count("person", distinct=True))
        .values_list("arrest_place", "people"),
        Casualty.objects.filter(place__isnull=False)
        .values("place")
        .annotate(people=Count("person", distinct=True))
        .values_list("place", "people"),
    ):
        for place_id, count in place_rows:
            ref = places.ref(place_id)
            if ref is None:
                continue
            if ref.place is not None:
                place_counts[ref.place] += count
            if ref.province is not None:
                province_counts[ref.province] += count
    return Commonness(
        names.part_counts,
        names.population,
        source_counts=source_counts,
        place_counts=place_counts,
        province_counts=province_counts,
    )


# --- possible existing matches -----------------------------------------------------------------------------


def _usable_forms(names: Sequence[str]) -> list[NameForm]:
    forms = [analyse_name(name) for name in names]
    usable = [form for form in forms if form.usable]
    if not usable:
        problems = "; ".join(
            f"“{form.text[:40]}”: {form.problem}" if form.text else str(form.problem) for form in forms
        )
        raise ValidationError(
            _("No name can be compared with the people recorded. %(problems)s"),
            code="no_usable_name",
            params={"problems": problems or _("No name was given.")},
        )
    return usable


@dataclass(frozen=True)
class MatchQuery:
    """A person about to be entered or imported, as the matcher compares them with those recorded: the
    same facts ``person_features`` reads of a recorded person (places of residence, arrest and death; days
    of arrest, and of killing or injury, known to the day; when the report was published)."""

    names: Sequence[str]
    reported_age: int | None = None
    age_on: dt.date | None = None  # the day the age was reported for; else ``reported_on``, else today
    gender: str | None = None
    places: Sequence[Place] = ()
    arrested: Sequence[dt.date] = ()
    killed_or_injured: Sequence[dt.date] = ()
    reported_on: dt.date | None = None
    exclude: frozenset[int] = frozenset()


def match_candidates_for(
    *,
    names: Sequence[str],
    reported_age: int | None = None,
    age_on: dt.date | None = None,
    gender: str | None = None,
    place: Place | None = None,
    viewer: Any = None,
    limit: int = 10,
    reported_on: dt.date | None = None,
    arrested_on: dt.date | None = None,
    exclude: Iterable[int] = (),
) -> list[Candidate]:
    """People already recorded who may be the person about to be entered (or imported), most likely first:
    what the intake form and importers show as "possible existing matches" before saving.

    Names may be in Persian script or any Latin spelling. A name that cannot be compared (empty, only
    honorifics, pasted text) is skipped; if none can be, a ``ValidationError`` says why. Merged-away people
    and people ``viewer`` may not see are never offered. Nothing is written.
    """
    _usable_forms(names)
    query = MatchQuery(
        names=names, reported_age=reported_age, age_on=age_on, gender=gender,
        places=(place,) if place is not None else (), arrested=(arrested_on,) if arrested_on else (),
        reported_on=reported_on, exclude=frozenset(exclude),
    )  # fmt: skip
    return match_candidates_many([query], viewer=viewer, limit=limit)[0]


def _people_by_key(wanted: set[str]) -> dict[str, list[int]]:
    """The people bearing a name under each of the ``wanted`` keys (an import's chunk asks for some ten
    thousand keys at once)."""
    found: dict[str, list[int]] = defaultdict(list)
    for key, person_id in NameKey.objects.filter(key__any_of=sorted(wanted)).values_list("key", "person"):
        found[key].append(person_id)
    return found


def match_candidates_many(
    queries: Sequence[MatchQuery], *, viewer: Any = None, limit: int = 10
) -> list[list[Candidate]]:
    """``match_candidates_for`` for many people at once (an import's chunk), with the same answers and a
    handful of queries in all. A query with no comparable name gets no candidates."""
    forms: list[list[NameForm]] = []
    keys: list[set[str]] = []
    for query in queries:
        usable = [form for form in (analyse_name(name) for name in query.names) if form.usable]
        forms.append(usable)
        keys.append({key for form in usable for key in lookup_keys(form)})
    people_by_key = _people_by_key(set().union(*keys) if keys else set())
    # Who the viewer may see, asked once for everyone found (a join per key would cost more than this).
    shown = set(
        current_people(viewer)
        .filter(pk__in={pk for found in people_by_key.values() for pk in found})
        .values_list("pk", flat=True)
    )
    chosen: list[list[int]] = []
    for query, query_keys in zip(queries, keys, strict=True):
        hits: dict[int, int] = defaultdict(int)
        for key in query_keys:
            for person_id in people_by_key.get(key, ()):
                if person_id in shown and person_id not in query.exclude:
                    hits[person_id] += 1
        chosen.append(sorted(hits, key=lambda pk: (-hits[pk], pk))[:MAX_SCORED])
    found_ids = {pk for ids in chosen for pk in ids}
    if not found_ids:
        return [[] for _query in queries]
    people = {person.pk: person for person in Person.objects.filter(pk__in=found_ids)}
    places = PlaceTree()
    features = {found.id: found for found in person_features(list(people.values()), places=places)}
    frequency = commonness(
        [
            *(form for usable in forms for form in usable),
            *(form for f in features.values() for form in f.names),
        ],
        places=places,
        sources=False,  # the people being entered cite no source yet
    )
    answers = []
    for query, usable, ids in zip(queries, forms, chosen, strict=True):
        age_on = query.age_on or query.reported_on or timezone.localdate()
        refs = (places.ref(place.pk) for place in query.places)
        subject = PersonFeatures(
            id=0,
            names=tuple(usable),
            gender=query.gender if query.gender in (Gender.FEMALE, Gender.MALE) else "",
            birth_years=birth_years_from_age(query.reported_age, age_on.year)
            if query.reported_age is not None
            else None,
            places=tuple(dict.fromkeys(ref for ref in refs if ref is not None)),
            days=tuple(sorted({day.toordinal() for day in query.arrested})),
            casualty_days=tuple(sorted({day.toordinal() for day in query.killed_or_injured})),
            reported=query.reported_on.toordinal() if query.reported_on else None,
        )
        candidates = []
        for pk in ids:
            if pk not in features:
                continue
            score = score_pair(subject, features[pk], frequency=frequency)
            if score.probability >= weights.CANDIDATE_THRESHOLD:
                candidates.append(Candidate(people[pk], score.probability, score))
        candidates.sort(key=lambda c: (-c.probability, c.person.pk))
        answers.append(candidates[:limit])
    return answers


def match_candidates_for_person(person: Person, *, viewer: Any = None, limit: int = 10) -> list[Candidate]:
    """People who may be ``person`` recorded again, scored on everything recorded about both; pairs already
    found to be different people are left out."""
    mine = person_features([person])
    if not mine:
        return []
    own = mine[0]
    different = different_from(person.pk)
    keys: set[str] = set()
    for form in own.names:
        keys |= lookup_keys(form)
    hits = (
        NameKey.objects.filter(key__in=keys, person__in=current_people(viewer))
        .exclude(person__in=[person.pk, *different])
        .values("person")
        .annotate(hits=Count("id"))
        .order_by("-hits", "person")[:MAX_SCORED]
    )
    people = list(Person.objects.filter(pk__in=[row["person"] for row in hits]))
    features = person_features(people)
    frequency = commonness([*own.names, *(form for f in features for form in f.names)])
    by_id = {p.pk: p for p in people}
    candidates = []
    for found in features:
        score = score_pair(own, found, frequency=frequency)
        if score.probability >= weights.CANDIDATE_THRESHOLD:
            candidates.append(Candidate(by_id[found.id], score.probability, score))
    candidates.sort(key=lambda c: (-c.probability, c.person.pk))
    return candidates[:limit]


# --- decisions and the review queue ------------------------------------------------------------------------


def merged_group(person_id: int) -> set[int]:
    """``person_id`` and everyone merged into it, directly or through others."""
    group = {person_id}
    frontier = [person_id]
    while frontier:
        merged = list(Person.objects.filter(merged_into__in=frontier).values_list("pk", flat=True))
        frontier = [pk for pk in merged if pk not in group]
        group.update(frontier)
    return group


def different_from(person_id: int) -> set[int]:
    """The people found to be different from ``person_id`` (or from anyone merged into it), and everyone
    merged into them: none of them is proposed with it again."""
    group = merged_group(person_id)
    pairs = MatchPair.objects.filter(status=MatchStatus.DIFFERENT).filter(
        Q(person_a__in=group) | Q(person_b__in=group)
    )
    others: set[int] = set()
    for a, b in pairs.values_list("person_a_id", "person_b_id"):
        other = b if a in group else a
        others |= merged_group(other)
        others.add(current_person(other))
    return others


def current_person(person_id: int) -> int:
    """Where a person's record lives now: itself, or the end of its chain of merges."""
    seen = {person_id}
    current = person_id
    while True:
        target = Person.objects.filter(pk=current).values_list("merged_into_id", flat=True).first()
        if target is None or target in seen:
            return current
        seen.add(target)
        current = target


def waiting_pairs() -> set[tuple[int, int]]:
    """Every pair on the review queue waiting for a verdict, by the ids of its two people (lower first)."""
    return set(
        MatchPair.objects.filter(status=MatchStatus.PROPOSED).values_list("person_a_id", "person_b_id")
    )


def known_different_pairs() -> set[tuple[int, int]]:
    """Every pair of current people that a reviewer has found different (through merges too)."""
    redirect = dict(Person.objects.filter(merged_into__isnull=False).values_list("pk", "merged_into_id"))

    def resolve(pk: int) -> int:
        seen = set()
        while pk in redirect and pk not in seen:
            seen.add(pk)
            pk = redirect[pk]
        return pk

    pairs = set()
    for a, b in MatchPair.objects.filter(status=MatchStatus.DIFFERENT).values_list(
        "person_a_id", "person_b_id"
    ):
        x, y = resolve(a), resolve(b)
        if x != y:
            pairs.add((min(x, y), max(x, y)))
    return pairs


def current_pairs(pairs: QuerySet[MatchPair], viewer: Any) -> QuerySet[MatchPair]:
    """The pairs of ``pairs`` whose two people are current (not merged into someone) and visible to
    ``viewer``, checked through the joins: "person IN (the current people)" on both sides made SQLite probe
    every combination of the two lists (1.5 s for a thousand pairs among 4,600 people)."""
    for side in ("person_a", "person_b"):
        pairs = visible(
            pairs.filter(**{f"{side}__merged_into__isnull": True}), viewer, field=f"{side}__confidentiality"
        )
    return pairs


def review_queue(*, viewer: Any, status: str = MatchStatus.PROPOSED) -> QuerySet[MatchPair]:
    """Pairs waiting for a verdict (or with ``status``), most likely first; both people current and
    visible to ``viewer``."""
    return (
        current_pairs(MatchPair.objects.filter(status=status), viewer)
        .select_related("person_a", "person_b")
        .order_by("-score", "id")
    )


@dataclass(frozen=True)
class PersonSummary:
    """What a reviewer compares of one person, side by side with the other."""

    person: Person
    names: list[Any]
    age: str
    places: list[str]
    detentions: list[Detention]
    casualties: list[Casualty]
    sources: list[Any]
    notes: str = ""  # internal notes, for a viewer who may read them (place texts an import could not place)


def person_summary(person: Person, *, viewer: Any) -> PersonSummary:
    """Names in both scripts, age, places, detentions, deaths or injuries, and sources of ``person``, as far
    as ``viewer`` may see them."""
    from vigil.sources.models import Source

    person_type = ContentType.objects.get_for_model(Person)
    source_ids = set(
        Citation.objects.filter(content_type=person_type, object_id=person.pk).values_list(
            "source_id", flat=True
        )
    )
    names = list(person.names.select_related("source").order_by("-is_primary", "script", "id"))
    source_ids |= {n.source_id for n in names if n.source_id}
    detentions = list(
        visible(Detention.objects.filter(person=person), viewer).select_related("arrest_place", "facility")
    )
    casualties = list(visible(Casualty.objects.filter(person=person), viewer).select_related("place"))
    places = []
    if person.residence is not None:
        places.append(_("%(place)s (residence)") % {"place": person.residence})
    places += [_("%(place)s (arrest)") % {"place": d.arrest_place} for d in detentions if d.arrest_place]
    places += [str(c.place) for c in casualties if c.place]
    age = ""
    if person.birth_on:
        age = _("born %(date)s") % {"date": date_label(person.birth)}
    elif person.reported_age is not None:
        age = _("%(age)s years old on %(date)s") % {
            "age": reader_digits(person.reported_age),
            "date": date_label(FuzzyDate(person.age_reported_on)) if person.age_reported_on else "?",
        }
    return PersonSummary(
        person=person,
        names=names,
        age=age,
        places=places,
        detentions=detentions,
        casualties=casualties,
        sources=list(visible(Source.objects.filter(pk__in=source_ids), viewer)),
        notes=person.notes if field_visible(Person, "notes", viewer) else "",
    )
