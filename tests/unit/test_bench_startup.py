"""What keeps start-up fast (see BENCHMARKS.md): the normalised-spec cache and the work left for later.

No timings here: each test checks the mechanism, so a regression shows as a failure, not as noise.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from rentalot_mcp.openapi.spec import load_spec, normalise, read_document
from rentalot_mcp.providers import RENTALOT

SPEC = """
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /things/{id}:
    get:
      operationId: getThing
      parameters:
        - {name: id, in: path, required: true, schema: {$ref: "#/components/schemas/Id"}}
      responses: {"200": {description: ok}}
components:
  schemas:
    Id: {type: string, nullable: true}
"""


@pytest.fixture
def cache_home(tmp_path, monkeypatch) -> Path:
    """A private cache directory (platformdirs honours XDG_CACHE_HOME on Linux)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    if sys.platform != "linux":
        pytest.skip("the cache location is only redirected through XDG_CACHE_HOME on Linux")
    return tmp_path / "cache" / "rentalot-mcp" / "specs"


def test_a_cached_spec_is_the_same_document_as_a_parsed_one(tmp_path, cache_home) -> None:
    source = tmp_path / "spec.yaml"
    source.write_text(SPEC)
    first = load_spec(source)
    assert len(list(cache_home.glob("*.json"))) == 1
    assert load_spec(source) == first == normalise(read_document(source))
    assert first["paths"]["/things/{id}"]["get"]["parameters"][0]["schema"] == {"type": ["string", "null"]}


def test_an_edited_spec_is_parsed_again_not_read_from_the_cache(tmp_path, cache_home) -> None:
    source = tmp_path / "spec.yaml"
    source.write_text(SPEC)
    load_spec(source)
    source.write_text(SPEC.replace("getThing", "fetchThing"))
    assert load_spec(source)["paths"]["/things/{id}"]["get"]["operationId"] == "fetchThing"
    assert len(list(cache_home.glob("*.json"))) == 2


def test_a_damaged_cache_file_is_replaced(tmp_path, cache_home) -> None:
    source = tmp_path / "spec.yaml"
    source.write_text(SPEC)
    expected = load_spec(source)
    (cached,) = cache_home.glob("*.json")
    cached.write_text('{"openapi": "3.0.3", "pa')
    assert load_spec(source) == expected
    assert json.loads(cached.read_text()) == expected


def test_a_document_json_cannot_hold_exactly_is_not_cached(tmp_path, cache_home) -> None:
    source = tmp_path / "spec.yaml"
    source.write_text(SPEC + "x-released: 2026-01-31\n")  # YAML reads a date, JSON has none
    assert str(load_spec(source)["x-released"]) == "2026-01-31"
    assert not list(cache_home.glob("*.json"))


def test_an_unwritable_cache_only_costs_speed(tmp_path, monkeypatch) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert load_spec(RENTALOT.spec_path) == normalise(read_document(RENTALOT.spec_path))


def test_serving_starts_without_importing_what_only_calls_need() -> None:
    """jsonschema (validators are built by a tool's first call) and httpcore (the HTTP client is made by
    the first request) cost ~0.1 s together; nothing before the first tools/list may import them."""
    script = (
        "import sys\n"
        "from rentalot_mcp.cli import main\n"
        "from rentalot_mcp.config import sandbox_settings\n"
        "from rentalot_mcp.runtime import Runtime\n"
        "from rentalot_mcp.server import build_server\n"
        "build_server(Runtime.create(sandbox_settings('http://127.0.0.1:9')))\n"
        "print(sorted(m for m in ('jsonschema', 'httpcore') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout.strip() == "[]"
