"""One shape for every error the API returns:

    {"error": {"code": "not_found", "message": "No person #12 is visible to you.", "fields": {}}}

``code`` is stable (for programs), ``message`` is for people (translated with ``Accept-Language``), and
``fields`` maps each invalid input to its messages (``"query.page"``, ``"body.names"``, or, for a domain rule,
the input as named in the request: ``"released"``, ``"record"`` for the record as a whole).
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as RequestInvalid

logger = logging.getLogger(__name__)


class ErrorBody(Schema):
    code: str
    message: str
    fields: dict[str, list[str]]


class ErrorOut(Schema):
    error: ErrorBody


# The error responses every operation may give, for the OpenAPI document.
READ_ERRORS: dict[int, type[Schema]] = {400: ErrorOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
WRITE_ERRORS: dict[int, type[Schema]] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    422: ErrorOut,
}


def error_response(
    api: NinjaAPI,
    request: HttpRequest,
    status: int,
    code: str,
    message: str,
    fields: dict[str, list[str]] | None = None,
) -> HttpResponse:
    return api.create_response(request, error_body(code, message, fields), status=status)


def error_body(code: str, message: str, fields: dict[str, list[str]] | None = None) -> dict[str, Any]:
    """The one shape of every API error."""
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


def _request_fields(errors: list[dict[str, Any]]) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for error in errors:
        parts = [str(part) for part in error.get("loc", ())]
        # The body parameter is itself named "body": "body.body.sources" is "body.sources".
        parts = [part for n, part in enumerate(parts) if n == 0 or part != parts[n - 1]]
        location = ".".join(parts)
        fields.setdefault(location or "request", []).append(str(error.get("msg", "")))
    return fields


def _validation_fields(error: ValidationError) -> tuple[str, dict[str, list[str]]]:
    if hasattr(error, "error_dict"):
        fields = {
            _input_name(name): [str(m) for m in ValidationError(value).messages]
            for name, value in error.error_dict.items()
        }
        return " ".join(message for messages in fields.values() for message in messages), fields
    return " ".join(str(m) for m in error.messages), {}


def _input_name(field: str) -> str:
    """The input a model field's or service argument's error concerns: a date is given as ``birth``, stored
    as ``birth_on`` and ``birth_precision``; a service's ``citations`` are the request's ``sources``; an error
    of the whole record is the record's."""
    if field == "__all__":
        return "record"
    if field == "citations":
        return "sources"
    return field.removesuffix("_on").removesuffix("_precision")


def _error_code(error: ValidationError) -> str:
    """The first specific code of a (possibly nested) ValidationError, e.g. ``release_before_arrest``."""
    parts = (
        [e for errors in error.error_dict.values() for e in errors]
        if hasattr(error, "error_dict")
        else error.error_list
    )
    return next((str(part.code) for part in parts if getattr(part, "code", None)), "invalid")


def install(api: NinjaAPI) -> None:
    """Route every exception the API can meet to the shared error shape."""

    @api.exception_handler(RequestInvalid)
    def request_invalid(request: HttpRequest, exc: RequestInvalid) -> HttpResponse:
        fields = _request_fields(list(exc.errors))
        return error_response(
            api, request, 422, "invalid_request", _("The request is not valid; see “fields”."), fields
        )

    @api.exception_handler(ValidationError)
    def record_invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        message, fields = _validation_fields(exc)
        return error_response(api, request, 400, _error_code(exc), message, fields)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return error_response(
            api, request, 401, "unauthenticated", _("Give a valid API token: “Authorization: Bearer <key>”.")
        )

    @api.exception_handler(PermissionDenied)
    def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        message = str(exc) or _("Your role does not allow this.")
        return error_response(api, request, 403, "forbidden", message)

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return error_response(api, request, 404, "not_found", str(exc) or _("Nothing is here."))

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return error_response(api, request, exc.status_code, "http_error", str(exc))

    @api.exception_handler(Exception)
    def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("API error on %s %s", request.method, request.path)
        return error_response(
            api, request, 500, "server_error", _("Something went wrong on our side; it was logged.")
        )
