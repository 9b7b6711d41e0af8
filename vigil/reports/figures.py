"""Reported figures: what sources say in aggregate ("HRANA, 9 January: at least 2,300 arrested"), never
added to the people Vigil has documented by name.

For each metric and scope a report shows the latest credible figure covering a period that ended by the
as-of date: the latest period end; on a tie the more reliable source, then the later publication, then
the lower value (the most conservative estimate counts, as ACLED codes it). Credible: neither the figure
nor its source disputed or retracted, and the source not graded unreliable (D or E).
"""

# ruff: noqa: S608
# The SQL here is composed from fragments of our own: values are bound as parameters, ids are integers
# read from the database (``dialect.id_list``), table names come from the models.

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from django.utils.translation import get_language

from vigil.core.models import Term, Verification, Vocabulary
from vigil.organizations.models import Organization
from vigil.reports.dialect import as_date, fetch_all, id_list
from vigil.reports.scope import Gazetteer, Scope, ScopeKind
from vigil.reports.timeframe import Frame
from vigil.reports.visibility import Visibility
from vigil.sources.models import ReportedFigure, Source

UNRELIABLE = ("D", "E")


@dataclass(frozen=True)
class SourceRef:
    """A source as reports cite it."""

    id: int
    title: str
    publisher_en: str
    publisher_fa: str
    url: str
    published_on: dt.date | None
    grade: str

    @property
    def short(self) -> str:
        """What a report puts in brackets after a figure: the publisher (acronym in English) or the title."""
        if get_language() == "fa" and self.publisher_fa:
            return self.publisher_fa
        return self.publisher_en or self.title


@dataclass(frozen=True)
class MetricName:
    code: str
    name_en: str
    name_fa: str


def publisher_names(frame: Frame) -> dict[int, tuple[str, str]]:
    """Organization id → (English name as reports cite it: the acronym, else the name; Persian name), as
    known at the frame's moment: a publisher renamed since leaves a past report as it read."""
    return {
        pk: (acronym or name_en, name_fa)
        for pk, (_pk, acronym, name_en, name_fa) in frame.named_rows(
            Organization, "acronym", "name_en", "name_fa"
        ).items()
    }


@dataclass(frozen=True)
class ReportedValue:
    """One figure a source reported, for one metric over one scope."""

    figure_id: int
    metric: str
    metric_en: str
    metric_fa: str
    qualifier: str
    value: int
    value_text: str
    period_start: dt.date | None
    period_end: dt.date
    published_on: dt.date
    scope_kind: str
    scope_code: str
    scope_en: str
    scope_fa: str
    verification: str
    source: SourceRef
    alternatives: int = 0  # other credible figures for the same metric and scope, not shown

    @property
    def metric_name(self) -> str:
        return self.metric_fa if get_language() == "fa" and self.metric_fa else self.metric_en

    @property
    def scope_name(self) -> str:
        return self.scope_fa if get_language() == "fa" and self.scope_fa else self.scope_en


@dataclass(frozen=True)
class ReportedFigures:
    """``own``: figures for the report's scope itself; ``within``: for places, facilities and universities
    inside it (for the country: every other scope)."""

    own: list[ReportedValue]
    within: list[ReportedValue]

    def get(self, metric: str) -> ReportedValue | None:
        return next((figure for figure in self.own if figure.metric == metric), None)


def _scope_sql(scope: Scope) -> str:
    if scope.kind == ScopeKind.COUNTRY:
        return "TRUE"
    if scope.kind == ScopeKind.PLACE:
        return (
            f"(f.place_id IN {id_list(scope.place_ids)} OR f.facility_id IN {id_list(scope.facility_ids)} "
            f"OR f.university_id IN {id_list(scope.university_ids)})"
        )
    if scope.kind == ScopeKind.FACILITY:
        return f"f.facility_id IN {id_list(scope.facility_ids)}"
    return f"f.university_id IN {id_list(scope.university_ids)}"


def reported_figures(
    frame: Frame, scope: Scope, visibility: Visibility, gazetteer: Gazetteer
) -> ReportedFigures:
    excluded = f"('{Verification.RETRACTED}', '{Verification.DISPUTED}')"
    rows = fetch_all(
        "SELECT f.id, f.metric_id, f.qualifier, f.value, f.value_text, f.period_start, f.period_end, "
        "f.published_on, f.place_id, f.facility_id, f.university_id, f.verification, "
        "s.id, s.title, s.publisher_id, s.url, s.published_on, s.reliability, s.credibility "
        f"FROM {frame.table(ReportedFigure)} f JOIN {frame.table(Source)} s ON s.id = f.source_id "
        f"WHERE f.period_end <= %(as_of)s AND f.verification NOT IN {excluded} "
        f"AND s.verification NOT IN {excluded} AND s.reliability NOT IN ('D', 'E') "
        f"AND {visibility.sql('f')} AND {visibility.sql('s')} AND {_scope_sql(scope)}",
        frame.params,
    )
    metrics = {
        pk: MetricName(code, name_en, name_fa)
        for pk, (_pk, vocabulary, code, name_en, name_fa) in sorted(
            frame.named_rows(Term, "vocabulary", "code", "name_en", "name_fa").items()
        )
        if vocabulary == Vocabulary.METRIC
    }
    publishers = publisher_names(frame)
    candidates: dict[tuple[str, str, int | None, str], list[ReportedValue]] = {}
    for row in rows:
        (pk, metric_id, qualifier, value, value_text, period_start, period_end, published_on, place_id,
         facility_id, university_id, verification, source_id, title, publisher_id, url, source_published,
         reliability, credibility) = row  # fmt: skip
        publisher_en, publisher_fa = publishers.get(publisher_id, ("", ""))
        source = SourceRef(
            source_id,
            title,
            publisher_en,
            publisher_fa,
            url,
            as_date(source_published) if source_published else None,
            f"{reliability}{credibility}",
        )
        kind, code, name_en, name_fa, scope_pk = _figure_scope(
            gazetteer, place_id, facility_id, university_id
        )
        metric = metrics[metric_id]
        figure = ReportedValue(
            pk,
            metric.code,
            metric.name_en,
            metric.name_fa,
            qualifier,
            int(value),
            value_text,
            as_date(period_start) if period_start else None,
            as_date(period_end),
            as_date(published_on),
            kind,
            code,
            name_en,
            name_fa,
            verification,
            source,
        )
        candidates.setdefault((metric.code, kind, scope_pk, code), []).append(figure)

    own: list[ReportedValue] = []
    within: list[ReportedValue] = []
    metric_order = {term.code: index for index, term in enumerate(metrics.values())}
    for (_metric, kind, scope_pk, _code), figures in candidates.items():
        figures.sort(key=_preference)
        chosen = replace(figures[0], alternatives=len(figures) - 1)
        is_own = (scope.kind == ScopeKind.COUNTRY and kind == ScopeKind.COUNTRY) or (
            scope.kind == kind and scope.pk == scope_pk
        )
        (own if is_own else within).append(chosen)
    own.sort(key=lambda figure: metric_order.get(figure.metric, 99))
    within.sort(key=lambda figure: (figure.scope_en, metric_order.get(figure.metric, 99)))
    return ReportedFigures(own, within)


def _preference(figure: ReportedValue) -> tuple[object, ...]:
    return (
        -figure.period_end.toordinal(),
        figure.source.grade[:1] or "F",
        -figure.published_on.toordinal(),
        figure.value,
        figure.figure_id,
    )


def _figure_scope(
    gazetteer: Gazetteer, place_id: int | None, facility_id: int | None, university_id: int | None
) -> tuple[str, str, str, str, int | None]:
    """What a figure covers: (scope kind, code, English name, Persian name, id). A figure on the country,
    or on no place at all, is national."""
    if facility_id is not None:
        code, name_en, name_fa = gazetteer.facility_names.get(facility_id, ("", "", ""))
        return ScopeKind.FACILITY, code, name_en, name_fa, facility_id
    if university_id is not None:
        row = gazetteer.universities.get(university_id)
        return (
            ScopeKind.UNIVERSITY,
            row[2] if row else "",
            row[3] if row else "",
            row[4] if row else "",
            university_id,
        )
    node = gazetteer.places.get(place_id) if place_id is not None else None
    if node is None or node.kind == "country":
        return (
            ScopeKind.COUNTRY,
            node.code if node else "",
            node.name_en if node else "",
            node.name_fa if node else "",
            None,
        )
    return ScopeKind.PLACE, node.code, node.name_en, node.name_fa, node.id
