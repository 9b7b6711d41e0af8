"""What a search compares: words folded the same way on both sides, and their cross-script skeletons.

Persian-script names and their Latin spellings share a consonant skeleton ("نرگس محمدی" and "Narges
Mohamadi" are both ``nrgs mhmdy``); the skeleton comes from the matching app's ``token_skeleton``, so search
and duplicate detection agree on what "the same name" is. Both sides (index and query) go through
``vigil.core.text.fold_name`` first: SQLite's tokenizer and PostgreSQL's ``simple`` configuration do not
fold ي/ی, ك/ک, diacritics or Persian digits themselves (DESIGN.md §8).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from vigil.core.text import fold_name
from vigil.matching.normalise import token_skeleton

# A query longer than this is not a name; the rest is ignored rather than refused.
MAX_QUERY_WORDS = 8
MAX_QUERY_CHARS = 200


def skeleton_of(word: str) -> str:
    """The skeleton of one folded word; digits and words with no letters to compare keep their form."""
    return token_skeleton(word) or word


@dataclass(frozen=True)
class NameKeys:
    """One name as the index stores it: its folded words and, word for word, their skeletons."""

    words: tuple[str, ...]
    skeletons: tuple[str, ...]


def name_keys(text: str) -> NameKeys:
    words = tuple(fold_name(text).split())
    return NameKeys(words, tuple(skeleton_of(word) for word in words))


def index_lines(names: Iterable[str]) -> tuple[str, str]:
    """The ``folded`` and ``skeleton`` columns of an index row: one line per distinct name."""
    folded: list[str] = []
    skeletons: list[str] = []
    for name in names:
        keys = name_keys(name)
        line = " ".join(keys.words)
        if keys.words and line not in folded:
            folded.append(line)
            skeletons.append(" ".join(keys.skeletons))
    return "\n".join(folded), "\n".join(skeletons)


def entry_names(folded: str, skeleton: str) -> list[NameKeys]:
    """The names of an index row, read back from its two columns."""
    return [
        NameKeys(tuple(words.split()), tuple(skeletons.split()))
        for words, skeletons in zip(folded.splitlines(), skeleton.splitlines(), strict=False)
    ]


def query_keys(query: str) -> NameKeys:
    """A reader's query as keys: folded (so "محمدي" is "محمدی"), at most ``MAX_QUERY_WORDS`` words."""
    keys = name_keys((query or "")[:MAX_QUERY_CHARS])
    return NameKeys(keys.words[:MAX_QUERY_WORDS], keys.skeletons[:MAX_QUERY_WORDS])
