"""Writing the search index. The index is derived data (no author, no reason, no history): it is rebuilt
from the records at any time by ``vigil reindex`` and follows every save through ``signals``.

Other apps that change names without a model save (a merge that moves names with ``update()``) call
``search_index_person`` for the people concerned.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.db.models import QuerySet

from vigil.core.bulk import insert_records
from vigil.events.models import Event
from vigil.people.models import NameVariant, Person
from vigil.people.selectors import visible_names
from vigil.search.keys import index_lines
from vigil.search.models import SearchEntry


def _indexed_names() -> QuerySet[NameVariant]:
    """The names the index holds: those the public may read (``visible_names``), since it serves public
    search; a name from a non-public source must not make its person findable by it."""
    return visible_names(None)


def search_index_person(person: Person) -> SearchEntry | None:
    """Index (or re-index) the names of ``person``; a person with none leaves the index."""
    folded, skeleton = index_lines(_indexed_names().filter(person=person).values_list("text", flat=True))
    if not folded:
        SearchEntry.objects.filter(person=person).delete()
        return None
    entry, _created = SearchEntry.objects.update_or_create(
        person=person,
        defaults={"kind": SearchEntry.Kind.PERSON, "folded": folded, "skeleton": skeleton},
    )
    return entry


def search_index_people(person_ids: Iterable[int]) -> None:
    """``search_index_person`` for many people at once, with one read and one insert (bulk writes)."""
    names: dict[int, list[str]] = defaultdict(list)
    person_ids = set(person_ids)
    for person_id, text in _indexed_names().filter(person_id__in=person_ids).values_list("person_id", "text"):
        names[person_id].append(text)
    SearchEntry.objects.filter(person_id__in=person_ids).delete()
    entries = []
    for person_id, texts in names.items():
        folded, skeleton = index_lines(texts)
        if folded:
            entries.append(
                SearchEntry(
                    person_id=person_id, kind=SearchEntry.Kind.PERSON, folded=folded, skeleton=skeleton
                )
            )
    insert_records(entries)


def search_index_event(event: Event) -> SearchEntry | None:
    """Index an event under its titles in both languages."""
    folded, skeleton = index_lines([event.title_en, event.title_fa])
    if not folded:
        SearchEntry.objects.filter(event=event).delete()
        return None
    entry, _created = SearchEntry.objects.update_or_create(
        event=event,
        defaults={"kind": SearchEntry.Kind.EVENT, "folded": folded, "skeleton": skeleton},
    )
    return entry


@transaction.atomic
def search_reindex() -> dict[str, int]:
    """Rebuild the whole index from the records (after a restore, an import of fixtures, or a change to
    the folding rules). Returns how many people and events were indexed."""
    SearchEntry.objects.all().delete()
    people = sum(
        1 for person in Person.objects.iterator(chunk_size=500) if search_index_person(person) is not None
    )
    events = sum(
        1 for event in Event.objects.iterator(chunk_size=500) if search_index_event(event) is not None
    )
    return {"people": people, "events": events}
