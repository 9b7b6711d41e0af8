"""Which records a report may count and name for a given reader (principle 5), as SQL.

The levels come from ``vigil.core.visibility``, the one place that decides what a viewer may see: the public
(no viewer) reads public records only; staff also internal ones; restricted records only those cleared for
them. A report counts exactly what its reader may see, so that a count cannot reveal a hidden record.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser

from vigil.accounts.models import User
from vigil.core.models import Confidentiality
from vigil.core.visibility import allowed_levels

Viewer = User | AnonymousUser | None


@dataclass(frozen=True)
class Visibility:
    levels: tuple[str, ...]

    @property
    def is_public(self) -> bool:
        return self.levels == (Confidentiality.PUBLIC,)

    def sql(self, alias: str) -> str:
        """The record under ``alias`` is one the reader may see."""
        if set(self.levels) >= set(Confidentiality.values):
            return "TRUE"
        # The levels are our own TextChoices values, never user input.
        return f"{alias}.confidentiality IN (" + ",".join(f"'{level}'" for level in self.levels) + ")"


PUBLIC = Visibility((Confidentiality.PUBLIC,))


def visibility_for(viewer: Viewer) -> Visibility:
    """``viewer``: a user, or None for the public."""
    if viewer is None:
        return PUBLIC
    return Visibility(tuple(allowed_levels(viewer)))
