"""Writing sources, the citations that tie facts to them, and reported figures.

Principle 1, every fact has a source, is enforced here: the services of the other apps cite through
``citations_add``, which refuses a fact without at least one citation.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypedDict, TypeVar, Unpack

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import models, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from vigil.accounts.models import User
from vigil.accounts.permissions import Action, refusals_audited, require
from vigil.core.models import Term, Vocabulary
from vigil.core.services import save_with_history, term
from vigil.organizations.models import Organization
from vigil.places.models import Facility, Place, University
from vigil.sources.models import Citation, ReportedFigure, Source
from vigil.sources.selectors import citations_for, figure_of_scope

M = TypeVar("M", bound=models.Model)

# Videos of a crackdown are large; beyond this an upload is refused rather than half-stored. Operators
# change it with the VIGIL_EVIDENCE_MAX_BYTES setting.
DEFAULT_EVIDENCE_MAX_BYTES = 500 * 1024 * 1024
_HASH_CHUNK_BYTES = 1024 * 1024
# ISO 639-1 (or -3) with an optional subtag: "fa", "en", "ckb", "az-Latn".
_LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")


@dataclass(frozen=True)
class CitationInput:
    """What a documenter says about one source supporting one fact."""

    source: Source
    quote: str = ""
    quote_language: str = ""
    translation: str = ""
    translation_method: str = Citation.Translation.NONE
    relation: str = Citation.Relation.UNKNOWN
    locator: str = ""


def evidence_max_bytes() -> int:
    """The largest archived copy accepted, read when called (never at import time)."""
    return int(getattr(settings, "VIGIL_EVIDENCE_MAX_BYTES", DEFAULT_EVIDENCE_MAX_BYTES))


def file_sha256(file: File) -> str:  # type: ignore[type-arg]
    """SHA-256 of a file, read in chunks so a large video never sits in memory whole."""
    digest = hashlib.sha256()
    for chunk in file.chunks(_HASH_CHUNK_BYTES):
        digest.update(chunk if isinstance(chunk, bytes) else chunk.encode())
    if file.seekable():
        file.seek(0)
    return digest.hexdigest()


def _check_language(code: str, field: str) -> None:
    if not _LANGUAGE_CODE.match(code):
        raise ValidationError(
            {
                field: ValidationError(
                    _("“%(code)s” is not a language code; use an ISO 639-1 code such as fa, en, ku or ar."),
                    code="invalid_language",
                    params={"code": code},
                )
            }
        )


def refuse_future_day(day: dt.date | None, *, field: str, label: str) -> None:
    """Refuse a plain date in the future, with a day of slack for time zones (see ``set_fuzzy``)."""
    if day is not None and day > timezone.localdate() + dt.timedelta(days=1):
        raise ValidationError(
            {
                field: ValidationError(
                    _("%(field)s %(date)s is in the future; enter the date it happened."),
                    code="future_date",
                    params={"field": label, "date": day.isoformat()},
                )
            }
        )


@refusals_audited
@transaction.atomic
class SourceFields(TypedDict, total=False):
    """What a new source may be recorded with besides its kind and title (``source_build``,
    ``source_create``)."""

    publisher: Organization | None
    author: str
    url: str
    published_on: dt.date | None
    language: str
    reliability: str
    credibility: str
    archived_file: File | None  # type: ignore[type-arg]
    archived_at: dt.datetime | None
    confidentiality: str
    notes: str


def source_build(*, kind: str | Term, title: str, **fields: Unpack[SourceFields]) -> Source:
    """A new source with the checks that need no other record: what ``source_create`` saves, and importers
    save many at once for links not yet recorded."""
    language = fields.get("language", "fa")
    published_on = fields.get("published_on")
    _check_language(language, "language")
    refuse_future_day(published_on, field="published_on", label=_("Publication date"))
    source = Source(
        kind=term(Vocabulary.SOURCE_KIND, kind, field="kind"),
        title=title.strip(),
        publisher=fields.get("publisher"),
        author=fields.get("author", "").strip(),
        url=fields.get("url", "").strip(),
        published_on=published_on,
        language=language,
        reliability=fields.get("reliability", "F"),
        credibility=fields.get("credibility", "6"),
        confidentiality=fields.get("confidentiality", "internal"),
        notes=fields.get("notes", ""),
    )
    archived_file, archived_at = fields.get("archived_file"), fields.get("archived_at")
    if archived_file is not None:
        _attach_archive(source, archived_file, archived_at)
    elif archived_at is not None:
        refuse_future_day(archived_at.date(), field="archived_at", label=_("Capture date"))
        source.archived_at = archived_at
    return source


def source_create(
    *, actor: User | None, reason: str, kind: str, title: str, **fields: Unpack[SourceFields]
) -> Source:
    """Record a source (a report, post, video, testimony ...), with its archived copy and that copy's hash.

    A URL already recorded as a source is refused: the second record would split the facts citing it.
    """
    require(actor, Action.ADD, Source)
    url = fields.get("url", "").strip()
    if url and (existing := Source.objects.filter(url=url).first()) is not None:
        raise ValidationError(
            {
                "url": ValidationError(
                    _("This URL is already recorded as source “%(source)s” (#%(id)s); cite that source."),
                    code="duplicate_url",
                    params={"source": existing.title, "id": existing.pk},
                )
            }
        )
    source = source_build(kind=kind, title=title, **fields)
    return save_with_history(source, actor=actor, reason=reason)


def _size(count: int) -> str:
    # filesizeformat joins with a no-break space, which reads badly in a message shown as plain text.
    return str(filesizeformat(count)).replace("\xa0", " ")


def _attach_archive(source: Source, archived_file: File, archived_at: dt.datetime | None) -> None:  # type: ignore[type-arg]
    if not archived_file.name:
        raise ValidationError(
            {"archived_file": _("The archived copy needs a file name (e.g. post-2026-01-08.png).")}
        )
    limit = evidence_max_bytes()
    size = archived_file.size
    if size is not None and size > limit:
        raise ValidationError(
            {
                "archived_file": ValidationError(
                    _(
                        "The archived copy “%(name)s” is %(size)s; the limit is %(limit)s. Archive a smaller "
                        "copy (a screenshot, or the video compressed) or ask an administrator to raise "
                        "VIGIL_EVIDENCE_MAX_BYTES."
                    ),
                    code="file_too_large",
                    params={
                        "name": archived_file.name,
                        "size": _size(size),
                        "limit": _size(limit),
                    },
                )
            }
        )
    if archived_at is not None:
        refuse_future_day(archived_at.date(), field="archived_at", label=_("Capture date"))
    source.archived_sha256 = file_sha256(archived_file)
    source.archived_file = archived_file
    source.archived_at = archived_at or timezone.now()


def citation_build(*, fact: models.Model, citation: CitationInput) -> Citation:
    """A new citation of a saved source for a saved fact, with the checks that need no other record: what
    ``citation_add`` saves, and importers save in bulk."""
    source = citation.source
    if source is None:
        raise ValidationError({"source": ValidationError(_("A citation needs a source."), code="no_source")})
    if source.pk is None:
        raise ValidationError({"source": _("Save the source before citing it.")})
    if fact.pk is None:
        raise ValidationError(_("Save the fact before citing a source for it."))
    quote_language = citation.quote_language.strip()
    if citation.quote.strip() and not quote_language:
        quote_language = source.language  # a quote is in the source's language unless said otherwise
    if quote_language:
        _check_language(quote_language, "quote_language")
    return Citation(
        source=source,
        content_type=ContentType.objects.get_for_model(fact),
        object_id=fact.pk,
        quote=citation.quote.strip(),
        quote_language=quote_language,
        translation=citation.translation.strip(),
        translation_method=citation.translation_method,
        relation=citation.relation,
        locator=citation.locator.strip(),
    )


@refusals_audited
@transaction.atomic
def citation_add(*, fact: models.Model, citation: CitationInput, actor: User | None, reason: str) -> Citation:
    """Cite a source for one fact (a person, a detention, a status, an event ...)."""
    require(actor, Action.ADD, Citation)
    row = citation_build(fact=fact, citation=citation)
    if Citation.objects.filter(
        source=row.source, content_type=row.content_type, object_id=fact.pk, locator=row.locator
    ).exists():
        # Keyed by the argument the facts' services take their sources in, so a form or the API shows it there.
        raise ValidationError(
            {
                "citations": ValidationError(
                    _(
                        "“%(source)s” is already cited for this fact; give a different page or timestamp, "
                        "or leave it."
                    ),
                    code="duplicate_citation",
                    params={"source": row.source.title},
                )
            }
        )
    return save_with_history(row, actor=actor, reason=reason)


def citations_check(citations: Sequence[CitationInput]) -> None:
    """Refuse a fact with no source at all (principle 1)."""
    if not citations:
        raise ValidationError(
            _("Every fact needs a source: cite at least one (the post, report or testimony it comes from)."),
            code="no_citation",
        )


def citations_add(
    *,
    fact: models.Model,
    citations: Sequence[CitationInput],
    actor: User | None,
    reason: str,
    change: bool = False,
) -> list[Citation]:
    """Cite every source given for a fact; a fact with no source at all is refused (principle 1).
    ``change``: the sources of a change to a recorded fact (its release ...), where one the fact already
    cites at the same place supports the change as it is, and is not cited twice. Callers run this inside
    their own transaction, so a refused citation undoes the fact too."""
    citations_check(citations)
    if change:
        cited = set(citations_for(fact).values_list("source_id", "locator"))
        citations = [c for c in citations if (c.source.pk, c.locator.strip()) not in cited]
    return [citation_add(fact=fact, citation=citation, actor=actor, reason=reason) for citation in citations]


def fact_save_cited(fact: M, *, citations: Sequence[CitationInput], actor: User | None, reason: str) -> M:
    """Save a fact with its history and cite its sources (see ``citations_add``): the write every
    fact-recording service ends with."""
    save_with_history(fact, actor=actor, reason=reason)
    citations_add(fact=fact, citations=citations, actor=actor, reason=reason)
    return fact


@refusals_audited
@transaction.atomic
def figure_record(
    *,
    actor: User | None,
    reason: str,
    source: Source,
    metric: str,
    qualifier: str,
    value: int,
    published_on: dt.date,
    period_end: dt.date,
    period_start: dt.date | None = None,
    place: Place | None = None,
    facility: Facility | None = None,
    university: University | None = None,
    value_text: str = "",
    note: str = "",
    confidentiality: str = "public",
) -> ReportedFigure:
    """Record an aggregate claim of a source ("HRANA, 9 January: at least 2,300 arrested").

    The same source, metric, period and scope twice is refused: a revised number is a correction of the
    first record (or a new source), never a second figure that a report might add up.
    """
    require(actor, Action.ADD, ReportedFigure)
    if source is None:
        raise ValidationError({"source": ValidationError(_("A figure needs a source."), code="no_source")})
    refuse_future_day(published_on, field="published_on", label=_("Publication date"))
    metric_term = term(Vocabulary.METRIC, metric, field="metric")
    figure = ReportedFigure(
        source=source,
        metric=metric_term,
        qualifier=qualifier,
        value=value,
        value_text=value_text.strip(),
        published_on=published_on,
        period_start=period_start,
        period_end=period_end,
        place=place,
        facility=facility,
        university=university,
        note=note,
        confidentiality=confidentiality,
    )
    existing = figure_of_scope(
        source=source,
        metric=metric_term,
        period_start=period_start,
        period_end=period_end,
        place=place,
        facility=facility,
        university=university,
    )
    if existing is not None:
        raise ValidationError(
            _(
                "“%(source)s” already has a figure for “%(metric)s” over this period and scope "
                "(%(value)s); correct that record instead of adding a second."
            ),
            code="duplicate_figure",
            params={"source": source.title, "metric": metric_term, "value": existing.value},
        )
    return save_with_history(figure, actor=actor, reason=reason)
