"""Reading one cell as documenters write it: ages in any digits and wording, lists of links, quantities,
choices and terms by their names in English or Persian, and refusing spreadsheet formulas."""

from __future__ import annotations

import functools
import re

from django.core.exceptions import ValidationError
from django.db.models import Choices
from django.utils import translation
from django.utils.translation import gettext as _

from vigil.core.text import ZWNJ, fold_name, to_ascii_digits

# A cell is a formula when it starts with "=", or with "+", "-" or "@" followed (spaces aside: a spreadsheet
# skips them) by a word that is a function call, a DDE link ("cmd|") or a sheet reference ("!A1"):
# "+98 21 ..." (a phone), "- arrested ..." (a bullet) and "@handle" (an account) stay text.
_FORMULA = re.compile(r"^\s*(?:=|[+\-@]\s*[^\s]*[(|!])")
_AGE = re.compile(
    r"^(?:age\s*)?(\d{1,3})\s*(?:-?\s*(?:years?|yrs?|y)(?:\s*-?\s*old)?|ساله|سال|ساله‌|yo)?\.?$",
    re.IGNORECASE,
)
_LIST_SPLIT = re.compile(r"[\s,;|،]+")
_TERM_SPLIT = re.compile(r"\s*[,;|،]\s*")
_QUANTITY = re.compile(
    r"^(?:(?:more than|over|at least|about|around|some|nearly|almost)\s+)?(\d[\d,٬.' ]*)\+?$"
)
# ACLED codes vague quantities conservatively; the source's own wording is kept beside the number.
VAGUE_QUANTITIES = {
    "tens": 10,
    "dozens": 12,
    "hundreds": 100,
    "thousands": 1000,
    "دهها": 10,
    "ده ها": 10,
    "ده‌ها": 10,
    "صدها": 100,
    "هزاران": 1000,
}


def is_formula(text: str) -> bool:
    return bool(_FORMULA.match(text))


def refuse_formula(text: str) -> None:
    """Formulas are refused, not stored: the value a source gave is what the spreadsheet showed, which
    the formula text is not, and a formula exported again could run in the next reader's spreadsheet."""
    if is_formula(text):
        raise ValidationError(
            _("“%(text)s” is a spreadsheet formula, not a value; copy the cells and paste them as values."),
            code="formula",
            params={"text": text[:40]},
        )


def parse_age(text: str) -> int:
    """An age as written: "17", "۱۷", "17 years", "17-year-old", "۱۷ ساله"."""
    cleaned = to_ascii_digits(text).replace(ZWNJ, " ").strip()
    match = _AGE.match(cleaned)
    if match is None:
        raise ValidationError(
            _("“%(text)s” is not an age; write 17, ۱۷, 17 years or ۱۷ ساله."),
            code="unreadable_age",
            params={"text": text},
        )
    return int(match[1])


def split_links(text: str) -> list[str]:
    """Links separated by commas, semicolons, bars, spaces or line breaks, each once, in order."""
    return list(dict.fromkeys(part for part in _LIST_SPLIT.split(text) if part))


def split_terms(text: str) -> list[str]:
    """Several values in one cell: "student, journalist" (commas, semicolons, bars or the Persian comma)."""
    return list(dict.fromkeys(part.strip() for part in _TERM_SPLIT.split(text) if part.strip()))


def parse_quantity(text: str) -> int:
    """A count: "2300", "2,300", "۲٬۳۰۰", "more than 512", or a vague word coded as ACLED does
    ("dozens" = 12)."""
    cleaned = " ".join(to_ascii_digits(text).lower().split())
    if cleaned in VAGUE_QUANTITIES:
        return VAGUE_QUANTITIES[cleaned]
    match = _QUANTITY.match(cleaned)
    digits = re.sub(r"[,٬.' ]", "", match[1]) if match else ""
    if not digits.isdigit():
        raise ValidationError(
            _("“%(text)s” is not a number; write 2300, 2,300, ۲۳۰۰ or a word such as “dozens”."),
            code="unreadable_number",
            params={"text": text},
        )
    return int(digits)


def by_name(text: str) -> str:
    """A choice or term as typed, for comparing with their names: folded, with spaces, ZWNJ and "_" aside
    ("بازداشت‌شده", "بازداشت شده"; "Sentenced to death", "sentenced_to_death")."""
    return fold_name(text).replace(" ", "")


@functools.cache
def choice_names(choices: type[Choices], *, words: tuple[tuple[str, str], ...] = ()) -> dict[str, str]:
    """The values of ``choices`` by their labels in English and Persian (``by_name``), and by ``words``
    (other words, value): what a spreadsheet written in either language says instead of the code."""
    names = {}
    for language in ("en", "fa"):
        with translation.override(language):
            names.update({by_name(str(label)): str(value) for value, label in choices.choices})
    names.update((by_name(word), value) for word, value in words)
    return names
