"""Signed webhooks for partner tools.

Each delivery is a JSON body POSTed with three headers:

- ``X-Vigil-Delivery``: the delivery's idempotency key (the same on every retry, so receivers can drop
  duplicates);
- ``X-Vigil-Timestamp``: seconds since the Unix epoch when this attempt was signed;
- ``X-Vigil-Signature``: ``sha256=`` and the hex HMAC-SHA256, keyed with the endpoint's shared secret, of
  ``<timestamp>.<body>`` (the timestamp, a full stop, then the body bytes exactly as received).

Signing the timestamp with the body lets a receiver refuse a replayed old delivery (see ``verify``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlsplit

from django.utils import timezone

DELIVERY_HEADER = "X-Vigil-Delivery"
TIMESTAMP_HEADER = "X-Vigil-Timestamp"
SIGNATURE_HEADER = "X-Vigil-Signature"
DEFAULT_TOLERANCE_SECONDS = 300
TIMEOUT_SECONDS = 10


class WebhookError(Exception):
    """A delivery the receiver did not accept; ``status`` is the HTTP status when there was one."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


def sign(*, secret: str, timestamp: int, body: bytes) -> str:
    """The ``X-Vigil-Signature`` value for ``body`` signed at ``timestamp``."""
    signed = str(timestamp).encode("ascii") + b"." + body
    return "sha256=" + hmac.new(secret.encode("utf-8"), signed, hashlib.sha256).hexdigest()


def verify(
    *,
    secret: str,
    body: bytes,
    timestamp: str,
    signature: str,
    now: dt.datetime | None = None,
    tolerance_seconds: int = DEFAULT_TOLERANCE_SECONDS,
) -> bool:
    """What a receiver runs: True when ``signature`` is ours for ``body`` and was made within
    ``tolerance_seconds`` of ``now``. Compared in constant time."""
    try:
        signed_at = int(timestamp)
    except ValueError:
        return False
    current = int((now or timezone.now()).timestamp())
    if abs(current - signed_at) > tolerance_seconds:
        return False
    return hmac.compare_digest(sign(secret=secret, timestamp=signed_at, body=body), signature)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect would resend the alert somewhere the administrator did not configure; treat it as a
    failed delivery instead."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def post_signed(*, url: str, secret: str, body: bytes, delivery_id: str) -> int:
    """POST ``body`` to ``url`` with the signature headers; return the HTTP status of a 2xx answer and
    raise ``WebhookError`` for anything else (refused connection, timeout, 3xx, 4xx, 5xx)."""
    if urlsplit(url).scheme not in ("http", "https"):
        raise WebhookError(f"Only http and https URLs can receive webhooks, not {url!r}.")
    timestamp = int(timezone.now().timestamp())
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked above
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "Vigil-alerts/1",
            DELIVERY_HEADER: delivery_id,
            TIMESTAMP_HEADER: str(timestamp),
            SIGNATURE_HEADER: sign(secret=secret, timestamp=timestamp, body=body),
        },
    )
    opener = urllib.request.build_opener(_NoRedirects())
    try:
        with opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            status = int(response.status)
    except urllib.error.HTTPError as error:
        raise WebhookError(f"HTTP {error.code} {error.reason}", status=error.code) from error
    except (urllib.error.URLError, OSError) as error:
        raise WebhookError(f"Could not reach {url}: {error}") from error
    if not 200 <= status < 300:
        raise WebhookError(f"HTTP {status}", status=status)
    return status
