"""Benchmark of the service as it is deployed: the real ``triage serve`` process over HTTP.

One ``python -m app.cli.serve_cmd`` subprocess (SQLite in a temporary directory, default
settings: durable_rules deciding in its worker process, one local job worker) serves every
part; load comes only from this process, on 127.0.0.1, with the API token of a ``csm`` user
made in that database beforehand (the role a CRM integration calls with).

* ``recommendations``: ``POST /v1/recommendations`` with generated fact records
  (``rules.sampling``) at a fixed offered rate (open loop, 200 requests/s for 10 s, at
  most 32 in flight): achieved throughput, p50/p90/p99/max latency from each request's
  scheduled start, errors; then the closed-loop maximum at concurrency 8, beside the same
  loop on ``/healthz`` (the HTTP stack's own ceiling, the baseline).
* ``latency``: one ~30-page CUAD PDF end to end: bare pypdf text extraction (the
  baseline), the warm service (upload, then poll the case every 20 ms until it is decided)
  and ``triage run FILE --format json`` as a fresh process, each as a median.
* ``bulk``: N CUAD PDFs uploaded concurrently, waited for until every case is decided,
  then checked through the API (exactly one case per accepted upload, one document each,
  none stuck) and against the database file; timed against the same files triaged in
  sequence in one process (``app.jobs.inline.run_triage``) and against ``triage run`` per
  file (extrapolated from a sample); peak RSS of the service's process tree.

    python benchmarks/service.py [--dataset DIR] [--part all|recommendations|latency|bulk]
                                 [--rate 200] [--duration 10] [--bulk 200]

Ends with one JSON line of the figures. Timings on a shared machine are noisy; the ratios
are against baselines measured in the same run. CUAD is CC BY 4.0, The Atticus Project
(Hendrycks et al., 2021).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import gc
import json
import os
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from rich.console import Console
from rich.table import Table

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATASET = REPO_ROOT.parent / "shared" / "datasets" / "cuad"
VENV_BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
PARTS = ("recommendations", "latency", "bulk")
TERMINAL = frozenset(
    {"decided", "needs_information", "ready_for_provisioning", "returned", "failed"}
)
PENDING = ("received", "queued", "processing")
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")

# Targets from the product brief.
TARGET_P99_MS = 25.0
TARGET_SERVICE_VS_PYPDF = 2.0
TARGET_CLI_VS_PYPDF = 4.0

# Tables stay wide enough when the output goes to a file or a pipe.
console = Console(width=None if sys.stdout.isatty() else 150)
progress = Console(stderr=True)


# --- figures -----------------------------------------------------------------------------


def quantiles_ms(seconds: Sequence[float]) -> dict[str, float | None]:
    """p50/p90/p99/max of durations in seconds, as milliseconds."""
    if not seconds:
        return {"p50": None, "p90": None, "p99": None, "max": None}
    ordered = sorted(seconds)

    def at(share: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(len(ordered) * share))] * 1000, 2)

    return {"p50": at(0.5), "p90": at(0.9), "p99": at(0.99), "max": round(ordered[-1] * 1000, 2)}


def median(values: Sequence[float]) -> float | None:
    """The median, or None for no values."""
    return round(statistics.median(values), 4) if values else None


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    """``numerator / denominator`` to two places, None when either is missing."""
    if numerator is None or not denominator:
        return None
    return round(numerator / denominator, 2)


def within(value: float | None, target: float) -> bool:
    """Whether a measured ratio is at most ``target`` (False when it was not measured)."""
    return value is not None and value <= target


def verdict(met: object, target: float) -> str:
    """``≤ 2× met`` or ``≤ 2× NOT met``."""
    return f"≤ {target:g}× {'met' if met else 'NOT met'}"


def show(value: object, unit: str = "") -> str:
    """A figure for a table cell."""
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.3g}{unit}" if abs(value) < 100 else f"{value:,.0f}{unit}"
    return f"{value}{unit}"


def print_table(title: str, columns: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """One rich table; the first column left-aligned, figures right-aligned."""
    table = Table(title=title, title_justify="left")
    for index, column in enumerate(columns):
        table.add_column(column, justify="left" if index == 0 else "right")
    for row in rows:
        table.add_row(*(show(cell) for cell in row))
    console.print(table)


# --- the service process -----------------------------------------------------------------


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def clean_env(**triage: str) -> dict[str, str]:
    """This environment without ``TRIAGE_*`` or model settings, plus ``triage``.

    Default settings are the point, and no model may ever be called.
    """
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("TRIAGE_", "OPENAI_"))
    }
    env.update({f"TRIAGE_{key.upper()}": value for key, value in triage.items()})
    return env


def sqlite_env(directory: Path) -> dict[str, str]:
    """Settings for a process with its own SQLite database and data directory."""
    return clean_env(
        database_url=f"sqlite:///{directory / 'triage.db'}",
        data_dir=str(directory),
        log_level="WARNING",
    )


def process_tree(root: int) -> list[int]:
    """``root`` and every process descending from it (read from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parent = int(stat[stat.rfind(")") + 2 :].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(children.get(pid, []))
    return tree


def tree_rss_bytes(root: int) -> int:
    """The summed resident set of ``root``'s process tree."""
    total = 0
    for pid in process_tree(root):
        with contextlib.suppress(OSError, ValueError, IndexError):
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_SIZE
    return total


class RssSampler(threading.Thread):
    """Samples a process tree's summed RSS every ``interval_s``; keeps the peak since ``mark``."""

    def __init__(self, root: int, interval_s: float = 0.2) -> None:
        super().__init__(name="rss-sampler", daemon=True)
        self.root, self.interval_s = root, interval_s
        self.peak = self.overall_peak = self.last = 0
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(self.interval_s):
            self.last = tree_rss_bytes(self.root)
            self.peak = max(self.peak, self.last)
            self.overall_peak = max(self.overall_peak, self.last)

    def mark(self) -> None:
        """Start a new window for ``peak``."""
        self.peak = self.last

    def stop(self) -> None:
        self.stopped.set()


@dataclass
class Service:
    """A running ``triage serve`` subprocess on a free port with its own temp database."""

    process: subprocess.Popen[bytes]
    base_url: str
    directory: Path
    log_path: Path
    sampler: RssSampler
    token: str | None = None
    started_s: float = 0.0

    @property
    def database(self) -> Path:
        return self.directory / "triage.db"

    def log_tail(self, lines: int = 30) -> str:
        with contextlib.suppress(OSError):
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        return ""


def wait_ready(service: Service, *, timeout_s: float) -> None:
    """Poll ``/readyz`` until it answers 200; RuntimeError on exit or timeout."""
    deadline = time.monotonic() + timeout_s
    with httpx.Client(base_url=service.base_url, timeout=5.0, trust_env=False) as client:
        while time.monotonic() < deadline:
            if service.process.poll() is not None:
                raise RuntimeError(
                    f"triage serve exited with {service.process.returncode}:\n" + service.log_tail()
                )
            with contextlib.suppress(httpx.HTTPError):
                if client.get("/readyz").status_code == 200:
                    return
            time.sleep(0.2)
    raise RuntimeError(f"triage serve not ready within {timeout_s:g} s:\n" + service.log_tail())


def provision_token(database_url: str) -> str:
    """An API token of a csm user, the role a CRM integration calls the API with."""
    from app.auth.service import create_user, issue_token
    from app.db import get_engine, session_scope

    engine = get_engine(database_url)
    try:
        with session_scope(engine) as session:
            user = create_user(
                session=session, email="benchmark@example.com", roles=["csm"], name="benchmark"
            )
            return issue_token(session=session, user=user, name="benchmark")
    finally:
        engine.dispose()


@contextlib.contextmanager
def running_service(*, ready_timeout_s: float) -> Iterator[Service]:
    """Start ``triage serve`` and yield it once ready; always stopped (and its group killed)."""
    with tempfile.TemporaryDirectory(prefix="bench-service-") as temp:
        directory = Path(temp)
        env = sqlite_env(directory)
        # Made before the service starts, in the database it will open (migrated here).
        token = provision_token(env["TRIAGE_DATABASE_URL"])
        port = free_port()
        log_path = directory / "serve.log"
        started = time.perf_counter()
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                [
                    sys.executable,
                    *("-m", "app.cli.serve_cmd"),
                    *("--host", HOST, "--port", str(port), "--shutdown-timeout", "5"),
                ],
                cwd=REPO_ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its parser and rules processes share its group
            )
        sampler = RssSampler(process.pid)
        service = Service(process, f"http://{HOST}:{port}", directory, log_path, sampler, token)
        try:
            sampler.start()
            wait_ready(service, timeout_s=ready_timeout_s)
            service.started_s = time.perf_counter() - started
            yield service
        finally:
            sampler.stop()
            stop_process_group(process)


def stop_process_group(process: subprocess.Popen[bytes], grace_s: float = 20.0) -> None:
    """SIGTERM, wait up to ``grace_s``, then SIGKILL whatever is left of its group."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=grace_s)
        except subprocess.TimeoutExpired:
            progress.print("[yellow]triage serve ignored SIGTERM; killing its group[/yellow]")
    # The group is the service's own (start_new_session): leftovers are its children.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=5)


def async_client(service: Service, *, connections: int, timeout_s: float) -> httpx.AsyncClient:
    """A client of the local service with its token, never going through a proxy."""
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    headers = {"Authorization": f"Bearer {service.token}"} if service.token else {}
    return httpx.AsyncClient(
        base_url=service.base_url,
        headers=headers,
        limits=limits,
        timeout=timeout_s,
        trust_env=False,
    )


# --- part 1: recommendations -------------------------------------------------------------


def recommendation_bodies(count: int, seed: int) -> list[bytes]:
    """JSON bodies of generated, realistic fact records and case contexts."""
    from rules import load_policy
    from rules.sampling import REALISTIC, RandomChooser, sample_case

    policy = load_policy()
    chooser = RandomChooser(seed)
    bodies = []
    for _ in range(count):
        facts, context = sample_case(chooser, policy, REALISTIC)
        payload = {
            "facts": facts.model_dump(mode="json"),
            "context": context.model_dump(mode="json"),
        }
        bodies.append(json.dumps(payload).encode())
    return bodies


@dataclass
class Sample:
    """One request: when it should have started, when it was sent and when it ended."""

    scheduled: float
    sent: float
    done: float
    status: int  # 0: no HTTP answer


JSON_HEADERS = {"Content-Type": "application/json"}


async def send(client: httpx.AsyncClient, method: str, url: str, body: bytes | None) -> int:
    """The status of one request, 0 if it got no HTTP answer."""
    try:
        response = await client.request(method, url, content=body, headers=JSON_HEADERS)
    except httpx.HTTPError:
        return 0
    return response.status_code


async def open_loop(
    client: httpx.AsyncClient, bodies: Sequence[bytes], *, rate: float, duration_s: float, cap: int
) -> tuple[list[Sample], float]:
    """Offer ``rate`` requests/s for ``duration_s`` whatever the answers, ``cap`` in flight."""
    slots = asyncio.Semaphore(cap)
    samples: list[Sample] = []
    start = time.perf_counter() + 0.1

    async def one(index: int) -> None:
        scheduled = start + index / rate
        await asyncio.sleep(max(0.0, scheduled - time.perf_counter()))
        async with slots:
            sent = time.perf_counter()
            status = await send(client, "POST", "/v1/recommendations", bodies[index % len(bodies)])
            samples.append(Sample(scheduled, sent, time.perf_counter(), status))

    await asyncio.gather(*(one(i) for i in range(round(rate * duration_s))))
    return samples, start


async def closed_loop(
    client: httpx.AsyncClient,
    method: str,
    url: str,
    bodies: Sequence[bytes | None],
    *,
    concurrency: int,
    duration_s: float,
) -> list[Sample]:
    """``concurrency`` callers each sending the next request as soon as one is answered."""
    samples: list[Sample] = []
    deadline = time.perf_counter() + duration_s
    counter = iter(range(10**9))

    async def caller() -> None:
        while (sent := time.perf_counter()) < deadline:
            status = await send(client, method, url, bodies[next(counter) % len(bodies)])
            samples.append(Sample(sent, sent, time.perf_counter(), status))

    await asyncio.gather(*(caller() for _ in range(concurrency)))
    return samples


def loop_figures(samples: Sequence[Sample], ok: int = 200) -> dict[str, Any]:
    """Throughput, latency quantiles and errors of a closed loop."""
    good = [s for s in samples if s.status == ok]
    span = (max(s.done for s in samples) - min(s.sent for s in samples)) if samples else 0.0
    return {
        "requests": len(samples),
        "ok": len(good),
        "errors": len(samples) - len(good),
        "throughput_rps": round(len(good) / span, 1) if span else None,
        "latency_ms": quantiles_ms([s.done - s.sent for s in good]),
    }


async def drive_recommendations(service: Service, args: argparse.Namespace) -> dict[str, Any]:
    bodies = recommendation_bodies(args.distinct, args.seed)
    # The load generator's own full garbage collections walked the policy and every module
    # it loaded (60-75 ms each, a few per run): every request in flight then looked that
    # much slower. What is loaded by now is kept out of them, so the latencies are the
    # service's.
    gc.collect()
    gc.freeze()
    async with async_client(service, connections=args.concurrency, timeout_s=10.0) as client:
        # Warm-up: every distinct body once, which also proves each is accepted.
        warm = await closed_loop(
            client,
            "POST",
            "/v1/recommendations",
            list(bodies),
            concurrency=8,
            duration_s=args.warmup,
        )
        warm_errors = Counter(s.status for s in warm if s.status != 200)
        samples, start = await open_loop(
            client, bodies, rate=args.rate, duration_s=args.duration, cap=args.concurrency
        )
        closed = await closed_loop(
            client,
            "POST",
            "/v1/recommendations",
            list(bodies),
            concurrency=args.closed_concurrency,
            duration_s=args.closed_duration,
        )
        health = await closed_loop(
            client,
            "GET",
            "/healthz",
            [None],
            concurrency=args.closed_concurrency,
            duration_s=min(3.0, args.closed_duration),
        )
    good = [s for s in samples if s.status == 200]
    end = max((s.done for s in samples), default=start)
    open_figures = {
        "offered_rps": args.rate,
        "duration_s": args.duration,
        "concurrency_cap": args.concurrency,
        "requests": len(samples),
        "ok": len(good),
        "errors": len(samples) - len(good),
        "errors_by_status": {
            str(k): v for k, v in Counter(s.status for s in samples if s.status != 200).items()
        },
        "achieved_rps": round(len(good) / (end - start), 1) if end > start else None,
        # From the scheduled start: waiting for a free slot counts (no coordinated omission).
        "latency_ms": quantiles_ms([s.done - s.scheduled for s in good]),
        "service_time_ms": quantiles_ms([s.done - s.sent for s in good]),
        "started_late_5ms": sum(1 for s in samples if s.sent - s.scheduled > 0.005),
    }
    p99 = open_figures["latency_ms"]["p99"]
    closed_figures = {"concurrency": args.closed_concurrency, "duration_s": args.closed_duration}
    closed_figures |= loop_figures(closed)
    health_figures = loop_figures(health)
    return {
        "distinct_records": len(bodies),
        "warmup_requests": len(warm),
        "warmup_errors": dict(warm_errors),
        "open_loop": open_figures,
        "closed_loop": closed_figures,
        "healthz_closed_loop": health_figures,
        "closed_vs_healthz": ratio(
            closed_figures["throughput_rps"], health_figures["throughput_rps"]
        ),
        "target_p99_ms": TARGET_P99_MS,
        "target_met": p99 is not None and p99 < TARGET_P99_MS and not open_figures["errors"],
    }


def part_recommendations(service: Service, args: argparse.Namespace) -> dict[str, Any]:
    """Open-loop latency at a fixed rate, closed-loop maximum, /healthz ceiling."""
    progress.print(
        f"recommendations: {args.rate:g}/s open loop for {args.duration:g} s, "
        f"then closed loop at {args.closed_concurrency} for {args.closed_duration:g} s"
    )
    service.sampler.mark()
    figures = asyncio.run(drive_recommendations(service, args))
    figures["peak_rss_mib"] = round(service.sampler.peak / 2**20, 1)
    o, c, h = figures["open_loop"], figures["closed_loop"], figures["healthz_closed_loop"]
    rows: list[list[object]] = [
        [
            f"open loop {o['offered_rps']:g}/s, cap {o['concurrency_cap']}",
            o["achieved_rps"],
            *o["latency_ms"].values(),
            o["errors"],
        ],
        ["  same, from send (service time)", None, *o["service_time_ms"].values(), None],
        [
            f"closed loop, concurrency {c['concurrency']}",
            c["throughput_rps"],
            *c["latency_ms"].values(),
            c["errors"],
        ],
        [
            f"GET /healthz closed loop ({c['concurrency']}), baseline",
            h["throughput_rps"],
            *h["latency_ms"].values(),
            h["errors"],
        ],
    ]
    print_table(
        f"POST /v1/recommendations ({figures['distinct_records']} generated records; "
        f"target p99 < {TARGET_P99_MS:g} ms at {args.rate:g}/s: "
        f"{'met' if figures['target_met'] else 'NOT met'})",
        ["load", "req/s", "p50 ms", "p90 ms", "p99 ms", "max ms", "errors"],
        rows,
    )
    return figures


# --- part 2: latency of one case ---------------------------------------------------------


def pdf_files(dataset: Path) -> list[Path]:
    """The dataset's PDFs in name order."""
    files = sorted((dataset / "pdf").glob("*.pdf"))
    if not files:
        raise SystemExit(f"no PDFs under {dataset / 'pdf'}")
    return files


def page_count(path: Path) -> int:
    """pypdf's page count, 0 for a file it cannot open."""
    from pypdf import PdfReader

    try:
        return len(PdfReader(path).pages)
    except Exception:  # any unreadable file just is not a candidate
        return 0


def pick_case_file(files: Sequence[Path], *, pages: int, among: int) -> tuple[Path, int]:
    """The first file (by name) of the first ``among`` whose page count is closest to ``pages``."""
    counted = [(path, page_count(path)) for path in files[:among]]
    return min(counted, key=lambda item: (abs(item[1] - pages), item[0].name))


def pypdf_seconds(path: Path) -> float:
    """Bare pypdf: open and extract the text of every page."""
    from pypdf import PdfReader

    started = time.perf_counter()
    reader = PdfReader(path)
    for page in reader.pages:
        page.extract_text()
    return time.perf_counter() - started


@dataclass
class Upload:
    """What became of one ``POST /v1/cases``."""

    status: int
    case_id: str | None = None
    code: str | None = None
    upload_s: float = 0.0
    total_s: float | None = None
    final: str | None = None


async def upload(client: httpx.AsyncClient, path: Path, reference: str) -> Upload:
    """Upload one file as a new case (no waiting for its triage)."""
    started = time.perf_counter()
    try:
        response = await client.post(
            "/v1/cases",
            files={"files": (path.name, path.read_bytes(), "application/pdf")},
            data={"reference": reference},
        )
    except httpx.HTTPError as error:
        return Upload(status=0, code=type(error).__name__, upload_s=time.perf_counter() - started)
    elapsed = time.perf_counter() - started
    body: dict[str, Any] = {}
    with contextlib.suppress(ValueError):
        body = response.json()
    if response.status_code == 202:
        return Upload(status=202, case_id=str(body["case_id"]), upload_s=elapsed)
    return Upload(status=response.status_code, code=body.get("code"), upload_s=elapsed)


async def wait_case(
    client: httpx.AsyncClient, case_id: str, *, every_s: float, timeout_s: float
) -> str | None:
    """Poll the case until its status is terminal; that status, or None on timeout."""
    deadline = time.perf_counter() + timeout_s
    while time.perf_counter() < deadline:
        with contextlib.suppress(httpx.HTTPError, ValueError):
            status = (await client.get(f"/v1/cases/{case_id}")).json().get("status")
            if status in TERMINAL:
                return str(status)
        await asyncio.sleep(every_s)
    return None


async def upload_and_wait(
    client: httpx.AsyncClient, path: Path, reference: str, *, timeout_s: float
) -> Upload:
    """Upload, then poll every 20 ms until decided: the time a caller waits for the answer."""
    started = time.perf_counter()
    result = await upload(client, path, reference)
    if result.case_id is not None:
        result.final = await wait_case(client, result.case_id, every_s=0.02, timeout_s=timeout_s)
        if result.final is not None:
            result.total_s = time.perf_counter() - started
    return result


async def drive_case_latency(
    service: Service, target: Path, warmers: Sequence[Path], *, runs: int, timeout_s: float
) -> tuple[list[Upload], list[Upload]]:
    async with async_client(service, connections=4, timeout_s=timeout_s) as client:
        warm = [
            await upload_and_wait(client, path, f"warm-{i}", timeout_s=timeout_s)
            for i, path in enumerate(warmers)
        ]
        # The same bytes each time, each as a new case (a new reference), with another
        # file read in between: nothing the last case left in a cache may serve the next.
        measured = []
        for i in range(runs):
            other = warmers[i % len(warmers)] if warmers else None
            if other is not None:
                await upload_and_wait(client, other, f"between-{i}", timeout_s=timeout_s)
            measured.append(
                await upload_and_wait(client, target, f"latency-{i}", timeout_s=timeout_s)
            )
    return warm, measured


def run_cli(
    args: Sequence[str], *, env: dict[str, str], timeout_s: float
) -> tuple[float, int, str]:
    """Wall time, exit code and stdout of a ``triage`` command (a fresh process)."""
    started = time.perf_counter()
    try:
        done = subprocess.run(
            [str(VENV_BIN / "triage"), *args],
            env=env,
            cwd=REPO_ROOT,
            capture_output=True,
            timeout=timeout_s,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return time.perf_counter() - started, -1, ""
    return time.perf_counter() - started, done.returncode, done.stdout.decode(errors="replace")


def cli_triage_times(
    files: Sequence[Path], *, timeout_s: float
) -> list[tuple[float, int, str | None]]:
    """``triage run FILE --format json --new-case`` per file, each a fresh process.

    One database for all, migrated beforehand, so each run is what a user with an existing
    database waits for: start-up, reading, extraction, decision and storage.
    """
    results: list[tuple[float, int, str | None]] = []
    with tempfile.TemporaryDirectory(prefix="bench-cli-") as temp:
        env = sqlite_env(Path(temp))
        run_cli(["db", "upgrade"], env=env, timeout_s=60)
        for path in files:
            seconds, code, out = run_cli(
                ["run", str(path), "--format", "json", "--new-case"], env=env, timeout_s=timeout_s
            )
            status = None
            with contextlib.suppress(ValueError, AttributeError):
                status = json.loads(out).get("status")
            results.append((seconds, code, status))
    return results


def cli_remote_times(
    service: Service, target: Path, warmers: Sequence[Path], *, runs: int, timeout_s: float
) -> list[tuple[float, int, str | None]]:
    """``triage run FILE --server URL --format json``: the command as the warm service's client.

    Another file goes through first each time (untimed), so the service's last case is never
    the one measured.
    """
    env = {**clean_env(), "TRIAGE_API_TOKEN": service.token or ""}
    args = ["--server", service.base_url, "--format", "json"]
    results: list[tuple[float, int, str | None]] = []
    for i in range(runs):
        if warmers:
            run_cli(["run", str(warmers[i % len(warmers)]), *args], env=env, timeout_s=timeout_s)
        seconds, code, out = run_cli(["run", str(target), *args], env=env, timeout_s=timeout_s)
        status = None
        with contextlib.suppress(ValueError, AttributeError):
            status = json.loads(out).get("status")
        results.append((seconds, code, status))
    return results


def part_latency(
    service: Service, files: Sequence[Path], args: argparse.Namespace
) -> dict[str, Any]:
    """One ~30-page case: pypdf alone, the warm service, and ``triage run``."""
    target, pages = pick_case_file(files, pages=args.pages, among=args.among)
    progress.print(f"latency: {target.name} ({pages} pages)")
    pypdf = [pypdf_seconds(target) for _ in range(args.runs)]
    warmers = [path for path in files if path != target][: args.warm]
    warm, measured = asyncio.run(
        drive_case_latency(service, target, warmers, runs=args.runs, timeout_s=args.case_timeout)
    )
    # What the service does for the case, without HTTP or the queue: a warm process.
    interleaved: list[Path] = list(warmers)
    for i in range(args.runs):
        if warmers:
            interleaved.append(warmers[i % len(warmers)])
        interleaved.append(target)
    inline = inline_baseline(interleaved, timeout_s=args.case_timeout * 4)
    seconds = inline.get("seconds", [])
    inline_s = median(
        [seconds[i] for i, path in enumerate(interleaved) if path == target and i < len(seconds)]
    )
    cli = cli_triage_times([target] * args.cli_runs, timeout_s=args.case_timeout)
    remote = cli_remote_times(
        service, target, warmers, runs=args.cli_runs, timeout_s=args.case_timeout
    )
    remote_s = median([seconds for seconds, code, _ in remote if code == 0])
    help_s = [run_cli(["--help"], env=clean_env(), timeout_s=60)[0] for _ in range(3)]
    pypdf_s = median(pypdf)
    service_s = median([u.total_s for u in measured if u.total_s is not None])
    cli_s = median([seconds for seconds, code, _ in cli if code == 0])
    upload_s = median([u.upload_s for u in measured])
    help_median = median(help_s)
    figures = {
        "file": target.name,
        "pages": pages,
        "pypdf_median_s": pypdf_s,
        "service_median_s": service_s,
        "service_upload_median_s": upload_s,
        "service_statuses": [u.final or f"http {u.status}" for u in measured],
        "warm_statuses": [u.final or f"http {u.status} {u.code}" for u in warm],
        "service_vs_pypdf": ratio(service_s, pypdf_s),
        "service_target": TARGET_SERVICE_VS_PYPDF,
        "service_target_met": within(ratio(service_s, pypdf_s), TARGET_SERVICE_VS_PYPDF),
        "inline_warm_median_s": inline_s,
        "inline_error": inline.get("error"),
        "service_vs_inline": ratio(service_s, inline_s),
        "cli_median_s": cli_s,
        "cli_exit_codes": [code for _, code, _ in cli],
        "cli_statuses": [status for _, _, status in cli],
        "cli_vs_pypdf": ratio(cli_s, pypdf_s),
        "cli_target": TARGET_CLI_VS_PYPDF,
        "cli_target_met": within(ratio(cli_s, pypdf_s), TARGET_CLI_VS_PYPDF),
        "cli_help_median_s": help_median,
        "cli_server_median_s": remote_s,
        "cli_server_exit_codes": [code for _, code, _ in remote],
        "cli_server_vs_pypdf": ratio(remote_s, pypdf_s),
        "cli_server_target_met": within(ratio(remote_s, pypdf_s), TARGET_CLI_VS_PYPDF),
    }
    print_table(
        f"One case: {target.name}, {pages} pages (medians)",
        ["measure", "runs", "seconds", "× pypdf", "target"],
        [
            ["pypdf: open + extract_text of every page (baseline)", len(pypdf), pypdf_s, 1.0, None],
            [
                "service: upload until decided, polled every 20 ms",
                len(measured),
                service_s,
                figures["service_vs_pypdf"],
                verdict(figures["service_target_met"], TARGET_SERVICE_VS_PYPDF),
            ],
            [
                "  of which the upload request (reads the PDF)",
                len(measured),
                upload_s,
                ratio(upload_s, pypdf_s),
                None,
            ],
            [
                "run_triage in a warm process (no HTTP, no queue)",
                args.runs,
                inline_s,
                ratio(inline_s, pypdf_s),
                None,
            ],
            [
                "triage run FILE --format json (fresh process)",
                len(cli),
                cli_s,
                figures["cli_vs_pypdf"],
                verdict(figures["cli_target_met"], TARGET_CLI_VS_PYPDF),
            ],
            [
                "triage run FILE --server URL (client of the warm service)",
                len(remote),
                remote_s,
                figures["cli_server_vs_pypdf"],
                verdict(figures["cli_server_target_met"], TARGET_CLI_VS_PYPDF),
            ],
            [
                "triage --help (CLI start-up)",
                len(help_s),
                help_median,
                ratio(help_median, pypdf_s),
                None,
            ],
        ],
    )
    return figures


# --- part 3: bulk ------------------------------------------------------------------------


async def gather_bounded(jobs: Sequence[Callable[[], Awaitable[Any]]], limit: int) -> list[Any]:
    """Run the jobs with at most ``limit`` at a time; results in order."""
    slots = asyncio.Semaphore(limit)

    async def run(job: Callable[[], Awaitable[Any]]) -> Any:
        async with slots:
            return await job()

    return await asyncio.gather(*(run(job) for job in jobs))


async def list_cases(client: httpx.AsyncClient, **query: Any) -> list[dict[str, Any]]:
    """Every case matching ``query``, following ``next_cursor``."""
    items: list[dict[str, Any]] = []
    cursor: str | None = None
    for _ in range(10_000):  # bounded: 200 a page
        params = {**query, "limit": 200} | ({"cursor": cursor} if cursor else {})
        response = await client.get("/v1/cases", params=params)
        response.raise_for_status()
        page = response.json()
        items.extend(page["items"])
        cursor = page["next_cursor"]
        if not cursor:
            break
    return items


@dataclass
class BulkRun:
    """The service's side of the bulk part."""

    uploads: list[Upload] = field(default_factory=list)
    upload_s: float = 0.0
    wall_s: float | None = None
    cases: list[dict[str, Any]] = field(default_factory=list)
    documents: dict[str, int] = field(default_factory=dict)
    timed_out: bool = False


async def drive_bulk(
    service: Service, files: Sequence[Path], prefix: str, args: argparse.Namespace
) -> BulkRun:
    run = BulkRun()
    async with async_client(service, connections=args.bulk_concurrency, timeout_s=120) as client:
        started = time.perf_counter()
        jobs = [
            functools.partial(upload, client, path, f"{prefix}{index:04d}-{path.name}")
            for index, path in enumerate(files)
        ]
        run.uploads = await gather_bounded(jobs, args.bulk_concurrency)
        run.upload_s = time.perf_counter() - started
        deadline = started + args.bulk_timeout
        while time.perf_counter() < deadline:
            pending = await list_cases(client, reference_prefix=prefix, status=list(PENDING))
            if not pending:
                run.wall_s = time.perf_counter() - started
                break
            await asyncio.sleep(0.25)
        run.timed_out = run.wall_s is None
        run.cases = await list_cases(client, reference_prefix=prefix)

        async def documents(case_id: str) -> tuple[str, int]:
            view = (await client.get(f"/v1/cases/{case_id}")).json()
            return case_id, len(view.get("documents", []))

        counted = await gather_bounded(
            [functools.partial(documents, case["id"]) for case in run.cases], args.bulk_concurrency
        )
        run.documents = dict(counted)
    return run


def database_counts(database: Path, prefix: str) -> tuple[int, int]:
    """Cases and documents stored under ``prefix``, read from the SQLite file itself."""
    with contextlib.closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as db:
        cases, documents = db.execute(
            "SELECT COUNT(DISTINCT c.id), COUNT(d.id) FROM cases c "
            "LEFT JOIN case_documents d ON d.case_id = c.id WHERE c.reference LIKE ?",
            (prefix + "%",),
        ).fetchone()
    return int(cases), int(documents)


def inline_baseline(files: Sequence[Path], *, timeout_s: float) -> dict[str, Any]:
    """The same files triaged in sequence by ``run_triage`` in one fresh process."""
    with tempfile.TemporaryDirectory(prefix="bench-inline-") as temp:
        listing = Path(temp) / "files.txt"
        listing.write_text("\n".join(str(path) for path in files))
        try:
            done = subprocess.run(
                [sys.executable, __file__, "--inline-baseline", str(listing)],
                env=sqlite_env(Path(temp)),
                cwd=REPO_ROOT,
                capture_output=True,
                timeout=timeout_s,
                check=False,
            )
        except subprocess.TimeoutExpired:
            return {"error": f"timed out after {timeout_s:g} s"}
    lines = done.stdout.decode(errors="replace").strip().splitlines()
    if done.returncode != 0 or not lines:
        return {"error": done.stderr.decode(errors="replace")[-500:]}
    result: dict[str, Any] = json.loads(lines[-1])
    return result


def inline_main(listing: Path) -> None:
    """``--inline-baseline``: run_triage over the listed files here, one JSON line of times."""
    started = time.perf_counter()
    from app.db import get_engine
    from app.errors import TriageError
    from app.jobs.inline import run_triage
    from app.pipeline import Upload as PipelineUpload
    from app.settings import get_settings
    from rules import load_policy

    settings = get_settings()
    engine = get_engine(settings.database_url)
    policy = load_policy(settings.rules_dir)
    setup_s = time.perf_counter() - started
    files = [Path(line) for line in listing.read_text().splitlines() if line]
    outcomes: Counter[str] = Counter()
    seconds: list[float] = []
    begin = time.perf_counter()
    for index, path in enumerate(files):
        one = time.perf_counter()
        try:
            result = run_triage(
                engine=engine,
                uploads=[PipelineUpload(data=path.read_bytes(), filename=path.name)],
                settings=settings,
                policy=policy,
                reference=f"inline-{index}",
            )
            refused = any(o.error is not None for o in result.outcomes)
            outcomes["refused" if refused else "triaged"] += 1
        except TriageError as error:
            outcomes[f"error {error.code}"] += 1
        seconds.append(round(time.perf_counter() - one, 4))
    total = time.perf_counter() - begin
    print(
        json.dumps(
            {
                "files": len(files),
                "setup_s": round(setup_s, 3),
                "total_s": round(total, 3),
                "outcomes": dict(outcomes),
                "seconds": seconds,
            }
        )
    )


def bulk_checks(run: BulkRun, database: Path, prefix: str) -> dict[str, Any]:
    """Lost, duplicated, stuck and document counts of the bulk cases."""
    accepted = {u.case_id for u in run.uploads if u.case_id is not None}
    listed = [case["id"] for case in run.cases]
    references = Counter(case["reference"] for case in run.cases)
    db_cases, db_documents = database_counts(database, prefix)
    return {
        "cases_listed": len(listed),
        "lost": len(accepted - set(listed)),
        "unexpected": len(set(listed) - accepted),
        "duplicated": sum(n - 1 for n in references.values() if n > 1)
        + len(listed)
        - len(set(listed)),
        "stuck": sum(1 for case in run.cases if case["status"] not in TERMINAL),
        "documents_not_one": sum(1 for n in run.documents.values() if n != 1),
        "db_cases": db_cases,
        "db_documents": db_documents,
        "final_statuses": dict(Counter(case["status"] for case in run.cases)),
    }


def slowest(files: Sequence[Path], seconds: Sequence[float]) -> dict[str, Any] | None:
    """The file that took longest, with its seconds (None for no times)."""
    if not seconds:
        return None
    index = max(range(len(seconds)), key=seconds.__getitem__)
    return {"file": files[index].name, "s": round(seconds[index], 2)}


def part_bulk(service: Service, files: Sequence[Path], args: argparse.Namespace) -> dict[str, Any]:
    """N uploads at once through the API against sequential in-process and CLI triage."""
    chosen = list(files[: args.bulk])
    prefix = f"bulk-{os.getpid()}-"
    progress.print(f"bulk: {len(chosen)} PDFs, {args.bulk_concurrency} uploads at a time")
    rss_idle = tree_rss_bytes(service.process.pid)
    service.sampler.mark()
    run = asyncio.run(drive_bulk(service, chosen, prefix, args))
    peak = service.sampler.peak
    checks = bulk_checks(run, service.database, prefix)
    accepted = sum(1 for u in run.uploads if u.status == 202)
    refusals = Counter(u.code or "?" for u in run.uploads if u.status in (413, 422))
    errors = Counter(f"{u.status} {u.code}" for u in run.uploads if u.status not in (202, 413, 422))
    progress.print(f"bulk: baseline, run_triage over the same {len(chosen)} files in one process")
    inline = inline_baseline(chosen, timeout_s=args.bulk_timeout)
    sample = chosen[: args.cli_sample]
    progress.print(f"bulk: triage run on {len(sample)} of the files, a process each")
    cli = cli_triage_times(sample, timeout_s=args.case_timeout)
    cli_mean = statistics.mean(s for s, _, _ in cli) if cli else None
    cli_extrapolated = round(cli_mean * len(chosen), 1) if cli_mean is not None else None
    ok = (
        not run.timed_out
        and accepted == checks["cases_listed"] == checks["db_cases"]
        and checks["db_documents"] == accepted
        and not any(
            checks[k] for k in ("lost", "unexpected", "duplicated", "stuck", "documents_not_one")
        )
    )
    figures = {
        "files": len(chosen),
        "concurrency": args.bulk_concurrency,
        "accepted": accepted,
        "refused": sum(refusals.values()),
        "refused_by_code": dict(refusals),
        "errors": dict(errors),
        "upload_s": round(run.upload_s, 2),
        "upload_latency_ms": quantiles_ms([u.upload_s for u in run.uploads if u.status == 202]),
        "upload_slowest": slowest(chosen, [u.upload_s for u in run.uploads]),
        "wall_s": round(run.wall_s, 2) if run.wall_s is not None else None,
        "timed_out": run.timed_out,
        "cases_per_s": ratio(len(chosen), run.wall_s),
        **checks,
        "consistent": ok,
        "rss_idle_mib": round(rss_idle / 2**20, 1),
        "peak_rss_mib": round(peak / 2**20, 1),
        "inline_total_s": inline.get("total_s"),
        "inline_setup_s": inline.get("setup_s"),
        "inline_per_file_ms": quantiles_ms(inline.get("seconds", [])),
        "inline_slowest": slowest(chosen, inline.get("seconds", [])),
        "inline_outcomes": inline.get("outcomes"),
        "inline_error": inline.get("error"),
        "service_vs_inline": ratio(run.wall_s, inline.get("total_s")),
        "cli_sample": len(cli),
        "cli_sample_mean_s": round(cli_mean, 3) if cli_mean is not None else None,
        "cli_sample_exit_codes": [code for _, code, _ in cli],
        "cli_extrapolated_s": cli_extrapolated,
        "service_vs_cli": ratio(run.wall_s, cli_extrapolated),
    }
    print_bulk(figures)
    return figures


def print_bulk(f: dict[str, Any]) -> None:
    print_table(
        f"Bulk: {f['files']} CUAD PDFs, {f['concurrency']} uploads at a time",
        ["way", "seconds", "files/s", "service ×"],
        [
            ["service: all uploads until every case is done", f["wall_s"], f["cases_per_s"], 1.0],
            ["  of which uploading (reading each PDF)", f["upload_s"], None, None],
            [
                "run_triage in sequence, one process (baseline)",
                f["inline_total_s"],
                ratio(f["files"], f["inline_total_s"]),
                f["service_vs_inline"],
            ],
            [
                f"triage run per file (mean of {f['cli_sample']} × {f['files']})",
                f["cli_extrapolated_s"],
                ratio(f["files"], f["cli_extrapolated_s"]),
                f["service_vs_cli"],
            ],
        ],
    )
    print_table(
        "Bulk: every upload accounted for",
        ["check", "count"],
        [
            ["uploads accepted (202)", f["accepted"]],
            [
                "uploads refused (413/422): "
                + (", ".join(f"{k} {v}" for k, v in f["refused_by_code"].items()) or "none"),
                f["refused"],
            ],
            ["other errors", sum(f["errors"].values())],
            ["cases listed through GET /v1/cases", f["cases_listed"]],
            ["cases / documents in the database file", f"{f['db_cases']} / {f['db_documents']}"],
            ["lost (accepted, not listed)", f["lost"]],
            ["unexpected (listed, not accepted)", f["unexpected"]],
            ["duplicated", f["duplicated"]],
            ["stuck (not decided at the end)", f["stuck"]],
            ["cases without exactly one document", f["documents_not_one"]],
            [
                "final statuses: " + ", ".join(f"{k} {v}" for k, v in f["final_statuses"].items()),
                None,
            ],
            [
                "service process tree RSS, idle → peak (MiB)",
                f"{f['rss_idle_mib']} → {f['peak_rss_mib']}",
            ],
            ["all consistent", "yes" if f["consistent"] else "NO"],
        ],
    )


# --- main --------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--dataset", type=Path, default=DEFAULT_DATASET, help="the CUAD folder")
    parser.add_argument(
        "--part", default="all", help="all, or any of " + ", ".join(PARTS) + " (comma-separated)"
    )
    group = parser.add_argument_group("recommendations")
    group.add_argument("--rate", type=float, default=200.0, help="offered requests/s (open loop)")
    group.add_argument("--duration", type=float, default=10.0, help="seconds of open loop")
    group.add_argument("--concurrency", type=int, default=32, help="open loop: most in flight")
    group.add_argument("--closed-concurrency", type=int, default=8)
    group.add_argument("--closed-duration", type=float, default=5.0)
    group.add_argument("--warmup", type=float, default=2.0, help="seconds of warm-up")
    group.add_argument("--distinct", type=int, default=200, help="distinct generated records")
    group.add_argument("--seed", type=int, default=1)
    group = parser.add_argument_group("latency")
    group.add_argument("--pages", type=int, default=30, help="pick the PDF closest to this")
    group.add_argument("--among", type=int, default=100, help="...among the first N PDFs")
    group.add_argument("--runs", type=int, default=5, help="pypdf and service repetitions")
    group.add_argument("--warm", type=int, default=3, help="uploads of other files first")
    group.add_argument("--cli-runs", type=int, default=3)
    group.add_argument("--case-timeout", type=float, default=120.0, help="seconds per case")
    group = parser.add_argument_group("bulk")
    group.add_argument("--bulk", type=int, default=200, help="PDFs uploaded at once")
    group.add_argument("--bulk-concurrency", type=int, default=16)
    group.add_argument("--bulk-timeout", type=float, default=300.0, help="seconds to finish")
    group.add_argument("--cli-sample", type=int, default=5, help="files timed with triage run")
    parser.add_argument("--ready-timeout", type=float, default=90.0)
    parser.add_argument("--inline-baseline", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    chosen = PARTS if args.part == "all" else tuple(p.strip() for p in args.part.split(","))
    unknown = set(chosen) - set(PARTS)
    if unknown:
        parser.error(f"unknown part(s): {', '.join(sorted(unknown))}")
    args.parts = chosen
    return args


def main(argv: Sequence[str] | None = None) -> None:
    """Run the chosen parts against one service process; tables, then one JSON line."""
    args = parse_args(argv)
    if args.inline_baseline is not None:
        inline_main(args.inline_baseline)
        return
    files = pdf_files(args.dataset) if {"latency", "bulk"} & set(args.parts) else []
    figures: dict[str, Any] = {
        "parts": list(args.parts),
        "load_average_start": round(os.getloadavg()[0], 2),
    }
    started = time.perf_counter()
    with running_service(ready_timeout_s=args.ready_timeout) as service:
        progress.print(f"triage serve ready in {service.started_s:.1f} s on {service.base_url}")
        figures["service_start_s"] = round(service.started_s, 2)
        if "recommendations" in args.parts:
            figures["recommendations"] = part_recommendations(service, args)
        if "latency" in args.parts:
            figures["latency"] = part_latency(service, files, args)
        if "bulk" in args.parts:
            figures["bulk"] = part_bulk(service, files, args)
        figures["service_peak_rss_mib"] = round(service.sampler.overall_peak / 2**20, 1)
    figures["load_average_end"] = round(os.getloadavg()[0], 2)
    figures["elapsed_s"] = round(time.perf_counter() - started, 1)
    print(json.dumps(figures, sort_keys=True))


if __name__ == "__main__":
    main()
