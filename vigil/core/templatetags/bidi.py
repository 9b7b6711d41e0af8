"""``{% load bidi %}``: keeping left-to-right examples whole in right-to-left text, and text of one script
from taking the digits beside it.

In a Persian sentence "2025-12-28" reads as "28-12-2025": after Persian letters the Unicode bidirectional
algorithm takes its digits for Arabic numbers, which a hyphen does not join, so each part is laid out right
to left. A ``<bdi dir="ltr">`` around the example lays it out as written. Likewise an English source title
in a Persian clause takes the Persian day after it into its own run, unless it is isolated.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from vigil.core.text import FIRST_STRONG_ISOLATE, POP_DIRECTIONAL_ISOLATE

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

register = template.Library()

# Digits in any script joined by hyphens or slashes: 2025-12-28, 1404/10/07, ۱۴۰۴-۱۰.
_DATE_LIKE = re.compile(r"\d+(?:[-/]\d+)+")
_ISOLATED = re.compile(f"{FIRST_STRONG_ISOLATE}(.*?){POP_DIRECTIONAL_ISOLATE}", re.DOTALL)


@register.filter
def isolate_dates(text: str | _StrPromise) -> SafeString:
    """``text`` escaped, with each date written in digits (``2025-12-28``, ``۱۴۰۴-۱۰``) in a left-to-right
    ``<bdi>``, so a help text or label in Persian shows its examples as they must be typed."""
    escaped = str(conditional_escape(text))
    # The pattern matches digits, hyphens and slashes only, which escaping leaves as they are.
    return mark_safe(_DATE_LIKE.sub(r'<bdi dir="ltr">\g<0></bdi>', escaped))  # noqa: S308


@register.filter
def isolates_as_bdi(text: str | _StrPromise) -> SafeString:
    """``text`` escaped, each run a plain-text renderer isolated (``vigil.core.text.isolated``: a source's
    title in a report's sentence) in a ``<bdi>``, which lays it out the same way, without the invisible
    characters in the page (copied from it, they would end up in what the reader pastes)."""
    escaped = str(conditional_escape(text))
    # Escaping leaves the isolates as they are, and the <bdi> wraps text already escaped.
    return mark_safe(_ISOLATED.sub(r"<bdi>\g<1></bdi>", escaped))  # noqa: S308
