"""Loading the organizations that ship as data (``data/organizations.json``): security, judicial and government
bodies, and the NGOs and media that publish sources. Idempotent: matched on ``code``; organizations that
administrators added under other codes are left alone.
"""

from __future__ import annotations

from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from vigil.accounts.models import User
from vigil.core.reference_files import CodeIndex, new_counts, read_reference_file, upsert_by_code
from vigil.organizations.models import Organization

DATA_FILE = Path(__file__).parent / "data" / "organizations.json"


def organizations_load(*, actor: User | None = None, path: Path = DATA_FILE) -> dict[str, int]:
    """Create or update the shipped organizations; returns how many were created, updated and left
    unchanged. A malformed file raises a ValidationError naming the entry and the problem, and nothing is
    written."""
    entries = read_reference_file(path, "organizations")
    counts = new_counts()
    organizations = CodeIndex(Organization, _("organization"))
    with transaction.atomic():
        for entry in entries:
            parent = organizations.resolve(entry, "parent")
            values = {
                "kind": entry.choice("kind", Organization.Kind),
                "acronym": entry.text("acronym", required=False),
                "parent_id": parent.pk if parent else None,
                "name_en": entry.text("name_en"),
                "name_fa": entry.text("name_fa", required=False),
                "website": entry.text("website", required=False),
                "aliases": entry.texts("aliases"),
            }
            organizations.add(
                entry.code, upsert_by_code(Organization, entry, values, actor=actor, counts=counts)
            )
    return counts
