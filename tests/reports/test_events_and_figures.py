"""Events documented (protests and strikes by day and province, places and universities reached) and
reported figures (the latest credible one per metric and scope)."""

import datetime as dt
from typing import Any

import pytest

from tests.factories import EventFactory, OrganizationFactory, UniversityFactory, day, month, staff
from tests.reports.conftest import AS_OF, arrest, place, public_report, public_source, set_level
from vigil.events.models import Event
from vigil.reports.scope import scope_resolve
from vigil.sources.models import ReportedFigure, Source
from vigil.sources.services import figure_record

pytestmark = pytest.mark.django_db


def _event(**fields: Any) -> Event:
    fields.setdefault("confidentiality", "public")
    fields.setdefault("started", day(2026, 1, 3))
    return EventFactory(**fields)


def _figure(
    value: int,
    *,
    source: Source | None = None,
    published_on: dt.date = AS_OF,
    period_end: dt.date = AS_OF,
    metric: str = "arrested",
    where: str = "ir",
    **fields: Any,
) -> ReportedFigure:
    return figure_record(
        actor=staff(),
        reason="Test",
        source=source or public_source(),
        metric=metric,
        qualifier="at_least",
        value=value,
        published_on=published_on,
        period_end=period_end,
        place=place(where),
        **fields,
    )


def test_protests_and_strikes_are_counted_by_province_and_day():
    """Two protests in Ilam on 3 January, a strike in Tehran on the 8th."""
    _event(place=place("ir-ilam-malekshahi"))
    _event(place=place("ir-ilam"))
    _event(kind="strike", place=place("ir-tehran-tehran"), started=day(2026, 1, 8))

    events = public_report().events
    assert (events.protests, events.strikes, events.provinces_reached, events.cities_reached) == (2, 1, 2, 2)
    by_province = {area.code: (area.protests, area.strikes) for area in events.by_province if area.events}
    assert by_province == {"ir-ilam": (2, 0), "ir-tehran": (0, 1)}
    assert [(entry.day, entry.protests, entry.strikes) for entry in events.by_day] == [
        (dt.date(2026, 1, 3), 2, 0),
        (dt.date(2026, 1, 8), 0, 1),
    ]
    assert events.provinces_total == 31


def test_student_protests_count_the_universities_reached():
    """Two protests at one university, one at another: two universities."""
    first, second = UniversityFactory(place=place("ir-tehran-tehran")), UniversityFactory()
    _event(kind="student_protest", university=first)
    _event(kind="student_protest", university=first, started=day(2026, 1, 4))
    _event(kind="student_protest", university=second)

    universities = public_report().events.universities
    assert [(area.code, area.protests) for area in universities] == [(first.code, 2), (second.code, 1)]


def test_disputed_events_and_events_not_yet_certainly_begun_are_not_counted():
    """A disputed protest, and one dated only "January 2026", do not count on 9 January."""
    set_level(_event(place=place("ir-ilam")), "disputed")
    _event(place=place("ir-ilam"), started=month(2026, 1))

    assert public_report().events.protests == 0


def test_the_latest_figure_is_the_one_reported():
    """HRANA on 5 and on 9 January: the 9 January figure, with its source."""
    hrana = OrganizationFactory(acronym="HRANA")
    _figure(
        1000,
        source=public_source(publisher=hrana),
        published_on=dt.date(2026, 1, 5),
        period_end=dt.date(2026, 1, 5),
    )
    _figure(2300, source=public_source(publisher=hrana))

    (figure,) = public_report().figures.own
    assert (figure.value, figure.qualifier, figure.source.short, figure.alternatives) == (
        2300,
        "at_least",
        "HRANA",
        1,
    )


def test_a_figure_for_a_later_period_is_not_in_an_earlier_report():
    """The 9 January figure is not in the report as of 5 January."""
    _figure(2300)

    assert public_report(dt.date(2026, 1, 5)).figures.own == []


def test_on_the_same_day_the_more_reliable_source_wins():
    """A B-graded source over an F-graded one for the same day."""
    _figure(5000, source=public_source(reliability="F"))
    _figure(2300, source=public_source(reliability="B"))

    assert [figure.value for figure in public_report().figures.own] == [2300]


def test_figures_from_unreliable_sources_are_not_reported():
    """A source graded E is never quoted."""
    _figure(9999, source=public_source(reliability="E"))

    assert public_report().figures.own == []


def test_figures_of_places_within_the_scope_are_shown_apart():
    """A Malekshahi figure is "within" the Ilam report and the national one, and "own" for Malekshahi."""
    _figure(2, metric="killed", where="ir-ilam-malekshahi")

    assert [figure.scope_code for figure in public_report(scope=scope_resolve("Ilam")).figures.within] == [
        "ir-ilam-malekshahi"
    ]
    assert [figure.value for figure in public_report(scope=scope_resolve("Malekshahi")).figures.own] == [2]


def test_named_counts_and_reported_figures_are_never_added():
    """Two named arrests and a reported 2,300: the report holds 2 and 2,300, not 2,302."""
    arrest()
    arrest()
    _figure(2300)

    report = public_report()
    assert report.named_count("arrested").people.total == 2  # type: ignore[union-attr]
    assert report.figures.get("arrested").value == 2300  # type: ignore[union-attr]


def test_changes_since_an_earlier_date_compare_with_the_report_as_it_read_then():
    """One arrest on 4 January, one on 8 January, a new figure on 9 January: +1 arrested since the 5th."""
    arrest(when=day(2026, 1, 4))
    arrest(when=day(2026, 1, 8))
    _figure(2300)

    changes = public_report(since=dt.date(2026, 1, 5), known_at=None).changes
    assert changes is not None
    arrested = next(change for change in changes.named if change.code == "arrested")
    # Everything here was recorded today, so as Vigil knew it on 5 January there was nothing yet.
    assert (arrested.before, arrested.after) == (0, 2)
    assert [(change.metric, change.before, change.after is not None) for change in changes.figures] == [
        ("arrested", None, True)
    ]
