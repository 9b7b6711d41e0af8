"""A labelled synthetic benchmark for identity resolution: people mentioned by several sources, each mention
a record with one name (Persian script or a Latin spelling), maybe an age, gender, place and arrest date.

What makes it hard, as in real reporting: several Latin spellings per name; Arabic letter forms and ZWNJ in
Persian; honorifics added or left out; typos; a part of the name missing or the order swapped; ages a year
apart; the city in one report and only the province in another; and many different people who share a
common name ("Mohammad Hosseini"), some of them exact namesakes of the same age bracket and province.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, replace

from benchmarks.matching import names as facts

START = dt.date(2025, 12, 28)  # the first day of the uprising
WINDOW_DAYS = 60
PLAIN_SHARE = 0.13  # of people bearing one of the plain family names (Hosseini, Mohammadi ...); was 0.30

_CONFUSABLE_PERSIAN = ["بتثنپی", "جچحخ", "دذ", "رزژ", "سش", "صض", "طظ", "عغ", "فق", "کگ"]
_LATIN_LETTERS = "abdefghijklmnoprstuvyz"


@dataclass(frozen=True, slots=True)
class Record:
    """One mention of a person by a source."""

    id: int
    entity: int  # the person it is (the label)
    name: str
    script: str  # "arab" or "latn"
    gender: str  # "female", "male" or "" (not said)
    age: int | None
    reported_on: dt.date
    city: str | None
    province: str | None
    arrested_on: dt.date | None
    source: int


@dataclass(frozen=True, slots=True)
class Entity:
    given: facts.Name
    given2: facts.Name | None
    family: facts.Name
    female: bool
    seyed: bool
    birth: dt.date
    province: str
    city: str
    arrested_on: dt.date


def _weighted(rng: random.Random, items: list[facts.Name]) -> facts.Name:
    return rng.choices(items, weights=[n.weight for n in items])[0]


def _family_names() -> list[facts.Name]:
    """The plain family names, and the long tail real Iranian family names have: compounds of a root and a
    suffix (most people bear one), and names of origin. Plain names are ``PLAIN_SHARE`` of people, names of
    origin 5 %, compounds the rest: the most common family name is then borne by 1 % of people, and two
    people share a family name with probability 0.0013, as in the real list of 2026 (README, *The data*)."""
    compounds = []
    plain_persian = {spelling for name in facts.FAMILY for spelling in name.persian}
    for root in facts.ROOTS:
        for suffix in facts.SUFFIXES:
            vowel_end = root.latin[0][-1] in "aeiou"
            if suffix.latin[0] in ("i", "ian") and vowel_end:
                continue
            direct = suffix.latin[0] in ("i", "ian")
            if root.persian[0] + suffix.persian[0] in plain_persian:
                continue  # Hosseini, Karimi ... are plain names already
            joiners = ("",) if direct else ("\u200c", " ", "")
            latin = tuple(r + s for r in root.latin for s in suffix.latin)
            if not direct:
                latin += (root.latin[0] + "-" + suffix.latin[0],)
            compounds.append(
                facts.Name(
                    tuple(root.persian[0] + joiner + suffix.persian[0] for joiner in joiners),
                    latin,
                    suffix.weight,
                )
            )
    plain = sum(n.weight for n in facts.FAMILY)
    compound_total = sum(n.weight for n in compounds)
    scale = plain / PLAIN_SHARE * (0.95 - PLAIN_SHARE) / compound_total
    compounds = [facts.Name(n.persian, n.latin, n.weight * scale) for n in compounds]
    origin_weight = plain / PLAIN_SHARE * 0.05 / len(facts.ORIGINS)
    origins = [facts.Name(o.persian, o.latin, origin_weight) for o in facts.ORIGINS]
    return facts.FAMILY + compounds + origins


class Generator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.family = _family_names()
        self.sources = list(range(1, 401))
        # A few outlets report most of what is known (Zipf-like), many report a little.
        self.source_weights = [1.0 / rank for rank in self.sources]
        self.provinces = list(facts.PROVINCES)

    def entity(self) -> Entity:
        rng = self.rng
        female = rng.random() < 0.4
        given = _weighted(rng, facts.FEMALE if female else facts.MALE)
        given2 = None
        if not female and rng.random() < 0.06:
            given2 = _weighted(rng, facts.MALE)
        family = _weighted(rng, self.family)
        province = rng.choice(self.provinces)
        # Protesters and detainees are mostly young; some are children, some elderly.
        age = max(12, min(80, int(rng.gauss(27, 10))))
        birth = START - dt.timedelta(days=int(age * 365.25) + rng.randrange(365))
        return Entity(
            given=given,
            given2=given2,
            family=family,
            female=female,
            seyed=family.seyed and not female and rng.random() < 0.6,
            birth=birth,
            province=province,
            city=rng.choice(facts.PROVINCES[province]),
            arrested_on=START + dt.timedelta(days=rng.randrange(WINDOW_DAYS)),
        )

    def namesake(self) -> Entity:
        """A person with one of the most common names ("Mohammad Hosseini", "Fatemeh Rezaei"), of whom there
        are many: on top of those the name frequencies already produce."""
        fresh = self.entity()
        givens = facts.FEMALE if fresh.female else facts.MALE
        given = self.rng.choice(sorted(givens, key=lambda n: -n.weight)[:5])
        family = self.rng.choice(sorted(facts.FAMILY, key=lambda n: -n.weight)[:8])
        return Entity(
            given=given,
            given2=None,
            family=family,
            female=fresh.female,
            seyed=family.seyed and not fresh.female and self.rng.random() < 0.6,
            birth=fresh.birth,
            province=fresh.province,
            city=fresh.city,
            arrested_on=fresh.arrested_on,
        )

    # --- a mention -------------------------------------------------------------------------------------

    def _spelling(self, name: facts.Name, latin: bool) -> str:
        rng = self.rng
        choices = name.latin if latin else name.persian
        # The usual spelling is the likeliest; the others come from other outlets.
        weights = [3.0] + [1.0] * (len(choices) - 1)
        return rng.choices(choices, weights=weights)[0]

    def _persian_noise(self, text: str) -> str:
        rng = self.rng
        if rng.random() < 0.15:  # typed on an Arabic keyboard
            text = text.replace("ی", "ي").replace("ک", "ك")
        if rng.random() < 0.02:
            text = text.replace("ه", "ة", 1) if text.endswith("ه") else text
        if rng.random() < 0.02:  # a diacritic
            text = text.replace("م", "مّ", 1)
        if rng.random() < 0.01:  # tatweel
            text = text.replace("ح", "حـ", 1)
        return text

    def _typo(self, text: str, latin: bool) -> str:
        rng = self.rng
        positions = [i for i, c in enumerate(text) if c.isalpha()]
        if len(positions) < 4:
            return text
        i = rng.choice(positions[1:])
        kind = rng.random()
        if latin:
            if kind < 0.3:
                return text[:i] + text[i + 1 :]
            if kind < 0.6:
                return text[:i] + rng.choice(_LATIN_LETTERS) + text[i + 1 :]
            if kind < 0.8 and i + 1 < len(text) and text[i + 1].isalpha():
                return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
            return text[:i] + text[i] + text[i:]
        if kind < 0.4:
            return text[:i] + text[i + 1 :]
        for group in _CONFUSABLE_PERSIAN:
            if text[i] in group and len(group) > 1:
                return text[:i] + rng.choice(group.replace(text[i], "")) + text[i + 1 :]
        return text[:i] + text[i] + text[i:]

    def mention(self, entity: Entity, *, index: int, entity_id: int, source: int | None = None) -> Record:
        rng = self.rng
        latin = rng.random() < 0.5
        given = self._spelling(entity.given, latin)
        parts = [given]
        if entity.given2 is not None and rng.random() < 0.8:
            parts.append(self._spelling(entity.given2, latin))
        family = self._spelling(entity.family, latin)
        if entity.seyed and rng.random() < 0.5:
            honorific = rng.choice(("Seyed", "Seyyed", "Sayyed")) if latin else "سید"
            parts.insert(0, honorific)
        roll = rng.random()
        if roll < 0.05:
            parts = [family, *parts]  # family name first, as in lists
        elif roll < 0.08:
            # A part of the given name left out (a one-part given name has none to lose: written in full).
            parts = [parts[-1], family] if len(parts) > 1 else [*parts, family]
        elif roll < 0.095:
            parts = [family]  # only the family name ("Mr Karimi")
        else:
            parts = [*parts, family]
        text = " ".join(parts)
        if rng.random() < 0.08:
            text = self._typo(text, latin)
        if latin:
            if rng.random() < 0.05:
                text = text.upper()
            elif rng.random() < 0.1:
                text = text.lower()
        else:
            text = self._persian_noise(text)

        reported_on = entity.arrested_on + dt.timedelta(days=rng.randrange(45))
        age = None
        if rng.random() < 0.65:
            age = (
                reported_on.year
                - entity.birth.year
                - ((reported_on.month, reported_on.day) < (entity.birth.month, entity.birth.day))
            )
            if rng.random() < 0.2:
                age += rng.choice((-1, 1))  # sources disagree by a year
        city: str | None = None
        province: str | None = None
        roll = rng.random()
        if roll < 0.55:
            city, province = entity.city, entity.province
        elif roll < 0.85:
            province = entity.province
        elif roll < 0.88:  # arrested elsewhere: the capital
            city, province = "Tehran", "Tehran"
        gender = ("female" if entity.female else "male") if rng.random() < 0.85 else ""
        if gender and rng.random() < 0.01:
            gender = "male" if gender == "female" else "female"
        arrested_on = None
        if rng.random() < 0.5:
            shift = rng.randint(-2, 2) if rng.random() < 0.8 else rng.randint(-15, 15)
            arrested_on = entity.arrested_on + dt.timedelta(days=shift)
        if source is None:
            source = rng.choices(self.sources, weights=self.source_weights)[0]
        return Record(
            id=index,
            entity=entity_id,
            name=text,
            script="latn" if latin else "arab",
            gender=gender,
            age=age,
            reported_on=reported_on,
            city=city,
            province=province,
            arrested_on=arrested_on,
            source=source,
        )


def generate(size: int, *, seed: int) -> list[Record]:
    """``size`` records (mentions) of about ``size / 1.9`` people, shuffled."""
    gen = Generator(seed)
    rng = gen.rng
    records: list[Record] = []
    entities: list[Entity] = []
    while len(records) < size:
        entity = gen.namesake() if rng.random() < 0.02 else gen.entity()
        entities.append(entity)
        entity_id = len(entities)
        count = rng.choices((1, 2, 3, 4, 5), weights=(45, 25, 15, 10, 5))[0]
        first_source: int | None = None
        for _ in range(min(count, size - len(records))):
            # Some outlets report the same person twice (arrest, then sentence).
            same = first_source if first_source is not None and rng.random() < 0.1 else None
            record = gen.mention(entity, index=len(records), entity_id=entity_id, source=same)
            first_source = first_source or record.source
            records.append(record)
    rng.shuffle(records)
    return [replace(r, id=i) for i, r in enumerate(records)]
