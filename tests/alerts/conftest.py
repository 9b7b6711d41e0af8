"""Fixtures for the alerts tests: a real SMTP sink and a real HTTP receiver on 127.0.0.1, and a clock."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from aiosmtpd.controller import Controller


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class _Collect:
    """aiosmtpd handler that keeps every message it accepts."""

    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(envelope)
        return "250 Message accepted"


@dataclass
class SmtpSink:
    port: int
    handler: _Collect = field(default_factory=_Collect)
    controller: Controller | None = None

    @property
    def messages(self) -> list[Any]:
        return self.handler.messages

    def start(self) -> None:
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp_port(settings: Any) -> int:
    """Django's SMTP backend pointed at 127.0.0.1 on a free port (nothing listening yet)."""
    port = free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    settings.DEFAULT_FROM_EMAIL = "alerts@vigil.example"
    return port


@pytest.fixture
def smtp_sink(smtp_port: int) -> Iterator[SmtpSink]:
    """A real SMTP server (aiosmtpd) that Django's SMTP backend sends to."""
    sink = SmtpSink(port=smtp_port)
    sink.start()
    yield sink
    sink.stop()


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes


@dataclass
class HttpReceiver:
    url: str
    requests: list[Received]
    # The status the receiver answers with; a test sets 500 to play a partner that is down.
    status: list[int]


@pytest.fixture
def http_receiver() -> Iterator[HttpReceiver]:
    """A real HTTP server on 127.0.0.1 that records each POST and answers with ``status[0]``."""
    requests: list[Received] = []
    status = [204]

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            requests.append(Received(headers=dict(self.headers.items()), body=self.rfile.read(length)))
            self.send_response(status[0])
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield HttpReceiver(
        url=f"http://127.0.0.1:{server.server_port}/hooks/vigil", requests=requests, status=status
    )
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)
