"""Records as API data. Each function names the fields it passes on (the allow-list); the person's own
fields come from ``Profile.values``, already filtered by ``vigil.core.visibility.visible_values``."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import translation

from vigil.core.dates import FuzzyDate
from vigil.core.models import Term
from vigil.custody.models import Case, CaseStage, Detention, Execution, Sentence, StatusObservation, Transfer
from vigil.events.models import Casualty, Event, Involvement
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


def status_out(observation: StatusObservation) -> Row:
    return {
        "id": observation.pk,
        "status": term_out(observation.status),
        "started": fuzzy_out(observation.started),
        "ended": fuzzy_out(observation.ended),
    }


def transfer_out(transfer: Transfer) -> Row:
    return {
        "id": transfer.pk,
        "to_facility": place_out(transfer.to_facility),
        "transferred": fuzzy_out(transfer.transferred),
    }


def detention_out(detention: Detention) -> Row:
    return {
        "id": detention.pk,
        "arrested": fuzzy_out(detention.arrested),
        "arrest_place": place_out(detention.arrest_place),
        "facility": place_out(detention.facility),
        "event_id": _event_id(detention),
        "released": fuzzy_out(detention.released),
        "release_kind": term_out(detention.release_kind),
        "transfers": [transfer_out(t) for t in detention.transfers.all()],
        "statuses": [status_out(s) for s in detention.statuses.all()],
        "verification": detention.verification,
    }


def _event_id(fact: Detention | Casualty) -> int | None:
    """The fact's event, if the reader may see it: the public profile's facts come with their events
    fetched for the reader (``public.selectors.with_facts``), None for one hidden from them."""
    return fact.event.pk if fact.event is not None else None


def casualty_out(casualty: Casualty) -> Row:
    return {
        "id": casualty.pk,
        "kind": casualty.kind,
        "occurred": fuzzy_out(casualty.occurred),
        "place": place_out(casualty.place),
        "cause": term_out(casualty.cause),
        "event_id": _event_id(casualty),
        "in_custody": casualty.in_custody,
        "age_reported": casualty.age_reported,
        "verification": casualty.verification,
    }


def case_stage_out(step: CaseStage) -> Row:
    return {"id": step.pk, "stage": step.stage, "occurred": fuzzy_out(step.occurred)}


def sentence_out(sentence: Sentence) -> Row:
    return {
        "id": sentence.pk,
        "kind": term_out(sentence.kind),
        "stage": sentence.stage,
        "issued": fuzzy_out(sentence.issued),
        "prison_months": sentence.prison_months,
        "lashes": sentence.lashes,
        "fine": sentence.fine,
    }


def case_out(case: Case) -> Row:
    return {
        "id": case.pk,
        "court": place_out(case.court),
        "branch": case.branch,
        "judge": case.judge,
        "stage": case.stage,
        "charges": [term_out(t) for t in case.charges.all()],
        "activities": [term_out(t) for t in case.activities.all()],
        "stages": [case_stage_out(s) for s in case.stages.all()],
        "sentences": [sentence_out(s) for s in case.sentences.all()],
    }


def execution_out(execution: Execution) -> Row:
    return {
        "id": execution.pk,
        "executed": fuzzy_out(execution.executed),
        "facility": place_out(execution.facility),
    }


def involvement_out(involvement: Involvement) -> Row:
    return {
        "id": involvement.pk,
        "event_id": involvement.event_id,
        "event_title_en": involvement.event.title_en,
        "event_title_fa": involvement.event.title_fa,
        "role": term_out(involvement.role),
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
            "photo_url": reverse("person-photo", args=[person.pk])
            if photo and person.photo_thumbnail
            else None,
            "detentions": [detention_out(d) for d in profile.detentions],
            "casualties": [casualty_out(c) for c in profile.casualties],
            "execution": execution_out(profile.execution) if profile.execution else None,
            "cases": [case_out(c) for c in profile.cases],
            "events": [involvement_out(i) for i in profile.events],
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
