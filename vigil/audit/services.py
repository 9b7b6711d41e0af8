"""Appending to the audit log. ``audit_append`` is the only writer; everything else calls it."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, models, transaction
from django.http import HttpRequest
from django.utils import timezone

from vigil.audit.models import GENESIS_HASH, AuditAction, AuditEntry, content_hash
from vigil.core.bulk import insert_values

# Any constant will do: it names the one advisory lock that serialises appends on PostgreSQL, so two
# transactions never chain to the same previous entry.
_CHAIN_LOCK = 0x5649_4749_4C41  # "VIGILA"
ANONYMOUS = "anonymous"


COMMAND_LINE = "command line"


@dataclass(frozen=True)
class RequestContext:
    """The current web request, for entries written from signals (which see no request)."""

    request: HttpRequest
    client: str

    @property
    def user(self) -> Any:
        return getattr(self.request, "user", None)


_current: ContextVar[RequestContext | None] = ContextVar("vigil_audit_request", default=None)


@contextmanager
def acting(context: RequestContext) -> Iterator[None]:
    token = _current.set(context)
    try:
        yield
    finally:
        _current.reset(token)


def current_context() -> RequestContext | None:
    return _current.get()


def client_address(request: HttpRequest) -> str:
    """The client's IP address: ``REMOTE_ADDR``, or the header a trusted reverse proxy sets
    (``VIGIL_CLIENT_IP_HEADER``, e.g. ``HTTP_X_REAL_IP``), never a header any client could forge."""
    header = getattr(settings, "VIGIL_CLIENT_IP_HEADER", "")
    value = request.META.get(header, "") if header else ""
    return str(value or request.META.get("REMOTE_ADDR", "")).split(",")[0].strip()


def client_fingerprint(address: str) -> str:
    """A keyed hash of a client's IP address: enough to throttle and to link attempts, without keeping
    staff members' addresses (which can locate them) in the log."""
    if not address:
        return ""
    digest = hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256)
    return digest.hexdigest()[:16]


def signal_actor() -> Any:
    """Who acts where a signal gives no user: the signed-in user of the current request, or the command
    line (``createsuperuser``, a shell)."""
    context = current_context()
    return context.user if context is not None else COMMAND_LINE


def actor_fields(actor: Any) -> tuple[int | None, str]:
    """The id and name kept for ``actor``: a user, an anonymous user, None, or a label such as
    ``COMMAND_LINE``."""
    if isinstance(actor, str):
        return None, actor[:150]
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None, ANONYMOUS
    return actor.pk, str(actor.get_username())[:150]


def object_fields(target: models.Model) -> tuple[str, str, str]:
    """Type, id and a short description of ``target``; a description that cannot be built is left out
    rather than failing the write it records."""
    try:
        description = str(target)
    except Exception:  # a __str__ that needs a missing relation must not undo the write it records
        description = ""
    return target._meta.label_lower, "" if target.pk is None else str(target.pk), description[:200]


def _lock_chain() -> None:
    # SQLite needs nothing more: Vigil opens its transactions IMMEDIATE, so writers are already serialised.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK])


@dataclass(frozen=True)
class AuditItem:
    """One entry to append, before it is numbered and chained."""

    action: str
    actor: Any
    target: models.Model | None = None
    reason: str = ""
    detail: Mapping[str, Any] | None = None
    object_type: str = ""
    object_id: str = ""
    object_repr: str = ""


def audit_append(
    *,
    action: str,
    actor: Any,
    target: models.Model | None = None,
    reason: str = "",
    detail: Mapping[str, Any] | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
) -> AuditEntry:
    """Append one entry, chained to the last. Runs in the caller's transaction (so an entry for a write
    that is rolled back disappears with it), or in its own."""
    item = AuditItem(action, actor, target, reason, detail, object_type, object_id, object_repr)
    with transaction.atomic():
        entry = AuditEntry(**_chained([item])[0])
        entry.save()
    return entry


def audit_append_many(items: Sequence[AuditItem]) -> None:
    """Append entries in order, each chained to the one before, with one lock and one insert: what bulk
    writes (an import's chunk) record, entry for entry as ``audit_append`` would."""
    with transaction.atomic():
        entries = _chained(items)
        fields = [field for field in AuditEntry._meta.concrete_fields if not field.primary_key]
        names = [field.attname for field in fields]
        insert_values(AuditEntry, fields, ([entry[name] for name in names] for entry in entries))


def _chained(items: Sequence[AuditItem]) -> list[dict[str, Any]]:
    """The fields of the entries for ``items``, numbered and hashed after the last one written. Holds the
    chain's lock until the caller's transaction ends, so nobody else chains to the same entry."""
    _lock_chain()
    context = current_context()
    client = context.client if context is not None else ""
    last = AuditEntry.objects.order_by("-sequence").values_list("sequence", "hash").first()
    sequence, previous = (last[0], last[1]) if last else (0, GENESIS_HASH)
    now = timezone.now()
    at = now.isoformat()  # as ``AuditEntry.content()`` writes it
    actors: dict[int, tuple[int | None, str]] = {}  # items of one write share their actor
    entries = []
    for item in items:
        if id(item.actor) not in actors:
            actors[id(item.actor)] = actor_fields(item.actor)
        actor_id, actor_name = actors[id(item.actor)]
        object_type, object_id, object_repr = item.object_type, item.object_id, item.object_repr
        if item.target is not None:
            object_type, object_id, object_repr = object_fields(item.target)
        details = dict(item.detail or {})
        if client and "client" not in details:
            details["client"] = client
        sequence += 1
        content = {
            "sequence": sequence,
            "at": at,
            "actor_id": actor_id,
            "actor_name": actor_name,
            "action": item.action,
            "object_type": object_type,
            "object_id": object_id,
            "object_repr": object_repr[:200],
            "reason": item.reason,
            "detail": details,
            "previous_hash": previous,
        }
        previous = content_hash(content)
        entries.append(content | {"at": now, "hash": previous})
    return entries


def export_recorded(*, actor: Any, kind: str, records: int, reason: str = "") -> AuditEntry:
    """Log an export: who took which data out of Vigil, and how much. Every exporter (files, reports,
    backups) calls this once per export; ``actor`` None from the command line is logged as such."""
    return audit_append(
        action=AuditAction.EXPORT,
        actor=COMMAND_LINE if actor is None and current_context() is None else actor,
        reason=reason,
        object_repr=kind,
        detail={"kind": kind, "records": records},
    )
