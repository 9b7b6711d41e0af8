"""The second factor, enforced in front of every view (the staff admin at /staff/ included)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseForbidden, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from vigil.accounts.two_factor import needs_second_factor

# What a signed-in user who has not yet given a code may still reach: the code page itself, signing out,
# and the language switch (so the code page can be read in Persian).
EXEMPT_VIEWS = frozenset({"accounts:two_factor", "admin:logout", "accounts:logout", "set_language"})


class TwoFactorMiddleware:
    """Place it after ``AuthenticationMiddleware``. A reviewer or administrator signed in with a password
    only is sent to ``/account/two-factor/`` (to enrol or give a code) from any page; a write is refused."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        match = request.resolver_match
        if match is not None and match.view_name in EXEMPT_VIEWS:
            return None
        if not needs_second_factor(request):
            return None
        if request.method in ("GET", "HEAD"):
            query = urlencode({"next": request.get_full_path()})
            return HttpResponseRedirect(f"{reverse('accounts:two_factor')}?{query}")
        return HttpResponseForbidden(_("Give your two-factor code first: open any page to be asked for it."))
