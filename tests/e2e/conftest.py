"""Helpers to run the real `rentalot-mcp` command as a subprocess, isolated from the user's settings."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest
from mcp import StdioServerParameters


def command() -> list[str]:
    """The installed console script, or the module when running from a source tree."""
    script = shutil.which("rentalot-mcp", path=str(Path(sys.executable).parent))
    return [script] if script else [sys.executable, "-m", "rentalot_mcp"]


def isolated_env(home: Path, **extra: str) -> dict[str, str]:
    """A clean environment: no platform keys or URLs leak in from the developer's shell."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RENTALOT_", "BMC_"))}
    env.update(XDG_CONFIG_HOME=str(home / "config"), XDG_DATA_HOME=str(home / "data"), HOME=str(home), **extra)
    return env


def stdio_params(home: Path, *args: str, **env: str) -> StdioServerParameters:
    program, *prefix = command()
    return StdioServerParameters(command=program, args=[*prefix, *args], env=isolated_env(home, **env), cwd=str(home))


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def exchange(argv: list[str], env: dict[str, str], cwd: Path, lines: list[str], last_id: int) -> dict[object, dict]:
    """Write raw lines to a server's stdin, read JSON-RPC answers until `last_id` is answered.

    stdin stays open until then, as a real client keeps it, so no answer is lost to shutdown.
    """
    import json
    import selectors
    import subprocess
    import time

    proc = subprocess.Popen(
        argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env, cwd=cwd
    )
    assert proc.stdin and proc.stdout
    answers: dict[object, dict] = {}
    try:
        proc.stdin.write("\n".join(lines) + "\n")
        proc.stdin.flush()
        selector = selectors.DefaultSelector()
        selector.register(proc.stdout, selectors.EVENT_READ)
        deadline = time.monotonic() + 60
        while last_id not in answers and time.monotonic() < deadline:
            if not selector.select(timeout=deadline - time.monotonic()):
                break
            line = proc.stdout.readline()
            if not line:
                break
            message = json.loads(line)
            answers[message.get("id")] = message
    finally:
        proc.stdin.close()
        proc.wait(timeout=30)
    return answers
