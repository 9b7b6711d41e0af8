"""A report as a careful campaign text, in plain text or Markdown, in the active language.

It says first what sources report in aggregate, then what Vigil has documented by name, and never adds
the two together; then the events documented, the changes since an earlier date, and the named individuals
with their condition and sources.
"""

from __future__ import annotations

from django.utils.translation import gettext, ngettext

from vigil.reports.figures import ReportedValue
from vigil.reports.individuals import Fact, PersonEntry
from vigil.reports.named import CATEGORY_LABELS, LEVELS, NamedCount, shown
from vigil.reports.render.words import (
    COMPANIONS,
    companion_phrase,
    day,
    figure_phrase,
    number,
    qualified,
    source_note,
)
from vigil.reports.selectors import Report

_LEVEL_WORDS = {
    "verified": lambda n: gettext("verified %(number)s") % {"number": number(n)},
    "corroborated": lambda n: gettext("corroborated %(number)s") % {"number": number(n)},
    "reported": lambda n: gettext("reported %(number)s") % {"number": number(n)},
    "disputed": lambda n: gettext("disputed %(number)s") % {"number": number(n)},
}


class _Writer:
    """Plain text or Markdown, line by line."""

    def __init__(self, markdown: bool) -> None:
        self.markdown = markdown
        self.lines: list[str] = []

    def title(self, text: str) -> None:
        self.lines += [f"# {text}" if self.markdown else text, "" if self.markdown else "=" * len(text)]

    def heading(self, text: str) -> None:
        if self.lines and self.lines[-1] != "":
            self.lines.append("")
        self.lines += [f"## {text}", ""] if self.markdown else [text, "-" * len(text)]

    def paragraph(self, text: str) -> None:
        self.lines += [text, ""]

    def bullet(self, text: str, indent: int = 0) -> None:
        self.lines.append("  " * indent + "- " + text)

    def numbered(self, index: int, text: str) -> None:
        self.lines.append(f"{number(index)}. {text}")

    def detail(self, text: str) -> None:
        self.lines.append("   " + text)

    def table(self, headers: list[str], rows: list[list[str]]) -> None:
        if self.markdown:
            self.lines.append("| " + " | ".join(headers) + " |")
            self.lines.append("|" + "|".join("---" for _ in headers) + "|")
            self.lines += ["| " + " | ".join(row) + " |" for row in rows]
        else:
            widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows, strict=False)]
            for row in [headers, *rows]:
                self.lines.append(
                    "  ".join(
                        str(cell).ljust(width) for cell, width in zip(row, widths, strict=False)
                    ).rstrip()
                )
        self.lines.append("")

    def end_block(self) -> None:
        if self.lines and self.lines[-1] != "":
            self.lines.append("")

    def text(self) -> str:
        return "\n".join(self.lines).rstrip() + "\n"


def render_text(report: Report, *, markdown: bool = False) -> str:
    out = _Writer(markdown)
    out.title(gettext("Situation report: %(scope)s") % {"scope": report.scope.name})
    out.paragraph(_meta_line(report))
    _reported(out, report)
    _named(out, report)
    _events(out, report)
    if report.changes is not None:
        _changes(out, report)
    _people(out, report)
    out.heading(gettext("How to read this report"))
    out.paragraph(
        gettext(
            "Reported figures are what sources published; named counts are people Vigil has documented by "
            "name, each with at least one source. The two are never added together. A fact counts once its "
            "date has certainly passed; retracted facts never count; people recorded twice and merged count "
            "once. Minors were under 18 on the date of the arrest, killing or injury."
        )
    )
    return out.text()


def _meta_line(report: Report) -> str:
    parts = [gettext("As of %(date)s") % {"date": day(report.as_of)}]
    if report.period_start is not None:
        parts.append(gettext("counting from %(date)s") % {"date": day(report.period_start)})
    parts.append(gettext("as recorded on %(date)s") % {"date": day(report.recorded_on)})
    parts.append(gettext("public records only") if report.public else gettext("including internal records"))
    return " · ".join(parts) + "."


def reported_clauses(report: Report) -> list[str]:
    """The reported figures of the report's own scope as clauses of one sentence, companion figures joined
    to their main one ("at least 50 protesters killed, at least 7 of them under 18 (HRANA, ...)")."""
    figures = {figure.metric: figure for figure in report.figures.own}
    clauses: list[str] = []
    used: set[str] = set()
    for figure in report.figures.own:
        if figure.metric in used:
            continue
        used.add(figure.metric)
        clause = figure_phrase(figure)
        companion = figures.get(COMPANIONS.get(figure.metric, ""))
        if companion is not None:
            used.add(companion.metric)
            joined = companion_phrase(figure, companion, report.events.provinces_total)
            if companion.source.id == figure.source.id:
                # "more than 512 protests in all 31 provinces"; "at least 50 killed, at least 7 of them under 18"
                if companion.metric == "provinces_with_protests":
                    template = gettext("%(main)s %(companion)s")
                else:
                    template = gettext("%(main)s, %(companion)s")
                clause = template % {"main": clause, "companion": joined}
                clause += f" ({source_note(figure.source, figure.published_on)})"
            else:
                clause += f" ({source_note(figure.source, figure.published_on)}), {joined}"
                clause += f" ({source_note(companion.source, companion.published_on)})"
        else:
            clause += f" ({source_note(figure.source, figure.published_on)})"
        clauses.append(clause)
    return clauses


def _reported(out: _Writer, report: Report) -> None:
    out.heading(gettext("Reported by sources (aggregate figures)"))
    clauses = reported_clauses(report)
    if clauses:
        out.paragraph(
            gettext("As of %(date)s, sources report %(figures)s.")
            % {"date": day(report.as_of), "figures": gettext("; ").join(clauses)}
        )
    else:
        out.paragraph(
            gettext("No figures reported by sources are recorded for %(scope)s.")
            % {"scope": report.scope.name}
        )
    if report.figures.within:
        out.paragraph(gettext("Figures reported for places within %(scope)s:") % {"scope": report.scope.name})
        by_scope: dict[str, list[ReportedValue]] = {}
        for figure in report.figures.within:
            by_scope.setdefault(figure.scope_name, []).append(figure)
        for name, figures_here in by_scope.items():
            phrases = [f"{figure_phrase(f)} ({source_note(f.source, f.published_on)})" for f in figures_here]
            out.bullet(f"{name}: {gettext('; ').join(phrases)}")
        out.end_block()


def _tally_words(count: NamedCount) -> str:
    levels = [
        _LEVEL_WORDS[level](count.people.by_level[level])
        for level in LEVELS
        if count.people.by_level.get(level)
    ]
    return gettext(", ").join(levels)


def _named(out: _Writer, report: Report) -> None:
    out.heading(gettext("Documented by Vigil: named individuals"))
    out.paragraph(
        gettext(
            "People identified by name, each from at least one source, at the highest verification level "
            "their record reaches. The real numbers are likely much higher."
        )
    )
    listed = shown(report.named)
    if out.markdown and listed:
        headers = [gettext("Category"), gettext("People"), gettext("Under 18")]
        headers += [str(_level_title(level)) for level in LEVELS]
        rows = [
            [count.label.capitalize(), number(count.people.total), number(count.minors.total)]
            + [number(count.people.by_level.get(level, 0)) for level in LEVELS]
            for count in listed
        ]
        out.table(headers, rows)
    else:
        for count in listed:
            line = gettext("%(category)s: %(number)s") % {
                "category": count.label.capitalize(),
                "number": number(count.people.total),
            }
            if count.minors.total:
                line += gettext(", %(number)s of them under 18") % {"number": number(count.minors.total)}
            out.bullet(f"{line} ({_tally_words(count)})")
        out.end_block()
    none = [
        str(CATEGORY_LABELS[count.code])
        for count in report.named
        if count.code in CATEGORY_LABELS
        and not count.people.total
        and not count.people.by_level.get("disputed")
    ]
    if none:
        out.paragraph(
            gettext("No one documented as: %(categories)s.") % {"categories": gettext(", ").join(none)}
        )


def _level_title(level: str) -> str:
    return {
        "verified": gettext("Verified"),
        "corroborated": gettext("Corroborated"),
        "reported": gettext("Reported"),
        "disputed": gettext("Disputed"),
    }[level]


def _events(out: _Writer, report: Report) -> None:
    events = report.events
    out.heading(gettext("Events documented by Vigil"))
    summary = gettext("%(protests)s and %(strikes)s") % {
        "protests": ngettext("%(number)s protest", "%(number)s protests", events.protests)
        % {"number": number(events.protests)},
        "strikes": ngettext("%(number)s strike", "%(number)s strikes", events.strikes)
        % {"number": number(events.strikes)},
    }
    if report.scope.is_country:
        summary += " " + gettext("in %(reached)s of %(total)s provinces and %(cities)s") % {
            "reached": number(events.provinces_reached),
            "total": number(events.provinces_total),
            "cities": ngettext("%(number)s city", "%(number)s cities", events.cities_reached)
            % {"number": number(events.cities_reached)},
        }
    else:
        summary += " " + ngettext(
            "in %(number)s city or town", "in %(number)s cities and towns", events.cities_reached
        ) % {"number": number(events.cities_reached)}
    out.paragraph(summary + ".")
    if events.universities:
        names = gettext(", ").join(area.name for area in events.universities)
        out.paragraph(
            ngettext(
                "Protests at %(number)s university: %(names)s.",
                "Protests at %(number)s universities: %(names)s.",
                len(events.universities),
            )
            % {"number": number(len(events.universities)), "names": names}
        )
    reached = [area for area in events.by_province if area.events]
    if report.scope.is_country and reached:
        rows = [
            [area.name, number(area.protests), number(area.strikes)]
            for area in sorted(reached, key=lambda a: -a.events)
        ]
        out.table([gettext("Province"), gettext("Protests"), gettext("Strikes")], rows)


def signed(value: int) -> str:
    if value < 0:
        return "−" + number(-value)
    return ("+" if value else "") + number(value)


def event_measure_words(code: str) -> str:
    words = {
        "protests": gettext("Protests documented"),
        "strikes": gettext("Strikes documented"),
        "provinces_reached": gettext("Provinces reached"),
        "cities_reached": gettext("Cities reached"),
        "universities": gettext("Universities with protests"),
    }
    return words.get(code, code)


def _changes(out: _Writer, report: Report) -> None:
    changes = report.changes
    if changes is None:
        return
    out.heading(gettext("Changes since %(date)s") % {"date": day(changes.since)})
    out.paragraph(
        gettext("Compared with the report as of %(date)s, as Vigil knew it then.")
        % {"date": day(changes.since)}
    )
    labels = {count.code: count.label for count in report.named}
    moved = [change for change in changes.named if change.delta]
    for change in moved:
        out.bullet(
            gettext("Named, %(category)s: %(delta)s (%(before)s → %(after)s)")
            % {
                "category": labels.get(change.code, change.code),
                "delta": signed(change.delta),
                "before": number(change.before),
                "after": number(change.after),
            }
        )
    for change in changes.events:
        if change.delta:
            out.bullet(
                gettext("%(measure)s: %(delta)s (%(before)s → %(after)s)")
                % {
                    "measure": event_measure_words(change.code),
                    "delta": signed(change.delta),
                    "before": number(change.before),
                    "after": number(change.after),
                }
            )
    for figure_change in changes.figures:
        after, before = figure_change.after, figure_change.before
        if after is not None and before is not None:
            out.bullet(
                gettext("Reported: %(now)s (%(source)s); before: %(then)s (%(old_source)s)")
                % {
                    "now": figure_phrase(after),
                    "source": source_note(after.source, after.published_on),
                    "then": qualified(before.qualifier, before.value),
                    "old_source": source_note(before.source, before.published_on),
                }
            )
        elif after is not None:
            out.bullet(
                gettext("Reported, new: %(now)s (%(source)s)")
                % {"now": figure_phrase(after), "source": source_note(after.source, after.published_on)}
            )
        elif before is not None:
            out.bullet(
                gettext("Reported before, no longer counted: %(then)s") % {"then": figure_phrase(before)}
            )
    if not moved and not any(change.delta for change in changes.events) and not changes.figures:
        out.paragraph(gettext("Nothing has changed."))
    out.end_block()


def fact_sentence(fact: Fact) -> str:
    values = {"date": day(fact.day), "place": fact.place, "facility": fact.facility, "term": fact.term}
    if fact.kind == "arrested":
        sentence = (
            gettext("Arrested %(date)s in %(place)s.") if fact.place else gettext("Arrested %(date)s.")
        ) % values
        if not fact.day.is_known:
            sentence = gettext("Arrested (date unknown).")
        if fact.facility:
            sentence += " " + gettext("Held at %(facility)s.") % values
        return sentence
    if fact.kind == "transferred":
        return gettext("Transferred to %(facility)s on %(date)s.") % values
    if fact.kind == "status":
        return gettext("%(term)s since %(date)s.") % values
    if fact.kind == "status_ended":
        return gettext("%(term)s from %(date)s to %(until)s.") % {**values, "until": day(fact.until)}
    if fact.kind == "released":
        if fact.term:
            return gettext("Detention ended %(date)s: %(term)s.") % values
        return gettext("Released %(date)s.") % values
    if fact.kind == "sentenced":
        sentence = gettext("Sentenced %(date)s: %(term)s") % values
        if fact.prison_months:
            sentence += ", " + ngettext("%(number)s month", "%(number)s months", fact.prison_months) % {
                "number": number(fact.prison_months)
            }
        return sentence + "."
    if fact.kind == "executed":
        return (
            gettext("Executed %(date)s at %(facility)s.") if fact.facility else gettext("Executed %(date)s.")
        ) % values
    if fact.kind == "killed":
        return (
            gettext("Killed %(date)s in %(place)s.") if fact.place else gettext("Killed %(date)s.")
        ) % values
    return (
        gettext("Injured %(date)s in %(place)s.") if fact.place else gettext("Injured %(date)s.")
    ) % values


def _person_heading(entry: PersonEntry) -> str:
    heading = entry.name
    if entry.other_name:
        heading += f" ({entry.other_name})"
    if entry.age is not None:
        heading += ", " + (gettext("%(age)s, a minor") if entry.minor else "%(age)s") % {
            "age": number(entry.age)
        }
    conditions = [str(CATEGORY_LABELS[code]) for code in entry.conditions if code in CATEGORY_LABELS]
    if conditions:
        heading += " — " + gettext(", ").join(conditions)
    return heading + "."


def _people(out: _Writer, report: Report) -> None:
    people = report.people
    out.heading(
        gettext("Named individuals (%(shown)s of %(total)s)")
        % {"shown": number(len(people.entries)), "total": number(people.total)}
    )
    if not people.entries:
        out.paragraph(gettext("No named individuals are documented for this scope and date."))
        return
    for index, entry in enumerate(people.entries, start=1):
        out.numbered(index, _person_heading(entry))
        for fact in entry.facts:
            out.detail(fact_sentence(fact))
        if entry.sources:
            notes = gettext("; ").join(source_note(source) for source in entry.sources)
            out.detail(gettext("Sources: %(sources)s.") % {"sources": notes})
        out.end_block()
    if people.total > len(people.entries):
        out.paragraph(
            gettext("%(more)s more named individuals are documented and not listed here.")
            % {"more": number(people.total - len(people.entries))}
        )
