"""``field__any_of`` finds what ``field__in`` finds, on either database, with the values sent as one
parameter: integers and strings, keys and foreign keys, across a join, and no values at all."""

from __future__ import annotations

import pytest

from tests.factories import DetentionFactory, PersonFactory
from vigil.custody.models import Detention
from vigil.people.models import NameVariant, Person

pytestmark = pytest.mark.django_db


def test_any_of_finds_what_in_finds() -> None:
    first = PersonFactory(names=["نرگس محمدی", "Narges Mohammadi"])
    second = PersonFactory(names=["Sepideh Rashno"])
    PersonFactory(names=["Toomaj Salehi"])
    DetentionFactory(person=first)
    DetentionFactory(person=second)
    ids = [first.pk, second.pk, 10**12]  # one of them recorded nowhere
    texts = ["Narges Mohammadi", "Sepideh Rashno", "نرگس محمدی", "nobody's name"]

    def both(queryset: object, lookup: str, values: list[int] | list[str]) -> set[int]:
        found = set(queryset.filter(**{f"{lookup}__any_of": values}).values_list("pk", flat=True))  # type: ignore[attr-defined]
        assert found == set(queryset.filter(**{f"{lookup}__in": values}).values_list("pk", flat=True))  # type: ignore[attr-defined]
        return found

    assert both(Person.objects.all(), "id", ids) == {first.pk, second.pk}
    assert both(NameVariant.objects.all(), "text", texts) == set(
        NameVariant.objects.filter(person__in=[first, second]).values_list("pk", flat=True)
    )
    assert len(both(Detention.objects.all(), "person_id", ids)) == 2
    assert len(both(Detention.objects.all(), "person", ids)) == 2
    assert both(NameVariant.objects.all(), "person__detentions__person_id", [first.pk]) == set(
        first.names.values_list("pk", flat=True)
    )
    assert both(Person.objects.all(), "id", []) == set()
    assert both(NameVariant.objects.all(), "text", []) == set()


def test_any_of_takes_plain_values_only() -> None:
    person = PersonFactory()
    with pytest.raises(TypeError, match="plain integers or strings"):
        list(Detention.objects.filter(person__any_of=[person]))
