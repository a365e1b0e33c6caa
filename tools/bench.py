"""Benchmarks against the local sandbox: startup, per-call overhead, concurrency, catalogue size.

Usage: python3 tools/dev.py bench [--quick] [--write] [--only startup,overhead,concurrency,catalogue]
       python3 tools/dev.py bench --profile 2000   (cProfile of in-process tool calls; nothing else runs)

Everything runs on loopback, in bounded loops, with every process it starts stopped at the end.
`--write` replaces the results part of BENCHMARKS.md and keeps the hand-written part above the marker.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import platform
import pstats
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import AsyncExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import IO, Any

import anyio
import httpx
import httpx2
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from catalogue_size import rows as catalogue_rows
from rentalot_mcp.config import sandbox_settings
from rentalot_mcp.runtime import Runtime
from rentalot_mcp.sandbox.rentalot.seed import ELM_STREET_PROPERTY_ID

ROOT = Path(__file__).resolve().parents[1]
BENCHMARKS = ROOT / "BENCHMARKS.md"
MARKER = "<!-- results: everything below is written by tools/bench.py --write -->"
FLOOR = [sys.executable, str(ROOT / "tools" / "floor_server.py")]
KEY = "ra_demo_pro"
PROPERTY_PATH = f"/api/v1/properties/{ELM_STREET_PROPERTY_ID}"
READ_CALLS: tuple[tuple[str, dict[str, Any]], ...] = (
    ("get_property", {"propertyId": ELM_STREET_PROPERTY_ID}),
    ("list_properties", {"limit": 5}),
    ("list_contacts", {"limit": 5}),
)
"""What the concurrent clients call, in turn: one read of an item and two short lists."""
SECTIONS = ("startup", "overhead", "concurrency", "catalogue")
PROCESS_SECONDS = 60.0
"""No process may take longer than this to start, answer or stop; past it the bench kills it and fails."""
WARM_UP_CALLS = 50
FIRST_START = "rentalot-mcp, empty cache"
GOALS = {"startup": 0.15, "overhead p50": 0.002, "overhead p99": 0.010}


@dataclass(frozen=True)
class Plan:
    """How much to measure: the full run stays under ~3 minutes on 2 cores, `--quick` under ~1."""

    startup_runs: int
    overhead_calls: int
    load_seconds: float
    load_rounds: int
    clients: tuple[int, ...] = (1, 10, 50)


FULL = Plan(startup_runs=15, overhead_calls=2000, load_seconds=5.0, load_rounds=3)
QUICK = Plan(startup_runs=4, overhead_calls=300, load_seconds=3.0, load_rounds=1)


# --- pure helpers (unit-tested) ---------------------------------------------------------------


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100), interpolating between closest ranks like numpy's default."""
    if not values:
        raise ValueError("percentile of no values")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def markdown_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A GitHub table; columns after the first are right-aligned (they hold numbers)."""
    align = ["---", *["---:"] * (len(headers) - 1)]
    lines = [headers, align, *[[str(cell) for cell in row] for row in rows]]
    return "\n".join("| " + " | ".join(line) + " |" for line in lines)


def replace_results(document: str, results: str) -> str:
    """Keep what is above the marker (the hand-written method); replace what is below it."""
    head = document.split(MARKER, 1)[0].rstrip() if MARKER in document else document.rstrip()
    return f"{head}\n\n{MARKER}\n\n{results.strip()}\n"


def cpu_model(cpuinfo: str) -> str:
    """The first `model name` in /proc/cpuinfo, or 'unknown CPU'."""
    for line in cpuinfo.splitlines():
        name, _, value = line.partition(":")
        if name.strip() == "model name" and value.strip():
            return value.strip()
    return "unknown CPU"


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def verdict(value: float, goal: float) -> str:
    return "met" if value <= goal else "NOT met"


# --- processes ----------------------------------------------------------------------------------


def server_command() -> list[str]:
    """The installed console script beside this Python, as a user's client would start it."""
    script = shutil.which("rentalot-mcp", path=str(Path(sys.executable).parent))
    return [script] if script else [sys.executable, "-m", "rentalot_mcp"]


def clean_env(home: Path, **extra: str) -> dict[str, str]:
    """The caller's environment without platform settings, with a private home: no user config leaks in."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RENTALOT_", "BMC_"))}
    env.update(HOME=str(home), XDG_CONFIG_HOME=str(home / "config"), XDG_DATA_HOME=str(home / "data"))
    env.update(XDG_CACHE_HOME=str(home / "cache"))
    env.update(extra)
    return env


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def listening(argv: list[str], env: dict[str, str], port: int) -> Iterator[subprocess.Popen[bytes]]:
    """Run an HTTP server until the block ends; return once its /healthz answers."""
    process = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + PROCESS_SECONDS
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"{argv[0]} exited with {process.returncode} before listening")
            if time.monotonic() > deadline:
                raise RuntimeError(f"{argv[0]} did not listen on port {port} in {PROCESS_SECONDS} s")
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1.0).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.05)
        yield process
    finally:
        stop(process)


@dataclass(frozen=True)
class Sandbox:
    """Where the sandbox listens, and its process (whose CPU the concurrency test reports)."""

    url: str
    pid: int


@contextmanager
def sandbox(home: Path) -> Iterator[Sandbox]:
    """The demo API in its own process (its own GIL), with rate limits out of the way."""
    port = free_port()
    argv = [*server_command(), "sandbox", "--port", str(port), "--db", ":memory:"]
    with listening(argv, clean_env(home, RENTALOT_SANDBOX_RPM="1000000"), port) as process:
        yield Sandbox(f"http://127.0.0.1:{port}", process.pid)


class StdioPeer:
    """A raw JSON-RPC client on a server's stdin/stdout: nothing but a pipe between us and the server.

    A watchdog kills a server that stays silent for PROCESS_SECONDS, so a hung server ends the read (with
    an error) instead of the bench.
    """

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        self.process = subprocess.Popen(
            argv, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )
        self._stdin: IO[bytes] = self.process.stdin  # type: ignore[assignment]
        self._stdout: IO[bytes] = self.process.stdout  # type: ignore[assignment]
        self._next_id = 0
        self._last_heard = time.monotonic()
        self._closed = threading.Event()
        threading.Thread(target=self._watch, daemon=True).start()

    def _watch(self) -> None:
        while not self._closed.wait(1.0):
            if time.monotonic() - self._last_heard > PROCESS_SECONDS:
                self.process.kill()
                return

    def send(self, method: str, params: dict[str, Any] | None = None, *, notify: bool = False) -> int:
        message: dict[str, Any] = {"jsonrpc": "2.0", "method": method}
        if params is not None:
            message["params"] = params
        if not notify:
            self._next_id += 1
            message["id"] = self._next_id
        self._stdin.write(json.dumps(message).encode() + b"\n")
        self._stdin.flush()
        return self._next_id

    def answer(self, request_id: int) -> dict[str, Any]:
        """Read until the answer to `request_id` (notifications are skipped); its result."""
        while True:
            line = self._stdout.readline()
            self._last_heard = time.monotonic()
            if not line:
                raise RuntimeError("the server closed stdout (crashed, or killed by the watchdog)")
            message = json.loads(line)
            if message.get("id") == request_id:
                if "error" in message:
                    raise RuntimeError(f"JSON-RPC error: {message['error']}")
                return dict(message["result"])

    def request(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        return self.answer(self.send(method, params))

    def initialize(self) -> None:
        """The handshake, written in one go as clients do; its answer is read with the next request's."""
        self.send(
            "initialize",
            {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "bench", "version": "1"}},
        )
        self.send("notifications/initialized", notify=True)

    def close(self) -> None:
        self._closed.set()
        self._stdin.close()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            stop(self.process)


# --- measurements -------------------------------------------------------------------------------


@dataclass
class Results:
    """Everything measured in one run (a section left out stays empty)."""

    startup: dict[str, list[float]] = field(default_factory=dict)
    tool_counts: dict[str, int] = field(default_factory=dict)
    direct: list[float] = field(default_factory=list)
    through_mcp: list[float] = field(default_factory=list)
    floor_echo: list[float] = field(default_factory=list)
    idle_rss_kb: int = 0
    loads: list[Load] = field(default_factory=list)
    catalogue: list[tuple[str, int, int, int]] = field(default_factory=list)


@dataclass(frozen=True)
class Load:
    """One concurrency level: every call's latency in the timed window, the CPU each process used in it
    (server, sandbox, the clients in this process: who is the bottleneck), and the server's peak RSS."""

    clients: int
    seconds: float
    latencies: list[float]
    errors: int
    cpu: tuple[float, float, float]
    peak_rss_kb: int


def time_to_tools(argv: list[str], env: dict[str, str]) -> tuple[float, int]:
    """Seconds from process start to a completed tools/list, and how many tools it listed."""
    started = time.perf_counter()
    peer = StdioPeer(argv, env)
    try:
        peer.initialize()
        tools = peer.request("tools/list")["tools"]
        elapsed = time.perf_counter() - started
    finally:
        peer.close()
    return elapsed, len(tools)


def measure_startup(plan: Plan, home: Path, results: Results) -> None:
    """Ours and the floor, interleaved so that machine noise hits both alike, after one warm-up run each
    (bytecode and spec caches filled); and ours with an empty cache directory, as on a first start."""
    settings = {"RENTALOT_API_KEY": KEY, "RENTALOT_BASE_URL": "http://127.0.0.1:9"}
    env = clean_env(home, **settings)
    for argv in (FLOOR, server_command()):
        time_to_tools(argv, env)
    for run in range(plan.startup_runs):
        first_start = clean_env(home, **settings, XDG_CACHE_HOME=str(home / f"empty-cache-{run}"))
        for name, argv, run_env in (
            ("floor", FLOOR, env),
            ("rentalot-mcp", server_command(), env),
            (FIRST_START, server_command(), first_start),
        ):
            elapsed, count = time_to_tools(argv, run_env)
            results.startup.setdefault(name, []).append(elapsed)
            results.tool_counts[name] = count


def measure_overhead(plan: Plan, home: Path, base_url: str, results: Results) -> None:
    """The same GET straight to the sandbox with httpx and through our server over stdio, alternating;
    plus the floor server echoing as many characters, which is the SDK's and the pipe's share."""
    env = clean_env(home, RENTALOT_API_KEY=KEY, RENTALOT_BASE_URL=base_url)
    ours, floor = StdioPeer(server_command(), env), StdioPeer(FLOOR, env)
    try:
        with httpx.Client(base_url=base_url, headers={"Authorization": f"Bearer {KEY}"}) as http:
            for peer in (ours, floor):
                peer.initialize()
                peer.request("tools/list")
            get_property = {"name": "get_property", "arguments": {"propertyId": ELM_STREET_PROPERTY_ID}}
            echo = {"name": "echo", "arguments": {"text": "x" * len(http.get(PROPERTY_PATH).content)}}
            for index in range(plan.overhead_calls + WARM_UP_CALLS):
                started = time.perf_counter()
                http.get(PROPERTY_PATH).raise_for_status().json()
                direct = time.perf_counter()
                result = ours.request("tools/call", get_property)
                through_mcp = time.perf_counter()
                floor.request("tools/call", echo)
                ended = time.perf_counter()
                if result.get("isError"):
                    raise RuntimeError(f"get_property failed: {result['content'][0]['text']}")
                if index >= WARM_UP_CALLS:
                    results.direct.append(direct - started)
                    results.through_mcp.append(through_mcp - direct)
                    results.floor_echo.append(ended - through_mcp)
    finally:
        ours.close()
        floor.close()


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far, from /proc (0 where there is no /proc)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_kb(pid: int) -> int:
    """Resident set size of a process, from /proc (0 where there is no /proc)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    line = next((line for line in status.splitlines() if line.startswith("VmRSS:")), "VmRSS: 0 kB")
    return int(line.split()[1])


async def drive(url: str, pid: int, sandbox_pid: int, clients: int, seconds: float) -> Load:
    """`clients` MCP sessions, all connected first, each calling read tools back to back for `seconds`."""
    latencies: list[float] = []
    errors = 0
    peak = rss_kb(pid)

    async def client_loop(client: Client, offset: int, deadline: float) -> None:
        nonlocal errors
        turn = offset
        while time.perf_counter() < deadline:
            name, arguments = READ_CALLS[turn % len(READ_CALLS)]
            turn += 1
            started = time.perf_counter()
            result = await client.call_tool(name, arguments)
            latencies.append(time.perf_counter() - started)
            errors += bool(result.is_error)

    async def sample_rss(deadline: float) -> None:
        nonlocal peak
        while time.perf_counter() < deadline:
            peak = max(peak, rss_kb(pid))
            await anyio.sleep(0.1)

    with anyio.fail_after(seconds + PROCESS_SECONDS):
        async with AsyncExitStack() as stack:
            sessions = []
            for _ in range(clients):
                http = await stack.enter_async_context(httpx2.AsyncClient(timeout=httpx2.Timeout(30.0, read=60.0)))
                client = Client(streamable_http_client(url, http_client=http), mode="legacy", cache=None)
                sessions.append(await stack.enter_async_context(client))
            for client in sessions:
                await client.call_tool(*READ_CALLS[0])
            cpu_before = (cpu_seconds(pid), cpu_seconds(sandbox_pid), time.process_time())
            started = time.perf_counter()
            deadline = started + seconds
            async with anyio.create_task_group() as group:
                group.start_soon(sample_rss, deadline)
                for index, client in enumerate(sessions):
                    group.start_soon(client_loop, client, index, deadline)
            elapsed = time.perf_counter() - started
            cpu_after = (cpu_seconds(pid), cpu_seconds(sandbox_pid), time.process_time())
    used = (cpu_after[0] - cpu_before[0], cpu_after[1] - cpu_before[1], cpu_after[2] - cpu_before[2])
    return Load(clients, elapsed, latencies, errors, used, max(peak, rss_kb(pid)))


def measure_concurrency(plan: Plan, home: Path, api: Sandbox, results: Results) -> None:
    """Our server over streamable HTTP in its own process, driven by 1, 10, 50 SDK clients in turn;
    the levels take turns round after round, so a burst of other work on the machine hits them alike."""
    port = free_port()
    argv = [*server_command(), "serve", "--transport", "http", "--port", str(port)]
    env = clean_env(home, RENTALOT_API_KEY=KEY, RENTALOT_BASE_URL=api.url)
    with listening(argv, env, port) as process:
        time.sleep(0.5)
        results.idle_rss_kb = rss_kb(process.pid)
        url = f"http://127.0.0.1:{port}/mcp"
        for _ in range(plan.load_rounds):
            for clients in plan.clients:
                results.loads.append(anyio.run(drive, url, process.pid, api.pid, clients, plan.load_seconds))


# --- profile ------------------------------------------------------------------------------------


async def profile_calls(base_url: str, calls: int) -> None:
    """In-process `Runtime.call`s against the sandbox under cProfile; prints the top of the profile."""
    runtime = Runtime.create(sandbox_settings(base_url))
    arguments = {"propertyId": ELM_STREET_PROPERTY_ID}
    async with httpx.AsyncClient(base_url=base_url, headers={"Authorization": f"Bearer {KEY}"}) as http:
        for _ in range(50):
            await runtime.call("get_property", arguments)
            await http.get(PROPERTY_PATH)
        direct, ours = [], []
        for _ in range(calls):
            started = time.perf_counter()
            (await http.get(PROPERTY_PATH)).json()
            direct.append(time.perf_counter() - started)
            started = time.perf_counter()
            await runtime.call("get_property", arguments)
            ours.append(time.perf_counter() - started)
        print(f"in-process: Runtime.call p50 {ms(percentile(ours, 50))}, async httpx p50 {ms(percentile(direct, 50))}")
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(calls):
            await runtime.call("get_property", arguments)
        profiler.disable()
    await runtime.aclose()
    stats = pstats.Stats(profiler)
    stats.sort_stats("tottime").print_stats(25)
    stats.sort_stats("cumulative").print_stats(r"rentalot_mcp", 25)


# --- report -------------------------------------------------------------------------------------


def machine() -> str:
    try:
        cpu = cpu_model(Path("/proc/cpuinfo").read_text())
    except OSError:
        cpu = platform.processor() or "unknown CPU"
    load1, load5, _ = os.getloadavg()
    return (
        f"- date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC\n"
        f"- CPU: {cpu}, {len(os.sched_getaffinity(0))} cores usable ({os.cpu_count()} online)\n"
        f"- load average before the run: {load1:.2f} (1 min), {load5:.2f} (5 min)\n"
        f"- Python {platform.python_version()} on {platform.system()} {platform.release()}; "
        f"mcp {version('mcp')}, httpx {version('httpx')}, rentalot-mcp {version('rentalot-mcp')}"
    )


def report(results: Results, plan: Plan) -> str:
    parts = ["## Results", "", machine()]
    if results.startup:
        floor = statistics.median(results.startup["floor"])
        gap = statistics.median(results.startup["rentalot-mcp"]) - floor
        first_gap = statistics.median(results.startup[FIRST_START]) - floor
        rows = [
            [f"{name} ({plural(results.tool_counts[name], 'tool')})", *[f"{v:.3f} s" for v in stats3(t)], len(t)]
            for name, t in results.startup.items()
        ]
        rows.append(["**rentalot-mcp minus floor** (medians)", f"{gap:+.3f} s", "", "", ""])
        rows.append([f"{FIRST_START} minus floor (medians)", f"{first_gap:+.3f} s", "", "", ""])
        parts += ["", "### Startup: process start to a completed tools/list over stdio", ""]
        parts.append(markdown_table(["server", "median", "min", "max", "runs"], rows))
        parts.append(
            f"\nGoal: rentalot-mcp ≤ floor + {GOALS['startup']:.2f} s ({verdict(gap, GOALS['startup'])}). "
            "The empty-cache row is a first start, before the normalised spec is cached."
        )
    if results.through_mcp:
        direct, ours = results.direct, results.through_mcp
        p50 = percentile(ours, 50) - percentile(direct, 50)
        p99 = percentile(ours, 99) - percentile(direct, 99)
        rows = [
            ["httpx straight to the sandbox", *[ms(percentile(direct, q)) for q in (50, 90, 99)]],
            ["tools/call get_property via rentalot-mcp (stdio)", *[ms(percentile(ours, q)) for q in (50, 90, 99)]],
            ["**overhead** (difference)", ms(p50), ms(percentile(ours, 90) - percentile(direct, 90)), ms(p99)],
            [
                "of which SDK + pipe: floor server's echo tools/call",
                *[ms(percentile(results.floor_echo, q)) for q in (50, 90, 99)],
            ],
        ]
        parts += ["", f"### Per-call overhead: {len(ours)} calls of get_property, alternating with httpx", ""]
        parts.append(markdown_table(["path", "p50", "p90", "p99"], rows))
        parts.append(
            f"\nGoal: median overhead ≤ {ms(GOALS['overhead p50'])} ({verdict(p50, GOALS['overhead p50'])}), "
            f"p99 ≤ {ms(GOALS['overhead p99'])} ({verdict(p99, GOALS['overhead p99'])})."
        )
    if results.loads:
        rows = [level_row([r for r in results.loads if r.clients == clients]) for clients in plan.clients]
        headers = ["clients", "calls", "calls/s", "p50", "p99", "errors", "server CPU per call"]
        headers += ["CPU busy: server / sandbox / clients", "server RSS peak"]
        window = f"{plural(plan.load_rounds, 'round')} of {plan.load_seconds:.0f} s per level"
        parts += ["", f"### Concurrency: streamable HTTP, read tools, {window}", ""]
        parts.append(markdown_table(headers, rows))
        parts.append(f"\nServer RSS at idle (started, no client yet): {results.idle_rss_kb / 1024:.0f} MiB.")
    if results.catalogue:
        rows = [[label, count, f"{visible:,}", f"{listing:,}"] for label, count, visible, listing in results.catalogue]
        parts += ["", "### Catalogue size (characters of compact JSON)", ""]
        parts.append(markdown_table(["mode", "tools", "model-visible", "whole tools/list"], rows))
    return "\n".join(parts) + "\n"


def level_row(rounds: Sequence[Load]) -> list[object]:
    """One concurrency level's row: median calls/s over its rounds; latencies, CPU and errors pooled.
    The RSS peak is the first round's: memory is seldom given back, so later rounds would show the
    50-client peak on every row."""
    latencies = [latency for load in rounds for latency in load.latencies]
    seconds = sum(load.seconds for load in rounds)
    cpu = [sum(load.cpu[index] for load in rounds) for index in range(3)]
    return [
        rounds[0].clients,
        len(latencies),
        f"{statistics.median(len(load.latencies) / load.seconds for load in rounds):.0f}",
        ms(percentile(latencies, 50)),
        ms(percentile(latencies, 99)),
        sum(load.errors for load in rounds),
        ms(cpu[0] / max(1, len(latencies))),
        " / ".join(f"{used / seconds:.0%}" for used in cpu),
        f"{rounds[0].peak_rss_kb / 1024:.0f} MiB",
    ]


def stats3(values: Sequence[float]) -> tuple[float, float, float]:
    return statistics.median(values), min(values), max(values)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs and shorter loads (about a minute)")
    parser.add_argument("--write", action="store_true", help=f"write the results into {BENCHMARKS.name}")
    parser.add_argument("--only", help=f"comma-separated sections to run: {','.join(SECTIONS)}")
    parser.add_argument("--profile", type=int, metavar="CALLS", help="profile CALLS in-process tool calls instead")
    args = parser.parse_args(argv)
    only = {part.strip() for part in (args.only or ",".join(SECTIONS)).split(",") if part.strip()}
    if only - set(SECTIONS):
        parser.error(f"unknown sections: {', '.join(sorted(only - set(SECTIONS)))}")
    plan = QUICK if args.quick else FULL
    results = Results()
    with tempfile.TemporaryDirectory(prefix="rentalot-bench-") as tmp:
        home = Path(tmp)
        if args.profile:
            with sandbox(home) as api:
                anyio.run(profile_calls, api.url, args.profile)
            return 0
        if "startup" in only:
            print("startup ...", file=sys.stderr)
            measure_startup(plan, home, results)
        if only & {"overhead", "concurrency"}:
            with sandbox(home) as api:
                if "overhead" in only:
                    print("per-call overhead ...", file=sys.stderr)
                    measure_overhead(plan, home, api.url, results)
                if "concurrency" in only:
                    print("concurrency ...", file=sys.stderr)
                    measure_concurrency(plan, home, api, results)
    if "catalogue" in only:
        results.catalogue = catalogue_rows()
    text = report(results, plan)
    print(text)
    if args.write:
        existing = BENCHMARKS.read_text(encoding="utf-8") if BENCHMARKS.exists() else "# Benchmarks\n"
        BENCHMARKS.write_text(replace_results(existing, text), encoding="utf-8")
        print(f"written to {BENCHMARKS}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
