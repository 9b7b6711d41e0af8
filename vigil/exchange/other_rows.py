"""Rows that are not about one person: events and reported figures."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from vigil.core.dates import FuzzyDate
from vigil.core.models import Confidentiality, Vocabulary
from vigil.events.models import Event
from vigil.events.services import event_record, event_update
from vigil.exchange.cells import choice_names, parse_quantity, split_terms
from vigil.exchange.mapped import Cells
from vigil.exchange.rowkit import RowContext, RowResult, SourcePlan, external_record, read_sources
from vigil.sources.models import ReportedFigure
from vigil.sources.selectors import figure_of_scope
from vigil.sources.services import figure_record


@dataclass
class EventPlan:
    number: int
    external_id: str = ""
    fields: dict[str, Any] = field(default_factory=dict)
    sources: SourcePlan = field(default_factory=SourcePlan)
    warnings: list[str] = field(default_factory=list)


def read_event_row(cells: Cells, number: int, target: str, context: RowContext) -> EventPlan:
    lookups = context.lookups
    plan = EventPlan(number=number, external_id=cells.text("external_id", joiner=" "))
    kind = cells.parse("kind", lambda text: lookups.term(Vocabulary.EVENT_KIND, text.lower()))
    plan.fields = {
        "kind": kind,
        "title_en": cells.text("title_en", joiner=" "),
        "title_fa": cells.text("title_fa", joiner=" "),
        "started": cells.date("started"),
        "ended": cells.date("ended"),
        "facility": cells.parse("facility", lookups.facility),
        "tactics": cells.parse(
            "tactics", lambda text: [lookups.term(Vocabulary.TACTIC, code) for code in split_terms(text)]
        )
        or [],
        "description_en": cells.text("description_en"),
        "description_fa": cells.text("description_fa"),
        "confidentiality": cells.choice(
            "confidentiality", list(Confidentiality.values), choice_names(Confidentiality)
        )
        or Confidentiality.PUBLIC,
    }
    place_cell = cells.first("place")
    if place_cell is not None:
        place, warning = lookups.place(place_cell[1])
        plan.fields["place"] = place
        if warning:
            cells.warnings.append(f"{place_cell[0]}: {warning}")
            plan.fields["description_en"] = "\n".join(
                filter(None, [plan.fields["description_en"], _("Place as given: %s") % place_cell[1]])
            )
    if kind is None and not cells.errors:
        cells.fault(_("kind"), _("An event row must say what kind of event it was."))
    if not plan.fields["title_en"] and not cells.errors:
        cells.fault(_("title_en"), _("An event row needs an English title."))
    plan.sources = read_sources(cells)
    plan.warnings = cells.warnings
    return plan


def write_event_row(plan: EventPlan, target: str, context: RowContext) -> RowResult:
    """A new event, or, for an ID of the file recorded before (by an earlier import or an earlier row of
    this file), what the row adds to that event."""
    result = RowResult(number=plan.number, warnings=list(plan.warnings))
    namespace = context.mapping.external_namespace
    known = external_record(namespace, plan.external_id, Event) if plan.external_id and namespace else None
    if isinstance(known, Event):
        earlier = context.rows_by_external_id.get(plan.external_id)
        if earlier is not None:
            result.note(
                _("The same ID “%(id)s” as row %(row)s: the row adds to the event that row recorded.")
                % {"id": plan.external_id, "row": earlier}
            )
        _update_event(known, plan, context, result)
        result.updated(known)
        return result
    fields = plan.fields
    started: FuzzyDate | None = fields["started"]
    same = Event.objects.filter(title_en__iexact=fields["title_en"])
    if started is not None and started.is_known:
        same = same.filter(started_on=started.value)
    candidates = [f"#{event.pk} {event.title_en}" for event in same[:5]]
    if candidates and context.mapping.on_duplicate == "skip":
        result.skip(candidates)
        return result
    event = event_record(
        actor=context.actor,
        reason=context.reason(plan.number),
        citations=context.cite(plan.sources, plan.number),
        **{key: value for key, value in fields.items() if value is not None},
    )
    context.external_id_record(event, plan.external_id)
    if plan.external_id:
        context.rows_by_external_id[plan.external_id] = plan.number
    result.created(event, candidates)
    return result


def _update_event(event: Event, plan: EventPlan, context: RowContext, result: RowResult) -> None:
    """Add what is new, as for a known person: fields still empty, more tactics, the row's sources not yet
    cited. A recorded value the row contradicts is kept, and the row names it: an import never overwrites
    what is recorded; a reviewer corrects it."""
    fields = plan.fields
    changes: dict[str, Any] = {}
    differ: list[str] = []
    kind = fields["kind"]
    if kind is not None and kind.pk != event.kind_id:
        differ.append("kind")
    if " ".join(fields["title_en"].split()).casefold() != " ".join(event.title_en.split()).casefold():
        differ.append("title_en")
    for name in ("title_fa", "description_en", "description_fa"):
        given, recorded = " ".join(fields[name].split()), " ".join(getattr(event, name).split())
        if given and not recorded:
            changes[name] = fields[name]
        elif given and given != recorded:
            differ.append(name)
    for name in ("started", "ended"):
        day: FuzzyDate | None = fields[name]
        if day is None or not day.is_known:
            continue
        if not getattr(event, name).is_known:
            changes[name] = day
        elif getattr(event, name) != day:
            differ.append(f"{name}_on")
    for name in ("place", "facility"):
        found = fields.get(name)
        if found is not None and getattr(event, f"{name}_id") is None:
            changes[name] = found
        elif found is not None and getattr(event, f"{name}_id") != found.pk:
            differ.append(name)
    current = list(event.tactics.all())
    if set(fields["tactics"]) - set(current):
        changes["tactics"] = list({*current, *fields["tactics"]})
    if differ:
        labels = [str(getattr(Event._meta.get_field(name), "verbose_name", name)) for name in differ]
        result.note(
            _(
                "The row differs from event #%(event)s as recorded in %(fields)s: the recorded values are "
                "kept; correct the event if the row is right."
            )
            % {"event": event.pk, "fields": ", ".join(labels)}
        )
    cited = context.cited_source_ids(event)
    citations = [c for c in context.cite(plan.sources, plan.number) if c.source.pk not in cited]
    event_update(
        event=event, actor=context.actor, reason=context.reason(plan.number), citations=citations, **changes
    )


@dataclass
class FigurePlan:
    number: int
    fields: dict[str, Any] = field(default_factory=dict)
    sources: SourcePlan = field(default_factory=SourcePlan)
    warnings: list[str] = field(default_factory=list)


def read_figure_row(cells: Cells, number: int, target: str, context: RowContext) -> FigurePlan:
    lookups = context.lookups
    plan = FigurePlan(number=number)
    value_cell = cells.first("value")
    value_text = cells.text("value_text", joiner=" ")
    metric = cells.parse("metric", lambda text: lookups.term(Vocabulary.METRIC, text.lower()))
    published_on = cells.day("published_on")
    period_end = cells.day("period_end") or published_on
    plan.fields = {
        "metric": metric,
        "qualifier": cells.choice(
            "qualifier", list(ReportedFigure.Qualifier.values), choice_names(ReportedFigure.Qualifier)
        )
        or ReportedFigure.Qualifier.AT_LEAST,
        "value": cells.parse("value", parse_quantity),
        "value_text": value_text or (value_cell[1] if value_cell else ""),
        "published_on": published_on,
        "period_start": cells.day("period_start"),
        "period_end": period_end,
        "facility": cells.parse("facility", lookups.facility),
        "note": cells.text("note"),
        "confidentiality": cells.choice(
            "confidentiality", list(Confidentiality.values), choice_names(Confidentiality)
        )
        or Confidentiality.PUBLIC,
    }
    place_cell = cells.first("place")
    if place_cell is not None:
        place, warning = lookups.place(place_cell[1])
        if place is None:
            # A figure's scope is what it counts: without it the number would read as nationwide.
            cells.fault(
                place_cell[0],
                _(
                    "“%(text)s” is not in the gazetteer, and a figure without its place would count the whole "
                    "country: the row is not imported. Write a place the gazetteer knows, or add it there."
                )
                % {"text": place_cell[1]},
            )
        elif warning:
            cells.warnings.append(f"{place_cell[0]}: {warning}")  # recorded at the place found, named
        plan.fields["place"] = place
    for name, label in (("metric", _("metric")), ("value", _("value")), ("published_on", _("published on"))):
        if plan.fields[name] is None and not cells.errors:
            cells.fault(label, _("A figure row needs its %(field)s.") % {"field": label})
    plan.sources = read_sources(cells)
    plan.warnings = cells.warnings
    return plan


def write_figure_row(plan: FigurePlan, target: str, context: RowContext) -> RowResult:
    result = RowResult(number=plan.number, warnings=list(plan.warnings))
    citations = context.cite(plan.sources, plan.number)
    if not citations:
        raise ValidationError(_("A figure needs its source: map a source link or title, or set a dataset."))
    fields: dict[str, Any] = {key: value for key, value in plan.fields.items() if value is not None}
    period_end: dt.date = fields["period_end"]
    fields["period_end"] = period_end
    source = citations[0].source
    recorded = figure_of_scope(
        source=source,
        metric=fields["metric"],
        period_start=fields.get("period_start"),
        period_end=period_end,
        place=fields.get("place"),
        facility=fields.get("facility"),
    )
    if recorded is not None and (recorded.qualifier, recorded.value, recorded.published_on) == (
        fields["qualifier"],
        fields["value"],
        fields["published_on"],
    ):
        # Next week's version of a list repeats the figures imported before; only a different number is
        # refused (by ``figure_record``), as a correction of the recorded figure.
        result.unchanged(recorded)
        return result
    figure = figure_record(actor=context.actor, reason=context.reason(plan.number), source=source, **fields)
    result.created(figure, [])
    return result
