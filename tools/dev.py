#!/usr/bin/env python3
"""Bootstrap and run: `python3 tools/dev.py serve --sandbox` or `python3 tools/dev.py test`.

Needs only Python 3.11+. Creates `.venv` beside pyproject.toml on first use (and again when
pyproject.toml changes), installs the project with its test extras, then runs the command in it.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".installed-from"


def ensure_environment() -> None:
    """Install into .venv unless it already holds this exact pyproject.toml."""
    if sys.version_info < (3, 11):  # noqa: UP036 - this script may be started by an older python3
        sys.exit("rentalot-mcp needs Python 3.11 or newer")
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.is_file() and STAMP.read_text() == wanted:
        return
    if not (BIN / "python").exists():
        print("creating .venv ...", file=sys.stderr)
        venv.create(VENV, with_pip=True)
    print("installing rentalot-mcp and its test tools into .venv ...", file=sys.stderr)
    subprocess.run(
        [str(BIN / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-e", f"{ROOT}[test]"],
        check=True,
    )
    STAMP.write_text(wanted)


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("serve", "test", "bench", "run"):
        print(__doc__, file=sys.stderr)
        return 2
    ensure_environment()
    command, rest = argv[0], argv[1:]
    if command == "test":
        lint = subprocess.run([str(BIN / "ruff"), "check", "src", "tests", "tools"], cwd=ROOT, check=False)
        tests = subprocess.run([str(BIN / "python"), "-m", "pytest", *rest], cwd=ROOT, check=False)
        return lint.returncode or tests.returncode
    if command == "bench":
        return subprocess.run([str(BIN / "python"), str(ROOT / "tools" / "bench.py"), *rest], check=False).returncode
    if command == "run":
        return subprocess.run([str(BIN / rest[0]), *rest[1:]], check=False).returncode
    return subprocess.run([str(BIN / "rentalot-mcp"), *rest], check=False).returncode


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
