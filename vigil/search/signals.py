"""Keep the search index in step with every save: a name added or changed, a person or event saved."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from vigil.core.signals import records_created
from vigil.events.models import Event
from vigil.people.models import NameVariant, Person
from vigil.sources.models import Source


def _name_changed(sender: type[NameVariant], instance: NameVariant, **kwargs: Any) -> None:
    from vigil.search.services import search_index_person

    if kwargs.get("raw"):
        return  # fixtures: ``vigil reindex`` builds the index afterwards
    person = Person.objects.filter(pk=instance.person_id).first()
    if person is not None:
        search_index_person(person)


def _name_deleted(sender: type[NameVariant], instance: NameVariant, **kwargs: Any) -> None:
    from vigil.search.services import search_index_person

    person_id = instance.person_id

    def reindex() -> None:
        # After the commit: when the whole person is being deleted, its entry goes with it and there is
        # nothing left to index.
        person = Person.objects.filter(pk=person_id).first()
        if person is not None:
            search_index_person(person)

    transaction.on_commit(reindex)


def _names_created(sender: type[NameVariant], instances: list[NameVariant], **kwargs: Any) -> None:
    from vigil.search.services import search_index_people

    search_index_people(name.person_id for name in instances)


def _person_saved(sender: type[Person], instance: Person, **kwargs: Any) -> None:
    from vigil.search.services import search_index_person

    # A new person has no names yet when it is first saved; the names' own saves index it.
    if not kwargs.get("raw") and not kwargs.get("created"):
        search_index_person(instance)


def _source_saved(sender: type[Source], instance: Source, **kwargs: Any) -> None:
    from vigil.search.services import search_index_people

    # A name follows its source's level: a source made public (or hidden) adds (or takes out) its names.
    if not kwargs.get("raw"):
        search_index_people(NameVariant.objects.filter(source=instance).values_list("person_id", flat=True))


def _event_saved(sender: type[Event], instance: Event, **kwargs: Any) -> None:
    from vigil.search.services import search_index_event

    if not kwargs.get("raw"):
        search_index_event(instance)


def connect() -> None:
    post_save.connect(_name_changed, sender=NameVariant, dispatch_uid="search_name_saved")
    records_created.connect(_names_created, sender=NameVariant, dispatch_uid="search_names_created")
    post_delete.connect(_name_deleted, sender=NameVariant, dispatch_uid="search_name_deleted")
    post_save.connect(_person_saved, sender=Person, dispatch_uid="search_person_saved")
    post_save.connect(_event_saved, sender=Event, dispatch_uid="search_event_saved")
    post_save.connect(_source_saved, sender=Source, dispatch_uid="search_source_saved")
