"""Errors that happen before the API's own handlers (an unknown address, a method an address does not take)
answered in the API's one error shape, not as Django's HTML pages."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from vigil.api.errors import error_body

PREFIX = "/api/v1/"


class ApiErrorShapeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith(PREFIX) or response.get("Content-Type", "").startswith(
            "application/json"
        ):
            return response
        if response.status_code == 404:
            return _error(
                404, "not_found", _("There is no such address in the API: %(path)s") % {"path": request.path}
            )
        if response.status_code == 405:
            allowed = response.get("Allow", "")
            error = _error(
                405,
                "method_not_allowed",
                _("%(method)s is not accepted here; this address takes %(allowed)s.")
                % {"method": request.method, "allowed": allowed},
            )
            error["Allow"] = allowed
            return error
        return response


def _error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse(error_body(code, message), status=status)
