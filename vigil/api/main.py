"""The HTTP API, version 1, served under ``/api/v1/``: its OpenAPI document at ``/api/v1/openapi.json`` and
interactive documentation at ``/api/v1/docs`` (Swagger UI from Vigil's own static files, no CDN).

Why django-ninja: the API is typed end to end with the same type hints the rest of Vigil uses (pydantic
schemas checked by mypy), the OpenAPI document is generated from those types rather than written beside
them, and it is a thin layer over plain Django views, so routes stay as thin as the staff views and call
the same selectors and services. See ``docs/api.md``.
"""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI, Swagger

from vigil.api import errors
from vigil.api.routers import custody, events, people, records, reference, search

API_DESCRIPTION = (
    "Vigil's public record of political prisoners and victims of the crackdown in Iran, as data. Reads need "
    "no token and return public records only; a staff token (`Authorization: Bearer <key>`) reads what its "
    'user may see and writes what its user\'s role allows. Errors are `{"error": {"code", "message", '
    '"fields"}}`. Lists are paginated (`page`, `page_size`).'
)


class VigilAPI(NinjaAPI):
    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        """Reads take a token or none (the public): the schema says so with an empty requirement beside
        the token's, so that clients and their generators do not demand one."""
        schema = super().get_openapi_schema(*args, **kwargs)
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                security = operation.get("security") if isinstance(operation, dict) else None
                if security == [{"PublicOrToken": []}]:
                    operation["security"] = [{}, {"PublicOrToken": []}]
        return schema


api = VigilAPI(
    title="Vigil API",
    version="1",
    description=API_DESCRIPTION,
    urls_namespace="api-1",
    # Swagger UI from the ninja app's static files (``ninja`` is in INSTALLED_APPS); no validator badge,
    # which would call a third-party server with the document's address.
    docs=Swagger(settings={"validatorUrl": None, "persistAuthorization": False}),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
errors.install(api)
api.add_router("", people.router)
api.add_router("", events.router)
api.add_router("", search.router)
api.add_router("", reference.router)
api.add_router("", records.router)
api.add_router("", custody.router)
