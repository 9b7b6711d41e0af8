"""``{% load bidi %}``: keeping left-to-right examples whole in right-to-left text.

In a Persian sentence "2025-12-28" reads as "28-12-2025": after Persian letters the Unicode bidirectional
algorithm takes its digits for Arabic numbers, which a hyphen does not join, so each part is laid out right
to left. A ``<bdi dir="ltr">`` around the example lays it out as written.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

register = template.Library()

# Digits in any script joined by hyphens or slashes: 2025-12-28, 1404/10/07, ۱۴۰۴-۱۰.
_DATE_LIKE = re.compile(r"\d+(?:[-/]\d+)+")


@register.filter
def isolate_dates(text: str | _StrPromise) -> SafeString:
    """``text`` escaped, with each date written in digits (``2025-12-28``, ``۱۴۰۴-۱۰``) in a left-to-right
    ``<bdi>``, so a help text or label in Persian shows its examples as they must be typed."""
    escaped = str(conditional_escape(text))
    # The pattern matches digits, hyphens and slashes only, which escaping leaves as they are.
    return mark_safe(_DATE_LIKE.sub(r'<bdi dir="ltr">\g<0></bdi>', escaped))  # noqa: S308
