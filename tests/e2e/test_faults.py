"""Exactly once under fire: 200 creates through the MCP server while the sandbox drops, refuses and
fails requests — some after committing the write. Every call must succeed and no record may be doubled.
"""

from __future__ import annotations

import anyio
import httpx
import pytest
from mcp import Client

from tests.e2e.conftest import stdio_params
from tests.e2e.processes import running_sandbox

pytestmark = pytest.mark.anyio
CREATES = 200
MARKER = "faulty-net"


async def test_200_creates_under_faults_make_exactly_200_records(tmp_path) -> None:
    faults = ("--faults", "429:0.2,500:0.1,reset:0.05", "--seed", "7")
    with running_sandbox(tmp_path, *faults, RENTALOT_SANDBOX_RPM="100000") as sandbox:
        env = {"RENTALOT_BASE_URL": sandbox.root, "RENTALOT_API_KEY": "ra_demo_pro", "RENTALOT_MCP_MAX_ATTEMPTS": "15"}
        failures: list[str] = []
        replays = 0
        async with Client(stdio_params(tmp_path, "--log-level", "warning", **env)) as client:
            limiter = anyio.Semaphore(8)

            async def create(n: int) -> None:
                nonlocal replays
                async with limiter:
                    result = await client.call_tool(
                        "create_contact", {"name": f"{MARKER} {n:03d}", "email": f"p{n}@example.com"}
                    )
                if result.is_error:
                    failures.append(result.content[0].text)
                replays += bool((result.meta or {}).get("replayed"))

            async with anyio.create_task_group() as group:
                for n in range(CREATES):
                    group.start_soon(create, n)
        names = _all_names(sandbox.root)
    assert failures == []
    assert len(names) == CREATES, f"{len(names)} records for {CREATES} creates"
    assert sorted(names) == [f"{MARKER} {n:03d}" for n in range(CREATES)]
    assert replays > 0, "some writes were committed before their answer was lost, and replayed"


def _all_names(root: str) -> list[str]:
    names: list[str] = []
    page = 1
    with httpx.Client(base_url=root, headers={"Authorization": "Bearer ra_demo_pro"}) as http:
        while True:
            for _ in range(20):  # the sandbox is still injecting faults: read until an answer comes
                response = http.get("/api/v1/contacts", params={"search": MARKER, "limit": 100, "page": page})
                if response.status_code == 200:
                    break
            body = response.json()
            names += [contact["name"] for contact in body["data"]]
            if page >= body["pagination"]["totalPages"]:
                return names
            page += 1
