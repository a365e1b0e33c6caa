"""Load an OpenAPI 3 document and bring it to one shape the generator can rely on.

Whatever comes in (our YAML, the platform's published JSON, a URL), what comes out is a plain
dict with every `$ref` inlined and OpenAPI 3.0 idioms rewritten to their 3.1 / JSON Schema
2020-12 form: `nullable: true` becomes a `"null"` type, boolean `exclusiveMinimum` /
`exclusiveMaximum` become numbers.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

import httpx
import yaml
from platformdirs import user_cache_dir

try:
    _YamlLoader: type[yaml.SafeLoader] = yaml.CSafeLoader
except AttributeError:  # libyaml missing: the pure-Python loader is slower but equivalent
    _YamlLoader = yaml.SafeLoader

JsonObject = dict[str, Any]


class SpecError(Exception):
    """The document could not be read or is not an OpenAPI 3 document we can use."""


def read_document(source: str | Path) -> JsonObject:
    """Read a JSON or YAML document from a file path or an http(s) URL (no normalisation)."""
    return _parse(_read_text(source), source)


def _parse(text: str, source: str | Path) -> JsonObject:
    try:
        document = yaml.load(text, Loader=_YamlLoader)  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        raise SpecError(f"{source}: not valid JSON or YAML ({exc.__class__.__name__})") from None
    if not isinstance(document, dict) or not str(document.get("openapi", "")).startswith("3."):
        raise SpecError(f"{source}: not an OpenAPI 3 document (no 'openapi: 3.x' field)")
    if not isinstance(document.get("paths"), dict):
        raise SpecError(f"{source}: the document has no 'paths'")
    return document


def load_spec(source: str | Path) -> JsonObject:
    """Read a document and return it with `$ref`s inlined and 3.0 idioms normalised.

    Parsing YAML and inlining refs took most of the server's start-up (~0.1 s for our Rentalot spec);
    reading the same result back as JSON takes ~2 ms. So the result is cached, keyed by the document's
    text and this module's code: an edit to either is a new key, never a stale answer.
    """
    text = _read_text(source)
    cached = _cache_file(text)
    try:
        document: JsonObject = json.loads(cached.read_bytes())
    except (OSError, ValueError):  # absent, unreadable or damaged: parse again
        document = normalise(_parse(text, source))
        _store(cached, document)
    return document


def normalise(document: JsonObject) -> JsonObject:
    """Inline every local `$ref` and rewrite 3.0 schema idioms; the input is not modified."""
    resolved = _inline_refs(document, document, ())
    return _rewrite_schema_idioms(resolved)


def _cache_file(text: str) -> Path:
    key = hashlib.sha256(Path(__file__).read_bytes() + text.encode()).hexdigest()[:32]
    return Path(user_cache_dir("rentalot-mcp")) / "specs" / f"{key}.json"


def _store(path: Path, document: JsonObject) -> None:
    """Write atomically, and only what reads back identical (YAML can hold dates and non-string keys)."""
    try:
        dumped = json.dumps(document, separators=(",", ":"))
    except (TypeError, ValueError):
        return
    if json.loads(dumped) != document:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    except OSError:
        return  # a read-only home only costs the next start-up its speed
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(dumped)
        os.replace(temporary, path)
    except OSError:
        Path(temporary).unlink(missing_ok=True)


def _read_text(source: str | Path) -> str:
    text_source = str(source)
    if text_source.startswith(("http://", "https://")):
        try:
            response = httpx.get(text_source, timeout=30.0, follow_redirects=True)
            response.raise_for_status()
        except httpx.HTTPError as exc:
            raise SpecError(f"{text_source}: could not fetch the spec ({exc.__class__.__name__})") from None
        return response.text
    try:
        return Path(text_source).read_text(encoding="utf-8")
    except OSError as exc:
        raise SpecError(f"{text_source}: could not read the spec ({exc.strerror})") from None


def _inline_refs(node: Any, root: JsonObject, seen: tuple[str, ...]) -> Any:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            if ref in seen:
                # A recursive schema: stop here with an open object rather than loop forever.
                return {"type": "object"}
            target = _inline_refs(_follow(ref, root), root, (*seen, ref))
            siblings = {k: _inline_refs(v, root, seen) for k, v in node.items() if k != "$ref"}
            return {**target, **siblings} if siblings else target
        return {key: _inline_refs(value, root, seen) for key, value in node.items()}
    if isinstance(node, list):
        return [_inline_refs(item, root, seen) for item in node]
    return node


def _follow(ref: str, root: JsonObject) -> Any:
    if not ref.startswith("#/"):
        raise SpecError(f"only local references are supported, got {ref!r}")
    node: Any = root
    for part in ref[2:].split("/"):
        key = part.replace("~1", "/").replace("~0", "~")
        if not isinstance(node, dict) or key not in node:
            raise SpecError(f"unresolvable reference {ref!r}")
        node = node[key]
    return node


def _rewrite_schema_idioms(node: Any) -> Any:
    if isinstance(node, list):
        return [_rewrite_schema_idioms(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _rewrite_schema_idioms(value) for key, value in node.items()}
    if out.pop("nullable", False) is True:
        kind = out.get("type")
        if isinstance(kind, str):
            out["type"] = [kind, "null"]
        elif isinstance(kind, list) and "null" not in kind:
            out["type"] = [*kind, "null"]
        if "enum" in out and None not in out["enum"]:
            out["enum"] = [*out["enum"], None]
    for bound, limit in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        if isinstance(out.get(bound), bool) and out.pop(bound) and limit in out:
            out[bound] = out.pop(limit)
    return out


def dump_json(document: JsonObject) -> str:
    """Serialise a document compactly (used to serve or embed a spec)."""
    return json.dumps(document, separators=(",", ":"), ensure_ascii=False)
