"""Text rules every field shares: plain text only, digits in any script, name folding for match keys."""

from __future__ import annotations

import functools
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

_PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
_ARABIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
_TO_ASCII = str.maketrans(_PERSIAN_DIGITS + _ARABIC_DIGITS, "0123456789" * 2)
_TO_PERSIAN = str.maketrans("0123456789", _PERSIAN_DIGITS)

# A tag, a comment, a doctype or a processing instruction: "<b", "</p", "<!--", "<?xml". A bare "<" in
# "age < 18" is fine and stays.
_MARKUP = re.compile(r"<\s*(?:[a-zA-Z][\w:-]*[\s/>]|[a-zA-Z][\w:-]*$|/\s*[a-zA-Z]|!|\?)")
# A data: URL names a media type ("data:text/html,..."); "Missing data: no family contact" is prose.
_SCRIPT_URL = re.compile(r"\b(?:javascript|vbscript)\s*:|\bdata\s*:\s*[a-z]+/[\w.+-]+", re.IGNORECASE)
# Control characters, and the bidirectional embeddings, overrides and isolates that make text read other
# than it is ("Evil\u202eName" shows reversed); ZWNJ and the left-to-right and right-to-left marks stay.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")

ZWNJ = "\u200c"
# Unicode's first-strong isolate and its end. Text between them is laid out on its own, in the direction of
# its first letter, so an English title in a Persian sentence cannot pull the Persian digits after it into
# its run ("(Report, ۱۹ دی ۱۴۰۴)" would show the day on the far side of the title).
FIRST_STRONG_ISOLATE = "\u2068"
POP_DIRECTIONAL_ISOLATE = "\u2069"
_APOSTROPHES = re.compile(r"(?<=\w)['’‘`´ʼʻʿʾ](?=\w)")
_FOLD_ARABIC = str.maketrans(
    {
        "ي": "ی",
        "ى": "ی",
        "ئ": "ی",
        "ك": "ک",
        "ة": "ه",
        "ۀ": "ه",
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ؤ": "و",
        "ـ": None,  # tatweel
    }
)


def reads_persian() -> bool:
    """Whether the page or message being made is in Persian (the active language)."""
    return (get_language() or "en").startswith("fa")


def isolated(text: str) -> str:
    """``text`` between a first-strong isolate and its end, for plain text that mixes scripts; HTML shows it
    as a ``<bdi>`` instead (``{% load bidi %}``, ``isolates_as_bdi``)."""
    return f"{FIRST_STRONG_ISOLATE}{text}{POP_DIRECTIONAL_ISOLATE}"


def to_ascii_digits(text: str) -> str:
    return text.translate(_TO_ASCII)


def to_persian_digits(text: str) -> str:
    return text.translate(_TO_PERSIAN)


def reader_digits(value: object) -> str:
    """``value`` as text, in Persian digits when the reader reads Persian (``reads_persian``)."""
    text = "" if value is None else str(value)
    return to_persian_digits(text) if reads_persian() else text


# A decimal point and a percent sign as Persian writes them (٫ and ٪), beside its digits.
_PERSIAN_NUMBER_MARKS = str.maketrans({".": "\u066b", "%": "\u066a"})


def reader_number(text: str) -> str:
    """A number written out ("+0.54", "−7.30", "96%") in the reader's digits: in Persian, Persian digits
    with the Persian decimal point and percent sign (۰٫۵۴, ۹۶٪)."""
    return to_persian_digits(text).translate(_PERSIAN_NUMBER_MARKS) if reads_persian() else text


# Persian has its own comma and semicolon; the Latin ones are foreign in a Persian sentence.
_PERSIAN_MARKS = {",": "،", ";": "؛"}


def reader_mark(mark: str) -> str:
    """``,`` or ``;`` as the reader's language writes it: ``،`` and ``؛`` in Persian."""
    return _PERSIAN_MARKS.get(mark, mark) if reads_persian() else mark


def validate_plain_text(value: str) -> None:
    """Refuse HTML, script URLs and control characters in a text field: Vigil stores what sources say,
    as text, and every page escapes it; markup in the record is either an error or an attack."""
    if not isinstance(value, str):
        return
    if match := _MARKUP.search(value):
        raise ValidationError(
            _("Text must not contain HTML markup (found “%(markup)s”); enter plain text."),
            code="markup",
            params={"markup": value[match.start() : match.start() + 12]},
        )
    if _SCRIPT_URL.search(value):
        raise ValidationError(
            _("Text must not contain a script URL (javascript:, data:)."), code="script_url"
        )
    if CONTROL_CHARACTERS.search(value):
        raise ValidationError(
            _("Text contains invisible control characters; paste it as plain text."), code="control"
        )


class Script:
    """The writing system of a name, as stored on name variants."""

    PERSIAN_ARABIC = "arab"
    LATIN = "latn"
    MIXED = "mixed"
    OTHER = "other"


# A name is folded and its script told several times over as it is entered or imported (its own match key,
# the search index, the matcher, the import's checks): both are remembered for the most recent names.
_REMEMBERED_NAMES = 16_384


@functools.lru_cache(maxsize=_REMEMBERED_NAMES)
def detect_script(text: str) -> str:
    """Persian/Arabic script, Latin, mixed or other, from the letters alone (digits and spaces ignored)."""
    arabic = latin = other = 0
    for char in text:
        if not char.isalpha():
            continue
        name = unicodedata.name(char, "")
        if name.startswith(("ARABIC", "PERSIAN")):
            arabic += 1
        elif name.startswith("LATIN"):
            latin += 1
        else:
            other += 1
    if arabic and latin:
        return Script.MIXED
    if arabic:
        return Script.PERSIAN_ARABIC
    if latin:
        return Script.LATIN
    return Script.OTHER


@functools.lru_cache(maxsize=_REMEMBERED_NAMES)
def fold_name(text: str) -> str:
    """A match key: Arabic letter forms folded to Persian, diacritics and tatweel removed, ZWNJ and spacing
    collapsed, Latin lower-cased without accents, digits ASCII. Not a display form."""
    text = unicodedata.normalize("NFKC", text).translate(_FOLD_ARABIC)
    # ZWNJ and the other invisible format marks (RLM, ZWJ, copied along from chat apps) join, never split;
    # an apostrophe inside a word (Ja'fari, for ع) is a spelling, not a word break.
    text = "".join(c for c in to_ascii_digits(text) if unicodedata.category(c) != "Cf")
    text = _APOSTROPHES.sub("", text)
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    stripped = re.sub(r"[\W_]+", " ", stripped.casefold())
    return " ".join(stripped.split())
