"""A report as data: JSON (the whole report) and CSV (its figures, one per row). The schemas are documented
in ``docs/reports.md``; change them only by bumping ``SCHEMA``."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any

from django.utils import translation

from vigil.core.dates import FuzzyDate
from vigil.exchange.exports import spreadsheet_safe
from vigil.reports.figures import ReportedValue, SourceRef
from vigil.reports.individuals import Fact, PersonEntry
from vigil.reports.named import LEVELS, NamedCount, Tally
from vigil.reports.selectors import Report, event_measures

SCHEMA = "vigil.report/1"
CSV_COLUMNS = [
    "kind",
    "measure",
    "subgroup",
    "scope",
    "date",
    "value",
    "qualifier",
    "verification",
    "source",
    "publisher",
    "published_on",
    "period_start",
]
# The columns whose text people typed or pasted (the rest are codes, dates and numbers).
_TEXT_COLUMNS = ("source", "publisher")


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _tally(tally: Tally) -> dict[str, int]:
    return {"total": tally.total, **{str(level): tally.by_level.get(level, 0) for level in LEVELS}}


def _source(source: SourceRef) -> dict[str, Any]:
    return {
        "id": source.id,
        "title": source.title,
        "publisher": source.publisher_en,
        "publisher_fa": source.publisher_fa,
        "url": source.url,
        "published_on": _iso(source.published_on),
        "grade": source.grade,
    }


def _figure(figure: ReportedValue) -> dict[str, Any]:
    return {
        "metric": figure.metric,
        "metric_en": figure.metric_en,
        "metric_fa": figure.metric_fa,
        "qualifier": figure.qualifier,
        "value": figure.value,
        "value_text": figure.value_text,
        "period_start": _iso(figure.period_start),
        "period_end": _iso(figure.period_end),
        "published_on": _iso(figure.published_on),
        "scope": {
            "kind": str(figure.scope_kind),
            "code": figure.scope_code,
            "name_en": figure.scope_en,
            "name_fa": figure.scope_fa,
        },
        "verification": figure.verification,
        "alternatives": figure.alternatives,
        "source": _source(figure.source),
    }


def _label(count: NamedCount, language: str) -> str:
    with translation.override(language):
        return count.label


def _fuzzy(value: FuzzyDate | None) -> dict[str, str] | None:
    if value is None:
        return None
    return {"date": value.iso(), "precision": value.precision if value.is_known else "unknown"}


def _fact(fact: Fact) -> dict[str, Any]:
    return {
        "kind": fact.kind,
        "date": _fuzzy(fact.day),
        "until": _fuzzy(fact.until),
        "term": fact.term_code,
        "term_en": fact.term_en,
        "term_fa": fact.term_fa,
        "place_en": fact.place_en,
        "place_fa": fact.place_fa,
        "facility_en": fact.facility_en,
        "facility_fa": fact.facility_fa,
        "verification": fact.verification,
        "prison_months": fact.prison_months,
    }


def _person(entry: PersonEntry) -> dict[str, Any]:
    return {
        "id": entry.id,
        "name_en": entry.name_en,
        "name_fa": entry.name_fa,
        "gender": entry.gender,
        "age_on_as_of": entry.age,
        "conditions": entry.conditions,
        "facts": [_fact(fact) for fact in entry.facts],
        "sources": [_source(source) for source in entry.sources],
    }


def report_to_dict(report: Report) -> dict[str, Any]:
    """The whole report as JSON-ready data, in both languages where it has words."""
    events = report.events
    changes = report.changes
    return {
        "schema": SCHEMA,
        "as_of": _iso(report.as_of),
        "period_start": _iso(report.period_start),
        "known_at": _iso(report.known_at),
        "recorded_on": _iso(report.recorded_on),
        "generated_at": _iso(report.generated_at),
        "audience": "public" if report.public else "staff",
        "scope": {
            "kind": str(report.scope.kind),
            "code": report.scope.code,
            "name_en": report.scope.name_en,
            "name_fa": report.scope.name_fa,
        },
        "reported_figures": {
            "note": "Aggregate figures as published by sources. Never added to the named counts.",
            "scope": [_figure(figure) for figure in report.figures.own],
            "within": [_figure(figure) for figure in report.figures.within],
        },
        "named_individuals": {
            "note": "People documented by name, each with at least one source; counted once, at the highest "
            "verification level their facts reach. Totals leave out the disputed.",
            "categories": [
                {
                    "code": count.code,
                    "label_en": _label(count, "en"),
                    "label_fa": _label(count, "fa"),
                    "people": _tally(count.people),
                    "minors": _tally(count.minors),
                }
                for count in report.named
            ],
        },
        "events": {
            **event_measures(events),
            "provinces_total": events.provinces_total,
            "universities_list": [
                {
                    "code": area.code,
                    "name_en": area.name_en,
                    "name_fa": area.name_fa,
                    "protests": area.protests,
                    "strikes": area.strikes,
                }
                for area in events.universities
            ],
            "by_province": [
                {
                    "code": area.code,
                    "name_en": area.name_en,
                    "name_fa": area.name_fa,
                    "protests": area.protests,
                    "strikes": area.strikes,
                }
                for area in events.by_province
            ],
        },
        "timeline": [
            {
                "date": _iso(entry.day),
                "arrests": entry.arrests,
                "killings": entry.killings,
                "protests": entry.protests,
                "strikes": entry.strikes,
            }
            for entry in report.timeline
        ],
        "changes": None
        if changes is None
        else {
            "since": _iso(changes.since),
            "known_at": _iso(changes.known_at),
            "named": [{"code": c.code, "before": c.before, "after": c.after} for c in changes.named],
            "minors": [{"code": c.code, "before": c.before, "after": c.after} for c in changes.minors],
            "events": [{"code": c.code, "before": c.before, "after": c.after} for c in changes.events],
            "figures": [
                {
                    "metric": change.metric,
                    "before": _figure(change.before) if change.before else None,
                    "after": _figure(change.after) if change.after else None,
                }
                for change in changes.figures
            ],
        },
        "people": {
            "total": report.people.total,
            "listed": len(report.people.entries),
            "entries": [_person(entry) for entry in report.people.entries],
        },
    }


def render_json(report: Report) -> str:
    return json.dumps(report_to_dict(report), ensure_ascii=False, indent=2) + "\n"


def report_rows(report: Report) -> list[dict[str, Any]]:
    """The report's figures in long form, one number per row (columns: ``CSV_COLUMNS``)."""
    scope = report.scope.code
    rows: list[dict[str, Any]] = []
    for figure in [*report.figures.own, *report.figures.within]:
        rows.append(
            {
                "kind": "reported",
                "measure": figure.metric,
                "subgroup": "",
                "scope": figure.scope_code,
                "date": _iso(figure.period_end),
                "value": figure.value,
                "qualifier": figure.qualifier,
                "verification": figure.verification,
                "source": figure.source.title,
                "publisher": figure.source.publisher_en,
                "published_on": _iso(figure.published_on),
                "period_start": _iso(figure.period_start),
            }
        )
    for count in report.named:
        for subgroup, tally in (("all", count.people), ("minors", count.minors)):
            levels: list[tuple[str, int]] = [("all", tally.total)]
            levels += [(str(level), tally.by_level.get(level, 0)) for level in LEVELS]
            for level, value in levels:
                rows.append(
                    {
                        "kind": "named",
                        "measure": count.code,
                        "subgroup": subgroup,
                        "scope": scope,
                        "date": _iso(report.as_of),
                        "value": value,
                        "verification": level,
                        "period_start": _iso(report.period_start),
                    }
                )
    for measure, value in event_measures(report.events).items():
        rows.append(
            {
                "kind": "events",
                "measure": measure,
                "scope": scope,
                "date": _iso(report.as_of),
                "value": value,
                "period_start": _iso(report.period_start),
            }
        )
    for area in report.events.by_province:
        for measure, value in (("protests", area.protests), ("strikes", area.strikes)):
            rows.append(
                {
                    "kind": "events",
                    "measure": measure,
                    "subgroup": area.code,
                    "scope": scope,
                    "date": _iso(report.as_of),
                    "value": value,
                    "period_start": _iso(report.period_start),
                }
            )
    for entry in report.timeline:
        for measure, value in (
            ("arrests", entry.arrests),
            ("killings", entry.killings),
            ("protests", entry.protests),
            ("strikes", entry.strikes),
        ):
            rows.append(
                {
                    "kind": "timeline",
                    "measure": measure,
                    "scope": scope,
                    "date": _iso(entry.day),
                    "value": value,
                }
            )
    return rows


def render_csv(report: Report) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, restval="", lineterminator="\n")
    writer.writeheader()
    for row in report_rows(report):
        # Never a formula when the file is opened in a spreadsheet.
        writer.writerow({**row, **{key: spreadsheet_safe(row[key]) for key in _TEXT_COLUMNS if key in row}})
    return buffer.getvalue()
