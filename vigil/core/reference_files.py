"""Reading shipped reference-data files (gazetteer, organizations) and writing them idempotently.

Each file is JSON: an object whose list (``"places"``, ``"facilities"`` …) holds one object per record, keyed
by a stable ``code``. A loader walks the entries in order, resolves references to codes defined earlier (or
already in the database) and upserts each record. Errors name the file, the entry and the field, because the
person who reads them is whoever edited the file by hand.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Generic, TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from vigil.accounts.actors import system_actor
from vigil.accounts.models import User
from vigil.core.services import save_with_history

REASON = "Reference data shipped with Vigil"

M = TypeVar("M", bound=models.Model)


def new_counts() -> dict[str, int]:
    """The tally every loader returns."""
    return {"created": 0, "updated": 0, "unchanged": 0}


@dataclass(frozen=True)
class ReferenceEntry:
    """One record of a reference file, with typed accessors whose errors say where the problem is."""

    file: str
    number: int  # 1-based position in its list, as a person counting entries would say it
    data: Mapping[str, Any]

    @property
    def code(self) -> str:
        return self.text("code")

    def where(self) -> str:
        code = self.data.get("code")
        if isinstance(code, str) and code:
            return _("%(file)s, entry %(number)s (“%(code)s”)") % {
                "file": self.file,
                "number": self.number,
                "code": code,
            }
        return _("%(file)s, entry %(number)s") % {"file": self.file, "number": self.number}

    def error(self, problem: str) -> ValidationError:
        return ValidationError(
            _("%(where)s: %(problem)s"), params={"where": self.where(), "problem": problem}, code="reference"
        )

    def text(self, key: str, *, required: bool = True) -> str:
        value = self.data.get(key, "")
        if value is None:
            value = ""
        if not isinstance(value, str):
            raise self.error(_("“%(key)s” must be text.") % {"key": key})
        if required and not value.strip():
            raise self.error(_("“%(key)s” is missing.") % {"key": key})
        return value.strip()

    def texts(self, key: str) -> list[str]:
        value = self.data.get(key) or []
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise self.error(_("“%(key)s” must be a list of texts.") % {"key": key})
        return [item.strip() for item in value if item.strip()]

    def decimal(self, key: str) -> Decimal | None:
        value = self.data.get(key)
        if value is None:
            return None
        # Floats are parsed as Decimal (see read_reference_file), so 35.6892 stays exactly 35.6892.
        if not isinstance(value, Decimal | int) or isinstance(value, bool):
            raise self.error(_("“%(key)s” must be a number.") % {"key": key})
        return Decimal(value)

    def flag(self, key: str) -> bool:
        value = self.data.get(key, False)
        if not isinstance(value, bool):
            raise self.error(_("“%(key)s” must be true or false.") % {"key": key})
        return value

    def choice(self, key: str, choices: type[models.TextChoices]) -> str:
        value = self.text(key)
        if value not in choices.values:
            raise self.error(
                _("“%(key)s” is “%(value)s”; it must be one of: %(choices)s.")
                % {"key": key, "value": value, "choices": ", ".join(choices.values)}
            )
        return value


def read_reference_file(path: Path, key: str) -> list[ReferenceEntry]:
    """The entries of the list ``key`` in the JSON file at ``path``, after checking that every entry is an
    object with a code that no other entry uses."""
    name = path.name
    try:
        data = json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
    except OSError as error:
        raise ValidationError(
            _("Cannot read %(file)s: %(error)s"), params={"file": str(path), "error": error.strerror}
        ) from error
    except json.JSONDecodeError as error:
        raise ValidationError(
            _("%(file)s is not valid JSON: %(error)s at line %(line)s, column %(column)s."),
            params={"file": name, "error": error.msg, "line": error.lineno, "column": error.colno},
        ) from error
    entries = data.get(key) if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise ValidationError(
            _("%(file)s must be a JSON object with a list “%(key)s”."), params={"file": name, "key": key}
        )
    result: list[ReferenceEntry] = []
    first_seen: dict[str, int] = {}
    for number, item in enumerate(entries, start=1):
        if not isinstance(item, dict):
            raise ValidationError(
                _("%(file)s, entry %(number)s must be a JSON object."),
                params={"file": name, "number": number},
            )
        entry = ReferenceEntry(file=name, number=number, data=item)
        code = entry.code
        if code in first_seen:
            raise entry.error(
                _("the code is already used by entry %(first)s; codes must be unique.")
                % {"first": first_seen[code]}
            )
        first_seen[code] = number
        result.append(entry)
    return result


class CodeIndex(Generic[M]):
    """Records of one model by code: those loaded from the file so far, then those already in the database
    (so a file may refer to a record that administrators added, or that another loader wrote)."""

    def __init__(self, model: type[M], label: str) -> None:
        self.model = model
        self.label = label
        self._loaded: dict[str, M] = {}

    def add(self, code: str, instance: M) -> None:
        self._loaded[code] = instance

    def resolve(self, entry: ReferenceEntry, key: str, *, hint: str = "") -> M | None:
        """The record whose code is ``entry[key]``, None if the entry leaves it empty."""
        code = entry.text(key, required=False)
        if not code:
            return None
        found = self._loaded.get(code) or self.model._default_manager.filter(code=code).first()
        if found is None:
            problem = _(
                "%(key)s “%(code)s” is not a known %(label)s code (define it earlier in the file, or load it first)."
            ) % {"key": key, "code": code, "label": self.label}
            raise entry.error(f"{problem} {hint}".strip())
        return found


def upsert_by_code(
    model: type[M],
    entry: ReferenceEntry,
    values: Mapping[str, object],
    *,
    actor: User | None,
    counts: dict[str, int],
) -> M:
    """Create the record with ``entry.code``, or bring it in line with ``values`` (keyed by attribute name,
    so foreign keys are given as ``parent_id``); unchanged records are not saved, so loading twice adds no
    history. Validation errors are re-raised with the entry they come from."""
    found = model._default_manager.filter(code=entry.code).first()
    if found is None:
        found = model(code=entry.code, **values)
        counts["created"] += 1
    elif all(getattr(found, attribute) == value for attribute, value in values.items()):
        counts["unchanged"] += 1
        return found
    else:
        for attribute, value in values.items():
            setattr(found, attribute, value)
        counts["updated"] += 1
    try:
        # Shipped data is the system's own unless a user loads it.
        return save_with_history(found, actor=actor or system_actor(), reason=REASON)
    except ValidationError as error:
        raise entry.error("; ".join(error.messages)) from error
