"""Load generation and reporting shared by the benchmark scripts.

The client is Python threads with keep-alive connections: it shares the machine's two cores with
the server, so absolute numbers understate the server; the ratio to the floor, measured in the same
run with the same client, is the figure to compare across machines.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Result:
    label: str
    path: str
    requests: int
    errors: int
    seconds: float
    latencies_ms: list[float]

    def pct(self, p: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        ordered = sorted(self.latencies_ms)
        k = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))
        return ordered[k]

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


Path_ = str | Sequence[str]  # one path, or several taken in turn (e.g. a lookup over many dossier codes)


def _nth(path: Path_, n: int) -> str:
    return path if isinstance(path, str) else path[n % len(path)]


def measure(
    host: str,
    port: int,
    label: str,
    path: Path_,
    *,
    concurrency: int = 4,
    requests: int = 400,
    warmup: int = 20,
    headers: dict | None = None,
) -> Result:
    """Send `requests` GETs to `path` from `concurrency` threads, each on its own keep-alive connection."""
    return measure_paths(
        host, port, [(label, path)], concurrency=concurrency, requests=requests, warmup=warmup, headers=headers
    )[0]


def measure_paired(
    host: str, port: int, label: str, path: str, floor_path: str, *, block: int = 100, **kwargs
) -> tuple[Result, Result]:
    """Like measure(), but in alternating blocks of `block` requests to `path` and to `floor_path`.

    On a machine shared with other work the load changes from minute to minute; a floor measured in
    blocks interleaved with the endpoint's sees the same load, so the ratio of the two is not distorted
    by it. Blocks rather than alternate requests: a floor request queued behind slow endpoint requests
    in the same workers would measure the endpoint, not the floor.
    """
    requests = kwargs.pop("requests", 400)
    warmup = kwargs.pop("warmup", 20)
    pooled = {label: Result(label, path, 0, 0, 0.0, []), "floor": Result("floor (paired)", floor_path, 0, 0, 0.0, [])}
    rounds = max(1, -(-requests // block))
    for n in range(rounds):
        size = min(block, requests - n * block)
        order = [(label, path), ("floor", floor_path)]
        for key, target in order if n % 2 == 0 else reversed(order):
            part = measure(host, port, key, target, requests=size, warmup=warmup if n == 0 else 0, **kwargs)
            total = pooled[key]
            total.requests += part.requests
            total.errors += part.errors
            total.seconds += part.seconds
            total.latencies_ms.extend(part.latencies_ms)
    return pooled[label], pooled["floor"]


def measure_paths(
    host: str,
    port: int,
    targets: list[tuple[str, Path_]],
    *,
    concurrency: int = 4,
    requests: int = 400,
    warmup: int = 20,
    headers: dict | None = None,
) -> list[Result]:
    """`requests` GETs of each (label, path) from `concurrency` threads; each thread cycles through the paths.

    A path given as a list is taken in turn, one element per request (the same order in every run).
    `headers` are sent with every request (e.g. a token's Authorization header).
    """
    sent = {"Accept-Language": "vi", **(headers or {})}
    latencies: list[list[float]] = [[] for _ in targets]
    errors = [0] * len(targets)
    lock = threading.Lock()
    counter = iter(range(requests))

    def worker():
        conn = http.client.HTTPConnection(host, port, timeout=30)
        local = [[] for _ in targets]
        local_errors = [0] * len(targets)
        while True:
            with lock:
                n = next(counter, None)
                if n is None:
                    break
            for i, (_label, path) in enumerate(targets):
                t0 = time.perf_counter()
                try:
                    conn.request("GET", _nth(path, n), headers=sent)
                    resp = conn.getresponse()
                    resp.read()
                    if resp.status >= 400:
                        local_errors[i] += 1
                except (OSError, http.client.HTTPException):
                    local_errors[i] += 1
                    conn.close()
                    conn = http.client.HTTPConnection(host, port, timeout=30)
                    continue
                local[i].append((time.perf_counter() - t0) * 1000)
        conn.close()
        with lock:
            for i in range(len(targets)):
                latencies[i].extend(local[i])
                errors[i] += local_errors[i]

    warm = http.client.HTTPConnection(host, port, timeout=30)
    for n in range(warmup):
        for _label, path in targets:
            warm.request("GET", _nth(path, n), headers=sent)
            warm.getresponse().read()
    warm.close()

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - start
    # With several paths the wall time is shared: each path's throughput is its requests over the total time.
    return [
        Result(label, _shown(path), len(latencies[i]), errors[i], seconds, latencies[i])
        for i, (label, path) in enumerate(targets)
    ]


def _shown(path: Path_) -> str:
    return path if isinstance(path, str) else f"{path[0]} (+{len(path) - 1} more)"


def send_each(
    host: str,
    port: int,
    label: str,
    calls: list[tuple[str, str, bytes]],
    *,
    concurrency: int = 4,
    headers: dict | None = None,
) -> Result:
    """Send each (method, path, body) once, from `concurrency` keep-alive threads: for writes that change state
    (each POST needs its own fresh object), where measure()'s repetition of one path makes no sense."""
    sent = {"Accept-Language": "vi", "Content-Type": "application/json", **(headers or {})}
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    queue = iter(calls)

    def worker():
        conn = http.client.HTTPConnection(host, port, timeout=30)
        local: list[float] = []
        bad = 0
        while True:
            with lock:
                call = next(queue, None)
            if call is None:
                break
            method, path, body = call
            t0 = time.perf_counter()
            try:
                conn.request(method, path, body=body, headers=sent)
                resp = conn.getresponse()
                resp.read()
                if resp.status >= 400:
                    bad += 1
            except (OSError, http.client.HTTPException):
                bad += 1
                conn.close()
                conn = http.client.HTTPConnection(host, port, timeout=30)
                continue
            local.append((time.perf_counter() - t0) * 1000)
        conn.close()
        with lock:
            latencies.extend(local)
            errors[0] += bad

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - start
    return Result(label, calls[0][1] if calls else "", len(latencies), errors[0], seconds, latencies)


def wait_for_port(host: str, port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((host, port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"gunicorn did not start on {host}:{port}")


@contextlib.contextmanager
def serve(host: str, port: int, *, workers: int = 2, settings: str = "portal.settings.bench"):
    """The portal under gunicorn (as in production) for the duration of the block."""
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "portal.wsgi",
            "-b",
            f"{host}:{port}",
            "-w",
            str(workers),
            "--access-logfile",
            "/dev/null",
            "--error-logfile",
            "-",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": settings},
    )
    try:
        wait_for_port(host, port)
        yield server
    finally:
        server.terminate()
        server.wait(timeout=10)


def table(results: list[Result], floor: Result, paired: dict[str, Result] | None = None) -> str:
    """One row per endpoint; with `paired` (label -> the floor measured alongside it), a paired ratio too."""
    head = (
        f"{'endpoint':<38} {'n':>5} {'err':>4} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'req/s':>8}"
        f" {'p95/floor':>9} {'rps/floor':>9}"
    )
    if paired:
        head += f" {'paired floor p95':>16} {'p95/paired':>10}"
    lines = [head, "-" * len(head)]
    for r in [floor, *results]:
        line = (
            f"{r.label[:38]:<38} {r.requests:>5} {r.errors:>4} {r.pct(50):>8.1f} {r.pct(95):>8.1f} {r.pct(99):>8.1f}"
            f" {r.rps:>8.1f} {r.pct(95) / floor.pct(95):>9.2f} {r.rps / floor.rps:>9.2f}"
        )
        if paired and r.label in paired:
            pf = paired[r.label]
            line += f" {pf.pct(95):>16.1f} {r.pct(95) / pf.pct(95):>10.2f}"
        lines.append(line)
    return "\n".join(lines)


def summary(result: Result) -> dict:
    lat = result.latencies_ms
    return {
        "label": result.label,
        "path": result.path,
        "requests": result.requests,
        "errors": result.errors,
        "p50_ms": result.pct(50),
        "p95_ms": result.pct(95),
        "p99_ms": result.pct(99),
        "mean_ms": statistics.fmean(lat) if lat else None,
        "rps": result.rps,
    }


@dataclass
class WrkResult:
    label: str
    path: str
    rps: float
    latency_ms: dict[str, float]  # "50%", "75%", "90%", "99%"
    errors: int


_WRK_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(host: str, port: int, label: str, path: str, *, connections: int = 16, seconds: int = 10) -> WrkResult:
    """Run Debian's `wrk` (2 threads, keep-alive) against `path`; requests per second and latency percentiles."""
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (apt-get install wrk)")
    out = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{seconds}s",
            "--latency",
            "-H",
            "Accept-Language: vi",
            f"http://{host}:{port}{path}",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    latency = {
        pct: float(value) * _WRK_UNITS[unit]
        for pct, value, unit in re.findall(r"^\s+(\d+%)\s+([\d.]+)(us|ms|s)\s*$", out, re.MULTILINE)
    }
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = (int(bad.group(1)) if bad else 0) + (sum(map(int, socket_errors.groups())) if socket_errors else 0)
    return WrkResult(label, path, rps, latency, errors)


def wrk_table(results: list[WrkResult], floors: dict[str, WrkResult]) -> str:
    """One row per endpoint with the floor measured right before it (`floors`: label -> floor)."""
    head = (
        f"{'endpoint':<38} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'err':>5}"
        f" {'floor req/s':>11} {'floor p99':>9} {'rps/floor':>9} {'p99/floor':>9}"
    )
    lines = [head, "-" * len(head)]
    for r in results:
        f = floors[r.label]
        lines.append(
            f"{r.label[:38]:<38} {r.rps:>8.1f} {r.latency_ms.get('50%', 0):>8.1f} {r.latency_ms.get('99%', 0):>8.1f}"
            f" {r.errors:>5} {f.rps:>11.1f} {f.latency_ms.get('99%', 0):>9.1f} {r.rps / f.rps:>9.2f}"
            f" {r.latency_ms.get('99%', 0) / f.latency_ms['99%']:>9.2f}"
        )
    return "\n".join(lines)
