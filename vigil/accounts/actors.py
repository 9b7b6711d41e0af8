"""Who is acting: the system actor, a user's roles, and who must sign in with a second factor.

Shared by ``vigil.core.visibility`` (what a viewer may read) and ``vigil.accounts.permissions`` (what an
actor may write), which is why it imports neither.
"""

from __future__ import annotations

from typing import Any

from vigil.accounts.models import User
from vigil.accounts.roles import REVIEW_PERMISSION, Role

# The account that reference data, the demo loader and scheduled tasks write as. It cannot sign in:
# inactive, no usable password. Created by migration 0003; recreated on demand if someone removed it.
SYSTEM_USERNAME = "vigil-system"
# Holding this permission (through a group) lets staff read restricted records and fields.
VIEW_RESTRICTED_PERMISSION = "core.view_restricted"
# The group, created empty, that administrators put trusted staff in to grant it.
RESTRICTED_ACCESS_GROUP = "restricted access"
STAFF_ROLES = frozenset(Role.values)


def system_actor() -> User:
    """The system's own account, for loaders and tasks that no person runs."""
    user, created = User.objects.get_or_create(
        username=SYSTEM_USERNAME,
        defaults={"is_active": False, "first_name": "Vigil", "last_name": "(system)"},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def is_system(actor: Any) -> bool:
    """Whether ``actor`` is the system account. It is recognised by name and by being unable to sign in, so
    an administrator who gave it a password and activated it would have made it an ordinary user."""
    return (
        isinstance(actor, User)
        and actor.username == SYSTEM_USERNAME
        and not actor.is_active
        and not actor.has_usable_password()
    )


def is_signed_in(user: Any) -> bool:
    return user is not None and bool(getattr(user, "is_authenticated", False)) and bool(user.is_active)


def roles_of(user: Any) -> frozenset[str]:
    """The roles (group names) ``user`` holds, read once per user object."""
    if not is_signed_in(user) or not isinstance(user, User):
        return frozenset()
    cached: frozenset[str] | None = getattr(user, "_vigil_roles", None)
    if cached is None:
        cached = frozenset(user.groups.filter(name__in=STAFF_ROLES).values_list("name", flat=True))
        user._vigil_roles = cached  # type: ignore[attr-defined]
    return cached


def is_staff_member(user: Any) -> bool:
    """Signed in and on the staff: a role, the staff flag, or a superuser."""
    return is_signed_in(user) and bool(user.is_superuser or user.is_staff or roles_of(user))


def requires_two_factor(user: Any) -> bool:
    """Reviewers, administrators, and whoever may read restricted data sign in with a second factor: their
    accounts are the ones worth stealing."""
    if not is_signed_in(user):
        return False
    return bool(
        user.is_superuser
        or roles_of(user) & {Role.ADMINISTRATOR, Role.REVIEWER}
        or user.has_perm(REVIEW_PERMISSION)
        or user.has_perm(VIEW_RESTRICTED_PERMISSION)
    )
