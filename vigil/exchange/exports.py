"""Public exports: people as CSV or JSON, people and organizations as Popolo JSON, and events as a CSV whose
columns follow the ACLED codebook where they overlap.

Public data only (principle 5): records whose confidentiality is ``public``, facts of those records that
are public themselves, public sources, none of them retracted (as on the public site), and the fields
named in the allow-lists below, none of which is a sensitive field (``Record.sensitive_fields``; a test
holds the two lists apart). Text cells that a spreadsheet would run as a formula are prefixed with an
apostrophe in the CSV files.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from typing import IO, Any, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Prefetch

from vigil.core.dates import FuzzyDate
from vigil.core.models import Confidentiality, Verification
from vigil.core.text import Script, detect_script
from vigil.custody.models import Case, Detention, Execution, Sentence, StatusObservation
from vigil.events.models import Casualty, Event
from vigil.organizations.models import Organization
from vigil.people.models import Person
from vigil.people.selectors import visible_names
from vigil.places.models import Place
from vigil.sources.models import Citation, Source

M = TypeVar("M", bound=models.Model)
PUBLIC = Confidentiality.PUBLIC
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# The fields of a person a public export may show (names are exported from their own rows).
PERSON_PUBLIC_FIELDS = (
    "gender",
    "reported_age",
    "age_reported_on",
    "summary_en",
    "summary_fa",
    "verification",
)
PEOPLE_CSV_COLUMNS = (
    "vigil_id", "name_en", "name_fa", "other_names", "gender", "reported_age", "age_reported_on", "residence",
    "occupations", "what_happened", "killed_on", "killed_place", "injured_on", "arrested_on", "arrest_place",
    "facility", "released_on", "statuses", "sentences", "executed_on", "verification", "sources", "summary_en",
    "summary_fa",
)  # fmt: skip
ACLED_COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction", "civilian_targeting",
    "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude",
    "geo_precision", "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
)  # fmt: skip


def spreadsheet_safe(value: Any) -> str:
    """A cell a spreadsheet shows as text: one starting with =, +, -, @, a tab or a carriage return could
    run as a formula when the file is opened, so it gets a leading apostrophe (OWASP's advice)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in _FORMULA_STARTS else text


def _shown(model: type[M]) -> models.QuerySet[M]:
    """The public records of ``model``, less those retracted: a retracted fact is a fact nowhere public."""
    return model._default_manager.filter(confidentiality=PUBLIC).exclude(verification=Verification.RETRACTED)


def _public_people() -> models.QuerySet[Person]:
    return (
        _shown(Person)
        .filter(merged_into__isnull=True)
        .select_related("residence")
        .prefetch_related(
            Prefetch("names", queryset=visible_names(None)),
            "occupations",
            Prefetch("casualties", _shown(Casualty).select_related("place")),
            Prefetch(
                "detentions",
                _shown(Detention).select_related("arrest_place", "facility"),
            ),
            Prefetch(
                "cases",
                _shown(Case).prefetch_related(Prefetch("sentences", _shown(Sentence).select_related("kind"))),
            ),
        )
        .order_by("pk")
    )


def _public_sources(record: models.Model) -> list[Source]:
    cited = (
        Citation.objects.filter(
            content_type=ContentType.objects.get_for_model(record),
            object_id=record.pk,
            source__confidentiality=PUBLIC,
        )
        .exclude(source__verification=Verification.RETRACTED)
        .select_related("source")
    )
    return list(dict.fromkeys(citation.source for citation in cited))


def _place_name(place: Place | None) -> str:
    return str(place.name_en) if place is not None else ""


def _names(person: Person) -> tuple[str, str, list[str]]:
    names = list(person.names.all())
    latin = next((n.text for n in names if n.script == "latn" and n.is_primary), "")
    persian = next((n.text for n in names if n.script == "arab" and n.is_primary), "")
    others = [str(n.text) for n in names if n.text not in (latin, persian)]
    return str(latin), str(persian), others


def public_person(person: Person) -> dict[str, Any]:
    """One public person, with their public facts and sources, as the JSON export gives it."""
    latin, persian, others = _names(person)
    statuses = (
        _shown(StatusObservation)
        .filter(detention__in=_shown(Detention).filter(person=person))
        .select_related("status")
    )
    sources = {source.pk: source for source in _public_sources(person)}
    facts: list[dict[str, Any]] = []
    for casualty in person.casualties.all():
        facts.append(
            {"kind": casualty.kind, "date": casualty.occurred.iso(), "place": _place_name(casualty.place),
             "age_reported": casualty.age_reported}
        )  # fmt: skip
        sources.update({source.pk: source for source in _public_sources(casualty)})
    for detention in person.detentions.all():
        facts.append(
            {"kind": "detention", "date": detention.arrested.iso(), "place": _place_name(detention.arrest_place),
             "facility": detention.facility.name_en if detention.facility else "", "released": detention.released.iso()}
        )  # fmt: skip
        sources.update({source.pk: source for source in _public_sources(detention)})
    for case in person.cases.all():
        for sentence in case.sentences.all():
            facts.append(
                {"kind": "sentence", "sentence": sentence.kind.code, "date": sentence.issued.iso(),
                 "prison_months": sentence.prison_months, "lashes": sentence.lashes}
            )  # fmt: skip
            sources.update({source.pk: source for source in _public_sources(sentence)})
    execution = _shown(Execution).filter(person=person).first()
    if execution is not None:
        facts.append({"kind": "executed", "date": execution.executed.iso()})
        sources.update({source.pk: source for source in _public_sources(execution)})
    return {
        "id": person.pk,
        "name_en": latin,
        "name_fa": persian,
        "other_names": others,
        **{field: _json_value(getattr(person, field)) for field in PERSON_PUBLIC_FIELDS},
        "residence": _place_name(person.residence),
        "occupations": [term.code for term in person.occupations.all()],
        "facts": facts,
        "statuses": [
            {"status": s.status.code, "since": s.started.iso(), "until": s.ended.iso()} for s in statuses
        ],
        "sources": [
            {"title": s.title, "url": s.url, "published_on": _json_value(s.published_on)}
            for s in sources.values()
        ],
    }


def _json_value(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def public_people_json(stream: IO[str]) -> int:
    """Write public people as a JSON list, one person at a time; returns how many."""
    count = 0
    stream.write("[")
    for person in _public_people().iterator(chunk_size=500):
        stream.write(("," if count else "") + "\n" + json.dumps(public_person(person), ensure_ascii=False))
        count += 1
    stream.write("\n]\n")
    return count


def public_people_csv(stream: IO[str]) -> int:
    """Write public people as CSV, one row a person (the facts flattened to their first occurrence)."""
    writer = csv.writer(stream)
    writer.writerow(PEOPLE_CSV_COLUMNS)
    count = 0
    for person in _public_people().iterator(chunk_size=500):
        data = public_person(person)
        killed: dict[str, Any] = next((f for f in data["facts"] if f["kind"] == "killed"), {})
        injured: dict[str, Any] = next((f for f in data["facts"] if f["kind"] == "injured"), {})
        detained: dict[str, Any] = next((f for f in data["facts"] if f["kind"] == "detention"), {})
        executed: dict[str, Any] = next((f for f in data["facts"] if f["kind"] == "executed"), {})
        sentences = [_sentence_text(f) for f in data["facts"] if f["kind"] == "sentence"]
        # Every kind of fact, filled whether or not its date and place are known.
        happened = dict.fromkeys(
            f"sentence:{f['sentence']}" if f["kind"] == "sentence" else f["kind"] for f in data["facts"]
        )
        row = [
            data["id"], data["name_en"], data["name_fa"], "; ".join(data["other_names"]), data["gender"],
            data["reported_age"] or "", data["age_reported_on"] or "", data["residence"],
            "; ".join(data["occupations"]), "; ".join(happened), killed.get("date", ""), killed.get("place", ""),
            injured.get("date", ""), detained.get("date", ""), detained.get("place", ""), detained.get("facility", ""),
            detained.get("released", ""), "; ".join(s["status"] for s in data["statuses"] if not s["until"]),
            "; ".join(sentences), executed.get("date", ""), data["verification"],
            "; ".join(s["url"] or s["title"] for s in data["sources"]), data["summary_en"], data["summary_fa"],
        ]  # fmt: skip
        writer.writerow([spreadsheet_safe(value) for value in row])
        count += 1
    return count


def _sentence_text(fact: dict[str, Any]) -> str:
    """A sentence in the public CSV: its kind, term and date ("prison 60 months 2026-01-25")."""
    parts = [fact["sentence"]]
    if fact.get("prison_months"):
        parts.append(f"{fact['prison_months']} months")
    if fact.get("lashes"):
        parts.append(f"{fact['lashes']} lashes")
    parts.append(fact["date"])
    return " ".join(part for part in parts if part)


def popolo_json(stream: IO[str]) -> dict[str, int]:
    """Popolo (popoloproject.com) persons and organizations, with partial dates and sources."""
    persons = [_popolo_person(person) for person in _public_people().iterator(chunk_size=500)]
    organizations = [_popolo_organization(org) for org in Organization.objects.order_by("pk")]
    json.dump({"persons": persons, "organizations": organizations}, stream, ensure_ascii=False, indent=1)
    return {"persons": len(persons), "organizations": len(organizations)}


def _popolo_person(person: Person) -> dict[str, Any]:
    latin, persian, _others = _names(person)
    data: dict[str, Any] = {
        "id": f"person/{person.pk}",
        "name": latin or persian,
        "other_names": [
            {
                "name": str(n.text),
                "note": n.get_kind_display(),
                **({"lang": "fa"} if n.script == "arab" else {}),
            }
            for n in person.names.all()
            if n.text != (latin or persian)
        ],
        "identifiers": [{"scheme": "vigil", "identifier": str(person.pk)}],
        "gender": person.gender if person.gender != "unknown" else None,
        "summary": str(person.summary_en) or None,
        # A Popolo link needs its address: a source known by its title only is left out.
        "sources": [{"url": s.url, "note": s.title} for s in _public_sources(person) if s.url],
        "birth_date": _popolo_date(person.birth),
    }
    death = next((c.occurred for c in person.casualties.all() if c.kind == Casualty.Kind.KILLED), None)
    if death is None or not death.is_known:
        execution = _shown(Execution).filter(person=person).first()
        death = execution.executed if execution is not None else None
    if death is not None:
        data["death_date"] = _popolo_date(death)
    return {key: value for key, value in data.items() if value not in (None, "", [])}


def _popolo_date(value: FuzzyDate) -> str | None:
    """A date as Popolo writes it (YYYY, YYYY-MM or YYYY-MM-DD): a Jalali month or year, which spans two
    Gregorian ones, as the part both ends share ("Dey 1404" is 2025-12-22/2026-01-20: no year in common)."""
    if not value.is_known:
        return None
    iso = value.iso()
    if "/" not in iso:
        return iso
    start, end = iso.split("/", 1)
    for length in (7, 4):
        if start[:length] == end[:length]:
            return start[:length]
    return None


def _popolo_organization(org: Organization) -> dict[str, Any]:
    other_names = [{"name": str(org.name_fa), "lang": "fa"}] if org.name_fa else []
    other_names += [
        {"name": str(alias), **({"lang": "fa"} if detect_script(str(alias)) == Script.PERSIAN_ARABIC else {})}
        for alias in org.aliases or []
    ]
    if org.acronym:
        other_names.append({"name": str(org.acronym), "note": "acronym"})
    data: dict[str, Any] = {
        "id": f"organization/{org.code}",
        "name": str(org.name_en),
        "other_names": other_names,
        "classification": org.kind,
        "identifiers": [{"scheme": "vigil", "identifier": str(org.code)}],
        "parent_id": f"organization/{org.parent.code}" if org.parent else None,
        "links": [{"url": org.website, "note": "website"}] if org.website else [],
    }
    return {key: value for key, value in data.items() if value not in (None, "", [])}


# ACLED event types for Vigil's event kinds; protests become "Excessive force" or "Protest with
# intervention" from the tactics used against them.
_ACLED_TYPES = {
    "raid": ("Political violence", "Violence against civilians", "Attack"),
    "attack": ("Political violence", "Violence against civilians", "Attack"),
    "mass_arrest": ("Strategic developments", "Strategic developments", "Arrests"),
    "internet_shutdown": ("Strategic developments", "Strategic developments", "Other"),
}
_LETHAL_TACTICS = {"live_fire", "rooftop_snipers", "shotgun_pellets"}
_STATE_FORCES = (Organization.Kind.SECURITY, Organization.Kind.INTELLIGENCE, Organization.Kind.POLICE,
                 Organization.Kind.PARAMILITARY, Organization.Kind.JUDICIAL, Organization.Kind.PRISON_AUTHORITY,
                 Organization.Kind.GOVERNMENT)  # fmt: skip


def _time_precision(day: FuzzyDate) -> int:
    """ACLED: 1 the day is known, 2 the week or so, 3 only the month (or less)."""
    return 1 if day.precision == "day" else 3


def _interaction(inter1: str, inter2: str) -> str:
    """ACLED's interaction code: the two actors' codes, the lower first ("16": state forces and
    protesters); one actor alone is its code and 0 ("60": protesters alone)."""
    return "".join(sorted((inter1, inter2))) if inter2 else f"{inter1}0"


def _geo_precision(place: Place | None) -> str:
    """ACLED's precision of a location: 1 the town itself, 2 near it or a part of a region, 3 a larger region
    (a province, or the country when no place is known)."""
    if place is None:
        return "3"
    return "1" if place.kind in (Place.Kind.CITY, Place.Kind.VILLAGE, Place.Kind.DISTRICT) else "2"


def _admin(place: Place | None) -> tuple[str, str, str]:
    """(admin1 province, admin2 county, location) of a place in the gazetteer."""
    if place is None:
        return "", "", ""
    chain: list[Place] = []
    current: Place | None = place
    while current is not None:
        chain.append(current)
        current = current.parent
    province = next((p for p in chain if p.kind == Place.Kind.PROVINCE), None)
    county = next((p for p in chain if p.kind == Place.Kind.COUNTY), None)
    return _place_name(province), _place_name(county), _place_name(place)


def acled_rows() -> Iterator[list[str]]:
    events = (
        _shown(Event)
        .select_related("kind", "place", "place__parent", "place__parent__parent")
        .prefetch_related("tactics", "actors")
        .order_by("started_on", "pk")
    )
    for event in events.iterator(chunk_size=500):
        started = event.started
        tactics = {t.code for t in event.tactics.all()}
        forces = [a for a in event.actors.all() if a.kind in _STATE_FORCES]
        # People the public may see only: a hidden person's death counted here would tell of them.
        fatalities = (
            _shown(Casualty).filter(event=event, kind=Casualty.Kind.KILLED, person__in=_shown(Person)).count()
        )
        country = "Iran"
        if event.kind.code in _ACLED_TYPES:
            disorder, event_type, sub_type = _ACLED_TYPES[event.kind.code]
            actor1 = forces[0].name_en if forces else "Security forces (Iran)"
            actor2, inter1, inter2 = f"Civilians ({country})", "1", "7"
        else:
            disorder, event_type = "Demonstrations", "Protests"
            sub_type = (
                "Excessive force against protesters" if tactics & _LETHAL_TACTICS or fatalities
                else "Protest with intervention" if tactics else "Peaceful protest"
            )  # fmt: skip
            actor1, inter1 = f"Protesters ({country})", "6"
            # A protest met with force has the state's forces as its second actor, named or not.
            actor2, inter2 = (
                (str(forces[0].name_en) if forces else f"Security forces ({country})", "1")
                if sub_type != "Peaceful protest"
                else ("", "")
            )
        admin1, admin2, location = _admin(event.place)
        sources = _public_sources(event)
        yield [
            f"VIGIL{event.pk}", started.value.isoformat() if started.value else "",
            str(started.value.year) if started.value else "", str(_time_precision(started)), disorder, event_type,
            sub_type, str(actor1), "", inter1, actor2, "", inter2, _interaction(inter1, inter2),
            "Civilian targeting" if event_type == "Violence against civilians" else "", "364", "Middle East",
            country, admin1, admin2, "", location,
            str(event.place.latitude) if event.place and event.place.latitude is not None else "",
            str(event.place.longitude) if event.place and event.place.longitude is not None else "",
            _geo_precision(event.place),
            "; ".join(source.title for source in sources), "Other", str(event.description_en), str(fatalities),
            "; ".join(sorted(tactics)), str(int(event.updated_at.timestamp())),
        ]  # fmt: skip


def acled_csv(stream: IO[str]) -> int:
    writer = csv.writer(stream)
    writer.writerow(ACLED_COLUMNS)
    count = 0
    for row in acled_rows():
        writer.writerow([spreadsheet_safe(value) for value in row])
        count += 1
    return count


def sensitive_fields_of(models_: Iterable[type[models.Model]]) -> set[str]:
    """Every field named sensitive on the given models (for the tests that keep exports clean)."""
    return {field for model in models_ for field in getattr(model, "sensitive_fields", {})}
