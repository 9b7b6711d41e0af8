"""Urgent-action sheets: one printable page per prisoner, in Persian and English, from public facts only.

The sheet leaves the organisation (it is handed to journalists and diplomats), so it is built exclusively
from public records: the person must be public, and every detention, status, transfer, sentence and source
on it is read at the public level. Of the person's fields it shows only an allow-list (names, photo,
public summaries). The PDF embeds IBM Plex Sans Arabic (which covers Persian) from the PyPI package
``fontpkg-ibm-plex-sans-arabic``, installed with Vigil's other pinned dependencies; nothing is fetched while
rendering.
"""

from __future__ import annotations

import base64
import datetime as dt
import mimetypes
from dataclasses import dataclass
from typing import Any

import fontpkg_ibm_plex_sans_arabic  # type: ignore[import-untyped]
from django.template.loader import render_to_string
from django.templatetags.static import static

from vigil.alerts.models import RiskKind, RiskRule, WatchlistEntry
from vigil.alerts.risks import (
    INCOMMUNICADO_CODES,
    CustodyRecord,
    RiskState,
    SourceRef,
    current_placement,
    days_since,
    evaluate_record,
    load_custody_record,
    status_run,
)
from vigil.core.dates import Calendar, FuzzyDate, format_fuzzy_date
from vigil.core.models import Confidentiality, Verification
from vigil.core.text import Script, to_persian_digits
from vigil.people.models import Person

FONT_DIR = fontpkg_ibm_plex_sans_arabic.ROOT / "files"
# The settings expose FONT_DIR as static files under "fonts/" for the HTML page.
FONT_FILES = {"regular": "IBMPlexSansArabic-Regular.ttf", "bold": "IBMPlexSansArabic-Bold.ttf"}
PHOTO_MAX_BYTES = 5 * 1024 * 1024

# The sheet is bilingual by design: each half is always in its own language, whatever the reader's, so
# these pairs are fixed text rather than translations of the interface.
RISK_DEMANDS: dict[str, tuple[str, str]] = {
    RiskKind.INCOMMUNICADO: (
        "Disclose where they are held and allow them contact with their family and a lawyer of their choice.",
        "محل نگهداری او را اعلام کنید و امکان تماس با خانواده و وکیل انتخابی‌اش را فراهم کنید.",
    ),
    RiskKind.HUNGER_STRIKE: (
        "Give them adequate medical care and address the demands of their hunger strike.",
        "مراقبت پزشکی کافی برای او فراهم کنید و به خواسته‌های اعتصاب غذای او رسیدگی کنید.",
    ),
    RiskKind.DEATH_SENTENCE: (
        "Quash the death sentence and halt all executions.",
        "حکم اعدام را لغو و همه اعدام‌ها را متوقف کنید.",
    ),
    RiskKind.EXECUTION_FACILITY: (
        "Halt any execution and disclose their legal status.",
        "هرگونه اجرای حکم اعدام را متوقف و وضعیت حقوقی او را اعلام کنید.",
    ),
    RiskKind.NO_LAWYER: (
        "Allow them access to a lawyer of their choice.",
        "امکان دسترسی به وکیل انتخابی را برای او فراهم کنید.",
    ),
    RiskKind.MINOR_HELD: (
        "Release the child: children may be detained only as a last resort.",
        "کودک را آزاد کنید: بازداشت کودکان تنها باید آخرین راه باشد.",
    ),
    RiskKind.WATCHLISTED_REARRESTED: (
        "Disclose the grounds of the new arrest and release them if there are none in law.",
        "دلیل بازداشت دوباره را اعلام کنید و اگر مبنای قانونی ندارد او را آزاد کنید.",
    ),
    RiskKind.HEALTH_EMERGENCY: (
        "Give them urgent, specialised medical care, outside prison if needed.",
        "مراقبت پزشکی فوری و تخصصی، در صورت نیاز در بیرون از زندان، برای او فراهم کنید.",
    ),
}
RELEASE_DEMAND = (
    "Release everyone detained solely for peacefully exercising their rights.",
    "همه کسانی را که تنها به سبب استفادهٔ مسالمت‌آمیز از حقوق خود بازداشت شده‌اند آزاد کنید.",
)


@dataclass(frozen=True)
class SheetLine:
    """A fact on the sheet, in both languages, with its date in both calendars."""

    label_en: str
    label_fa: str
    since: FuzzyDate

    @property
    def since_en(self) -> str:
        return f"{format_fuzzy_date(self.since)} / {format_fuzzy_date(self.since, calendar_name=Calendar.JALALI)}"

    @property
    def since_fa(self) -> str:
        return format_fuzzy_date(self.since, calendar_name=Calendar.JALALI, language="fa")


@dataclass(frozen=True)
class UrgentActionSheet:
    person: Person
    today: dt.date
    name_en: str
    name_fa: str
    photo_data_uri: str
    summary_en: str
    summary_fa: str
    arrested: SheetLine | None
    held_at: SheetLine | None
    statuses: tuple[SheetLine, ...]
    without_contact: SheetLine | None
    days_without_contact: int | None
    risks: tuple[RiskState, ...]
    demands: tuple[tuple[str, str], ...]
    sources: tuple[SourceRef, ...]

    @property
    def days_without_contact_fa(self) -> str:
        return to_persian_digits(str(self.days_without_contact))

    @property
    def today_en(self) -> str:
        day = FuzzyDate(self.today)
        return f"{format_fuzzy_date(day)} / {format_fuzzy_date(day, calendar_name=Calendar.JALALI)}"

    @property
    def today_fa(self) -> str:
        return format_fuzzy_date(FuzzyDate(self.today), calendar_name=Calendar.JALALI, language="fa")


def public_person(person_id: int) -> Person:
    """The person, if public and not retracted or merged away; ``Person.DoesNotExist`` otherwise."""
    return (
        Person.objects.filter(confidentiality=Confidentiality.PUBLIC, merged_into__isnull=True)
        .exclude(verification=Verification.RETRACTED)
        .prefetch_related("names")
        .get(pk=person_id)
    )


def _name(person: Person, script: str) -> str:
    names = [n for n in person.names.all() if n.script == script]
    names.sort(key=lambda n: (not n.is_primary, n.pk))
    return str(names[0].text) if names else ""


def _photo_data_uri(person: Person) -> str:
    """The photo inline, so the printed page and the PDF need neither the media server nor a network. A
    photo stored before photos were cleaned (no thumbnail: ``vigil clean_photos``) is left out: it may carry
    a GPS position."""
    if not person.photo or not person.photo_thumbnail:
        return ""
    mime = mimetypes.guess_type(person.photo.name or "")[0] or ""
    if not mime.startswith("image/"):
        return ""
    try:
        with person.photo.open("rb") as photo:
            data = photo.read(PHOTO_MAX_BYTES + 1)
    except OSError:
        return ""
    if len(data) > PHOTO_MAX_BYTES:
        return ""
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def _sources(record: CustodyRecord, risks: tuple[RiskState, ...]) -> tuple[SourceRef, ...]:
    seen: dict[int, SourceRef] = {}
    for state in risks:
        for source in state.sources:
            seen.setdefault(source.id, source)
    for sources in record.citations.values():
        for source in sources:
            seen.setdefault(source.id, source)
    return tuple(sorted(seen.values(), key=lambda s: (s.published_on or dt.date.min, s.id)))


def urgent_action_sheet(*, person: Person, today: dt.date) -> UrgentActionSheet:
    """Everything the sheet shows for ``person`` on ``today``, from public facts only."""
    record = load_custody_record(
        today=today, max_confidentiality=Confidentiality.PUBLIC, person_ids=[person.pk]
    )
    risks: tuple[RiskState, ...] = ()
    if person.pk in record.people:
        found = evaluate_record(record, RiskRule.objects.filter(active=True))
        risks = found[0].states if found else ()
    detentions = record.open_detentions.get(person.pk, [])
    arrested = held_at = without_contact = None
    days = None
    if detentions:
        current = detentions[-1]
        arrested = SheetLine("Arrested", "بازداشت", current.arrested)
        facility, since, _fact = current_placement(record, current)
        if facility is not None:
            held_at = SheetLine(facility.name_en, facility.name_fa or facility.name_en, since)
        run = status_run(record, person.pk, INCOMMUNICADO_CODES)
        if run is not None:
            without_contact = SheetLine("Without contact since", "بدون ارتباط از", run[0])
            days = days_since(run[0], today)
    statuses = tuple(
        SheetLine(s.status.name_en, s.status.name_fa or s.status.name_en, s.started)
        for s in record.statuses.get(person.pk, [])
        if s.ended_on is None or s.ended_on > today
    )
    entry = WatchlistEntry.objects.filter(person=person).first()
    demands: list[tuple[str, str]] = []
    if entry and (entry.demands_en or entry.demands_fa):
        demands.append((str(entry.demands_en), str(entry.demands_fa)))
    for kind in dict.fromkeys(state.kind for state in risks):
        demands.append(RISK_DEMANDS[kind])
    if detentions:
        demands.append(RELEASE_DEMAND)
    return UrgentActionSheet(
        person=person,
        today=today,
        name_en=_name(person, Script.LATIN) or person.display_name("en"),
        name_fa=_name(person, Script.PERSIAN_ARABIC) or person.display_name("fa"),
        photo_data_uri=_photo_data_uri(person),
        summary_en=str(person.summary_en),
        summary_fa=str(person.summary_fa),
        arrested=arrested,
        held_at=held_at,
        statuses=statuses,
        without_contact=without_contact,
        days_without_contact=days,
        risks=risks,
        demands=tuple(demands),
        sources=_sources(record, risks),
    )


def _context(sheet: UrgentActionSheet, *, fonts: dict[str, str], pdf: bool) -> dict[str, Any]:
    risk_lines = [
        SheetLine(str(RiskKind(state.kind).label), _RISK_LABELS_FA[state.kind], state.since)
        for state in sheet.risks
    ]
    return {"sheet": sheet, "fonts": fonts, "pdf": pdf, "risk_lines": risk_lines}


_RISK_LABELS_FA: dict[str, str] = {
    RiskKind.INCOMMUNICADO: "بازداشت بدون حق ارتباط یا محل نگهداری نامعلوم",
    RiskKind.HUNGER_STRIKE: "اعتصاب غذا",
    RiskKind.DEATH_SENTENCE: "صدور یا تأیید حکم اعدام",
    RiskKind.EXECUTION_FACILITY: "نگهداری در زندانی که در آن اعدام اجرا می‌شود",
    RiskKind.NO_LAWYER: "محرومیت از دسترسی به وکیل",
    RiskKind.MINOR_HELD: "بازداشت کودک",
    RiskKind.WATCHLISTED_REARRESTED: "بازداشت دوباره",
    RiskKind.HEALTH_EMERGENCY: "وضعیت اضطراری سلامت",
}


def render_sheet_html(sheet: UrgentActionSheet, *, pdf_url: str = "") -> str:
    """The printable page, with the fonts served from Vigil's own static files."""
    fonts = {weight: static(f"fonts/{name}") for weight, name in FONT_FILES.items()}
    context = _context(sheet, fonts=fonts, pdf=False)
    context["pdf_url"] = pdf_url
    return render_to_string("alerts/sheet.html", context)


def _refuse_truncated_images() -> None:
    """Undo what importing WeasyPrint does to the whole process: it tells Pillow to load cut-short images
    without complaint, which would let damaged photos past ``vigil.people.photos``. A sheet embeds only
    photos Vigil wrote itself, whole."""
    import weasyprint.images  # type: ignore[import-untyped]  # noqa: F401  (where it does so)
    from PIL import ImageFile

    ImageFile.LOAD_TRUNCATED_IMAGES = False


def _local_fetcher() -> Any:
    """WeasyPrint's URL fetcher, limited to the shipped fonts and inline images: a sheet never reaches
    the network, whatever a record contains."""
    from weasyprint.urls import URLFetcher  # type: ignore[import-untyped]

    _refuse_truncated_images()
    allowed = {(FONT_DIR / name).as_uri() for name in FONT_FILES.values()}

    class LocalOnly(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("data:") or url in allowed:
                return super().fetch(url, headers)
            raise ValueError(f"The urgent-action sheet may not load {url!r}.")

    return LocalOnly(allowed_protocols={"file", "data"}, allow_redirects=False)


def render_sheet_pdf(sheet: UrgentActionSheet) -> bytes:
    """The sheet as a one-page A4 PDF with the Persian-capable font embedded."""
    # Imported here: WeasyPrint loads Pango when imported, which only the PDF needs.
    from weasyprint import HTML

    _refuse_truncated_images()
    fonts = {weight: (FONT_DIR / name).as_uri() for weight, name in FONT_FILES.items()}
    html = render_to_string("alerts/sheet.html", _context(sheet, fonts=fonts, pdf=True))
    pdf: bytes = HTML(string=html, base_url=FONT_DIR.as_uri() + "/", url_fetcher=_local_fetcher()).write_pdf()
    return pdf
