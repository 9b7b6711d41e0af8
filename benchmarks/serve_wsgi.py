"""The WSGI application ``benchmarks/serve.py`` runs under gunicorn: Vigil, plus ``/floor.txt`` answered
from a file without entering Django, as the floor (what the server itself costs per request)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from vigil.wsgi import application as vigil_application

FLOOR_PATH = "/floor.txt"
_FLOOR = Path(os.environ.get("VIGIL_BENCH_FLOOR", "/dev/null"))


def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    if environ.get("PATH_INFO") == FLOOR_PATH:
        body = _FLOOR.read_bytes()
        start_response(
            "200 OK", [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))]
        )
        return [body]
    return vigil_application(environ, start_response)
