"""Run an ASGI app on a loopback port in a thread, for tests that need a real HTTP peer."""

from __future__ import annotations

import socket
import threading

import uvicorn
from starlette.types import ASGIApp


class LoopbackServer:
    """`with LoopbackServer(app) as server: server.base_url` — started and stopped without sleeps."""

    def __init__(self, app: ASGIApp) -> None:
        self._socket = socket.socket()
        self._socket.bind(("127.0.0.1", 0))
        self.port = self._socket.getsockname()[1]
        self.base_url = f"http://127.0.0.1:{self.port}"
        self._server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [self._socket]}, daemon=True)

    def __enter__(self) -> LoopbackServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
        self._socket.close()
