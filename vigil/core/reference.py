"""Loading reference data that ships with Vigil (vocabularies here; the gazetteer in ``places``).

Loading is idempotent: terms are matched on (vocabulary, code), new ones are added, labels updated, and
terms that administrators added themselves are left alone.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.db import transaction

from vigil.accounts.actors import system_actor
from vigil.accounts.models import User
from vigil.core.models import Term, Vocabulary
from vigil.core.services import save_with_history

VOCABULARIES_FILE = Path(__file__).parent / "data" / "vocabularies.json"


@transaction.atomic
def vocabularies_load(*, path: Path = VOCABULARIES_FILE, actor: User | None = None) -> dict[str, int]:
    """Create or update the shipped vocabulary terms; returns how many were created and updated."""
    data: dict[str, list[dict[str, str]]] = json.loads(path.read_text(encoding="utf-8"))
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    for vocabulary, entries in data.items():
        Vocabulary(vocabulary)  # an unknown vocabulary name in the file is a packaging error: fail loudly
        for entry in entries:
            found = Term.objects.filter(vocabulary=vocabulary, code=entry["code"]).first()
            if found is None:
                found = Term(vocabulary=vocabulary, code=entry["code"])
                counts["created"] += 1
            elif (found.name_en, found.name_fa) == (entry["name_en"], entry["name_fa"]):
                counts["unchanged"] += 1
                continue
            else:
                counts["updated"] += 1
            found.name_en, found.name_fa = entry["name_en"], entry["name_fa"]
            save_with_history(
                found, actor=actor or system_actor(), reason="Reference data shipped with Vigil"
            )
    return counts
