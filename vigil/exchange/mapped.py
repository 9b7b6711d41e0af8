"""One row seen through a mapping: the cells of each field, translated, checked and parsed, with every
fault reported against the column it came from ("column 'Date of Death': 31 Esfand 1403 does not exist")."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from vigil.core.dates import FuzzyDate, day_month_ambiguous, format_fuzzy_date, parse_fuzzy_date
from vigil.core.text import reads_persian, validate_plain_text
from vigil.exchange.cells import by_name, refuse_formula
from vigil.exchange.models import ImportMapping
from vigil.exchange.readers import ROW_FAULT

T = TypeVar("T")


def error_text(error: ValidationError) -> list[str]:
    """The messages of a validation error, each with its parameters filled in."""
    return [str(message) for message in error.messages]


class Cells:
    """The mapped cells of one row. Parsing methods return None for an empty or faulty cell and record
    the fault in ``errors``; callers look at ``errors`` once the whole row is read, so a row with three
    faults reports all three."""

    def __init__(
        self, mapping: ImportMapping, row: dict[str, str], *, by_field: dict[str, list[str]]
    ) -> None:
        self.mapping = mapping
        self.row = row
        self.by_field = by_field
        self.errors: list[str] = []
        self.warnings: list[str] = []
        if ROW_FAULT in row:
            self.errors.append(row[ROW_FAULT])

    @staticmethod
    def columns_by_field(mapping: ImportMapping) -> dict[str, list[str]]:
        by_field: dict[str, list[str]] = {}
        for column, field in (mapping.columns or {}).items():
            if field:
                by_field.setdefault(str(field), []).append(str(column))
        return by_field

    def cells(self, field: str) -> list[tuple[str, str]]:
        """(where, text) of each non-empty cell of ``field``, with value translations applied; the
        mapping's default when every cell is empty. Formulas are refused here, once for every field."""
        found: list[tuple[str, str]] = []
        columns = self.by_field.get(field)
        if columns:
            translations = (self.mapping.values or {}).get(field) or {}
            folded = {str(key).strip().casefold(): value for key, value in translations.items()}
            language = get_language()
            for column in columns:
                text = (
                    " ".join(self.row.get(column, "").split())
                    if field not in _MULTILINE
                    else self.row.get(column, "").strip()
                )
                if not text:
                    continue
                try:
                    refuse_formula(text)
                    # Markup and control characters, which the services refuse too: refused here, the row
                    # is rejected by the scan, before another row is compared with it as the same person.
                    validate_plain_text(text)
                except ValidationError as error:
                    self.fault(_column_label(column, language), error)
                    continue
                if folded:
                    text = str(folded.get(text.casefold(), text)).strip()
                if text:
                    found.append((_column_label(column, language), text))
        default = (self.mapping.defaults or {}).get(field)
        if not found and default not in (None, ""):
            found.append((_("the default of “%(field)s”") % {"field": field}, str(default)))
        return found

    def text(self, field: str, *, joiner: str = "\n") -> str:
        return joiner.join(text for _where, text in self.cells(field))

    def first(self, field: str) -> tuple[str, str] | None:
        cells = self.cells(field)
        return cells[0] if cells else None

    def fault(self, where: str, error: ValidationError | str) -> None:
        if ROW_FAULT in self.row:
            return  # a row that could not be read has no cells: its one fault says why, not "no name"
        messages = [error] if isinstance(error, str) else error_text(error)
        self.errors.extend(f"{where}: {message}" for message in messages)

    def parse(self, field: str, parser: Callable[[str], T]) -> T | None:
        cell = self.first(field)
        if cell is None:
            return None
        where, text = cell
        try:
            return parser(text)
        except ValidationError as error:
            self.fault(where, error)
            return None

    def date(self, field: str) -> FuzzyDate | None:
        calendar = self.mapping.calendar or None
        ambiguous: list[tuple[str, FuzzyDate]] = []

        def read(text: str) -> FuzzyDate:
            found = parse_fuzzy_date(text, calendar)
            if found.is_known and day_month_ambiguous(text):
                ambiguous.append((text, found))
            return found

        found = self.parse(field, read)
        for text, value in ambiguous:
            cell = self.first(field)
            language = "fa" if reads_persian() else "en"
            self.warnings.append(
                f"{cell[0] if cell else field}: "
                + _(
                    "“%(text)s” was read day first, as %(date)s; if the file writes the month first, give "
                    "its dates as 2026-01-08 or translate them in the mapping's values."
                )
                % {"text": text, "date": format_fuzzy_date(value, language=language)}
            )
        return found

    def day(self, field: str) -> dt.date | None:
        """A plain date (publication dates): the first day of a month or year given without a day."""
        found = self.date(field)
        return found.value if found is not None and found.is_known else None

    def choice(self, field: str, choices: list[str], names: Mapping[str, str] | None = None) -> str | None:
        """A code of ``choices``, given as the code or as one of ``names`` (``cells.choice_names``)."""

        def pick(text: str) -> str:
            code = text.strip().lower().replace(" ", "_").replace("-", "_")
            if code not in choices and names:
                code = names.get(by_name(text), code)
            if code not in choices:
                raise ValidationError(
                    _("“%(text)s” is not one of %(choices)s; translate it in the mapping's values."),
                    code="unknown_choice",
                    params={"text": text, "choices": ", ".join(c for c in choices if c)},
                )
            return code

        return self.parse(field, pick)


# Fields whose line breaks are kept: long texts.
_MULTILINE = {"notes", "summary_en", "summary_fa", "description_en", "description_fa", "note", "quote"}


@lru_cache(maxsize=4096)
def _column_label(column: str, language: str | None) -> str:
    """“column “Date of Death”” in the current language: asked for every cell of every row, translated once."""
    return _("column “%(column)s”") % {"column": column}
