"""What every router shares: who may call, identifiers and codes as parameters."""

from __future__ import annotations

from typing import Any

from ninja.params.functions import Path

from vigil.api.auth import PublicOrToken, TokenAuth

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
