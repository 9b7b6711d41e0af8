"""Finding a named reference record (place, facility, organization) from text as a source writes it.

Sources spell the same name many ways: Arabic or Persian letter forms (كرمانشاه / کرمانشاه), with or without a
zero-width non-joiner or a space (خرم‌آباد / خرم آباد, Shahrekord / Shahr-e Kord), in any case. Names and aliases
are compared on their folded key (``fold_name``) with spaces removed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from django.db import models

from vigil.core.text import fold_name

M = TypeVar("M", bound=models.Model)


def name_key(text: str) -> str:
    """The key two spellings of one name share: folded, with word breaks removed."""
    return fold_name(text).replace(" ", "")


def match_by_name(
    candidates: Iterable[M],
    text: str,
    *,
    names: Callable[[M], Iterable[str]],
    aliases: Callable[[M], Iterable[str]],
) -> list[M]:
    """The candidates one of whose ``names`` matches ``text``, then those matching by an alias only, each group
    in the candidates' order. Reference tables are small (hundreds of rows), so matching in Python keeps
    the one folding rule in one place for SQLite and PostgreSQL alike."""
    key = name_key(text)
    if not key:
        return []
    by_name: list[M] = []
    by_alias: list[M] = []
    for candidate in candidates:
        if any(name_key(name) == key for name in names(candidate) if name):
            by_name.append(candidate)
        elif any(name_key(alias) == key for alias in aliases(candidate) if alias):
            by_alias.append(candidate)
    return by_name + by_alias
