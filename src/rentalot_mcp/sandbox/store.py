"""SQLite persistence shared by every platform the sandbox serves.

Resources are JSON documents in one `records` table keyed by (kind, id) and owned by an account, so
a platform adds resources without migrations and no table is named after a platform. One connection
guarded by a lock serialises all access: that is what `:memory:` needs (each connection would get its
own empty database), it keeps transactions simple, and the sandbox's load never needs more. Callers
run on worker threads (never on the event loop) and each request is one `BEGIN IMMEDIATE`
transaction, so a failure rolls back everything the request wrote.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SCHEMA_VERSION = "1"
MEMORY = ":memory:"

_TABLES = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS accounts (
    id TEXT PRIMARY KEY, platform TEXT NOT NULL, name TEXT NOT NULL, plan TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS api_keys (
    key_hash TEXT PRIMARY KEY, account_id TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS records (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL, id TEXT NOT NULL, account_id TEXT NOT NULL,
    data TEXT NOT NULL, deleted_at TEXT,
    UNIQUE (kind, id)
);
CREATE INDEX IF NOT EXISTS records_by_owner ON records (account_id, kind, seq);
CREATE TABLE IF NOT EXISTS idempotency (
    account_id TEXT NOT NULL, key TEXT NOT NULL, fingerprint TEXT NOT NULL,
    status INTEGER NOT NULL, body BLOB NOT NULL, created_at REAL NOT NULL,
    PRIMARY KEY (account_id, key)
);
CREATE TABLE IF NOT EXISTS uploads (
    key TEXT PRIMARY KEY, account_id TEXT NOT NULL, content_type TEXT NOT NULL,
    declared_size INTEGER NOT NULL, data BLOB, expires_at TEXT NOT NULL, confirmed INTEGER NOT NULL DEFAULT 0
);
"""

Record = dict[str, Any]
"""A resource as the API shows it, plus internal fields whose names start with `_`."""


class StoreError(Exception):
    """The database file cannot be used (wrong schema version, not a database, ...)."""


@dataclass(frozen=True, slots=True)
class Found:
    """A record looked up with its tombstone, so deletes can tell "already gone" from "never was"."""

    data: Record
    deleted_at: str | None


class Tx:
    """One open transaction; every method runs inside it."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def execute(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Cursor:
        return self._conn.execute(sql, params)

    def find(self, kind: str, owner: str, record_id: str) -> Found | None:
        row = self._conn.execute(
            "SELECT data, deleted_at FROM records WHERE kind = ? AND id = ? AND account_id = ?",
            (kind, record_id, owner),
        ).fetchone()
        return Found(json.loads(row[0]), row[1]) if row else None

    def get(self, kind: str, owner: str, record_id: str) -> Record | None:
        found = self.find(kind, owner, record_id)
        return found.data if found and found.deleted_at is None else None

    def list(self, kind: str, owner: str, **equals: Any) -> list[Record]:
        """Live records of a kind in insertion order, optionally where top-level fields equal values."""
        where, params = _where(kind, owner, equals)
        rows = self._conn.execute(f"SELECT data FROM records WHERE {where} ORDER BY seq", params)  # noqa: S608
        return [json.loads(row[0]) for row in rows]

    def count(self, kind: str, owner: str, **equals: Any) -> int:
        where, params = _where(kind, owner, equals)
        return int(self._conn.execute(f"SELECT COUNT(*) FROM records WHERE {where}", params).fetchone()[0])  # noqa: S608

    def insert(self, kind: str, owner: str, record: Record) -> Record:
        self._conn.execute(
            "INSERT INTO records (kind, id, account_id, data) VALUES (?, ?, ?, ?)",
            (kind, record["id"], owner, _dump(record)),
        )
        return record

    def save(self, kind: str, owner: str, record: Record) -> Record:
        """Replace a record's document (it must exist)."""
        self._conn.execute(
            "UPDATE records SET data = ? WHERE kind = ? AND id = ? AND account_id = ?",
            (_dump(record), kind, record["id"], owner),
        )
        return record

    def delete(self, kind: str, owner: str, record_id: str, when: str, *, keep_data: bool = False) -> None:
        """Hide a record from reads but remember that it existed (so a repeated DELETE is not a 404).

        `keep_data` retains the document (a soft delete kept for compliance); otherwise only the id remains.
        """
        if keep_data:
            self._conn.execute(
                "UPDATE records SET deleted_at = ? WHERE kind = ? AND id = ? AND account_id = ?",
                (when, kind, record_id, owner),
            )
        else:
            self._conn.execute(
                "UPDATE records SET deleted_at = ?, data = ? WHERE kind = ? AND id = ? AND account_id = ?",
                (when, _dump({"id": record_id}), kind, record_id, owner),
            )

    def meta(self, key: str) -> str | None:
        row = self._conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self._conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))


class Store:
    """The sandbox database: a file (WAL mode, safe across restarts) or `:memory:`."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self._lock = threading.RLock()
        if self.path != MEMORY:
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        try:
            if self.path != MEMORY:
                self._conn.execute("PRAGMA journal_mode=WAL")
                self._conn.execute("PRAGMA synchronous=NORMAL")
            self._conn.execute("PRAGMA busy_timeout=5000")
            self._create()
        except sqlite3.DatabaseError as exc:
            self._conn.close()
            raise StoreError(f"{self.path}: not a usable sandbox database ({exc})") from None

    def _create(self) -> None:
        with self.transaction() as tx:
            tx.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            version = tx.meta("schema_version")
            if version not in (None, SCHEMA_VERSION):
                raise StoreError(
                    f"{self.path}: sandbox database schema {version} is not {SCHEMA_VERSION}; start with --reset"
                )
        self._conn.executescript(_TABLES)
        with self.transaction() as tx:
            tx.set_meta("schema_version", SCHEMA_VERSION)

    @contextmanager
    def transaction(self) -> Iterator[Tx]:
        """Serialise with every other request and commit only if the block finishes without raising."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield Tx(self._conn)
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def reset(self) -> None:
        """Drop every table and recreate them empty (the caller reseeds)."""
        with self._lock:
            tables = [row[0] for row in self._conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
            for table in tables:
                if table != "sqlite_sequence":
                    self._conn.execute(f'DROP TABLE IF EXISTS "{table}"')
            self._create()

    def close(self) -> None:
        with self._lock:
            self._conn.close()


def _where(kind: str, owner: str, equals: dict[str, Any]) -> tuple[str, list[Any]]:
    """SQL for live records of a kind; field names come from code, values are bound parameters."""
    clauses = ["kind = ?", "account_id = ?", "deleted_at IS NULL"]
    params: list[Any] = [kind, owner]
    for name, value in equals.items():
        if not name.isidentifier():
            raise ValueError(f"not a field name: {name!r}")
        clauses.append(f"json_extract(data, '$.{name}') = ?")
        params.append(value)
    return " AND ".join(clauses), params


def _dump(record: Record) -> str:
    return json.dumps(record, separators=(",", ":"), ensure_ascii=False)
