"""The named individuals a report lists after its figures: who, what happened to them by the as-of date,
their condition on that date, and the sources for each.

People most at risk come first: executed or killed, sentenced to death, in a custody condition (whereabouts
unknown, incommunicado ...), still detained, then the rest; the most recent first within each. Only
established facts (not disputed) the reader may see by name are listed.
"""

# ruff: noqa: S608
# The SQL here is composed from fragments of our own: values are bound as parameters, ids are integers
# read from the database (``dialect.id_list``), table names come from the models.

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import get_language

from vigil.core.dates import FuzzyDate, Precision
from vigil.core.models import Term, Verification
from vigil.core.text import Script
from vigil.custody.models import Case, Detention, Execution, Sentence, StatusObservation, Transfer
from vigil.events.models import Casualty
from vigil.people.models import NameVariant, Person
from vigil.reports.dialect import as_optional_date, fetch_all, id_list
from vigil.reports.figures import SourceRef, publisher_names
from vigil.reports.named import NOT_RELEASES, STATUS_CATEGORIES, NamedQueries
from vigil.reports.scope import Gazetteer
from vigil.sources.models import Citation, Source


@dataclass(frozen=True)
class Fact:
    """One dated fact about a listed person, with the words a report needs to state it."""

    kind: str  # arrested, transferred, status, released, sentenced, executed, killed, injured
    day: FuzzyDate
    until: FuzzyDate | None = None  # for a custody condition that has ended, or a release
    term_en: str = ""
    term_fa: str = ""
    term_code: str = ""
    place_en: str = ""
    place_fa: str = ""
    facility_en: str = ""
    facility_fa: str = ""
    verification: str = ""
    prison_months: int | None = None

    @property
    def term(self) -> str:
        return self.term_fa if get_language() == "fa" and self.term_fa else self.term_en

    @property
    def place(self) -> str:
        return self.place_fa if get_language() == "fa" and self.place_fa else self.place_en

    @property
    def facility(self) -> str:
        return self.facility_fa if get_language() == "fa" and self.facility_fa else self.facility_en


@dataclass(frozen=True)
class PersonEntry:
    id: int
    name_en: str
    name_fa: str
    gender: str
    age: int | None
    conditions: list[str] = field(default_factory=list)  # category codes true on the as-of date
    facts: list[Fact] = field(default_factory=list)
    sources: list[SourceRef] = field(default_factory=list)

    @property
    def name(self) -> str:
        preferred = self.name_fa if get_language() == "fa" else self.name_en
        return preferred or self.name_en or self.name_fa or f"#{self.id}"

    @property
    def other_name(self) -> str:
        """The name in the other script, shown beside the first."""
        other = self.name_en if get_language() == "fa" else self.name_fa
        return other if other and other != self.name else ""

    @property
    def minor(self) -> bool:
        return self.age is not None and self.age < 18


@dataclass(frozen=True)
class PeopleList:
    total: int
    entries: list[PersonEntry]


def _fuzzy(value: Any, precision: str | None) -> FuzzyDate:
    day = as_optional_date(value)
    if day is None:
        return FuzzyDate.unknown()
    return FuzzyDate(day, precision if precision and precision != Precision.UNKNOWN else Precision.DAY)


def people_list(queries: NamedQueries, gazetteer: Gazetteer, *, keys: list[int], total: int) -> PeopleList:
    """The named individuals ``keys`` (chosen and ordered by ``named_overview``) in detail."""
    return PeopleList(total, _entries(queries, gazetteer, keys) if keys else [])


def _entries(queries: NamedQueries, gazetteer: Gazetteer, keys: list[int]) -> list[PersonEntry]:
    frame = queries.frame
    params = frame.params
    people = frame.table(Person)
    # The people merged into them, two levels down, a level at a time (one condition over both levels
    # of a join would read every person).
    found, level = set(keys), set(keys)
    for _level in range(2):
        level = {
            int(row[0])
            for row in fetch_all(
                f"SELECT p.id FROM {people} p WHERE p.merged_into_id IN {id_list(level)}", params
            )
        }
        found |= level
    members: dict[int, int] = {}  # person id → the person it counts as
    for pk, merged, merged_further in fetch_all(
        f"SELECT p.id, p.merged_into_id, pm.merged_into_id FROM {people} p "
        f"LEFT JOIN {people} pm ON pm.id = p.merged_into_id WHERE p.id IN {id_list(found)}",
        params,
    ):
        members[int(pk)] = int(merged_further or merged or pk)
    ids = id_list(set(members))
    visible = queries.visibility.sql
    not_withdrawn = f"NOT IN ('{Verification.RETRACTED}', '{Verification.DISPUTED}')"

    info = {
        int(row[0]): row
        for row in fetch_all(
            "SELECT id, gender, birth_on, birth_precision, reported_age, age_reported_on "
            f"FROM {people} p WHERE p.id IN {id_list(keys)}",
            params,
        )
    }
    names: dict[int, dict[str, str]] = defaultdict(dict)
    for person_id, text, script, _primary in fetch_all(
        f"SELECT n.person_id, n.text, n.script, n.is_primary FROM {frame.table(NameVariant)} n "
        f"WHERE n.person_id IN {id_list(keys)} ORDER BY n.is_primary DESC, n.id",
        params,
    ):
        names[int(person_id)].setdefault(script, text)

    terms = {  # vocabulary labels as known then: a term renamed since leaves the list as it read
        pk: Term(pk=pk, code=code, name_en=name_en, name_fa=name_fa)
        for pk, (_pk, code, name_en, name_fa) in frame.named_rows(Term, "code", "name_en", "name_fa").items()
    }
    facts: dict[int, list[Fact]] = defaultdict(list)
    cited: dict[type[models.Model], dict[int, int]] = defaultdict(dict)  # model → record id → person key
    for person_id in members:
        cited[Person][person_id] = members[person_id]

    detentions = fetch_all(
        "SELECT d.id, d.person_id, d.arrested_on, d.arrested_precision, d.arrest_place_id, d.facility_id, "
        "d.released_on, d.released_precision, d.release_kind_id, d.verification "
        f"FROM {frame.table(Detention)} d WHERE d.person_id IN {ids} AND d.verification {not_withdrawn} "
        f"AND {visible('d')} AND {frame.happened('d', 'arrested')}",
        params,
    )
    open_detentions: set[int] = set()
    detained: set[int] = set()
    for (
        pk,
        person_id,
        arrested,
        arrested_p,
        place_id,
        facility_id,
        released,
        released_p,
        kind_id,
        level,
    ) in detentions:
        owner = members[int(person_id)]
        cited[Detention][int(pk)] = owner
        place = gazetteer.places.get(place_id) if place_id else None
        facility = gazetteer.facility_names.get(facility_id, ("", "", "")) if facility_id else ("", "", "")
        facts[owner].append(
            Fact(
                "arrested",
                _fuzzy(arrested, arrested_p),
                place_en=place.name_en if place else "",
                place_fa=place.name_fa if place else "",
                facility_en=facility[1],
                facility_fa=facility[2],
                verification=level,
            )
        )
        release_day = _fuzzy(released, released_p)
        # As in the counts: a detention has ended once its release may have happened by the as-of date.
        ended = (released is None and kind_id is not None) or (
            release_day.earliest is not None and release_day.earliest <= frame.as_of
        )
        if ended:
            kind = terms.get(kind_id) if kind_id else None
            facts[owner].append(
                Fact(
                    "released",
                    release_day,
                    term_en=kind.name_en if kind else "",
                    term_fa=kind.name_fa if kind else "",
                    term_code=kind.code if kind else "",
                    verification=level,
                )
            )
        else:
            open_detentions.add(int(pk))
            detained.add(owner)

    detention_ids = id_list({int(row[0]) for row in detentions})
    for pk, detention_id, facility_id, day, precision in fetch_all(
        "SELECT t.id, t.detention_id, t.to_facility_id, t.transferred_on, t.transferred_precision "
        f"FROM {frame.table(Transfer)} t WHERE t.detention_id IN {detention_ids} "
        f"AND t.verification {not_withdrawn} AND {visible('t')} AND {frame.happened('t', 'transferred')}",
        params,
    ):
        owner = cited[Detention][int(detention_id)]
        cited[Transfer][int(pk)] = owner
        facility = gazetteer.facility_names.get(facility_id, ("", "", ""))
        facts[owner].append(
            Fact("transferred", _fuzzy(day, precision), facility_en=facility[1], facility_fa=facility[2])
        )

    for pk, detention_id, status_id, started, started_p, ended, ended_p, level in fetch_all(
        "SELECT s.id, s.detention_id, s.status_id, s.started_on, s.started_precision, s.ended_on, "
        f"s.ended_precision, s.verification FROM {frame.table(StatusObservation)} s "
        f"WHERE s.detention_id IN {detention_ids} AND s.verification {not_withdrawn} AND {visible('s')} "
        f"AND {frame.happened('s', 'started')}",
        params,
    ):
        owner = cited[Detention][int(detention_id)]
        cited[StatusObservation][int(pk)] = owner
        status = terms[status_id]
        until = _fuzzy(ended, ended_p) if ended is not None else None
        still = int(detention_id) in open_detentions and (
            until is None or until.earliest is None or until.earliest > frame.as_of
        )
        facts[owner].append(
            Fact(
                "status" if still else "status_ended",
                _fuzzy(started, started_p),
                until if not still else None,
                status.name_en,
                status.name_fa,
                status.code,
                verification=level,
            )
        )

    for pk, case_id, person_id, kind_id, issued, issued_p, months, level in fetch_all(
        "SELECT sn.id, sn.case_id, cs.person_id, sn.kind_id, sn.issued_on, sn.issued_precision, "
        f"sn.prison_months, sn.verification FROM {frame.table(Sentence)} sn "
        f"JOIN {frame.table(Case)} cs ON cs.id = sn.case_id WHERE cs.person_id IN {ids} "
        f"AND sn.verification {not_withdrawn} AND cs.verification <> '{Verification.RETRACTED}' "
        f"AND {visible('sn')} AND {visible('cs')} AND {frame.happened('sn', 'issued')}",
        params,
    ):
        owner = members[int(person_id)]
        cited[Sentence][int(pk)] = owner
        cited[Case][int(case_id)] = owner
        kind = terms[kind_id]
        facts[owner].append(
            Fact(
                "sentenced",
                _fuzzy(issued, issued_p),
                term_en=kind.name_en,
                term_fa=kind.name_fa,
                term_code=kind.code,
                verification=level,
                prison_months=months,
            )
        )

    for pk, person_id, day, precision, facility_id, level in fetch_all(
        "SELECT x.id, x.person_id, x.executed_on, x.executed_precision, x.facility_id, x.verification "
        f"FROM {frame.table(Execution)} x WHERE x.person_id IN {ids} AND x.verification {not_withdrawn} "
        f"AND {visible('x')} AND {frame.happened('x', 'executed')}",
        params,
    ):
        owner = members[int(person_id)]
        cited[Execution][int(pk)] = owner
        facility = gazetteer.facility_names.get(facility_id, ("", "", "")) if facility_id else ("", "", "")
        facts[owner].append(
            Fact(
                "executed",
                _fuzzy(day, precision),
                facility_en=facility[1],
                facility_fa=facility[2],
                verification=level,
            )
        )

    for pk, person_id, kind, day, precision, place_id, level in fetch_all(
        "SELECT c.id, c.person_id, c.kind, c.occurred_on, c.occurred_precision, c.place_id, c.verification "
        f"FROM {frame.table(Casualty)} c WHERE c.person_id IN {ids} AND c.verification {not_withdrawn} "
        f"AND {visible('c')} AND {frame.happened('c', 'occurred')}",
        params,
    ):
        owner = members[int(person_id)]
        cited[Casualty][int(pk)] = owner
        place = gazetteer.places.get(place_id) if place_id else None
        facts[owner].append(
            Fact(
                kind,
                _fuzzy(day, precision),
                place_en=place.name_en if place else "",
                place_fa=place.name_fa if place else "",
                verification=level,
            )
        )

    sources = _sources(queries, cited)
    entries: list[PersonEntry] = []
    for key in keys:
        row = info.get(key)
        person = Person(
            birth_on=as_optional_date(row[2]) if row else None,
            birth_precision=row[3] if row else Precision.UNKNOWN,
            reported_age=row[4] if row else None,
            age_reported_on=as_optional_date(row[5]) if row else None,
        )
        person_facts = sorted(facts.get(key, []), key=lambda fact: fact.day.earliest or dt.date.min)
        entries.append(
            PersonEntry(
                key,
                names[key].get(Script.LATIN, names[key].get(Script.MIXED, "")),
                names[key].get(Script.PERSIAN_ARABIC, ""),
                row[1] if row else "",
                person.age_on(queries.frame.as_of),
                _conditions(person_facts, detained=key in detained),
                person_facts,
                sources.get(key, []),
            )
        )
    return entries


def _conditions(facts: list[Fact], *, detained: bool) -> list[str]:
    """The report categories a person is in on the as-of date, most serious first."""
    kinds = {fact.kind for fact in facts}
    codes = {fact.term_code for fact in facts if fact.kind == "status"}
    found: list[str] = [code for code in ("executed", "killed") if code in kinds]
    if any(fact.kind == "sentenced" and fact.term_code == "death" for fact in facts):
        found.append("sentenced_to_death")
    found.extend(code for code in STATUS_CATEGORIES if code in codes)
    if detained:
        found.append("detained")
    elif any(fact.kind == "released" and fact.term_code not in NOT_RELEASES for fact in facts):
        found.append("released")
    if "injured" in kinds:
        found.append("injured")
    return found


def _sources(
    queries: NamedQueries, cited: dict[type[models.Model], dict[int, int]]
) -> dict[int, list[SourceRef]]:
    """The sources cited for each listed person and their listed facts, in order of publication."""
    frame = queries.frame
    types = ContentType.objects.get_for_models(*cited)
    conditions = [
        f"(c.content_type_id = {types[model].pk} AND c.object_id IN {id_list(set(records))})"
        for model, records in cited.items()
        if records
    ]
    if not conditions:
        return {}
    by_type = {types[model].pk: records for model, records in cited.items()}
    rows = fetch_all(
        "SELECT c.content_type_id, c.object_id, s.id, s.title, s.publisher_id, s.url, s.published_on, "
        f"s.reliability, s.credibility FROM {frame.table(Citation)} c JOIN {frame.table(Source)} s "
        f"ON s.id = c.source_id WHERE ({' OR '.join(conditions)}) "
        f"AND s.verification <> '{Verification.RETRACTED}' AND {queries.visibility.sql('s')}",
        frame.params,
    )
    publishers = publisher_names(frame)
    found: dict[int, dict[int, SourceRef]] = defaultdict(dict)
    for type_id, object_id, pk, title, publisher_id, url, published, reliability, credibility in rows:
        owner = by_type[type_id].get(int(object_id))
        if owner is None:
            continue
        publisher_en, publisher_fa = publishers.get(publisher_id, ("", ""))
        found[owner][int(pk)] = SourceRef(
            int(pk),
            title,
            publisher_en,
            publisher_fa,
            url,
            as_optional_date(published),
            f"{reliability}{credibility}",
        )
    return {
        owner: sorted(refs.values(), key=lambda ref: (ref.published_on or dt.date.min, ref.id))
        for owner, refs in found.items()
    }
