"""Real server processes for end-to-end tests: start on a free port, wait for /healthz, stop cleanly."""

from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from tests.e2e.conftest import command, isolated_env

STARTUP_SECONDS = 60.0


@dataclass(frozen=True)
class Served:
    """A running server: its root URL and where its stdout and stderr went."""

    root: str
    stdout: Path
    stderr: Path

    def log(self) -> str:
        return self.stderr.read_text(encoding="utf-8", errors="replace")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_healthy(root: str, process: subprocess.Popen[bytes], stderr: Path) -> None:
    """Poll /healthz until it answers, the process dies, or the deadline passes."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server exited with {process.returncode}:\n{stderr.read_text()}")
        try:
            if httpx.get(f"{root}/healthz", timeout=1.0).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.05)
    raise AssertionError(f"server did not answer /healthz in {STARTUP_SECONDS} s:\n{stderr.read_text()}")


@contextmanager
def running(home: Path, argv: list[str], port: int, **env: str) -> Iterator[Served]:
    """Run `argv` (a server listening on `port`) until the block ends, then stop it with SIGTERM."""
    home.mkdir(parents=True, exist_ok=True)
    served = Served(f"http://127.0.0.1:{port}", home / f"stdout-{port}.txt", home / f"stderr-{port}.txt")
    with served.stdout.open("wb") as out, served.stderr.open("wb") as err:
        process = subprocess.Popen(argv, stdout=out, stderr=err, env=isolated_env(home, **env), cwd=home)
        try:
            wait_until_healthy(served.root, process, served.stderr)
            yield served
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@contextmanager
def running_server(home: Path, *args: str, **env: str) -> Iterator[Served]:
    """`rentalot-mcp serve --port <free> *args` on the sandbox unless `args` say otherwise."""
    port = free_port()
    with running(home, [*command(), "serve", "--port", str(port), *args], port, **env) as served:
        yield served


@contextmanager
def running_sandbox(home: Path, *args: str, **env: str) -> Iterator[Served]:
    """The demo API alone (`rentalot-mcp sandbox`), for servers that reach it over the network."""
    port = free_port()
    db = home / "shared.sqlite3"
    argv = [*command(), "sandbox", "--port", str(port), "--db", str(db), *args]
    with running(home, argv, port, **env) as served:
        yield served
