"""What every router shares: who may call, identifiers and codes as parameters."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from ninja.params.functions import Path
from pydantic import BeforeValidator

from vigil.api.auth import PublicOrToken, TokenAuth
from vigil.core.text import to_ascii_digits

# Reads: the public without a token, staff with one. Writes: a token.
READ_AUTH = [PublicOrToken()]
WRITE_AUTH = [TokenAuth()]

# Ids are 64-bit in both databases; a larger number is refused before it reaches them.
MAX_ID = 2**63 - 1
# Vocabulary, gazetteer and facility codes are slugs.
CODE = r"^[a-z0-9_-]*$"
CODE_MAX = 80


def record_id() -> Any:
    """A record id in a path, refused (422) outside the 64-bit range before it reaches the database."""
    return Path(..., ge=1, le=MAX_ID)


_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _iso_day(value: Any) -> Any:
    """An ISO day (YYYY-MM-DD, Gregorian), nothing else: pydantic also reads a number as seconds since 1970
    (``date_to=0`` was 1 January 1970) and a Jalali date as a Gregorian one (1404-10-18 in the year 1404).
    Persian or Arabic digits are read as the same digits (``۲۰۲۶-۰۱-۰۹`` was refused with "invalid character
    in year")."""
    if isinstance(value, dt.date):
        return value
    text = to_ascii_digits(value.strip()) if isinstance(value, str) else ""
    if not _ISO_DAY.fullmatch(text):
        raise ValueError("Give the date as YYYY-MM-DD, in the Gregorian calendar (2026-01-08).")
    if int(text[:4]) < 1900:
        raise ValueError(
            f"{text} is not a Gregorian date Vigil records (a Jalali date?); give it as YYYY-MM-DD, e.g. 2026-01-08."
        )
    return text


# A date in a query or a body: an ISO day of the Gregorian calendar.
IsoDay = Annotated[dt.date, BeforeValidator(_iso_day)]
