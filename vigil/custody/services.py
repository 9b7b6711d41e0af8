"""Writing custody: detentions and releases, transfers, status observations, cases and their stages,
sentences, executions, and the one-screen intake of a detainee.

Dates are fuzzy and compared as intervals (``FuzzyDate.certainly_before``): a release "in Dey 1404" is not
refused against an arrest on 8 January 2026, which lies inside that month.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vigil.accounts.models import User
from vigil.accounts.permissions import Action, refusals_audited, require
from vigil.core.dates import FuzzyDate, Precision
from vigil.core.models import Term, Vocabulary, set_fuzzy
from vigil.core.services import save_with_history, term, terms
from vigil.custody.models import Case, CaseStage, Detention, Execution, Sentence, StatusObservation, Transfer
from vigil.custody.selectors import detention_is_open
from vigil.events.models import Event
from vigil.events.services import event_date_check
from vigil.organizations.models import Organization
from vigil.people.models import Person
from vigil.people.services import (
    NameInput,
    person_alive_check,
    person_born_check,
    person_check_current,
    person_create,
    person_death_check,
    person_death_unrecorded_check,
)
from vigil.places.models import Facility, Place
from vigil.sources.services import CitationInput, citations_add, fact_save_cited

INCOMMUNICADO = "incommunicado"


def _refuse(field: str, message: str, code: str, /, **params: object) -> ValidationError:
    """A refusal attached to the field to correct, so a form shows it there."""
    return ValidationError({field: ValidationError(message, code=code, params=params)})


# Detentions ---------------------------------------------------------------------------------------------


def _arrest_overlap_check(person: Person, arrested: FuzzyDate) -> None:
    """One custody episode at a time: a new arrest may not fall inside another detention of the person."""
    for other in Detention.objects.filter(person=person):
        if not other.arrested.certainly_before(arrested):
            continue
        if detention_is_open(other):
            raise _refuse(
                "arrested_on",
                _(
                    "“%(person)s” is still recorded as detained since %(since)s (detention #%(id)s); record "
                    "that release first (its date and terms may be unknown)."
                ),
                "still_detained",
                person=person,
                since=other.arrested,
                id=other.pk,
            )
        if arrested.certainly_before(other.released):
            raise _refuse(
                "arrested_on",
                _(
                    "The arrest on %(date)s falls within detention #%(id)s (arrested %(since)s, released "
                    "%(until)s); is this the same detention?"
                ),
                "overlapping_detention",
                date=arrested,
                id=other.pk,
                since=other.arrested,
                until=other.released,
            )


def detention_build(
    *,
    person: Person,
    arrested: FuzzyDate,
    arrest_place: Place | None = None,
    arresting_body: Organization | None = None,
    event: Event | None = None,
    facility: Facility | None = None,
    note: str = "",
    confidentiality: str | None = None,
    verification: str = "reported",
) -> Detention:
    """A new detention with the checks that need no other record (not before the birth, within its event):
    what ``detention_record`` saves, and importers save many at once for people they create."""
    detention = Detention(
        person=person,
        arrest_place=arrest_place,
        arresting_body=arresting_body,
        event=event,
        facility=facility,
        note=note.strip(),
        confidentiality=confidentiality or person.confidentiality,
        verification=verification,
    )
    set_fuzzy(detention, "arrested", arrested)
    what = _("Arrest date")
    person_born_check(person=person, day=detention.arrested, what=what)
    event_date_check(event=event, day=detention.arrested, what=what)
    return detention


@refusals_audited
@transaction.atomic
def detention_record(
    *,
    actor: User | None,
    reason: str,
    person: Person,
    arrested: FuzzyDate,
    citations: Sequence[CitationInput],
    arrest_place: Place | None = None,
    arresting_body: Organization | None = None,
    event: Event | None = None,
    facility: Facility | None = None,
    note: str = "",
    confidentiality: str | None = None,
    verification: str = "reported",
) -> Detention:
    """Record an arrest (the start of one custody episode). Its confidentiality defaults to the person's."""
    require(actor, Action.ADD, Detention)
    person_check_current(person)
    detention = detention_build(
        person=person, arrested=arrested, arrest_place=arrest_place, arresting_body=arresting_body,
        event=event, facility=facility, note=note, confidentiality=confidentiality, verification=verification,
    )  # fmt: skip
    person_alive_check(person=person, day=detention.arrested, what=_("Arrest date"))
    _arrest_overlap_check(person, detention.arrested)
    fact_save_cited(detention, citations=citations, actor=actor, reason=reason)
    return detention


def _release_check(detention: Detention, released: FuzzyDate) -> None:
    arrested = detention.arrested
    if released.certainly_before(arrested):
        raise _refuse(
            "released_on",
            _("Release date %(released)s is before the arrest date %(arrested)s."),
            "release_before_arrest",
            released=released,
            arrested=arrested,
        )
    for transfer in detention.transfers.all():
        if released.certainly_before(transfer.transferred):
            raise _refuse(
                "released_on",
                _("Release date %(released)s is before the transfer to %(facility)s on %(date)s."),
                "release_before_transfer",
                released=released,
                facility=transfer.to_facility,
                date=transfer.transferred,
            )
    for observation in detention.statuses.select_related("status"):
        if released.certainly_before(observation.started):
            raise _refuse(
                "released_on",
                _("Release date %(released)s is before the status “%(status)s” recorded from %(date)s."),
                "release_before_status",
                released=released,
                status=observation.status,
                date=observation.started,
            )
    for later in Detention.objects.filter(person=detention.person).exclude(pk=detention.pk):
        if arrested.certainly_before(later.arrested) and later.arrested.certainly_before(released):
            raise _refuse(
                "released_on",
                _("Release date %(released)s is after the next arrest on %(date)s (detention #%(id)s)."),
                "release_after_next_arrest",
                released=released,
                date=later.arrested,
                id=later.pk,
            )
    person_alive_check(person=detention.person, day=released, what=_("Release date"))


@refusals_audited
@transaction.atomic
def detention_release(
    *,
    detention: Detention,
    released: FuzzyDate,
    release_kind: str,
    citations: Sequence[CitationInput],
    actor: User | None,
    reason: str,
) -> Detention:
    """End a detention (bail, pardon, sentence served, death in custody ...). The date may be unknown; the
    kind is required. Status observations still open end on the release date when it is known."""
    require(actor, Action.CHANGE, detention)
    if not detention_is_open(detention):
        raise ValidationError(
            _("This detention already ended (%(kind)s, %(date)s); correct that record instead."),
            code="already_released",
            params={"kind": detention.release_kind, "date": detention.released},
        )
    kind = term(Vocabulary.RELEASE_KIND, release_kind, field="release_kind")
    if kind is None:
        raise _refuse(
            "release_kind", _("Say how the detention ended (bail, pardon, ...)."), "no_release_kind"
        )
    # Checked before the instance changes, so a refused release leaves the caller's object as it was.
    _release_check(detention, released)
    set_fuzzy(detention, "released", released)
    detention.release_kind = kind
    save_with_history(detention, actor=actor, reason=reason)
    if detention.released.is_known:
        for observation in detention.statuses.filter(ended_on__isnull=True):
            set_fuzzy(observation, "ended", detention.released)
            save_with_history(observation, actor=actor, reason=reason)
    citations_add(fact=detention, citations=citations, actor=actor, reason=reason, change=True)
    return detention


def _within_detention_check(detention: Detention, day: FuzzyDate, what: str) -> None:
    """A fact of custody lies between the arrest and the release (when they are known)."""
    if day.certainly_before(detention.arrested):
        raise ValidationError(
            _("%(what)s %(date)s is before the arrest date %(arrested)s."),
            code="before_arrest",
            params={"what": what, "date": day, "arrested": detention.arrested},
        )
    if detention.released.certainly_before(day):
        raise ValidationError(
            _("%(what)s %(date)s is after the release date %(released)s."),
            code="after_release",
            params={"what": what, "date": day, "released": detention.released},
        )


@refusals_audited
@transaction.atomic
def transfer_record(
    *,
    detention: Detention,
    to_facility: Facility,
    transferred: FuzzyDate,
    citations: Sequence[CitationInput],
    actor: User | None,
    reason: str,
    note: str = "",
) -> Transfer:
    """Record a move to another prison or ward during a detention."""
    require(actor, Action.ADD, Transfer)
    transfer = Transfer(
        detention=detention,
        to_facility=to_facility,
        note=note.strip(),
        confidentiality=detention.confidentiality,
    )
    set_fuzzy(transfer, "transferred", transferred)
    what = _("Transfer date")
    _within_detention_check(detention, transfer.transferred, what)
    person_alive_check(person=detention.person, day=transfer.transferred, what=what)
    fact_save_cited(transfer, citations=citations, actor=actor, reason=reason)
    return transfer


# Status observations -------------------------------------------------------------------------------------


def _status_end_check(observation: StatusObservation, ended: FuzzyDate) -> None:
    started = observation.started
    if ended.certainly_before(started):
        raise _refuse(
            "ended_on",
            _("The status “%(status)s” ends on %(ended)s, before it starts on %(started)s."),
            "end_before_start",
            status=observation.status,
            ended=ended,
            started=started,
        )
    if observation.detention.released.certainly_before(ended):
        raise _refuse(
            "ended_on",
            _("The status “%(status)s” ends on %(ended)s, after the release on %(released)s."),
            "end_after_release",
            status=observation.status,
            ended=ended,
            released=observation.detention.released,
        )


def status_build(
    *,
    detention: Detention,
    status: str | Term,
    started: FuzzyDate,
    ended: FuzzyDate | None = None,
    note: str = "",
) -> StatusObservation:
    """A new status observation with the checks that need no other record (within the detention, not before
    the birth, not ending before it starts): what ``status_record`` saves, and importers save in bulk."""
    status_term = term(Vocabulary.CUSTODY_STATUS, status, field="status")
    if status_term is None:
        raise _refuse("status", _("Say which status was observed."), "no_status")
    observation = StatusObservation(
        detention=detention,
        status=status_term,
        note=note.strip(),
        confidentiality=detention.confidentiality,
    )
    set_fuzzy(observation, "started", started)
    set_fuzzy(observation, "ended", ended)
    what = _("Status “%(status)s” starting") % {"status": status_term}
    _within_detention_check(detention, observation.started, what)
    person_born_check(person=detention.person, day=observation.started, what=what)
    _status_end_check(observation, observation.ended)
    return observation


@refusals_audited
@transaction.atomic
def status_record(
    *,
    detention: Detention,
    status: str | Term,
    started: FuzzyDate,
    citations: Sequence[CitationInput],
    actor: User | None,
    reason: str,
    ended: FuzzyDate | None = None,
    note: str = "",
) -> StatusObservation:
    """Record a condition of custody (incommunicado, hunger strike, solitary ...) from a date; an open end
    means it is still the case as far as we know. The same status open twice is refused."""
    require(actor, Action.ADD, StatusObservation)
    observation = status_build(detention=detention, status=status, started=started, ended=ended, note=note)
    status_term = observation.status
    what = _("Status “%(status)s” starting") % {"status": status_term}
    person_alive_check(person=detention.person, day=observation.started, what=what)
    if ended is None or not ended.is_known:
        ongoing = detention.statuses.filter(status=status_term, ended_on__isnull=True).first()
        if ongoing is not None:
            raise ValidationError(
                _(
                    "“%(status)s” is already recorded as ongoing since %(since)s (observation #%(id)s); add "
                    "a source to it, or end it first."
                ),
                code="status_already_open",
                params={"status": status_term, "since": ongoing.started, "id": ongoing.pk},
            )
    fact_save_cited(observation, citations=citations, actor=actor, reason=reason)
    return observation


@refusals_audited
@transaction.atomic
def status_end(
    *,
    observation: StatusObservation,
    ended: FuzzyDate,
    citations: Sequence[CitationInput],
    actor: User | None,
    reason: str,
) -> StatusObservation:
    """Record that a status stopped (contact with the family restored, hunger strike ended ...)."""
    require(actor, Action.CHANGE, observation)
    if observation.ended_on is not None:
        raise ValidationError(
            _("This status already ended on %(date)s; correct that record instead."),
            code="already_ended",
            params={"date": observation.ended},
        )
    if ended is None or not ended.is_known:
        raise _refuse(
            "ended_on", _("Give the date the status ended (a month or a year is enough)."), "no_end_date"
        )
    # Checked before the instance changes, so a refused end leaves the caller's object as it was.
    _status_end_check(observation, ended)
    set_fuzzy(observation, "ended", ended)
    fact_save_cited(observation, citations=citations, actor=actor, reason=reason)
    return observation


# Cases, sentences, executions ----------------------------------------------------------------------------


@refusals_audited
@transaction.atomic
def case_open(
    *,
    person: Person,
    actor: User | None,
    reason: str,
    citations: Sequence[CitationInput],
    detention: Detention | None = None,
    court: Organization | None = None,
    branch: str = "",
    judge: str = "",
    charges: Sequence[str] = (),
    activities: Sequence[str] = (),
    stage: str = "investigation",
    note: str = "",
    confidentiality: str | None = None,
) -> Case:
    """Open a judicial case against a person, with the charges and the activities persecuted for kept apart
    (Iran Prison Atlas)."""
    require(actor, Action.ADD, Case)
    person_check_current(person)
    if detention is not None and detention.person_id != person.pk:
        raise _refuse(
            "detention", _("Detention #%(id)s is of another person."), "other_person", id=detention.pk
        )
    if court is not None and court.kind != Organization.Kind.JUDICIAL:
        raise _refuse("court", _("“%(court)s” is not a court or judicial body."), "not_a_court", court=court)
    case = Case(
        person=person,
        detention=detention,
        court=court,
        branch=branch.strip(),
        judge=judge.strip(),
        stage=stage,
        note=note.strip(),
        confidentiality=confidentiality or person.confidentiality,
    )
    charge_terms = terms(Vocabulary.CHARGE, list(charges), field="charges")
    activity_terms = terms(Vocabulary.ACTIVITY, list(activities), field="activities")
    save_with_history(case, actor=actor, reason=reason)
    if charge_terms:
        case.charges.set(charge_terms)
    if activity_terms:
        case.activities.set(activity_terms)
    citations_add(fact=case, citations=citations, actor=actor, reason=reason)
    return case


@refusals_audited
@transaction.atomic
def case_stage_record(
    *,
    case: Case,
    stage: str,
    occurred: FuzzyDate,
    citations: Sequence[CitationInput],
    actor: User | None,
    reason: str,
    note: str = "",
) -> CaseStage:
    """Record a dated step of a case. The case's current stage follows, unless a step already recorded is
    later (a step entered after the fact does not move the case back)."""
    require(actor, Action.ADD, CaseStage)
    step = CaseStage(case=case, stage=stage, note=note.strip(), confidentiality=case.confidentiality)
    set_fuzzy(step, "occurred", occurred)
    # A trial in absentia or after death is possible; only a step before birth is impossible.
    person_born_check(person=case.person, day=step.occurred, what=_("Date of the case stage"))
    save_with_history(step, actor=actor, reason=reason)
    later = [
        other for other in case.stages.exclude(pk=step.pk) if step.occurred.certainly_before(other.occurred)
    ]
    if not later and case.stage != stage:
        case.stage = stage
        save_with_history(case, actor=actor, reason=reason)
    citations_add(fact=step, citations=citations, actor=actor, reason=reason)
    return step


# A sentence row is one penalty; its amount fields belong to the matching kinds.
_AMOUNT_KINDS = {
    "lashes": ("lashes",),
    "fine": ("fine",),
    "prison_months": ("prison", "exile", "travel_ban", "social_media_ban", "suspended"),
}


@refusals_audited
@transaction.atomic
def sentence_record(
    *,
    case: Case,
    kind: str,
    issued: FuzzyDate,
    citations: Sequence[CitationInput],
    actor: User | None,
    reason: str,
    stage: str = "verdict",
    prison_months: int | None = None,
    lashes: int | None = None,
    fine: str = "",
    text: str = "",
) -> Sentence:
    """Record one penalty of a sentence ("5 years and 74 lashes" is two rows: prison and lashes)."""
    require(actor, Action.ADD, Sentence)
    kind_term = term(Vocabulary.SENTENCE_KIND, kind, field="kind")
    if kind_term is None:
        raise _refuse("kind", _("Say what kind of sentence was issued."), "no_kind")
    amounts = {"prison_months": prison_months, "lashes": lashes, "fine": fine.strip()}
    for field, value in amounts.items():
        if value not in (None, "") and kind_term.code not in _AMOUNT_KINDS[field]:
            raise _refuse(
                field,
                _("A sentence of kind “%(kind)s” has no %(field)s; record that as a separate sentence."),
                "amount_of_other_kind",
                kind=kind_term,
                field=getattr(Sentence._meta.get_field(field), "verbose_name", field),
            )
    if prison_months is not None and prison_months <= 0:
        raise _refuse("prison_months", _("A term must be at least one month."), "empty_term")
    sentence = Sentence(
        case=case,
        kind=kind_term,
        stage=stage,
        prison_months=prison_months,
        lashes=lashes,
        fine=fine.strip(),
        text=text.strip(),
        confidentiality=case.confidentiality,
    )
    set_fuzzy(sentence, "issued", issued)
    person_born_check(person=case.person, day=sentence.issued, what=_("Date of the sentence"))
    fact_save_cited(sentence, citations=citations, actor=actor, reason=reason)
    return sentence


@refusals_audited
@transaction.atomic
def execution_record(
    *,
    person: Person,
    executed: FuzzyDate,
    citations: Sequence[CitationInput],
    actor: User | None,
    reason: str,
    case: Case | None = None,
    facility: Facility | None = None,
    note: str = "",
) -> Execution:
    """Record an execution. It must agree with the rest of the record: one death per person, not before
    birth, not before an arrest, release or injury recorded for them. Open detentions are left as they are
    (their release, kind "executed", is a fact with its own source)."""
    require(actor, Action.ADD, Execution)
    person_check_current(person)
    person_death_unrecorded_check(person)
    if case is not None and case.person_id != person.pk:
        raise _refuse("case", _("Case #%(id)s is of another person."), "other_person", id=case.pk)
    execution = Execution(
        person=person, case=case, facility=facility, note=note.strip(), confidentiality=person.confidentiality
    )
    set_fuzzy(execution, "executed", executed)
    what = _("Execution date")
    person_born_check(person=person, day=execution.executed, what=what)
    person_death_check(person=person, day=execution.executed, what=what)
    fact_save_cited(execution, citations=citations, actor=actor, reason=reason)
    return execution


# Intake ---------------------------------------------------------------------------------------------------


@refusals_audited
@transaction.atomic
def detainee_intake(
    *,
    actor: User | None,
    reason: str,
    names: Sequence[NameInput | str],
    citation: CitationInput,
    arrested: FuzzyDate,
    gender: str = "unknown",
    reported_age: int | None = None,
    arrest_place: Place | None = None,
    arresting_body: Organization | None = None,
    facility: Facility | None = None,
    incommunicado_since: FuzzyDate | None = None,
    occupations: Sequence[str] = (),
    note: str = "",
    confidentiality: str = "internal",
) -> Detention:
    """A detainee from one post, in one step: the person and their names, the detention and, if given,
    "incommunicado" since a date, each citing the post. One transaction: a refusal anywhere saves nothing.

    A reported age is taken as the age at the arrest (the post describes the person arrested), or at the
    post's publication when the arrest day is not known."""
    require(actor, Action.ADD, Detention)
    age_reported_on: dt.date | None = None
    if reported_age is not None:
        if arrested.precision == Precision.DAY and arrested.value is not None:
            age_reported_on = arrested.value
        else:
            age_reported_on = citation.source.published_on or timezone.localdate()
    person = person_create(
        actor=actor,
        reason=reason,
        names=names,
        citations=[citation],
        gender=gender,
        reported_age=reported_age,
        age_reported_on=age_reported_on,
        occupations=occupations,
        confidentiality=confidentiality,
    )
    detention = detention_record(
        actor=actor,
        reason=reason,
        person=person,
        arrested=arrested,
        citations=[citation],
        arrest_place=arrest_place,
        arresting_body=arresting_body,
        facility=facility,
        note=note,
    )
    if incommunicado_since is not None and incommunicado_since.is_known:
        status_record(
            actor=actor,
            reason=reason,
            detention=detention,
            status=INCOMMUNICADO,
            started=incommunicado_since,
            citations=[citation],
        )
    return detention
