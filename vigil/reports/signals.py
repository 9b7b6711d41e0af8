"""Keep the named-individual summary in step with every save and deletion of what it counts: detentions,
custody conditions, cases, sentences, executions, casualties and people (birth, age, merges,
confidentiality, verification); and the event tally with every save and deletion of an event.

Signals rather than calls in each service: every write (services, merges and unmerges, reverts of history,
the admin) saves through the model, and the summary is refreshed in the same transaction, so it never
disagrees with a committed record. The people a row concerned before the change are read before it
(``pre_save``, ``pre_delete``), those after it after: a fact moved by a merge refreshes both.

Records written together (an import's runs, ``create_many_with_history``) send ``records_created``
instead of ``post_save``: their people are refreshed once per batch.

Raw saves (fixtures, ``backup_restore``) are not followed one by one: they mark the summary not ready, and
reports count the facts until ``vigil rebuild_report_summary``. Neither are writes that bypass the models
(``QuerySet.update``, raw SQL): whatever does them rebuilds afterwards.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.apps import AppConfig
from django.db import connection, models
from django.db.models.signals import post_delete, post_migrate, post_save, pre_delete, pre_save

from vigil.core.models import Term, Vocabulary
from vigil.core.signals import records_created
from vigil.custody.models import Case, Detention, Execution, Sentence, StatusObservation
from vigil.events.models import Casualty, Event
from vigil.people.models import Person
from vigil.reports.event_tally import Key, tally_change, tally_keys
from vigil.reports.models import SummaryState
from vigil.reports.summary import person_keys, summary_mark_stale, summary_rebuild, summary_refresh

_BEFORE = "_summary_keys_before"
_TALLIED = "_tally_keys_before"
# Vocabularies whose codes decide categories (which custody conditions, which sentence kinds, which release
# outcomes are not releases).
_CATEGORY_VOCABULARIES = (Vocabulary.CUSTODY_STATUS, Vocabulary.SENTENCE_KIND, Vocabulary.RELEASE_KIND)


def _people_of(model: type[models.Model], pk: Any) -> set[int]:
    """The people whose counts the row ``pk`` of ``model`` takes part in, as the database has it now."""
    if pk is None:
        return set()
    people: set[int] = set()
    if model is Detention:
        people |= set(Detention.objects.filter(pk=pk).values_list("person_id", flat=True))
        # Sentences and executions take a minor's age from the arrest of their case's detention.
        people |= set(Case.objects.filter(detention_id=pk).values_list("person_id", flat=True))
    elif model is StatusObservation:
        people |= set(StatusObservation.objects.filter(pk=pk).values_list("detention__person_id", flat=True))
    elif model is Case:
        people |= set(Case.objects.filter(pk=pk).values_list("person_id", flat=True))
        people |= set(Execution.objects.filter(case_id=pk).values_list("person_id", flat=True))
    elif model is Sentence:
        people |= set(Sentence.objects.filter(pk=pk).values_list("case__person_id", flat=True))
    elif model in (Execution, Casualty):
        people |= set(model._default_manager.filter(pk=pk).values_list("person_id", flat=True))
    return people


def _keys_of(model: type[models.Model], instance: models.Model) -> set[int]:
    if model is Person:
        # The person, and whom they are counted as: themselves, or up to two levels of merging.
        row = Person.objects.filter(pk=instance.pk).values_list(
            "merged_into_id", "merged_into__merged_into_id"
        )
        return {instance.pk, *(key for found in row for key in found if key is not None)}
    return person_keys(_people_of(model, instance.pk))


def _before(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if kwargs.get("raw") or instance._state.adding:
        return
    setattr(instance, _BEFORE, _keys_of(sender, instance))


def _after(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        summary_mark_stale()
        return
    if sender is Person and kwargs.get("created"):
        return  # no fact names a person not yet saved
    before: set[int] = getattr(instance, _BEFORE, set())
    summary_refresh(before | _keys_of(sender, instance))


def _deleted(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    summary_refresh(getattr(instance, _BEFORE, set()))


def _created(sender: type[models.Model], instances: list[models.Model], **kwargs: Any) -> None:
    """Records written together (``records_created``, an import's run): their people, refreshed once."""
    if sender is Person:
        return  # no fact names a person not yet saved
    people: set[int] = set()
    for instance in instances:
        parent = getattr(instance, "detention", None) or getattr(instance, "case", None)
        person_id = getattr(instance, "person_id", None) or getattr(parent, "person_id", None)
        if person_id is not None:
            people.add(int(person_id))
    summary_refresh(person_keys(people))


def _term_before(sender: type[Term], instance: Term, **kwargs: Any) -> None:
    if instance.vocabulary in _CATEGORY_VOCABULARIES and not instance._state.adding:
        instance._summary_code = Term.objects.filter(pk=instance.pk).values_list("code", flat=True).first()  # type: ignore[attr-defined]


def _term_saved(sender: type[Term], instance: Term, **kwargs: Any) -> None:
    previous = getattr(instance, "_summary_code", None)
    if previous is not None and previous != instance.code:
        summary_mark_stale()


def _migrated(sender: AppConfig, **kwargs: Any) -> None:
    """``migrate`` builds the summary when it is not ready (a new table, a restore, a renamed code)."""
    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor))
    if SummaryState._meta.db_table not in tables:
        return  # migrated only part of the way
    if not SummaryState.objects.filter(ready=True).exists():
        summary_rebuild()


def _event_before(sender: type[Event], instance: Event, **kwargs: Any) -> None:
    if kwargs.get("raw") or instance._state.adding:
        return
    setattr(instance, _TALLIED, tally_keys([instance.pk]))


def _tally(changes: Counter[Key]) -> None:
    if not tally_change(changes):
        summary_mark_stale()


def _event_after(sender: type[Event], instance: Event, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        summary_mark_stale()
        return
    changes = Counter(tally_keys([instance.pk]))
    changes.subtract(getattr(instance, _TALLIED, []))
    _tally(changes)


def _event_deleted(sender: type[Event], instance: Event, **kwargs: Any) -> None:
    changes: Counter[Key] = Counter()
    changes.subtract(getattr(instance, _TALLIED, []))
    _tally(changes)


def _events_created(sender: type[Event], instances: list[Event], **kwargs: Any) -> None:
    _tally(Counter(tally_keys(instance.pk for instance in instances)))


def connect(app: AppConfig) -> None:
    for model in (Person, Detention, StatusObservation, Case, Sentence, Execution, Casualty):
        uid = f"reports_summary_{model._meta.model_name}"
        pre_save.connect(_before, sender=model, dispatch_uid=f"{uid}_pre_save")
        post_save.connect(_after, sender=model, dispatch_uid=f"{uid}_saved")
        pre_delete.connect(_before, sender=model, dispatch_uid=f"{uid}_pre_delete")
        post_delete.connect(_deleted, sender=model, dispatch_uid=f"{uid}_deleted")
        records_created.connect(_created, sender=model, dispatch_uid=f"{uid}_created")
    pre_save.connect(_event_before, sender=Event, dispatch_uid="reports_tally_event_pre_save")
    post_save.connect(_event_after, sender=Event, dispatch_uid="reports_tally_event_saved")
    pre_delete.connect(_event_before, sender=Event, dispatch_uid="reports_tally_event_pre_delete")
    post_delete.connect(_event_deleted, sender=Event, dispatch_uid="reports_tally_event_deleted")
    records_created.connect(_events_created, sender=Event, dispatch_uid="reports_tally_events_created")
    pre_save.connect(_term_before, sender=Term, dispatch_uid="reports_summary_term_pre_save")
    post_save.connect(_term_saved, sender=Term, dispatch_uid="reports_summary_term_saved")
    post_migrate.connect(_migrated, sender=app, dispatch_uid="reports_summary_migrated")
