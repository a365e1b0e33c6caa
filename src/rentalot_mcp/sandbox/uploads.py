"""Presigned uploads served by the sandbox itself, standing in for the platform's object storage.

A presign call reserves a key and returns `PUT {base}/sandbox/uploads/{key}`; the client PUTs the
bytes there (no API key: the unguessable key is the credential, as with a real presigned URL, and it
expires). Confirming claims the stored bytes for a resource; confirmed files are served publicly at
`{base}/sandbox/files/{key}`, which is the image URL the API returns.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from dataclasses import dataclass
from datetime import timedelta

import anyio.to_thread
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from rentalot_mcp.sandbox.store import Store, Tx
from rentalot_mcp.sandbox.times import Clock, iso, parse_datetime

UPLOAD_PATH = "/sandbox/uploads/"
FILE_PATH = "/sandbox/files/"
URL_LIFETIME = timedelta(minutes=15)
MAX_UPLOAD_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Upload:
    key: str
    content_type: str
    declared_size: int
    size: int | None
    """Bytes actually received; None until the PUT arrives."""
    confirmed: bool


def new_key(prefix: str, file_name: str) -> str:
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", file_name).strip("-.") or "file"
    return f"{prefix}/{uuid.uuid4().hex}-{safe[-100:]}"


def reserve(tx: Tx, owner: str, key: str, content_type: str, declared_size: int, clock: Clock) -> None:
    tx.execute(
        "INSERT INTO uploads (key, account_id, content_type, declared_size, expires_at) VALUES (?, ?, ?, ?, ?)",
        (key, owner, content_type, declared_size, iso(clock() + URL_LIFETIME)),
    )


def find(tx: Tx, owner: str, key: str) -> Upload | None:
    row = tx.execute(
        "SELECT content_type, declared_size, length(data), confirmed FROM uploads WHERE key = ? AND account_id = ?",
        (key, owner),
    ).fetchone()
    return Upload(key, row[0], row[1], row[2], bool(row[3])) if row else None


def mark_confirmed(tx: Tx, key: str) -> None:
    tx.execute("UPDATE uploads SET confirmed = 1 WHERE key = ?", (key,))


def discard(tx: Tx, keys: list[str]) -> None:
    for key in keys:
        tx.execute("DELETE FROM uploads WHERE key = ?", (key,))


def routes(store: Store, clock: Clock) -> list[Route]:
    """The PUT target of presigned URLs and the public file URLs."""

    async def put_upload(request: Request) -> Response:
        key = request.path_params["key"]
        body = await request.body()
        content_type = request.headers.get("content-type", "").split(";")[0].strip()
        return await anyio.to_thread.run_sync(_store_bytes, store, clock, key, body, content_type)

    async def get_file(request: Request) -> Response:
        row = await anyio.to_thread.run_sync(_read_file, store, request.path_params["key"])
        if row is None:
            return JSONResponse({"error": {"code": "NOT_FOUND", "message": "File not found"}}, status_code=404)
        data, content_type = row
        return Response(data, media_type=content_type, headers={"Cache-Control": "public, max-age=3600"})

    return [
        Route(UPLOAD_PATH + "{key:path}", put_upload, methods=["PUT"]),
        Route(FILE_PATH + "{key:path}", get_file, methods=["GET"]),
    ]


def _store_bytes(store: Store, clock: Clock, key: str, body: bytes, content_type: str) -> Response:
    def refuse(status: int, code: str, message: str) -> Response:
        return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)

    with store.transaction() as tx:
        row = tx.execute("SELECT content_type, expires_at, confirmed FROM uploads WHERE key = ?", (key,)).fetchone()
        if row is None:
            return refuse(404, "NOT_FOUND", "Unknown upload URL")
        expires = parse_datetime(row[1])
        if row[2]:
            return refuse(409, "CONFLICT", "This upload was already confirmed")
        if expires is None or expires < clock():
            return refuse(403, "FORBIDDEN", "This upload URL has expired; request a new one")
        if not body:
            return refuse(400, "BAD_REQUEST", "The upload body is empty")
        if len(body) > MAX_UPLOAD_BYTES:
            return refuse(413, "PAYLOAD_TOO_LARGE", f"Uploads are limited to {MAX_UPLOAD_BYTES} bytes")
        if content_type and content_type != row[0]:
            return refuse(400, "BAD_REQUEST", f"Content-Type must be {row[0]}, as presigned")
        tx.execute("UPDATE uploads SET data = ? WHERE key = ?", (body, key))
    return Response(status_code=200, headers={"ETag": f'"{hashlib.sha256(body).hexdigest()[:32]}"'})


def _read_file(store: Store, key: str) -> tuple[bytes, str] | None:
    with store.transaction() as tx:
        row = tx.execute("SELECT data, content_type FROM uploads WHERE key = ? AND confirmed = 1", (key,)).fetchone()
    return (row[0], row[1]) if row else None
