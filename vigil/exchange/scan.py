"""Comparing the rows of one file with each other before anything is written: the same person twice
(a repeat, flagged) or the same person killed on two different dates, or of two ages or genders (a
contradiction: neither row is imported, since only a person can tell which is right).

Two rows are the same person when they carry the same ID of the file, or when they share a name (folded:
spelling and script variants of one writing) and nothing else tells them apart: ages within a year of each
other or missing, the same gender or an unknown one, the same place or a missing one. Rows with one ID that
give two ages or genders are a contradiction too. The index holds a small tuple per row (about 150 bytes).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from vigil.core.dates import FuzzyDate
from vigil.people.models import Gender


@dataclass(frozen=True)
class _Entry:
    number: int
    external_id: str
    age: int | None
    born: int | None  # the year of birth the age gives, when the row dates it
    gender: str
    place: int | None
    death: tuple[dt.date, dt.date] | None
    name: str

    def ages_differ(self, other: _Entry) -> bool:
        """Ages that cannot be one person's: years of birth more than a year apart when both rows date
        their ages, else ages more than a year apart."""
        if self.born is not None and other.born is not None:
            return abs(self.born - other.born) > 1
        return self.age is not None and other.age is not None and abs(self.age - other.age) > 1

    def genders_differ(self, other: _Entry) -> bool:
        return bool(self.gender and other.gender and self.gender != other.gender)


class IdentityIndex:
    def __init__(self) -> None:
        self._by_name: dict[str, list[_Entry]] = {}
        self._by_external: dict[str, _Entry] = {}
        self.findings: dict[str, dict[str, Any]] = {}

    def add(
        self,
        *,
        number: int,
        external_id: str,
        name_keys: list[str],
        display_name: str,
        age: int | None,
        age_on: dt.date | None = None,
        gender: str = "",
        place: int | None,
        death: FuzzyDate | None,
    ) -> None:
        interval = (death.earliest, death.latest) if death and death.earliest and death.latest else None
        born = age_on.year - age if age is not None and age_on is not None else None
        gender = "" if gender == "unknown" else gender
        entry = _Entry(number, external_id, age, born, gender, place, interval, display_name)
        other, why = self._same_person(entry, name_keys)
        if other is not None:
            self._compare(entry, other, why)
        if external_id:
            self._by_external.setdefault(external_id, entry)
        for key in name_keys:
            self._by_name.setdefault(key, []).append(entry)

    def _same_person(self, entry: _Entry, name_keys: list[str]) -> tuple[_Entry | None, str]:
        if entry.external_id and entry.external_id in self._by_external:
            return self._by_external[entry.external_id], _("the same ID “%(id)s”") % {"id": entry.external_id}
        for key in name_keys:
            for other in self._by_name.get(key, []):
                places_agree = entry.place is None or other.place is None or entry.place == other.place
                if not entry.ages_differ(other) and not entry.genders_differ(other) and places_agree:
                    return other, _("the same name, and no age, gender or place that differs")
        return None, ""

    def _compare(self, entry: _Entry, other: _Entry, why: str) -> None:
        message = ""
        if (
            entry.death
            and other.death
            and (entry.death[1] < other.death[0] or other.death[1] < entry.death[0])
        ):
            message = _(
                "Rows %(first)s and %(second)s describe the same person (“%(name)s”: %(why)s) killed on "
                "different dates (%(first_date)s and %(second_date)s); neither row is imported. Correct the "
                "file, or record the death by hand with both sources."
            ) % {
                "first": other.number,
                "second": entry.number,
                "name": entry.name,
                "why": why,
                "first_date": _interval_text(other.death),
                "second_date": _interval_text(entry.death),
            }
        elif entry.ages_differ(other) or entry.genders_differ(other):
            # Only rows with one ID get here (rows found by name agree on both): one person, says the file,
            # of two ages or genders. Imported, the second row would add its facts to the first's person.
            given = [
                _("aged %(first)s and %(second)s") % {"first": other.age, "second": entry.age}
                if entry.ages_differ(other)
                else "",
                _("%(first)s and %(second)s")
                % {"first": Gender(other.gender).label, "second": Gender(entry.gender).label}
                if entry.genders_differ(other)
                else "",
            ]
            message = _(
                "Rows %(first)s and %(second)s describe the same person (“%(name)s”: %(why)s) but differ "
                "(%(differences)s); neither row is imported. Correct the file: give each person their own "
                "ID, or the one person the same details."
            ) % {
                "first": other.number,
                "second": entry.number,
                "name": entry.name,
                "why": why,
                "differences": "; ".join(text for text in given if text),
            }
        if message:
            for number, partner in ((other.number, entry.number), (entry.number, other.number)):
                self.findings[str(number)] = {"kind": "contradiction", "row": partner, "message": message}
            return
        if str(entry.number) not in self.findings:
            self.findings[str(entry.number)] = {"kind": "repeat", "row": other.number, "message": ""}


def _interval_text(interval: tuple[dt.date, dt.date]) -> str:
    start, end = interval
    return start.isoformat() if start == end else f"{start.isoformat()}/{end.isoformat()}"
