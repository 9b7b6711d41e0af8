"""What the API returns. Only what is declared here is ever serialised: the schemas are the last
allow-list after the selectors' (``vigil.public.selectors``). Fields only staff may read are optional and
left out of the response, not set to null, when the reader may not read them."""

from __future__ import annotations

import datetime as dt

from ninja import Schema


class TermOut(Schema):
    code: str
    name_en: str
    name_fa: str


class PlaceOut(Schema):
    code: str
    kind: str
    name_en: str
    name_fa: str


class DateOut(Schema):
    """A date as known: ``iso`` is ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (a Jalali month or year is its
    Gregorian interval ``start/end``); empty when unknown."""

    iso: str
    precision: str


class NameOut(Schema):
    text: str
    script: str
    kind: str
    primary: bool


class SituationOut(Schema):
    """Where the person stands now: executed, killed, detained, released, injured or unknown.
    ``days_without_contact`` is a minimum ("at least")."""

    code: str
    since: DateOut | None
    facility: PlaceOut | None
    conditions: list[TermOut]
    no_contact_since: DateOut | None
    days_without_contact: int | None


class PersonSummaryOut(Schema):
    id: int
    url: str
    name_en: str
    name_fa: str
    gender: str
    situation: SituationOut
    verification: str


class TransferOut(Schema):
    id: int
    to_facility: PlaceOut
    transferred: DateOut


class StatusOut(Schema):
    id: int
    status: TermOut
    started: DateOut
    ended: DateOut


class DetentionOut(Schema):
    id: int
    arrested: DateOut
    arrest_place: PlaceOut | None
    facility: PlaceOut | None
    event_id: int | None
    released: DateOut
    release_kind: TermOut | None
    transfers: list[TransferOut]
    statuses: list[StatusOut]
    verification: str


class CasualtyOut(Schema):
    id: int
    kind: str
    occurred: DateOut
    place: PlaceOut | None
    cause: TermOut | None
    event_id: int | None
    in_custody: bool
    age_reported: int | None
    verification: str


class ExecutionOut(Schema):
    id: int
    executed: DateOut
    facility: PlaceOut | None


class SentenceOut(Schema):
    id: int
    kind: TermOut
    stage: str
    issued: DateOut
    prison_months: int | None
    lashes: int | None
    fine: str


class CaseStageOut(Schema):
    id: int
    stage: str
    occurred: DateOut


class CaseOut(Schema):
    id: int
    court: PlaceOut | None
    branch: str
    judge: str
    stage: str
    charges: list[TermOut]
    activities: list[TermOut]
    stages: list[CaseStageOut]
    sentences: list[SentenceOut]


class InvolvementOut(Schema):
    id: int
    event_id: int
    event_title_en: str
    event_title_fa: str
    role: TermOut


class SourceOut(Schema):
    id: int
    kind: TermOut
    title: str
    publisher: PlaceOut | None
    url: str
    published_on: dt.date | None
    language: str
    grade: str


class PersonOut(PersonSummaryOut):
    names: list[NameOut]
    age: int | None
    ethnicity: TermOut | None
    occupations: list[TermOut]
    summary_en: str
    summary_fa: str
    photo_url: str | None
    detentions: list[DetentionOut]
    casualties: list[CasualtyOut]
    execution: ExecutionOut | None
    cases: list[CaseOut]
    events: list[InvolvementOut]
    sources: list[SourceOut]
    updated_at: dt.datetime
    # Staff only, each subject to its own field level; absent for the public.
    confidentiality: str | None = None
    religion: TermOut | None = None
    birth: DateOut | None = None
    notes: str | None = None
    family_contact: str | None = None


class EventSummaryOut(Schema):
    id: int
    url: str
    kind: TermOut
    title_en: str
    title_fa: str
    started: DateOut
    ended: DateOut
    place: PlaceOut | None
    verification: str


class PersonRefOut(Schema):
    id: int
    name_en: str
    name_fa: str
    role: str


class EventOut(EventSummaryOut):
    description_en: str
    description_fa: str
    part_of_id: int | None
    parts: list[int]
    tactics: list[TermOut]
    people: list[PersonRefOut]
    sources: list[SourceOut]


class FigureOut(Schema):
    id: int
    metric: TermOut
    qualifier: str
    value: int
    value_text: str
    published_on: dt.date
    period_start: dt.date | None
    period_end: dt.date
    scope: PlaceOut | None
    source: SourceOut
    verification: str


class SearchHitOut(Schema):
    kind: str
    id: int
    url: str
    name_en: str
    name_fa: str
    score: float


class PageOut(Schema):
    """Pagination: ``count`` results in all, ``page`` of ``page_size``; ``next``/``previous`` are URLs."""

    count: int
    page: int
    page_size: int
    next: str | None
    previous: str | None


class PeoplePage(PageOut):
    results: list[PersonSummaryOut]


class EventsPage(PageOut):
    results: list[EventSummaryOut]


class FiguresPage(PageOut):
    results: list[FigureOut]


class SearchPage(PageOut):
    results: list[SearchHitOut]


class NamedCountOut(Schema):
    code: str
    label: str
    people: int
    minors: int
    by_level: dict[str, int]


class ReportedOut(Schema):
    metric: str
    metric_name: str
    qualifier: str
    value: int
    period_end: dt.date
    published_on: dt.date
    source_id: int
    source_title: str


class StatisticsOut(Schema):
    """Named individuals and reported figures, side by side, never added together."""

    as_of: dt.date
    named: list[NamedCountOut]
    reported: list[ReportedOut]
    protests: int
    strikes: int
    provinces_reached: int
    provinces_total: int
    cities_reached: int
