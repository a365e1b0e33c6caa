"""A loopback HTTP endpoint that keeps every POST it receives, for webhook tests (waits on a queue, never sleeps)."""

from __future__ import annotations

import queue
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType

WAIT_SECONDS = 10.0


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]
    """Header names lower-cased."""
    body: bytes


class WebhookReceiver:
    """`with WebhookReceiver() as hooks: ... hooks.next()` returns deliveries in arrival order."""

    def __init__(self) -> None:
        inbox: queue.Queue[Received] = queue.Queue()

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                headers = {name.lower(): value for name, value in self.headers.items()}
                inbox.put(Received(self.path, headers, body))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                return

        self._inbox = inbox
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/hooks"
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def next(self, timeout: float = WAIT_SECONDS) -> Received:
        return self._inbox.get(timeout=timeout)

    def next_event(self, event: str, timeout: float = WAIT_SECONDS) -> Received:
        """The next delivery of `event`, skipping others."""
        while True:
            received = self.next(timeout)
            if received.headers.get("x-bmc-event") == event:
                return received

    def pending(self) -> int:
        return self._inbox.qsize()

    def __enter__(self) -> WebhookReceiver:
        self._thread.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
