"""Names reduced to what survives a change of script: folded tokens, honorifics set aside, and a consonant
skeleton that a Persian-script name and its Latin spellings share.

Persian writes consonants and long vowels (ا و ی) and leaves short vowels out; Latin spellings write every
vowel, each outlet its own way (Hossein, Hosein, Hussein; Mousavi, Musavi, Moosavi). So both scripts are
reduced to one small alphabet of sound classes: consonant classes (ث س ص and s are all ``s``), ``v`` for
و and v/w/u/ou/oo, ``y`` for ی and i/y/ee/ei/ey/ai, ``a`` for a word that begins with a vowel (ا ع) and for a
word-final ا or a, and nothing for short vowels, ع and hamza inside a word. "Narges Mohammadi", "Narges Mohamadi", "نرگس محمدی" and "نرگس محمدي" all become
``mhmdy nrgs``. The skeleton is a match key, never a display form (DESIGN.md §8).

What no library does and is written here: the Persian letter → sound-class table, the Latin spelling rules,
honorifics and name suffixes. Folding of letter forms, digits and diacritics is ``vigil.core.text.fold_name``;
string similarity is rapidfuzz (see ``scoring``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from itertools import combinations

from django.utils.functional import Promise, lazy
from django.utils.translation import gettext_lazy as _

from vigil.core.text import Script, detect_script, fold_name

# Longer than any real name (NameVariant.text holds 200): past this a "name" is pasted text, not a name.
MAX_NAME_CHARS = 200
# Five or six parts is a long Persian name ("Seyyed Mohammad Ali Hosseini Tabatabaei"); more is a sentence.
MAX_NAME_PARTS = 8

# Titles and honorifics that sources add or leave out at will. Kept aside (shown in evidence), never part of
# the key. "Sadat" marks female descendants of the Prophet ("Zahra Sadat Mousavi").
_HONORIFICS_RAW = (
    # Latin spellings
    "seyed seyyed seyyid seid sayed sayyed sayyid sayid syed sied seied seyedeh seyyedeh seyede sayyida "
    "sadat haj hajj haji hajji hadj hadji mir mirza sheikh sheykh shaikh shaykh sheik shiekh mulla mullah "
    "molla mola agha aqa aga khanom khanum khanoum dr doctor mr mrs ms miss eng mohandes ostad sardar "
    "ayatollah hojatoleslam hojjatoleslam hojatolislam",
    # Persian script
    "سید سیده سادات حاج حاجی میر میرزا شیخ ملا آقا خانم دکتر مهندس استاد سردار آیت‌الله آیت‌اله حجت‌الاسلام",
)
HONORIFICS: frozenset[str] = frozenset(fold_name(word) for raw in _HONORIFICS_RAW for word in raw.split())
_HONORIFIC_WORDS = frozenset(word for honorific in HONORIFICS for word in honorific.split())


def only_honorifics(text: str) -> bool:
    """Whether ``text`` is titles or honorifics alone ("Seyed", "حاج آقا"): no name at all. Cheaper than
    ``analyse_name``, for checking every name a service records."""
    words = fold_name(text).split()
    return bool(words) and all(word in _HONORIFIC_WORDS for word in words)


# "Seyed" is often written joined to the given name: سیدعلی, Seyedmohammad. Only this honorific is taken off
# the front of a word: Haj- and Mir- begin ordinary family names (Hajizadeh, Mirzaei).
_JOINED_HONORIFICS = tuple(
    sorted(
        {fold_name(w) for w in ("seyyed", "seyed", "sayyed", "sayed", "syed", "سید")}, key=len, reverse=True
    )
)

# Family-name suffixes written joined, hyphenated or apart ("Hassanzadeh", "Hassan-Zadeh", "حسن زاده"): a
# separate suffix is glued back onto the word before it. The strong ones are never a name on their own; the
# weak ones (Nia, Rad ...) can be, so they are glued only when two words remain ("Reza Rad" stays as it is).
_STRONG_SUFFIXES_RAW = (
    "zadeh zade zada zadah pour poor pur nejad nezhad nejhad nezhaad nijad abadi",
    "زاده پور نژاد آبادی",
)
_WEAK_SUFFIXES_RAW = (
    "nia niya vand wand lou loo lu far rad khani doost panah manesh bakhsh kia",
    "نیا وند لو فر راد",
)
STRONG_SUFFIXES: frozenset[str] = frozenset(fold_name(w) for raw in _STRONG_SUFFIXES_RAW for w in raw.split())
NAME_SUFFIXES: frozenset[str] = STRONG_SUFFIXES | frozenset(
    fold_name(w) for raw in _WEAK_SUFFIXES_RAW for w in raw.split()
)
# A hyphen before a suffix always joins: "Mansour-Zadeh", "Esmaeil-nejad".
_HYPHENATED_SUFFIX = re.compile(
    r"[-‐‑–]\s*(" + "|".join(sorted(NAME_SUFFIXES, key=len, reverse=True)) + r")\b", re.I
)
# Latin spellings of a suffix that the sound rules would keep apart (nejad has j where نژاد has ژ).
_SUFFIX_SPELLINGS = {"nejad": "nezhad", "nejhad": "nezhad", "nijad": "nezhad", "nezhaad": "nezhad"}

# Arabic-origin names whose final ی is read "a" (alef maqsura): مرتضی is Morteza, not Mortezi.
_ALEF_MAQSURA_NAMES = frozenset(
    fold_name(w)
    for w in [
        "مرتضی",
        "مصطفی",
        "موسی",
        "عیسی",
        "یحیی",
        "هدی",
        "مجتبی",
        "کبری",
        "صغری",
        "لیلی",
        "طوبی",
        "مولی",
    ]
)

# Arabic-style transliterations whose u is a short vowel Persian does not write (Persian-style spellings write
# u only for و: Yusef, Mahmud). A handful of very common names, as outlets write them.
_ARABIC_STYLE = {
    "muhammad": "mohammad",
    "muhammed": "mohammed",
    "muhamad": "mohamad",
    "muhammadi": "mohammadi",
    "hussein": "hossein",
    "husein": "hossein",
    "hussain": "hossain",
    "husain": "hossain",
    "husseini": "hosseini",
    "huseini": "hosseini",
    "hussaini": "hosseini",
    "mustafa": "mostafa",
    "mustapha": "mostafa",
    "murtaza": "morteza",
    "murteza": "morteza",
    "mujtaba": "mojtaba",
    "abdul": "abdol",
    "abdullah": "abdollah",
    "abdulla": "abdollah",
}

# Persian-script letters → sound classes. Letters not listed (ا ع ء, short-vowel signs) are not written in
# the skeleton; ا, ی, و and ه have positional rules in ``_persian_skeleton``.
_PERSIAN_CLASSES = {
    "ب": "b",
    "پ": "p",
    "ت": "t",
    "ط": "t",
    "ث": "s",
    "س": "s",
    "ص": "s",
    "ج": "j",
    "چ": "c",
    "ح": "h",
    "ه": "h",
    "خ": "x",
    "د": "d",
    "ذ": "z",
    "ز": "z",
    "ض": "z",
    "ظ": "z",
    "ژ": "z",
    "ر": "r",
    "ش": "š",
    "غ": "q",
    "ق": "q",
    "ف": "f",
    "ک": "k",
    "گ": "g",
    "ل": "l",
    "م": "m",
    "ن": "n",
    "و": "v",
    "ی": "y",
    # Kurdish (Sorani) and Urdu letters met in names from Kurdistan and Baluchestan.
    "ڕ": "r",
    "ڵ": "l",
    "ڤ": "v",
    "ۆ": "v",
    "ێ": "y",
    "ۇ": "v",
    "ے": "y",
    "ٹ": "t",
    "ڈ": "d",
    "ڑ": "r",
    "ں": "n",
    "ہ": "h",
    "ھ": "h",
}
_PERSIAN_SILENT = frozenset("اعءٔە")  # alef, ain, hamza, hamza above, Kurdish ae

# Latin spellings → sound classes, longest first. Vowels: a and e and o are short vowels Persian does not
# write (dropped), except final a (ا), final o (و), ee (ی) and oo/ou (و, through u).
_LATIN_DIGRAPHS = (
    ("tch", "c"),
    ("kh", "x"),
    ("gh", "q"),
    ("sh", "š"),
    ("ch", "c"),
    ("zh", "z"),
    ("dj", "j"),
    ("ph", "f"),
    ("ck", "k"),
    ("ee", "y"),
    ("oo", "v"),
)
_LATIN_CLASSES = {
    "b": "b",
    "p": "p",
    "t": "t",
    "s": "s",
    "c": "k",
    "j": "j",
    "h": "h",
    "x": "x",
    "d": "d",
    "z": "z",
    "r": "r",
    "q": "q",
    "f": "f",
    "k": "k",
    "g": "g",
    "l": "l",
    "m": "m",
    "n": "n",
    "v": "v",
    "w": "v",
    "u": "v",
    "i": "y",
    "y": "y",
}
_LATIN_VOWELS = frozenset("aeiou")
_VOWEL_MARKS = frozenset("vya")
_RUN = re.compile(r"(.)\1+")


class Problem:
    """Why a name cannot be matched (shown to documenters, so translatable)."""

    EMPTY = _("The name is empty.")
    ONLY_HONORIFICS = _("The name holds only titles or honorifics (such as Seyed or Haj), not a name.")
    TOO_LONG = _("The name is longer than %(limit)s characters; enter the name alone.")
    TOO_MANY_PARTS = _("The name has more than %(limit)s parts; enter one name at a time.")
    NO_LETTERS = _("The name has no letters that can be compared.")


@dataclass(frozen=True, slots=True)
class NameForm:
    """One name as the matcher sees it.

    ``tokens`` are the folded parts of the name without honorifics (suffixes glued back on); ``skeletons``
    the sound-class skeleton of each token. ``problem`` says why the name cannot be matched, if it cannot,
    in the language of whoever reads it (a lazy translation: the forms are cached across requests).
    The other fields are derived from the skeletons once, since a batch run compares each name many times.
    """

    text: str
    script: str
    tokens: tuple[str, ...]
    skeletons: tuple[str, ...]
    honorifics: tuple[str, ...] = ()
    problem: Promise | str | None = field(default=None, compare=False)
    key: str = field(init=False, compare=False)
    joined: str = field(init=False, compare=False)
    sorted_joined: str = field(init=False, compare=False)
    bare_parts: tuple[str, ...] = field(init=False, compare=False)
    bare_joined: str = field(init=False, compare=False)
    bare_sorted_joined: str = field(init=False, compare=False)
    sorted_tokens: tuple[str, ...] = field(init=False, compare=False)
    # The name with two neighbouring parts run together (Mohammad Reza → Mohammadreza), each way, as keys
    # (parts sorted, space-separated) and sorted-joined skeletons, plain and bare: a compound written apart
    # in one source and joined in another, with the family name first in one of them, is still one name.
    joined_keys: frozenset[str] = field(init=False, compare=False)
    joined_sorted: tuple[str, ...] = field(init=False, compare=False)
    bare_joined_sorted: tuple[str, ...] = field(init=False, compare=False)

    def __post_init__(self) -> None:
        bare_parts = tuple(bare(s) for s in self.skeletons)
        derived = {
            # The full key: token skeletons in sorted order (word order varies between sources).
            "key": " ".join(sorted(self.skeletons)),
            # Run together in the order written: Mohammad Reza and Mohammadreza agree.
            "joined": "".join(self.skeletons),
            "sorted_joined": "".join(sorted(self.skeletons)),
            "bare_parts": bare_parts,
            "bare_joined": "".join(bare_parts),
            "bare_sorted_joined": "".join(sorted(bare_parts)),
            "sorted_tokens": tuple(sorted(self.tokens)),
        }
        runs = [
            (*self.skeletons[:i], self.skeletons[i] + self.skeletons[i + 1], *self.skeletons[i + 2 :])
            for i in range(len(self.skeletons) - 1)
        ]
        bare_runs = [
            (*bare_parts[:i], bare_parts[i] + bare_parts[i + 1], *bare_parts[i + 2 :])
            for i in range(len(bare_parts) - 1)
        ]
        for name, value in derived.items():
            object.__setattr__(self, name, value)
        object.__setattr__(self, "joined_keys", frozenset(" ".join(sorted(run)) for run in runs))
        object.__setattr__(self, "joined_sorted", tuple("".join(sorted(run)) for run in runs))
        object.__setattr__(self, "bare_joined_sorted", tuple("".join(sorted(run)) for run in bare_runs))

    @property
    def usable(self) -> bool:
        return self.problem is None and bool(self.skeletons)


def _said(message: Promise, **params: int) -> str:
    """``message`` with ``params``, translated when shown: a name analysed once (and cached) for a Persian
    reader must not give its reason in Persian to the next, English one."""
    return lazy(lambda: str(message) % params, str)()


def _unusable(text: str, problem: Promise | str) -> NameForm:
    return NameForm(text=text, script=Script.OTHER, tokens=(), skeletons=(), problem=problem)


@lru_cache(maxsize=16_384)  # about 9 KB a name with its keys: bounded for a long-lived process
def analyse_name(text: str) -> NameForm:
    """A name as the matcher sees it; never raises. A name that cannot be matched says why in ``problem``."""
    text = " ".join((text or "").split())
    if not text:
        return _unusable(text, Problem.EMPTY)
    if len(text) > MAX_NAME_CHARS:
        return _unusable(text[:MAX_NAME_CHARS], _said(Problem.TOO_LONG, limit=MAX_NAME_CHARS))
    return _analyse_folded(text, fold_name(_HYPHENATED_SUFFIX.sub(r"\1", text)))


def _analyse_folded(text: str, folded: str) -> NameForm:
    words = folded.split()
    if len(words) > MAX_NAME_PARTS:
        return _unusable(text, _said(Problem.TOO_MANY_PARTS, limit=MAX_NAME_PARTS))
    honorifics = tuple(w for w in words if w in HONORIFICS)
    words = [_strip_joined_honorific(w) for w in words if w not in HONORIFICS]
    if not words:
        if honorifics:
            return NameForm(text, detect_script(text), (), (), honorifics, Problem.ONLY_HONORIFICS)
        return _unusable(text, Problem.NO_LETTERS)
    tokens = _glue_suffixes(words)
    skeletons = tuple(s for s in (token_skeleton(t) for t in tokens) if s)
    if not skeletons:
        return NameForm(text, detect_script(text), tuple(tokens), (), honorifics, Problem.NO_LETTERS)
    return NameForm(text, detect_script(text), tuple(tokens), skeletons, honorifics)


def _strip_joined_honorific(word: str) -> str:
    for prefix in _JOINED_HONORIFICS:
        rest = word[len(prefix) :]
        # سیدعلی → علی; but سیدی, Seyedi, Seyedian are family names.
        if word.startswith(prefix) and len(rest) >= 3 and rest[0] not in "iyی":
            return rest
    return word


def _glue_suffixes(words: list[str]) -> list[str]:
    glued: list[str] = []
    for word in words:
        if glued and (word in STRONG_SUFFIXES or (word in NAME_SUFFIXES and len(words) >= 3)):
            glued[-1] += word
        else:
            glued.append(word)
    return [_canonical_suffix(word) for word in glued]


def _canonical_suffix(word: str) -> str:
    for spelling, canonical in _SUFFIX_SPELLINGS.items():
        if word.endswith(spelling) and len(word) > len(spelling) + 2:
            return word[: -len(spelling)] + canonical
    return word


@cache
def token_skeleton(token: str) -> str:
    """The sound-class skeleton of one folded word, from Persian script or a Latin spelling."""
    if any("\u0600" <= c <= "\u06ff" for c in token):
        return _persian_skeleton(token)
    return _latin_skeleton(token)


def _persian_skeleton(token: str) -> str:
    letters = [c for c in token if c.isalpha()]
    out: list[str] = []
    last = len(letters) - 1
    i = 0
    if letters and letters[0] in "اعآ":
        # A word that begins with a vowel (احسان Ehsan, not حسن Hassan): marked ``a``, as in Latin. With ی
        # the alef or ain is the vowel i (ایمان Iman, عیسی Isa), which is written no further.
        out.append("a")
        i = 2 if len(letters) > 1 and letters[1] == "ی" else 1
    while i <= last:
        c = letters[i]
        if (c == "ا" and i == last and i > 0) or (c == "ی" and i == last and token in _ALEF_MAQSURA_NAMES):
            out.append("a")
        elif c in "هح" and i == last and i > 0:
            pass  # Final ه is the vowel e (Fatemeh, Zadeh); Latin drops a final h too (Fattah, Shah).
        elif c in _PERSIAN_SILENT:
            pass
        else:
            out.append(_PERSIAN_CLASSES.get(c, ""))
        i += 1
    return _RUN.sub(r"\1", "".join(out))


def _latin_skeleton(token: str) -> str:
    word = "".join(c for c in token if c.isalpha() and c.isascii())
    word = _ARABIC_STYLE.get(word, word)
    if word.endswith("h") and len(word) > 2 and word[-2] in _LATIN_VOWELS:
        # Final -eh/-ah is the Persian final ه (Fatemeh, Zadeh, Abdollah): not written as a sound.
        word = word[:-2]
    elif word.endswith("h") and len(word) > 2 and word[-2:] not in ("sh", "kh", "gh", "ch", "zh"):
        word = word[:-1]
    # Initial vowels are the alef or ain of Persian (Ebrahim/Ibrahim, Omid, Ali, Abbas): marked ``a``.
    start = 0
    while start < len(word) - 1 and word[start] in _LATIN_VOWELS:
        start += 1
    out: list[str] = ["a"] if start else []
    i = start
    last = len(word) - 1
    while i <= last:
        for digraph, sound in _LATIN_DIGRAPHS:
            if word.startswith(digraph, i):
                out.append(sound)
                i += len(digraph)
                break
        else:
            c = word[i]
            if c == "a" and i == last:
                out.append("a")
            elif c == "o" and i == last and i > start:
                out.append("v")  # Khosro, as خسرو
            elif c in "aeo":
                pass
            else:
                out.append(_LATIN_CLASSES.get(c, ""))
            i += 1
    return _RUN.sub(r"\1", "".join(out))


def bare(skeleton: str) -> str:
    """A skeleton without its vowel marks (v, y, a): the coarse form used for blocking, where Mosavi and
    Mousavi, Fatima and Fatemeh, must land together."""
    stripped = "".join(c for c in skeleton if c not in _VOWEL_MARKS)
    return _RUN.sub(r"\1", stripped) or skeleton


def _deletions(part: str) -> set[str]:
    return {part[:i] + part[i + 1 :] for i in range(len(part))} if len(part) >= 2 else set()


@lru_cache(maxsize=16_384)  # about 9 KB a name with its keys: bounded for a long-lived process
def blocking_keys(form: NameForm) -> frozenset[str]:
    """The keys stored for a name. Two names that share a key are compared (see ``lookup_keys``).

    - ``p:`` every pair of parts (bare skeletons, sorted), so a missing middle name or swapped order still
      meets; for three or more parts also with neighbouring parts run together (Mohammad Reza and
      Mohammadreza).
    - ``e:`` the same pairs with one letter deleted from one part; they meet each other and the ``p:`` keys,
      so one typo still meets (a deletion neighbourhood, as in SymSpell).
    - ``t:`` a one-part name ("Karimi"), and ``u:`` each part of a longer name: a one-part name is compared
      with every name that has that part, but two longer names never meet through one shared part (every
      Ali would meet every Ali).
    """
    if not form.usable:
        return frozenset()
    parts = list(form.bare_parts)
    if len(parts) == 1:
        return frozenset({"t:" + parts[0]})
    keys = {"u:" + part for part in parts}
    variants = [parts]
    if len(parts) >= 3:
        variants += [[*parts[:i], parts[i] + parts[i + 1], *parts[i + 2 :]] for i in range(len(parts) - 1)]
    for variant in variants:
        for a, b in combinations(variant, 2):
            keys.add("p:" + " ".join(sorted((a, b))))
            keys.update("e:" + " ".join(sorted((typo, b))) for typo in _deletions(a))
            keys.update("e:" + " ".join(sorted((a, typo))) for typo in _deletions(b))
    return frozenset(keys)


def token_keys(form: NameForm) -> set[str]:
    """``w:`` keys, one per part of the name (full skeleton): stored to count how common each part is."""
    return {"w:" + part for part in form.skeletons} if form.usable else set()


def lookup_keys(form: NameForm) -> set[str]:
    """The stored keys (``blocking_keys``) under which candidates for this name are found."""
    keys = set()
    for key in blocking_keys(form):
        kind, _sep, value = key.partition(":")
        if kind == "u":
            keys.add("t:" + value)
        elif kind == "t":
            keys |= {key, "u:" + value}
        elif kind == "e":
            keys |= {key, "p:" + value}
        else:
            keys.add(key)
    return keys
