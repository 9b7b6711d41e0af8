"""Ties audit entries to the web request that caused them, and logs refused requests."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from vigil.accounts.permissions import Refused
from vigil.audit.models import AuditAction
from vigil.audit.services import RequestContext, acting, audit_append, client_address, client_fingerprint

_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
_REFUSED_STATUS = frozenset({401, 403})


class AuditMiddleware:
    """Place it after ``AuthenticationMiddleware``.

    Entries written during the request (from services or signals) know the acting user and a keyed hash of
    the client's address. A refusal (``Refused`` from a service, ``PermissionDenied`` from a view) is
    logged after the view's transaction has been rolled back, so the entry is kept; so is any other
    attempt to write that ends in 401 or 403 (a failed CSRF check, an API call without a token).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        context = RequestContext(request=request, client=client_fingerprint(client_address(request)))
        with acting(context):
            response = self.get_response(request)
            if (
                request.method not in _SAFE_METHODS
                and response.status_code in _REFUSED_STATUS
                and not getattr(request, "vigil_refusal_audited", False)
            ):
                audit_append(
                    action=AuditAction.REFUSED,
                    actor=getattr(request, "user", None),
                    reason=f"{request.method} {request.path} answered {response.status_code}",
                    detail={"attempted": "request", "path": request.path, "status": response.status_code},
                )
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        if isinstance(exception, Refused):
            exception.audit()
        elif isinstance(exception, PermissionDenied):
            audit_append(
                action=AuditAction.REFUSED,
                actor=getattr(request, "user", None),
                reason=str(exception) or f"{request.method} {request.path} refused",
                detail={"attempted": "request", "path": request.path},
            )
        else:
            return
        request.vigil_refusal_audited = True  # type: ignore[attr-defined]
