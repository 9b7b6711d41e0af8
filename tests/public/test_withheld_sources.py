"""A public fact whose only sources are confidential says that its source is withheld, and nothing more of
that source; a fact with a public source shows that source alone."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from tests.factories import DetentionFactory, PersonFactory, SourceFactory, cite

pytestmark = pytest.mark.django_db

WITHHELD = {
    "en": "source withheld to protect those who gave it",
    "fa": "منبع برای حفظ امنیت کسانی که آن را در اختیار گذاشته‌اند منتشر نمی‌شود",
}


def profile(client, person_id: int, language: str) -> str:
    with translation.override(language):
        address = reverse("public:person", args=[person_id])
    response = client.get(address)
    assert response.status_code == 200
    return str(response.content.decode())


@pytest.mark.parametrize("language", ["en", "fa"])
def test_a_fact_cited_only_by_a_confidential_source_says_its_source_is_withheld(client, language):
    """The arrest rests on the family's testimony, kept internal: the page says a source is withheld,
    and names no title, kind or address of it."""
    person = PersonFactory(names=["Leila Test", "لیلا آزمون"], confidentiality="public")
    testimony = SourceFactory(
        title="Testimony of the mother",
        kind="family_testimony",
        url="https://example.org/family-call",
        confidentiality="internal",
    )
    DetentionFactory(person=person, confidentiality="public", citations=[cite(testimony)])

    shown = profile(client, person.pk, language)

    assert WITHHELD[language] in shown
    for trace in ("Testimony of the mother", "family-call", "Family testimony", "گواهی خانواده"):
        assert trace not in shown


@pytest.mark.parametrize("language", ["en", "fa"])
def test_a_fact_with_a_public_source_shows_it_and_no_withheld_note(client, language):
    """An arrest reported by a public source and also by a confidential one shows the public source only,
    and no note that another exists."""
    person = PersonFactory(names=["Leila Test", "لیلا آزمون"], confidentiality="public")
    report = SourceFactory(title="HRANA daily report", confidentiality="public")
    testimony = SourceFactory(title="Testimony of the mother", confidentiality="internal")
    DetentionFactory(person=person, confidentiality="public", citations=[cite(report), cite(testimony)])

    shown = profile(client, person.pk, language)

    assert "HRANA daily report" in shown
    assert WITHHELD[language] not in shown and "Testimony of the mother" not in shown
