"""Every output that leaves Vigil for a reader, in one registry, so the disclosure property test covers
each one and a new output is one entry away from being covered.

An ``Output`` renders, for one reader, the text a person or program would receive. ``audience`` says who
may call it: ``"public"`` outputs are read anonymously only (the public site, feeds and exports are the
same for everyone); ``"any"`` outputs are read as every role (the API with a token, the selectors that
take a viewer).

Not yet covered, to add when they filter by viewer: the staff workspace's change lists and forms
(``vigil/staff``), which today show every record to every staff member.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.test import Client
from django.utils import timezone

from vigil.accounts.models import User
from vigil.core.visibility import visible, visible_values
from vigil.events.models import Event
from vigil.exchange import exports
from vigil.people.models import Person
from vigil.public.selectors import DirectoryFilters, people_ranked, person_profile
from vigil.reports.render.text import render_text
from vigil.reports.selectors import report_as_of
from vigil.sources.models import Source


@dataclass
class Reader:
    """Who reads: ``user`` None is the public; ``token`` is their API key, if they have one."""

    label: str
    user: User | None
    token: str = ""


@dataclass
class Dataset:
    people: list[Person] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)


@dataclass(frozen=True)
class Output:
    name: str
    render: Callable[[Reader, Dataset], str]
    audience: str = "any"


def _get(reader: Reader, path: str) -> str:
    headers = {"Authorization": f"Bearer {reader.token}"} if reader.token else {}
    response = Client().get(path, headers=headers)
    assert response.status_code in (200, 301, 302, 404), (path, response.status_code)
    return response.content.decode("utf-8", errors="replace")


def _pages(*paths: str) -> Callable[[Reader, Dataset], str]:
    def render(reader: Reader, data: Dataset) -> str:
        return "\n".join(_get(reader, path) for path in paths)

    return render


def _per_person(pattern: str) -> Callable[[Reader, Dataset], str]:
    def render(reader: Reader, data: Dataset) -> str:
        return "\n".join(_get(reader, pattern.format(id=person.pk)) for person in data.people)

    return render


def _per_event(pattern: str) -> Callable[[Reader, Dataset], str]:
    def render(reader: Reader, data: Dataset) -> str:
        return "\n".join(_get(reader, pattern.format(id=event.pk)) for event in data.events)

    return render


def _export(writer: Callable[[Any], object]) -> Callable[[Reader, Dataset], str]:
    def render(reader: Reader, data: Dataset) -> str:
        stream = io.StringIO()
        writer(stream)
        return stream.getvalue()

    return render


def _api_search(reader: Reader, data: Dataset) -> str:
    return "\n".join(_get(reader, f"/api/v1/search?q={person.display_name('en')}") for person in data.people)


def _report(reader: Reader, data: Dataset) -> str:
    report = report_as_of(as_of=timezone.localdate(), viewer=reader.user, people_limit=1000)
    return render_text(report) + repr(report)


def _visibility_selectors(reader: Reader, data: Dataset) -> str:
    """What ``vigil.core.visibility`` lets through: the records and, of each, every field it allows."""
    out: list[str] = []
    for model in (Person, Source, Event):
        names = [f.name for f in model._meta.concrete_fields]
        for record in visible(model.objects.all(), reader.user):
            out.append(json.dumps(visible_values(record, names, reader.user), default=str))
            if isinstance(record, Person):
                out.extend(str(name.text) for name in record.names.all())
    return "\n".join(out)


def _public_selectors(reader: Reader, data: Dataset) -> str:
    out: list[str] = []
    for item in people_ranked(viewer=reader.user, filters=DirectoryFilters()):
        person = item if isinstance(item, Person) else Person.objects.get(pk=item)
        out.append(person.display_name("en"))
    for person in data.people:
        profile = person_profile(viewer=reader.user, person_id=person.pk, today=timezone.localdate())
        if profile is None:
            continue
        values = getattr(profile, "values", {})
        out.append(json.dumps(values, default=str))
        out.append(
            getattr(profile, "person", person).display_name("en") if hasattr(profile, "person") else ""
        )
        out.extend(str(source.title) for source in getattr(profile, "sources", []))
    return "\n".join(out)


OUTPUTS: list[Output] = [
    # The public website (read as the public whoever is signed in) and its feeds.
    Output(
        "public site: home, directory, events, statistics",
        _pages("/en/", "/en/people/", "/fa/people/", "/en/events/", "/en/statistics/"),
        "public",
    ),
    Output("public site: person pages", _per_person("/en/people/{id}/"), "public"),
    Output("public site: event pages", _per_event("/en/events/{id}/"), "public"),
    Output("public feeds", _pages("/en/feeds/records.atom", "/en/feeds/figures.atom"), "public"),
    # Exports: the public files anyone may download or publish.
    Output("export: public people JSON", _export(exports.public_people_json), "public"),
    Output("export: public people CSV", _export(exports.public_people_csv), "public"),
    Output("export: Popolo JSON", _export(exports.popolo_json), "public"),
    Output("export: ACLED CSV", _export(exports.acled_csv), "public"),
    # The API, anonymously and with each role's token.
    Output(
        "API: people, events, figures, statistics",
        _pages("/api/v1/people?page_size=100", "/api/v1/events", "/api/v1/figures", "/api/v1/statistics"),
    ),
    Output("API: one person", _per_person("/api/v1/people/{id}")),
    Output("API: one event", _per_event("/api/v1/events/{id}")),
    Output("API: search", _api_search),
    # Selectors that take a viewer.
    Output("reports: situation report", _report),
    Output("visibility: records and allowed fields", _visibility_selectors),
    Output("public selectors: directory and profiles", _public_selectors),
]
