"""Shared fixtures: the reference material (skipped when absent) and the built-in catalogue."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest

from rentalot_mcp.config import ProviderSettings, Setting, Settings
from rentalot_mcp.providers import PROVIDERS

REFERENCE_DIR = Path(__file__).resolve().parents[2] / "shared" / "reference"
FAKE_KEYS = {"rentalot": "ra_test_fake_key_0000", "bookmycoliving": "bmc_test_fake_key_0000"}
FAKE_BASE_URLS = {"rentalot": "https://rentalot.test", "bookmycoliving": "https://bmc.test"}
RENTALOT_TOOLSETS = frozenset(
    {
        "properties",
        "images",
        "contacts",
        "showings",
        "events",
        "conversations",
        "messages",
        "drafts",
        "followups",
        "workflows",
        "webhooks",
        "settings",
        "sessions",
        "bulk",
    }
)


def reference_file(name: str) -> Path:
    path = REFERENCE_DIR / name
    if not path.is_file():
        pytest.skip(f"reference material {name} is not available")
    return path


def reference_json(name: str) -> Any:
    return json.loads(reference_file(name).read_text(encoding="utf-8"))


def fake_settings(*, with_keys: bool = True) -> Settings:
    """Every provider on, pointed at a fake host with an obviously fake key."""
    return Settings(
        tuple(
            ProviderSettings(
                provider=provider,
                api_key=Setting(FAKE_KEYS.get(provider.name) if with_keys else None, "test fixture"),
                base_url=Setting(FAKE_BASE_URLS.get(provider.name, "https://other.test"), "test fixture"),
            )
            for provider in PROVIDERS
        )
    )


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
async def runtime():
    """Every provider on fake hosts with fake keys (mock them with respx)."""
    from rentalot_mcp.runtime import Runtime

    built = Runtime.create(fake_settings())
    yield built
    await built.aclose()


class _Recorder(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.getMessage()} {record.exc_text or ''}")


@pytest.fixture(scope="session", autouse=True)
def no_key_in_any_log():
    """Everything any test logged, scanned once at the end for the keys the tests used."""
    recorder = _Recorder()
    logging.getLogger().addHandler(recorder)
    yield
    logging.getLogger().removeHandler(recorder)
    captured = "\n".join(recorder.lines)
    leaked = [key for key in FAKE_KEYS.values() if key in captured]
    assert not leaked, f"API keys appeared in logs: {leaked}"
