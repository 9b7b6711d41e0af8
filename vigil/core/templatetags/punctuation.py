"""``{% load punctuation %}``: the comma and semicolon of the reader's language, on every screen."""

from __future__ import annotations

from django import template

from vigil.core.text import reads_persian

register = template.Library()

# Persian has its own comma and semicolon; the Latin ones are foreign in a Persian sentence.
_PERSIAN_MARKS = {",": "،", ";": "؛"}


@register.simple_tag
def punct(mark: str) -> str:
    """``,`` or ``;`` as the reader's language writes it: ``،`` and ``؛`` in Persian."""
    return _PERSIAN_MARKS.get(mark, mark) if reads_persian() else mark
