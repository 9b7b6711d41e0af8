"""Whole-page caching for anonymous readers (principle 7: fast on a slow link, and cheap to serve when a
campaign sends thousands of readers to one profile).

A page is cached per language and full URL for ``PAGE_SECONDS``. Every save of a documented record bumps a
version number that is part of the key, so this process serves fresh pages at once; other processes
(gunicorn workers with the default per-process cache) catch up within ``PAGE_SECONDS``. Operators who want
instant invalidation everywhere configure a shared cache (``CACHES``), which this code uses unchanged.
Signed-in staff are never served or sent a cached page (they may see a link to the workspace).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import get_language

from vigil.core.signals import records_created

PAGE_SECONDS = 120
_VERSION_KEY = "public:version"
# Saves in these apps change what public pages show.
RECORD_APPS = frozenset({"people", "custody", "events", "sources", "places", "organizations", "core"})

View = Callable[..., HttpResponse]


def _version() -> int:
    version = cache.get(_VERSION_KEY)
    if version is None:
        version = 1
        cache.add(_VERSION_KEY, version, None)
    return int(version)


def pages_changed(**kwargs: Any) -> None:
    """Make every cached page stale (in this process at once, elsewhere within ``PAGE_SECONDS``)."""
    try:
        cache.incr(_VERSION_KEY)
    except ValueError:
        cache.add(_VERSION_KEY, 2, None)


def _record_saved(sender: type[Any], **kwargs: Any) -> None:
    if sender._meta.app_label in RECORD_APPS:
        pages_changed()


def connect() -> None:
    post_save.connect(_record_saved, dispatch_uid="public_pages_saved")
    post_delete.connect(_record_saved, dispatch_uid="public_pages_deleted")
    records_created.connect(_record_saved, dispatch_uid="public_pages_created")


def _anonymous(request: HttpRequest) -> bool:
    # Without a session cookie nobody is signed in, and the session need not even be read.
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return True
    return not request.user.is_authenticated


def public_page(view: View) -> View:
    """Cache ``view``'s successful GET responses for anonymous readers."""

    @wraps(view)
    def cached_view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method not in ("GET", "HEAD") or not _anonymous(request):
            response = view(request, *args, **kwargs)
            patch_cache_control(response, private=True, no_cache=True)
            return response
        key = f"public:page:{_version()}:{get_language()}:{request.get_full_path()}"
        response = cache.get(key)
        if response is None:
            response = view(request, *args, **kwargs)
            render = getattr(response, "render", None)
            if callable(render):
                response = render()
            if response.status_code in (200, 301) and not response.cookies:
                patch_cache_control(response, public=True, max_age=PAGE_SECONDS)
                patch_vary_headers(response, ("Accept-Language", "Cookie"))
                cache.set(key, response, PAGE_SECONDS)
        return response

    return cached_view
