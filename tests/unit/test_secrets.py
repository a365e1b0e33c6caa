"""Secrets stay secret: an API key never shows in logs (any level), results, errors or CLI output."""

from __future__ import annotations

import logging
import subprocess
import sys

import httpx
import pytest
import respx

from rentalot_mcp.config import ProviderSettings, Setting, Settings
from rentalot_mcp.providers import PROVIDERS
from rentalot_mcp.runtime import Runtime

SECRET = "ra_live_9f8e7d6c5b4a39281706f5e4d3c2b1a0"
BASE = "https://secret-test.invalid"
PROPERTY_ID = "6f1c3c52-0b7e-4f57-9d35-1f0f1b2a3c4d"
pytestmark = pytest.mark.anyio


def _settings(base: str = BASE) -> Settings:
    return Settings(
        tuple(
            ProviderSettings(
                provider=p,
                api_key=Setting(SECRET, "environment variable " + p.key_variable),
                base_url=Setting(base, "test"),
            )
            for p in PROVIDERS
        )
    )


async def test_no_call_outcome_reveals_the_key(caplog, monkeypatch) -> None:
    monkeypatch.setenv("RENTALOT_MCP_MAX_ATTEMPTS", "2")
    caplog.set_level(logging.DEBUG)
    runtime = Runtime.create(_settings())
    texts: list[str] = []
    try:
        with respx.mock:
            respx.get(f"{BASE}/api/v1/properties/{PROPERTY_ID}").mock(
                side_effect=[
                    httpx.Response(200, json={"data": {"id": PROPERTY_ID}}),
                    httpx.Response(401, json={"error": {"code": "UNAUTHORIZED", "message": "Invalid API key"}}),
                    httpx.Response(500, text="boom"),
                    httpx.Response(500, text="boom"),
                    httpx.ConnectError("refused"),
                    httpx.ConnectError("refused"),
                    RuntimeError("unexpected"),
                ]
            )
            respx.post(f"{BASE}/api/v1/contacts").respond(
                422, json={"error": {"code": "VALIDATION_ERROR", "message": "bad", "details": []}}
            )
            for _ in range(5):
                result = await runtime.call("get_property", {"propertyId": PROPERTY_ID})
                texts.append(result.model_dump_json(by_alias=True))
            result = await runtime.call("create_contact", {"name": "Ann"})
            texts.append(result.model_dump_json(by_alias=True))
            result = await runtime.call("get_property", {"propertyId": 7})
            texts.append(result.model_dump_json(by_alias=True))
    finally:
        await runtime.aclose()
    assert any("HTTP 401" in text for text in texts)
    assert any("internal error" in text for text in texts)
    everything = "\n".join(texts) + caplog.text + "\n".join(str(r.args) for r in caplog.records)
    assert SECRET not in everything
    assert SECRET[-12:] not in everything


def test_cli_output_never_shows_the_key(tmp_path) -> None:
    env = {
        "RENTALOT_API_KEY": SECRET,
        "RENTALOT_BASE_URL": "http://127.0.0.1:9",
        "HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path),
        "PATH": "/usr/bin:/bin",
    }
    for args in (["doctor"], ["tools", "--json"], ["tools"], ["--help"]):
        done = subprocess.run(
            [sys.executable, "-m", "rentalot_mcp", *args],
            capture_output=True,
            text=True,
            env=env,
            cwd=tmp_path,
            timeout=120,
            check=False,
        )
        assert SECRET not in done.stdout + done.stderr, args
    doctor = subprocess.run(
        [sys.executable, "-m", "rentalot_mcp", "doctor"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert "ra_…b1a0" in doctor.stdout and doctor.returncode != 0
