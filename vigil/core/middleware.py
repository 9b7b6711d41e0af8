"""Response headers that keep every page self-contained: a strict Content-Security-Policy (principle 7:
no third-party request, ever) and a Permissions-Policy that turns off device APIs nobody here needs."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


def content_security_policy() -> str:
    """The policy as a header value, from ``VIGIL_CONTENT_SECURITY_POLICY`` (read per call, not at import)."""
    policy: dict[str, list[str]] = settings.VIGIL_CONTENT_SECURITY_POLICY
    return "; ".join(f"{directive} {' '.join(sources)}" for directive, sources in policy.items())


class ContentSecurityPolicyMiddleware:
    """Adds ``Content-Security-Policy`` and ``Permissions-Policy`` to every response that has none."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.policy = content_security_policy()
        self.permissions = str(getattr(settings, "VIGIL_PERMISSIONS_POLICY", ""))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.policy)
        if self.permissions:
            response.headers.setdefault("Permissions-Policy", self.permissions)
        return response
