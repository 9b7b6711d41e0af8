import datetime as dt
import hashlib
import re
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone

from tests.factories import (
    FacilityFactory,
    PersonFactory,
    PlaceFactory,
    SourceFactory,
    cite,
    staff,
)
from vigil.sources.models import Citation, ReportedFigure, Source
from vigil.sources.selectors import citations_for, source_by_sha256
from vigil.sources.services import CitationInput, citation_add, citations_add, figure_record, source_create

pytestmark = pytest.mark.django_db


def _source(**fields: Any) -> Source:
    values: dict[str, Any] = {"actor": staff(), "reason": "Test", "kind": "news", "title": "A post"} | fields
    return source_create(**values)


def test_source_history_records_author_and_reason():
    """Creating a source keeps who recorded it and why in its history."""
    user = staff()
    source = _source(actor=user, reason="From the HRANA daily report")
    entry = source.history.get()
    assert entry.history_user == user
    assert entry.history_change_reason == "From the HRANA daily report"


def test_change_without_a_reason_is_refused():
    """Every write needs a reason."""
    with pytest.raises(ValidationError, match="Every change needs a reason"):
        _source(reason="  ")
    assert not Source.objects.exists()


def test_archived_copy_is_stored_with_its_sha256():
    """The archived copy's SHA-256 is computed from its content and kept beside it."""
    content = b"screenshot of a Telegram post"
    source = _source(archived_file=ContentFile(content, name="post.png"))
    assert source.archived_sha256 == hashlib.sha256(content).hexdigest()
    assert source.archived_file.read() == content
    assert source_by_sha256(source.archived_sha256) == source


def test_archived_copy_larger_than_one_chunk_is_hashed_whole():
    """A file of several chunks is hashed over all of them, not just the first."""
    content = bytes(range(256)) * 12_000  # about 3 MB: three chunks
    source = _source(archived_file=ContentFile(content, name="video.mp4"))
    assert source.archived_sha256 == hashlib.sha256(content).hexdigest()


def test_archived_copy_gets_a_capture_time_when_none_is_given():
    """An archived copy without a capture time is stamped with the time it was archived."""
    source = _source(archived_file=ContentFile(b"x", name="post.png"))
    assert source.archived_at is not None


def test_archived_copy_over_the_size_limit_is_refused_with_both_sizes(settings):
    """An archived copy over the limit is refused, saying its size and the limit, and nothing is saved."""
    settings.VIGIL_EVIDENCE_MAX_BYTES = 1024
    with pytest.raises(ValidationError, match=r"“big.mp4” is 2\.0 KB; the limit is 1\.0 KB"):
        _source(archived_file=ContentFile(b"x" * 2048, name="big.mp4"))
    assert not Source.objects.exists()


def test_archived_copy_without_a_file_name_is_refused():
    """An archived copy needs a file name to be stored under."""
    with pytest.raises(ValidationError, match="needs a file name"):
        _source(archived_file=ContentFile(b"x"))


def test_unknown_source_kind_is_refused_listing_the_known_kinds():
    """An unknown kind names itself and the kinds that exist."""
    with pytest.raises(ValidationError, match=r"Unknown Source kind “tweet”\. Known terms: .*social_post"):
        _source(kind="tweet")


def test_markup_in_a_title_is_refused():
    """HTML in a source title is refused: sources are stored as text."""
    with pytest.raises(ValidationError, match="must not contain HTML markup"):
        _source(title="<script>alert(1)</script>")


def test_a_script_url_is_refused():
    """A javascript: URL is not a source."""
    with pytest.raises(ValidationError, match="Enter a valid URL"):
        _source(url="javascript:alert(1)")


def test_a_url_already_recorded_is_refused_naming_the_existing_source():
    """The same URL twice would split the facts citing it; the second is refused."""
    first = _source(title="First", url="https://t.me/channel/123")
    with pytest.raises(ValidationError, match=rf"already recorded as source “First” \(#{first.pk}\)"):
        _source(title="Second", url="https://t.me/channel/123")


def test_a_language_that_is_not_a_code_is_refused():
    """The language is an ISO 639-1 code, not a name."""
    with pytest.raises(ValidationError, match="“Persian” is not a language code"):
        _source(language="Persian")


def test_a_publication_date_in_the_future_is_refused():
    """A source cannot have been published after today."""
    future = timezone.localdate() + dt.timedelta(days=10)
    with pytest.raises(ValidationError, match=f"Publication date {future.isoformat()} is in the future"):
        _source(published_on=future)


def test_citation_without_a_source_is_refused():
    """A citation needs a source."""
    person = PersonFactory()
    with pytest.raises(ValidationError, match=r"A citation needs a source\."):
        citation_add(fact=person, citation=CitationInput(source=None), actor=staff(), reason="Test")  # type: ignore[arg-type]


def test_a_fact_without_any_citation_is_refused():
    """Every fact has a source: an empty list of citations is refused."""
    person = PersonFactory()
    with pytest.raises(ValidationError, match="Every fact needs a source"):
        citations_add(fact=person, citations=[], actor=staff(), reason="Test")


def test_a_translation_without_its_method_is_refused():
    """A translation must say how it was made."""
    person = PersonFactory()
    citation = cite(quote="بازداشت شد", translation="was arrested")
    with pytest.raises(ValidationError, match="Say how the quote was translated"):
        citation_add(fact=person, citation=citation, actor=staff(), reason="Test")


def test_a_translation_method_without_a_translation_is_refused():
    """A method with no translation is a mistake in the entry."""
    person = PersonFactory()
    citation = cite(quote="بازداشت شد", translation_method="machine")
    with pytest.raises(ValidationError, match="A translation method is given but no translation"):
        citation_add(fact=person, citation=citation, actor=staff(), reason="Test")


def test_a_translation_without_the_original_quote_is_refused():
    """A translation is kept beside the original it translates."""
    person = PersonFactory()
    citation = cite(translation="was arrested", translation_method="human")
    with pytest.raises(ValidationError, match="needs the original quote"):
        citation_add(fact=person, citation=citation, actor=staff(), reason="Test")


def test_a_quote_is_taken_to_be_in_the_source_language():
    """Without a quote language, a quote is in the language of its source."""
    person = PersonFactory()
    source = SourceFactory(language="ku")
    citation = citation_add(
        fact=person, citation=cite(source, quote="Hate girtin"), actor=staff(), reason="Test"
    )
    assert citation.quote_language == "ku"


def test_a_translated_quote_keeps_original_translation_and_method():
    """The original, its translation and the way it was translated are all kept."""
    person = PersonFactory()
    citation = citation_add(
        fact=person,
        citation=cite(quote="بازداشت شد", translation="was arrested", translation_method="post_edited"),
        actor=staff(),
        reason="Test",
    )
    assert (citation.quote, citation.translation, citation.translation_method) == (
        "بازداشت شد",
        "was arrested",
        "post_edited",
    )


def test_the_same_source_cited_twice_for_a_fact_is_refused():
    """Citing a source already cited at the same place adds nothing and is refused."""
    person = PersonFactory()
    source = SourceFactory(title="HRANA daily")
    citation_add(fact=person, citation=cite(source), actor=staff(), reason="Test")
    with pytest.raises(ValidationError, match="“HRANA daily” is already cited for this fact"):
        citation_add(fact=person, citation=cite(source), actor=staff(), reason="Test")


def test_the_same_source_may_be_cited_at_two_places():
    """Two passages of one source (two locators) are two citations."""
    person = PersonFactory()
    source = SourceFactory()
    citation_add(fact=person, citation=cite(source, locator="p. 3"), actor=staff(), reason="Test")
    citation_add(fact=person, citation=cite(source, locator="p. 7"), actor=staff(), reason="Test")
    assert citations_for(person).filter(source=source).count() == 2


def test_citations_for_lists_the_sources_of_one_fact_only():
    """A fact's citations are its own, not those of other facts."""
    first, second = PersonFactory(), PersonFactory()
    assert [c.object_id for c in citations_for(first)] == [first.pk]
    assert citations_for(second).count() == 1
    assert Citation.objects.count() == 2


def _figure(**fields: Any) -> ReportedFigure:
    values: dict[str, Any] = {
        "actor": staff(),
        "reason": "Test",
        "source": fields.pop("source", None) or SourceFactory(published_on=dt.date(2026, 1, 9)),
        "metric": "arrested",
        "qualifier": "at_least",
        "value": 2300,
        "published_on": dt.date(2026, 1, 9),
        "period_start": dt.date(2025, 12, 28),
        "period_end": dt.date(2026, 1, 9),
    } | fields
    return figure_record(**values)


def test_a_reported_figure_keeps_the_qualifier_and_the_sources_wording():
    """ "at least 2,300 arrested" is stored as a number, a qualifier and the wording."""
    figure = _figure(value_text="at least 2,300 arrested")
    assert (figure.qualifier, figure.value, figure.value_text) == (
        "at_least",
        2300,
        "at least 2,300 arrested",
    )
    assert figure.confidentiality == "public"


def test_a_figure_for_a_period_ending_after_publication_is_refused():
    """A source cannot report a period that had not ended when it was published."""
    message = re.escape("The period ends on 2026-01-10, after the figure was published on 2026-01-09.")
    with pytest.raises(ValidationError, match=message):
        _figure(period_end=dt.date(2026, 1, 10))
    assert not ReportedFigure.objects.exists()


def test_a_figure_period_starting_after_it_ends_is_refused():
    """The period of a figure runs forwards."""
    with pytest.raises(ValidationError, match="The period starts on 2026-01-05, after it ends on 2026-01-04"):
        _figure(period_start=dt.date(2026, 1, 5), period_end=dt.date(2026, 1, 4))


def test_a_figure_with_two_scopes_is_refused():
    """A figure covers one place, facility or university."""
    with pytest.raises(ValidationError, match="A figure has one scope"):
        _figure(place=PlaceFactory(), facility=FacilityFactory())


def test_the_same_figure_twice_is_refused():
    """One source's number for one metric, period and scope is recorded once; a revision corrects it."""
    source = SourceFactory(title="HRANA")
    _figure(source=source)
    with pytest.raises(ValidationError, match=r"“HRANA” already has a figure for “Arrested” .*\(2300\)"):
        _figure(source=source, value=2400)


def test_a_figure_with_an_unknown_metric_is_refused_listing_the_metrics():
    """Metrics are a vocabulary."""
    with pytest.raises(ValidationError, match=r"Unknown Reported figure metric “detained”.*arrested_minors"):
        _figure(metric="detained")


def test_a_figure_with_an_unknown_qualifier_is_refused():
    """Qualifiers are fixed: at least, more than, about, up to, exactly."""
    with pytest.raises(ValidationError, match="is not a valid choice"):
        _figure(qualifier="roughly")


def test_a_figure_larger_than_any_count_is_refused_on_either_database():
    """99,999,999,999 protests: SQLite stored it where PostgreSQL refused it; both refuse it the same way."""
    with pytest.raises(ValidationError, match="99999999999 is more than any count a source reports"):
        _figure(value=99_999_999_999)
    assert not ReportedFigure.objects.exists()
    assert _figure(value=1_000_000_000).value == 1_000_000_000
