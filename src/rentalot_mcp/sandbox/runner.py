"""Serving the sandbox: in the foreground (`rentalot-mcp sandbox`) or on a background thread (`--sandbox`, tests).

Nothing here writes to stdout: in `--sandbox` mode stdout carries the MCP stdio protocol, so uvicorn's
access log is either off (background) or sent to stderr (foreground).
"""

from __future__ import annotations

import copy
import socket
import sys
import threading
from pathlib import Path
from types import TracebackType
from typing import Any

import uvicorn
from platformdirs import user_data_dir
from uvicorn.config import LOGGING_CONFIG

from rentalot_mcp.sandbox.app import create_app
from rentalot_mcp.sandbox.bmc import DEMO_KEYS as BMC_DEMO_KEYS
from rentalot_mcp.sandbox.faults import FaultPlan
from rentalot_mcp.sandbox.rentalot import DEMO_KEYS
from rentalot_mcp.sandbox.store import MEMORY

STARTUP_TIMEOUT_SECONDS = 30.0


def default_db_path() -> Path:
    return Path(user_data_dir("rentalot-mcp")) / "sandbox.sqlite3"


def banner(base_url: str, db: str | Path) -> str:
    """Where the sandbox listens, where its data lives, and the demo keys (all public demo values)."""
    where = "in memory (gone when the process exits)" if str(db) == MEMORY else str(db)
    width = max(len(key) for key in [*DEMO_KEYS, *BMC_DEMO_KEYS])
    keys = "\n".join(f"    {key:<{width}}  {what}" for key, what in DEMO_KEYS.items())
    bmc_keys = "\n".join(f"    {key:<{width}}  {what}" for key, what in BMC_DEMO_KEYS.items())
    return (
        f"Rentalot sandbox listening on {base_url}\n"
        f"  data: {where}\n"
        f"  spec: {base_url}/api/v1/openapi.json\n"
        f"  demo API keys (Authorization: Bearer <key>):\n{keys}\n"
        f"  BookMyColiving under {base_url}/bmc/api/v1, demo keys (x-api-key: <key>):\n{bmc_keys}\n"
    )


class _Server(uvicorn.Server):
    """A uvicorn server that signals when its sockets are listening (or startup gave up)."""

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self.ready = threading.Event()

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        try:
            await super().startup(sockets)
        finally:
            self.ready.set()

    @property
    def port(self) -> int:
        return int(self.servers[0].sockets[0].getsockname()[1])


class RunningSandbox:
    """A sandbox serving on 127.0.0.1 from a daemon thread; `close()` (or leaving `with`) stops it."""

    def __init__(self, server: _Server, thread: threading.Thread, db_path: str) -> None:
        self._server = server
        self._thread = thread
        self.db_path = db_path
        self.base_url = f"http://127.0.0.1:{server.port}"

    def banner(self) -> str:
        return banner(self.base_url, self.db_path)

    def close(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=STARTUP_TIMEOUT_SECONDS)

    def __enter__(self) -> RunningSandbox:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def start_background(
    db: str | Path, *, reset: bool = False, rpm: int | None = None, faults: FaultPlan | None = None
) -> RunningSandbox:
    """Start serving on an ephemeral port and return once it accepts connections."""
    app = create_app(db, reset=reset, rpm=rpm, faults=faults)
    config = uvicorn.Config(
        app, host="127.0.0.1", port=0, log_config=None, log_level="warning", access_log=False, lifespan="on"
    )
    server = _Server(config)
    thread = threading.Thread(target=server.run, name="rentalot-sandbox", daemon=True)
    thread.start()
    server.ready.wait(STARTUP_TIMEOUT_SECONDS)
    if not server.started:
        server.should_exit = True
        thread.join(timeout=STARTUP_TIMEOUT_SECONDS)
        raise RuntimeError("the sandbox server did not start (see the log above)")
    return RunningSandbox(server, thread, str(db))


def serve(host: str, port: int, db: str | Path, reset: bool, *, faults: FaultPlan | None = None) -> None:
    """Serve in the foreground until interrupted; prints the banner to stderr once listening."""
    app = create_app(db, reset=reset, faults=faults)
    config = uvicorn.Config(app, host=host, port=port, log_config=_stderr_logging(), lifespan="on")
    server = _Server(config)

    def announce() -> None:
        if server.ready.wait() and server.started:
            shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host  # noqa: S104 - comparing, not binding
            sys.stderr.write(banner(f"http://{shown}:{server.port}", db))
            sys.stderr.flush()

    threading.Thread(target=announce, daemon=True).start()
    server.run()


def _stderr_logging() -> dict[str, Any]:
    config = copy.deepcopy(LOGGING_CONFIG)
    config["handlers"]["access"]["stream"] = "ext://sys.stderr"
    return config
