"""Audit entries written from Django's signals: sign-ins, sign-outs, failed sign-ins, and every change to
who may do what (group membership, permissions, the superuser/staff/active flags, passwords), whichever
screen or command made it."""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.contrib.auth.models import Group, Permission
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.http import HttpRequest

from vigil.accounts.models import User
from vigil.audit.models import AuditAction
from vigil.audit.services import audit_append, client_address, client_fingerprint, signal_actor

_FLAGS = ("is_superuser", "is_staff", "is_active")
_M2M_VERBS = {"post_add": "added", "post_remove": "removed", "post_clear": "cleared"}


def connect() -> None:
    user_logged_in.connect(_logged_in, dispatch_uid="vigil.audit.login")
    user_logged_out.connect(_logged_out, dispatch_uid="vigil.audit.logout")
    user_login_failed.connect(_login_failed, dispatch_uid="vigil.audit.login_failed")
    m2m_changed.connect(_groups_changed, sender=User.groups.through, dispatch_uid="vigil.audit.groups")
    m2m_changed.connect(
        _permissions_changed,
        sender=User.user_permissions.through,
        dispatch_uid="vigil.audit.user_permissions",
    )
    m2m_changed.connect(
        _permissions_changed, sender=Group.permissions.through, dispatch_uid="vigil.audit.group_permissions"
    )
    pre_save.connect(_remember_user, sender=User, dispatch_uid="vigil.audit.user_before")
    post_save.connect(_user_saved, sender=User, dispatch_uid="vigil.audit.user_saved")
    post_delete.connect(_deleted, sender=User, dispatch_uid="vigil.audit.user_deleted")
    post_save.connect(_group_saved, sender=Group, dispatch_uid="vigil.audit.group_saved")
    post_delete.connect(_deleted, sender=Group, dispatch_uid="vigil.audit.group_deleted")


def _client(request: HttpRequest | None) -> dict[str, str]:
    address = client_address(request) if request is not None else ""
    return {"client": client_fingerprint(address)} if address else {}


def _logged_in(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    audit_append(action=AuditAction.LOGIN, actor=user, target=user, detail=_client(request))


def _logged_out(sender: Any, request: HttpRequest | None, user: User | None, **kwargs: Any) -> None:
    if user is not None:
        audit_append(action=AuditAction.LOGOUT, actor=user, target=user, detail=_client(request))


def _login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    username = str(credentials.get(User.USERNAME_FIELD) or credentials.get("username") or "")
    detail: dict[str, Any] = {"stage": "password", **_client(request)}
    if request is not None and getattr(request, "vigil_locked_out", False):
        detail["locked_out"] = True
    audit_append(
        action=AuditAction.LOGIN_FAILED,
        actor=None,
        object_type=User._meta.label_lower,
        object_repr=username,
        detail=detail,
    )


# Set while a backup is restored: its records come back with the audit entries that recorded them, and a
# membership restored is not a new change (m2m signals carry no "raw" flag to say so).
_RESTORING = contextvars.ContextVar("vigil_audit_restoring", default=False)


@contextmanager
def restoring() -> Iterator[None]:
    """Write no audit entries for the group and permission memberships set back by a restore."""
    token = _RESTORING.set(True)
    try:
        yield
    finally:
        _RESTORING.reset(token)


def _groups_changed(
    sender: Any, instance: Any, action: str, reverse: bool, model: Any, pk_set: set[int] | None, **kwargs: Any
) -> None:
    verb = _M2M_VERBS.get(action)
    if verb is None or _RESTORING.get():
        return
    if reverse:  # group.user_set.add(user ...): one entry per user
        for user in User.objects.filter(pk__in=pk_set or ()):
            _membership(user, verb, [instance.name])
    else:
        names = sorted(Group.objects.filter(pk__in=pk_set or ()).values_list("name", flat=True))
        _membership(instance, verb, names)


def _membership(user: User, verb: str, groups: list[str]) -> None:
    audit_append(
        action=AuditAction.PERMISSION_CHANGE,
        actor=signal_actor(),
        target=user,
        detail={"groups": verb, "names": groups},
    )


def _permissions_changed(
    sender: Any, instance: Any, action: str, reverse: bool, model: Any, pk_set: set[int] | None, **kwargs: Any
) -> None:
    verb = _M2M_VERBS.get(action)
    if verb is None or _RESTORING.get():
        return
    if reverse:  # permission.user_set / group_set: rare; name the permission and the holders
        holders = [str(holder) for holder in model.objects.filter(pk__in=pk_set or ())]
        codes = [f"{instance.content_type.app_label}.{instance.codename}"]
        target = None
    else:
        holders = []
        codes = sorted(
            f"{app}.{codename}"
            for app, codename in Permission.objects.filter(pk__in=pk_set or ()).values_list(
                "content_type__app_label", "codename"
            )
        )
        target = instance
    audit_append(
        action=AuditAction.PERMISSION_CHANGE,
        actor=signal_actor(),
        target=target,
        object_type="" if target is not None else "auth.permission",
        detail={"permissions": verb, "names": codes, **({"holders": holders} if holders else {})},
    )


def _remember_user(sender: Any, instance: User, raw: bool = False, **kwargs: Any) -> None:
    if raw or instance.pk is None:
        return
    before = User.objects.filter(pk=instance.pk).values(*_FLAGS, "password").first()
    instance._vigil_before = before  # type: ignore[attr-defined]


def _user_saved(
    sender: Any, instance: User, created: bool, raw: bool = False, update_fields: Any = None, **kwargs: Any
) -> None:
    before: dict[str, Any] | None = getattr(instance, "_vigil_before", None)
    instance._vigil_before = None  # type: ignore[attr-defined]
    # A password rehashed on sign-in (Django saves only that field) changes nobody's access.
    if raw or (update_fields is not None and set(update_fields) <= {"password", "last_login"}):
        return
    if created or before is None:
        changes: dict[str, Any] = {"created": True, **{flag: getattr(instance, flag) for flag in _FLAGS}}
    else:
        changes = {
            flag: getattr(instance, flag) for flag in _FLAGS if before[flag] != getattr(instance, flag)
        }
        if before["password"] != instance.password:
            changes["password_changed"] = True
    if changes:
        audit_append(
            action=AuditAction.PERMISSION_CHANGE, actor=signal_actor(), target=instance, detail=changes
        )


def _group_saved(sender: Any, instance: Group, created: bool, raw: bool = False, **kwargs: Any) -> None:
    if created and not raw:
        audit_append(
            action=AuditAction.PERMISSION_CHANGE,
            actor=signal_actor(),
            target=instance,
            detail={"created": True},
        )


def _deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    audit_append(
        action=AuditAction.PERMISSION_CHANGE, actor=signal_actor(), target=instance, detail={"deleted": True}
    )
