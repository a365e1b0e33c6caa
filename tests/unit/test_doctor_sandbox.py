"""`doctor` against the real embedded sandbox: the demo keys' plans, and a key it does not know."""

from __future__ import annotations

import pytest

from rentalot_mcp.config import load_settings
from rentalot_mcp.doctor import run_doctor
from rentalot_mcp.sandbox import start_background

pytestmark = pytest.mark.anyio


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory):
    with start_background(tmp_path_factory.mktemp("doctor") / "sandbox.sqlite3") as running:
        yield running


@pytest.mark.parametrize(
    ("key", "code", "verdict"),
    [
        ("ra_demo_pro", 0, "plan: Pro, 120 requests/minute, read and write"),
        ("ra_demo_starter", 0, "plan: Starter, 30 requests/minute, read-only"),
        ("ra_demo_nobody_at_all", 1, "the key was refused (HTTP 401)"),
    ],
)
async def test_doctor_on_the_sandbox(sandbox, tmp_path, capsys, key, code, verdict) -> None:
    environ = {"RENTALOT_API_KEY": key, "RENTALOT_BASE_URL": sandbox.base_url, "XDG_CONFIG_HOME": str(tmp_path)}
    assert await run_doctor(load_settings(environ=environ, cwd=tmp_path), environ=environ, cwd=tmp_path) == code
    out = capsys.readouterr().out
    assert verdict in out and "ok    the API answers" in out
    assert key not in out
