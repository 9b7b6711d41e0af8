"""``{% load punctuation %}``: the comma and semicolon of the reader's language, on every screen."""

from __future__ import annotations

from django import template

from vigil.core.text import reader_mark

register = template.Library()


@register.simple_tag
def punct(mark: str) -> str:
    """``,`` or ``;`` as the reader's language writes it: ``،`` and ``؛`` in Persian."""
    return reader_mark(mark)
