"""Reading organizations: finding one from a name, acronym or alias as a source writes it.

Reference records are public knowledge, so these selectors take no viewer.
"""

from __future__ import annotations

from vigil.core.lookup import match_by_name
from vigil.organizations.models import Organization


def organizations_by_name(text: str, *, kind: str | None = None) -> list[Organization]:
    """Every organization that ``text`` names by English or Persian name or acronym, then by alias."""
    candidates = Organization.objects.order_by("code")
    if kind is not None:
        candidates = candidates.filter(kind=kind)
    return match_by_name(
        candidates,
        text,
        names=lambda organization: (organization.name_en, organization.name_fa, organization.acronym),
        aliases=lambda organization: organization.aliases,
    )


def organization_by_name(text: str, *, kind: str | None = None) -> Organization | None:
    """The organization ``text`` names ("IRGC", "سپاه پاسداران", "Hengaw"), or None."""
    found = organizations_by_name(text, kind=kind)
    return found[0] if found else None
