"""Urgent-action sheets: a bilingual page and a one-page PDF of public facts, with the Persian name intact."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image
from pypdf import PdfReader

from tests.alerts.records import held, incommunicado, observe, public_source
from tests.factories import day
from vigil.alerts.sheets import render_sheet_html, render_sheet_pdf, urgent_action_sheet
from vigil.people.models import Person
from vigil.people.photos import photo_validate

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 1, 11)

# A 1×1 transparent PNG: a photo the sheet can embed.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360606060000000050001a5f645400000000049454e44"
    "ae426082"
)


def pdf_text(pdf: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(pdf))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def test_pdf_text_layer_holds_the_persian_name_in_logical_order():
    """The PDF's extracted text contains "نرگس محمدی" as typed (shaped for display, stored logically), and
    the English name, on one page."""
    person, _status = incommunicado(since=day(2025, 12, 12))

    pages, text = pdf_text(render_sheet_pdf(urgent_action_sheet(person=person, today=TODAY)))

    assert pages == 1
    assert "نرگس محمدی" in text
    assert "Narges Mohammadi" in text
    assert "30 days without contact" in text


def test_pdf_embeds_the_shipped_persian_font():
    """The font in the PDF is the packaged IBM Plex Sans Arabic, embedded (a FontFile2 stream), not a system fallback."""
    person, _status = incommunicado(since=day(2025, 12, 12))

    reader = PdfReader(io.BytesIO(render_sheet_pdf(urgent_action_sheet(person=person, today=TODAY))))
    resources: Any = reader.pages[0]["/Resources"]
    fonts = [font.get_object() for font in resources["/Font"].values()]
    descriptors = [font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object() for font in fonts]

    assert any("IBM-Plex-Sans-Arabic" in str(font["/BaseFont"]) for font in fonts)
    assert all("/FontFile2" in descriptor for descriptor in descriptors)


def test_sheet_shows_status_days_without_contact_demands_and_sources():
    """The page names the status since when (both calendars), the day count, the demands and the source."""
    person, detention = held(arrested=day(2025, 12, 12))
    observe(
        detention, "incommunicado", day(2025, 12, 12), source=public_source(title="HRANA, 9 January 2026")
    )

    html = render_sheet_html(urgent_action_sheet(person=person, today=TODAY))

    assert "Held incommunicado" in html
    assert "12 December 2025 / 21 Azar 1404" in html
    assert "۲۱ آذر ۱۴۰۴" in html
    assert "30 days without contact" in html
    assert "۳۰ روز بدون ارتباط" in html
    assert "Disclose where they are held" in html
    assert "HRANA, 9 January 2026" in html
    assert 'dir="rtl"' in html


def test_sheet_sources_keep_each_title_date_and_address_apart():
    """A Persian title is isolated from the Latin date and address beside it, and the date and address are
    laid out left to right, so neither is swallowed or reversed by the title's direction (HTML and PDF alike
    come from this page)."""
    person, detention = held(arrested=day(2025, 12, 12))
    source = public_source(title="گزارش روزانه هرانا", url="https://example.org/report/9")
    observe(detention, "incommunicado", day(2025, 12, 12), source=source)

    html = render_sheet_html(urgent_action_sheet(person=person, today=TODAY))

    assert "<bdi>گزارش روزانه هرانا</bdi>" in html
    assert '<bdi dir="ltr">2026-01-09</bdi>' in html
    assert '<bdi dir="ltr">https://example.org/report/9</bdi>' in html


def test_sheet_leaves_out_internal_facts_and_sources():
    """An internal status and an internal source never reach the sheet, nor the person's internal notes."""
    person, detention = held(arrested=day(2025, 12, 12), notes="Family lives at (address withheld)")
    secret_source = public_source(title="Testimony of a cellmate", confidentiality="internal")
    observe(detention, "torture_reported", day(2025, 12, 20), source=secret_source)
    detention.statuses.update(confidentiality="internal")

    html = render_sheet_html(urgent_action_sheet(person=person, today=TODAY))

    assert "Torture reported" not in html
    assert "Testimony of a cellmate" not in html
    assert "address withheld" not in html


def test_sheet_embeds_the_photo_inline():
    """The photo is part of the page itself (a data: URI), so printing needs no media server."""
    person, _status = incommunicado(since=day(2025, 12, 12))
    person.photo.save("narges.png", ContentFile(PNG), save=True)

    sheet = urgent_action_sheet(person=Person.objects.get(pk=person.pk), today=TODAY)

    # Stored as every photo is, cleaned of its metadata as a JPEG (``vigil.people.photos``).
    assert sheet.photo_data_uri.startswith("data:image/jpeg;base64,")
    assert pdf_text(render_sheet_pdf(sheet))[0] == 1

    # A photo stored before photos were cleaned (no thumbnail) may carry a GPS position: left out.
    Person.objects.filter(pk=person.pk).update(photo_thumbnail="")
    assert urgent_action_sheet(person=Person.objects.get(pk=person.pk), today=TODAY).photo_data_uri == ""


def test_rendering_a_pdf_leaves_photos_cut_short_refused():
    """WeasyPrint, when imported, tells Pillow to accept cut-short images in the whole process; after a
    sheet is rendered, a damaged photo is still refused."""
    person, _status = incommunicado(since=day(2025, 12, 12))
    render_sheet_pdf(urgent_action_sheet(person=person, today=TODAY))
    out = io.BytesIO()
    Image.effect_noise((64, 64), 60).convert("RGB").save(out, format="JPEG")
    cut_short = ContentFile(out.getvalue()[: len(out.getvalue()) // 2], name="cut.jpg")
    with pytest.raises(ValidationError) as refused:
        photo_validate(cut_short)
    assert refused.value.code == "photo_unreadable"
