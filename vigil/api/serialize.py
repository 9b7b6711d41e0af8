"""Records as API data. Each function names the fields it passes on (the allow-list); the person's own
fields come from ``Profile.values``, already filtered by ``vigil.core.visibility.visible_values``."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import translation

from vigil.core.dates import FuzzyDate
from vigil.core.models import Term
from vigil.custody.models import Case, Detention
from vigil.events.models import Casualty, Event
from vigil.people.models import Person
from vigil.public.selectors import CurrentSituation, EventPage, Profile
from vigil.public.templatetags.public import name_in
from vigil.sources.models import ReportedFigure, Source

Row = dict[str, Any]


def fuzzy_out(value: FuzzyDate | None) -> Row | None:
    if value is None:
        return None
    return {"iso": value.iso(), "precision": value.precision if value.is_known else "unknown"}


def term_out(term: Term | None) -> Row | None:
    if term is None:
        return None
    return {"code": term.code, "name_en": term.name_en, "name_fa": term.name_fa}


def place_out(place: Any) -> Row | None:
    """A place, facility, university or organization: its code, kind and names."""
    if place is None:
        return None
    return {
        "code": place.code,
        "kind": getattr(place, "kind", ""),
        "name_en": place.name_en,
        "name_fa": place.name_fa,
    }


def public_url(name: str, pk: int) -> str:
    """The English public page of a record (the Persian one differs only in its prefix)."""
    with translation.override("en"):
        return reverse(name, args=[pk])


def situation_out(situation: CurrentSituation) -> Row:
    return {
        "code": situation.code,
        "since": fuzzy_out(situation.since),
        "facility": place_out(situation.facility),
        "conditions": [term_out(term) for term in situation.conditions],
        "no_contact_since": fuzzy_out(situation.no_contact_since),
        "days_without_contact": situation.days_without_contact,
    }


def person_summary(person: Person, situation: CurrentSituation) -> Row:
    return {
        "id": person.pk,
        "url": public_url("public:person", person.pk),
        "name_en": name_in(person, "en"),
        "name_fa": name_in(person, "fa"),
        "gender": person.gender,
        "situation": situation_out(situation),
        "verification": person.verification,
    }


def source_out(source: Source) -> Row:
    return {
        "id": source.pk,
        "kind": term_out(source.kind),
        "title": source.title,
        "publisher": place_out(source.publisher),
        "url": source.url,
        "published_on": source.published_on,
        "language": source.language,
        "grade": source.grade,
    }


def detention_out(detention: Detention) -> Row:
    return {
        "id": detention.pk,
        "arrested": fuzzy_out(detention.arrested),
        "arrest_place": place_out(detention.arrest_place),
        "facility": place_out(detention.facility),
        "event_id": detention.event_id,
        "released": fuzzy_out(detention.released),
        "release_kind": term_out(detention.release_kind),
        "transfers": [
            {"to_facility": place_out(t.to_facility), "transferred": fuzzy_out(t.transferred)}
            for t in detention.transfers.all()
        ],
        "statuses": [
            {"status": term_out(s.status), "started": fuzzy_out(s.started), "ended": fuzzy_out(s.ended)}
            for s in detention.statuses.all()
        ],
        "verification": detention.verification,
    }


def _casualty(casualty: Casualty) -> Row:
    return {
        "kind": casualty.kind,
        "occurred": fuzzy_out(casualty.occurred),
        "place": place_out(casualty.place),
        "cause": term_out(casualty.cause),
        "event_id": casualty.event_id,
        "in_custody": casualty.in_custody,
        "age_reported": casualty.age_reported,
        "verification": casualty.verification,
    }


def _case(case: Case) -> Row:
    return {
        "court": place_out(case.court),
        "branch": case.branch,
        "judge": case.judge,
        "stage": case.stage,
        "charges": [term_out(t) for t in case.charges.all()],
        "activities": [term_out(t) for t in case.activities.all()],
        "stages": [{"stage": s.stage, "occurred": fuzzy_out(s.occurred)} for s in case.stages.all()],
        "sentences": [
            {
                "kind": term_out(s.kind),
                "stage": s.stage,
                "issued": fuzzy_out(s.issued),
                "prison_months": s.prison_months,
                "lashes": s.lashes,
                "fine": s.fine,
            }
            for s in case.sentences.all()
        ],
    }


def person_out(profile: Profile) -> Row:
    """The whole record of a person as the reader may see it; staff-only fields only when readable."""
    person, values = profile.person, profile.values
    row = person_summary(person, profile.situation)
    photo = values.get("photo")
    row.update(
        {
            "names": [
                {"text": n.text, "script": n.script, "kind": n.kind, "primary": n.is_primary}
                for n in profile.names
            ],
            "age": profile.age,
            "ethnicity": term_out(values.get("ethnicity")),
            "occupations": [term_out(t) for t in profile.occupations],
            "summary_en": values.get("summary_en", ""),
            "summary_fa": values.get("summary_fa", ""),
            "photo_url": photo.url if photo else None,
            "detentions": [detention_out(d) for d in profile.detentions],
            "casualties": [_casualty(c) for c in profile.casualties],
            "execution": (
                {
                    "executed": fuzzy_out(profile.execution.executed),
                    "facility": place_out(profile.execution.facility),
                }
                if profile.execution
                else None
            ),
            "cases": [_case(c) for c in profile.cases],
            "events": [
                {
                    "event_id": i.event_id,
                    "event_title_en": i.event.title_en,
                    "event_title_fa": i.event.title_fa,
                    "role": term_out(i.role),
                }
                for i in profile.events
            ],
            "sources": [source_out(s) for s in profile.sources],
            "updated_at": person.updated_at,
        }
    )
    # Staff-only fields: present only in ``values`` when the reader may read them.
    if "notes" in values:
        row["confidentiality"] = person.confidentiality
        row["notes"] = values["notes"]
    if "religion" in values:
        row["religion"] = term_out(values["religion"])
    if "birth_on" in values:
        row["birth"] = fuzzy_out(person.birth)
    if "family_contact" in values:
        row["family_contact"] = values["family_contact"]
    return row


def event_summary(event: Event) -> Row:
    return {
        "id": event.pk,
        "url": public_url("public:event", event.pk),
        "kind": term_out(event.kind),
        "title_en": event.title_en,
        "title_fa": event.title_fa,
        "started": fuzzy_out(event.started),
        "ended": fuzzy_out(event.ended),
        "place": place_out(event.place or event.facility or event.university),
        "verification": event.verification,
    }


def event_out(page: EventPage) -> Row:
    event = page.event
    row = event_summary(event)
    people = [_person_ref(c.person, c.kind) for c in page.casualties]
    people += [_person_ref(d.person, "detained") for d in page.detentions]
    people += [_person_ref(i.person, i.role.code) for i in page.involvements]
    row.update(
        {
            "description_en": event.description_en,
            "description_fa": event.description_fa,
            "part_of_id": page.part_of.pk if page.part_of else None,
            "parts": [part.pk for part in page.parts],
            "tactics": [term_out(t) for t in event.tactics.all()],
            "people": people,
            "sources": [source_out(s) for s in page.sources],
        }
    )
    return row


def _person_ref(person: Person, role: str) -> Row:
    return {"id": person.pk, "name_en": name_in(person, "en"), "name_fa": name_in(person, "fa"), "role": role}


def figure_out(figure: ReportedFigure) -> Row:
    return {
        "id": figure.pk,
        "metric": term_out(figure.metric),
        "qualifier": figure.qualifier,
        "value": figure.value,
        "value_text": figure.value_text,
        "published_on": figure.published_on,
        "period_start": figure.period_start,
        "period_end": figure.period_end,
        "scope": place_out(figure.place or figure.facility or figure.university),
        "source": source_out(figure.source),
        "verification": figure.verification,
    }
